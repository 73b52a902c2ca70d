"""The roles, declared once. A role is a Django group of the same code; a user has exactly one."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    description: str


KLANTMANAGER = Role("klantmanager", _("Case manager"),
                    _("Works a caseload under each arm's own rules."))
PROJECTLEIDER = Role("projectleider", _("Project lead"),
                     _("Configures the experiment, follows the monitor and publishes the reports."))
ONDERZOEKER = Role("onderzoeker", _("Researcher"),
                   _("Runs the lottery, follows the response and analyses the effects on pseudonymized data."))
BEHEERDER = Role("beheerder", _("Administrator"),
                 _("Manages users and roles, rule tables and questionnaires."))

ROLES: tuple[Role, ...] = (KLANTMANAGER, PROJECTLEIDER, ONDERZOEKER, BEHEERDER)
ROLES_BY_CODE = {r.code: r for r in ROLES}


def role_of(user) -> Role | None:
    """The user's role, or None for a user without one."""
    if not user.is_authenticated:
        return None
    names = {g.name for g in user.groups.all()}
    return next((r for r in ROLES if r.code in names), None)
