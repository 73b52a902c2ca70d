"""Writing accounts: roles as groups, and the demo municipality's accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from vertrouwen.web.accounts.roles import BEHEERDER, ROLES, Role
from vertrouwen.web.audit.services import record

DEMO_PASSWORD = "voorbeeldstad-demo"  # noqa: S105 - only ever set on the demo's own accounts

# The beheerder configures through Django admin: these models only, nothing about persons; and reads the audit trail.
BEHEERDER_ADMIN_MODELS = ("user", "group", "municipality", "experiment", "arm")
BEHEERDER_READ_ONLY = ("view_auditevent",)


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """One group per role; the beheerder's group may change configuration in the admin."""
    groups = {role.code: Group.objects.get_or_create(name=role.code)[0] for role in ROLES}
    admin_perms = Permission.objects.filter(
        Q(content_type__model__in=BEHEERDER_ADMIN_MODELS) | Q(codename__in=BEHEERDER_READ_ONLY))
    groups[BEHEERDER.code].permissions.set(admin_perms)
    return groups


@transaction.atomic
def create_user(*, username: str, password: str, role: Role, actor, **fields):
    """A user with exactly one role; beheerders get access to the admin."""
    user = get_user_model().objects.create_user(username=username, password=password,
                                                is_staff=role is BEHEERDER, **fields)
    user.groups.set([ensure_roles()[role.code]])
    record(actor=actor, action="user.created", object_type="user", object_id=user.pk,
           details={"username": username, "role": role.code})
    return user


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, Role]]:
    """One account per role, username = role code; returns (username, password, role) for each."""
    existing = set(get_user_model().objects.filter(username__in=[r.code for r in ROLES])
                   .values_list("username", flat=True))
    for role in ROLES:
        if role.code not in existing:
            create_user(username=role.code, password=DEMO_PASSWORD, role=role, actor="systeem:demo",
                        first_name=str(role.label))
    return [(role.code, DEMO_PASSWORD, role) for role in ROLES]
