from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotteryConfig(AppConfig):
    name = "vertrouwen.web.lottery"
    label = "lottery"
    verbose_name = _("Lottery")
