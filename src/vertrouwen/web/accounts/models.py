"""An account's binding to the municipality's identity provider: the provider's own subject id (`sub`), which
never changes and is never reused, unlike a user name or an e-mail address."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OidcIdentity(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identity")
    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    bound_at = models.DateTimeField(_("bound at"), auto_now_add=True)

    class Meta:
        verbose_name = _("login through the identity provider")
        verbose_name_plural = _("logins through the identity provider")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_subject")]

    def __str__(self) -> str:
        return f"{self.user} bij {self.issuer}"
