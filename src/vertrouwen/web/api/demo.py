"""The demo's system account for the benefit administration's link: the role, no password, and no token until the
beheerder issues one (docs/api.md)."""

from django.contrib.auth import get_user_model

from vertrouwen.web.accounts.roles import KOPPELING
from vertrouwen.web.accounts.services import add_user

DEMO_LINK_USERNAME = KOPPELING.code


def ensure_demo_link_account() -> str:
    """The link's system account, made once without a usable password; returns a line for the demo's output."""
    users = get_user_model()
    if not users.objects.filter(username=DEMO_LINK_USERNAME).exists():
        user = users(username=DEMO_LINK_USERNAME, first_name=str(KOPPELING.label))
        user.set_unusable_password()  # a system account never logs in to the pages
        add_user(user, role=KOPPELING, actor="systeem:demo")
    return (f"  {KOPPELING.label!s:<14} {DEMO_LINK_USERNAME} (systeemaccount voor de API, zonder wachtwoord; "
            f"een token: vertrouwen manage issue_api_token {DEMO_LINK_USERNAME})")
