from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "vertrouwen.web.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        # Signal receivers: the session's login moment (sessions.py), the lockout's audit event (lockout.py).
        from vertrouwen.web.accounts import lockout, sessions  # noqa: F401

