"""The roles, declared once: who they are, whether they use the admin and which permissions they hold.

A role is a Django group of the same code, whose permissions are exactly the ones declared here (see
services.ensure_roles); a user has exactly one role. Only the beheerder works in the admin (/beheer/), so
only the beheerder is staff; no role holds any permission on groups or permissions, and none on persons.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


def model_permissions(app_label: str, *models: str, actions: tuple[str, ...] = ("view", "add", "change", "delete")
                      ) -> tuple[str, ...]:
    """Django permission names ("app_label.action_model") for each action on each model."""
    return tuple(f"{app_label}.{action}_{model}" for model in models for action in actions)


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    description: str
    staff: bool = False  # may log in to the admin; users get is_staff from their role
    permissions: tuple[str, ...] = ()  # "app_label.codename", exactly what the role's group holds
    # A system account: another system that delivers data through the API with a token; it has no pages.
    system: bool = False


KLANTMANAGER = Role("klantmanager", _("Case manager"),
                    _("Works a caseload under each arm's own rules."))
PROJECTLEIDER = Role("projectleider", _("Project lead"),
                     _("Configures the experiment, follows the monitor and publishes the reports."))
ONDERZOEKER = Role("onderzoeker", _("Researcher"),
                   _("Runs the lottery, follows the response and analyses the effects on pseudonymized data."))
BEHEERDER = Role(
    "beheerder", _("Administrator"), _("Manages users and roles, rule tables and questionnaires."),
    staff=True,
    permissions=(
        # Users: add, change and block (never delete: the audit trail refers to them). Their role is set
        # through the user form; superuser, staff and single permissions are not in that form at all.
        *model_permissions("auth", "user", actions=("view", "add", "change")),
        # The configuration of the experiment; nothing about persons.
        *model_permissions("registry", "municipality", "experiment", "arm"),
        # The rule tables: add and change (each save a new version, never deleted), and their history.
        *model_permissions("settlement", "disregardrule", "benefitnorm", actions=("view", "add", "change")),
        *model_permissions("settlement", "ruleversion", actions=("view",)),
        # The audit trail, to read.
        *model_permissions("audit", "auditevent", actions=("view",)),
    ),
)

# The municipality's benefit administration, delivering benefit spells and earnings through the REST API
# (docs/api.md). Exactly one permission, to use the API; no page and nothing in the admin.
KOPPELING = Role("koppeling", _("Benefit administration link"),
                 _("A system account: the benefit administration delivers benefit spells and earnings through the "
                   "API, with a token."),
                 system=True, permissions=("api.deliver_benefit_data",))

ROLES: tuple[Role, ...] = (KLANTMANAGER, PROJECTLEIDER, ONDERZOEKER, BEHEERDER, KOPPELING)
# The roles of people, who log in to the pages (a system account never does).
USER_ROLES: tuple[Role, ...] = tuple(r for r in ROLES if not r.system)
ROLES_BY_CODE = {r.code: r for r in ROLES}


def role_of(user) -> Role | None:
    """The user's role, or None for a user without one."""
    if not user.is_authenticated or user.pk is None:
        return None
    names = {g.name for g in user.groups.all()}
    return next((r for r in ROLES if r.code in names), None)
