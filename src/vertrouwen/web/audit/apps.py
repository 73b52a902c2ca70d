from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "vertrouwen.web.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from vertrouwen.web.audit import logins, tracking

        tracking.connect()
        logins.connect()
