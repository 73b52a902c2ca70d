"""The link's system account, as the beheerder would make it; shared by the API tests and their fixtures."""

from django.contrib.auth import get_user_model

from vertrouwen.web.accounts.roles import KOPPELING
from vertrouwen.web.accounts.services import add_user

LINK_USERNAME = "uitkeringsadministratie"


def make_link_account(username: str = LINK_USERNAME):
    """A system account with the link's role and no usable password."""
    user = get_user_model()(username=username)
    user.set_unusable_password()
    return add_user(user, role=KOPPELING, actor="test")
