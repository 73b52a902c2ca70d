"""API tokens: one system account's key to the API. Only a hash of the token is stored; the token itself is shown
once, when it is issued (tokens.issue_token)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.registry.models import Municipality


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens",
                             verbose_name=_("system account"))
    # Whose persons the token delivers for: a person number is unique within one municipality only.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="api_tokens",
                                     verbose_name=_("municipality"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256 of the token, hex
    prefix = models.CharField(_("start of the token"), max_length=16, editable=False,
                              help_text=_("Enough to recognise a token, not to use it."))
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        # Only the permission to use the API; tokens are issued on the command line, never in the admin.
        default_permissions = ()
        permissions = [("deliver_benefit_data", _("Can deliver and read back benefit spells and earnings"))]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def is_valid(self, now) -> bool:
        return self.revoked_at is None and now < self.expires_at
