"""Writing accounts: the roles as groups, users with exactly one role, and the demo municipality's accounts.

Every change to a user is written to the audit trail in the same transaction. Audit details name the
user and the fields that changed, never a password (nor its hash).
"""

from base64 import b32decode
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from vertrouwen.web.accounts.roles import ROLES, USER_ROLES, Role, role_of
from vertrouwen.web.audit.services import record

DEMO_PASSWORD = "voorbeeldstad-demo"  # noqa: S105 - only ever set on the demo's own accounts

# Fields whose change is never described in the audit trail beyond "the password changed".
_SECRET_FIELDS = frozenset({"password", "password1", "password2"})


def _permissions(role: Role) -> list[Permission]:
    """The Permission rows of the role's declared permissions; an unknown name is a programming error."""
    if not role.permissions:
        return []
    wanted = set(role.permissions)
    query = Q()
    for name in wanted:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query).select_related("content_type"))
    missing = wanted - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise ImproperlyConfigured(f"role {role.code}: unknown permissions {', '.join(sorted(missing))}")
    return found


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """One group per role, holding exactly the permissions declared for the role in roles.py."""
    groups = {}
    for role in ROLES:
        group = Group.objects.get_or_create(name=role.code)[0]
        group.permissions.set(_permissions(role))
        groups[role.code] = group
    return groups


def _apply_role(user, role: Role) -> None:
    """Give a saved user exactly `role` (the callers set is_staff from it)."""
    user.groups.set([ensure_roles()[role.code]])


@transaction.atomic
def add_user(user, *, role: Role, actor):
    """Save a new user (built, password set, not yet saved) with exactly one role, and record it."""
    user.is_staff = role.staff or user.is_superuser
    user.save()
    _apply_role(user, role)
    record(actor=actor, action="user.created", object_type="user", object_id=user.pk,
           details={"username": user.get_username(), "role": role.code},
           new={"username": user.get_username(), "role": role.code, "is_active": user.is_active})
    return user


def create_user(*, username: str, password: str, role: Role, actor, **fields):
    """A user with exactly one role; beheerders get access to the admin."""
    model = get_user_model()
    if "email" in fields:
        fields["email"] = model.objects.normalize_email(fields["email"])
    user = model(username=model.normalize_username(username), **fields)
    user.set_password(password)
    return add_user(user, role=role, actor=actor)


@transaction.atomic
def change_user(user, *, role: Role, actor, changed: Iterable[str] = ()) -> None:
    """Save a user's changed fields and set their one role; record what changed.

    `changed` names the fields changed on `user` (as a form's changed_data). A change of role is recorded
    as "user.role_changed" with the old and the new role, any other change as "user.changed".
    """
    before = role_of(user)  # read from the database (or the admin's prefetch), not yet changed
    user.is_staff = role.staff or user.is_superuser
    user.save()
    if before is not role:
        _apply_role(user, role)
    fields = sorted(set(changed) - _SECRET_FIELDS - {"role"})
    if before is role and not fields:
        return
    details = {"username": user.get_username(), "fields": fields}
    old, new = {}, {}
    if "is_active" in fields:
        details["is_active"] = user.is_active
        old["is_active"], new["is_active"] = not user.is_active, user.is_active
    if before is not role:
        details["old_role"] = before.code if before else None
        details["new_role"] = role.code
        old["role"], new["role"] = details["old_role"], role.code
    record(actor=actor, action="user.role_changed" if before is not role else "user.changed",
           object_type="user", object_id=user.pk, details=details, old=old, new=new)


@transaction.atomic
def password_changed(user, *, actor) -> None:
    """Record that a user's password was set (or password login switched off); never the password."""
    action = "user.password_changed" if user.has_usable_password() else "user.password_disabled"
    record(actor=actor, action=action, object_type="user", object_id=user.pk,
           details={"username": user.get_username()})


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, Role]]:
    """One account per role of people, username = role code; returns (username, password, role) for each.
    A system account never gets the published password (demo.py makes the link's account without one)."""
    ensure_roles()  # also brings the groups of an existing demo database up to the declared permissions
    existing = set(get_user_model().objects.filter(username__in=[r.code for r in USER_ROLES])
                   .values_list("username", flat=True))
    for role in USER_ROLES:
        if role.code not in existing:
            create_user(username=role.code, password=DEMO_PASSWORD, role=role, actor="systeem:demo",
                        first_name=str(role.label))
    return [(role.code, DEMO_PASSWORD, role) for role in USER_ROLES]


# The demo's authenticator key, the same for every demo account so that one entry in the app serves them all.
# Published (docs/handleiding-beheerder.md), like the demo password: only ever set on the demo's own accounts.
DEMO_TOTP_SECRET = "VOORBEELDSTADDEMOVOORBEELDSTADDE"  # noqa: S105 - base32 of 20 bytes


def demo_totp_key_hex() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


@transaction.atomic
def ensure_demo_devices(usernames: Iterable[str]) -> int:
    """A confirmed authenticator device with the published demo key for each named account that has none;
    returns how many were made. Each is recorded, as a user's own set-up is."""
    made = 0
    for user in get_user_model().objects.filter(username__in=list(usernames)):
        if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            continue
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        TOTPDevice.objects.create(user=user, name="demo", key=demo_totp_key_hex(), confirmed=True)
        record(actor="systeem:demo", action="user.two_factor_set_up", object_type="user", object_id=user.pk,
               details={"username": user.get_username(), "demo_key": True})
        made += 1
    return made
