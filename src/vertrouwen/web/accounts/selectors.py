"""Reading accounts and the audit trail for the beheerder's start page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.accounts.roles import ROLES, Role
from vertrouwen.web.audit.actions import ACTIONS, label_of
from vertrouwen.web.audit.models import AuditEvent


@dataclass(frozen=True)
class RoleCount:
    role: Role
    active_users: int


@dataclass(frozen=True)
class UsersPerRole:
    per_role: list[RoleCount]
    without_role: int  # active users without any role: they can log in but see nothing
    inactive: int  # blocked accounts, whatever their role


def users_per_role() -> UsersPerRole:
    """Active users per role (in the order the roles are declared), without a role, and blocked."""
    users = get_user_model().objects
    codes = [role.code for role in ROLES]
    counts = {
        row["groups__name"]: row["n"]
        for row in users.filter(is_active=True, groups__name__in=codes)
        .values("groups__name").annotate(n=Count("id", distinct=True)).order_by()
    }
    without_role = users.filter(is_active=True).exclude(groups__name__in=codes).count()
    inactive = users.filter(is_active=False).count()
    return UsersPerRole(per_role=[RoleCount(role, counts.get(role.code, 0)) for role in ROLES],
                        without_role=without_role, inactive=inactive)


# The audit actions the beheerder's start page lists (web/audit/actions.py), and readable object types.
AUDIT_ACTIONS = {code: action.label for code, action in ACTIONS.items() if action.administration}
AUDIT_OBJECT_TYPES = {
    "user": _("user"),
    "login": _("login"),
    "experiment": _("experiment"),
    "arm": _("group"),
    "municipality": _("municipality"),
}


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str

    @property
    def action_label(self) -> str:
        return label_of(self.action)

    @property
    def object_type_label(self) -> str:
        return AUDIT_OBJECT_TYPES.get(self.object_type, self.object_type)


def latest_audit_events(limit: int = 10) -> list[AuditLine]:
    """The latest changes to accounts and configuration: who, what and when. Details are left out on purpose;
    the whole trail, logins and changes of records included, is in the admin."""
    rows = AuditEvent.objects.filter(action__in=AUDIT_ACTIONS).order_by("-id").values_list(
        "at", "actor_label", "action", "object_type", "object_id")[:limit]
    return [AuditLine(*row) for row in rows]
