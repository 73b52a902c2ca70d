from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "vertrouwen.web.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from vertrouwen.web.api import schema  # noqa: F401 - registers the OpenAPI extensions
