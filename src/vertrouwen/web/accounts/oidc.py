"""Logging in through the municipality's own identity provider (OpenID Connect), as an option.

Switched on by the environment (OIDC_RP_CLIENT_ID and the provider's endpoints, docs/configuration.md); without
it the app has no OIDC URLs and no OIDC backend. The provider only says who someone is: the person must already
have an active account here, found by user name (the claim OIDC_USERNAME_CLAIM) or else by e-mail address.
No account is ever made from a login, and no role or right is taken from the provider's claims. The
authenticator-app code is asked after an OIDC login as after a password.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


def staff_user_for_claims(claims: dict, *, username_claim: str = "preferred_username"):
    """The one active user the claims name: by user name, else by e-mail address when exactly one user has it;
    None otherwise. Never creates a user and never reads a role from the claims."""
    users = get_user_model().objects.filter(is_active=True)
    username = str(claims.get(username_claim) or "").strip()
    if username:
        user = users.filter(username=username).first()
        if user is not None:
            return user
    email = str(claims.get("email") or "").strip()
    if email:
        matches = list(users.filter(email__iexact=email)[:2])
        if len(matches) == 1:
            return matches[0]
    return None


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, mapping the claims onto an existing account only."""

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email"))

    def filter_users_by_claims(self, claims):
        user = staff_user_for_claims(claims, username_claim=settings.OIDC_USERNAME_CLAIM)
        model = get_user_model()
        return model.objects.filter(pk=user.pk) if user else model.objects.none()

    def create_user(self, claims):  # never reached with OIDC_CREATE_USER = False; refused all the same
        return None

    def update_user(self, user, claims):
        return user  # nothing from the claims is written to the account
