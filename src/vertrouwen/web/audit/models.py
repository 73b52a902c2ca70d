"""The audit trail: one row per event, append-only and hash-chained, with the old and new values sealed.

Values are sealed (encrypted) with the key of the event's subject: the person a person-level row belongs to, or
the general key for everything else. Erasing a person's data at the end of the retention term destroys their key,
so their audit rows stay and the chain still verifies, while what the rows said about them can no longer be read.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENERAL_SUBJECT = "algemeen"


class AuditEvent(models.Model):
    """Who did what to which object, from where, with what result. Never a BSN."""

    class Result(models.TextChoices):
        OK = "ok", _("succeeded")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)  # stored in UTC
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("user"))
    actor_label = models.CharField(_("by"), max_length=150, help_text=_("User name or system task."))
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default=Result.OK)
    origin = models.CharField(_("origin"), max_length=100, blank=True,
                              help_text=_("Where the change came from: web with the address, command line or task."))
    subject = models.CharField(_("subject"), max_length=32, default=GENERAL_SUBJECT, db_index=True,
                               help_text=_("Whose key seals the values: a person, or general."))
    sealed_values = models.TextField(_("old and new values (sealed)"), blank=True)
    previous_hash = models.CharField(_("hash of the previous event"), max_length=64)
    row_hash = models.CharField(_("hash"), max_length=64)
    # HMAC-SHA256 of row_hash with the installation's audit key (settings.AUDIT_KEY), which the database does not
    # hold. None for events written before the trail was keyed. Nullable without a default: SQLite adds the column
    # in place, and the table keeps its append-only triggers.
    mac = models.CharField(_("keyed hash"), max_length=64, null=True, blank=True)  # noqa: DJ001

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type} {self.object_id}"


class SubjectKey(models.Model):
    """The key that seals one subject's audit values, itself encrypted with the installation's key."""

    subject = models.CharField(max_length=32, unique=True)
    sealed_key = models.TextField()

    class Meta:
        verbose_name = _("audit key")
        verbose_name_plural = _("audit keys")

    def __str__(self) -> str:
        return self.subject
