"""Logging in through the municipality's own identity provider (OpenID Connect), as an option.

Switched on by the environment (OIDC_RP_CLIENT_ID and the provider's endpoints, docs/configuration.md); without
it the app has no OIDC URLs and no OIDC backend. The provider only says who someone is: the person must already
have an active account here, bound to the provider's subject id at the first login, which was found by user name
(the claim OIDC_USERNAME_CLAIM) or else by an e-mail address the provider verified.
No account is ever made from a login, and no role or right is taken from the provider's claims. The
authenticator-app code is asked after an OIDC login as after a password.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from vertrouwen.web.accounts.models import OidcIdentity
from vertrouwen.web.audit.services import record


def staff_user_for_claims(claims: dict, *, username_claim: str = "preferred_username", issuer: str = ""):
    """The one active user the claims name, or None; never creates a user and never reads a role from the claims.

    The provider's subject id (`sub`) decides once it is bound to an account (the first login binds it). An account
    not bound yet is found by user name, else by an e-mail address the provider says it verified
    (`email_verified`) when exactly one user has it; an account bound to another subject is never found by name
    or e-mail."""
    subject = str(claims.get("sub") or "").strip()
    if not subject:
        return None
    bound = OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if bound is not None:
        return bound.user if bound.user.is_active else None
    users = get_user_model().objects.filter(is_active=True, oidc_identity__isnull=True)
    username = str(claims.get(username_claim) or "").strip()
    if username:
        user = users.filter(username=username).first()
        if user is not None:
            return user
    email = str(claims.get("email") or "").strip()
    if email and claims.get("email_verified") is True:
        matches = list(users.filter(email__iexact=email)[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def bind(user, claims: dict, *, issuer: str) -> None:
    """Bind the account to the provider's subject at its first login through the provider; audited."""
    subject = str(claims.get("sub") or "").strip()
    with transaction.atomic():
        _, created = OidcIdentity.objects.get_or_create(user=user, defaults={"issuer": issuer, "subject": subject})
        if created:
            record(actor=user, action="user.oidc_bound", object_type="user", object_id=user.pk,
                   details={"username": user.get_username(), "issuer": issuer})


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, mapping the claims onto an existing account only."""

    def verify_claims(self, claims):
        return bool(claims.get("sub")) and bool(claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email"))

    def filter_users_by_claims(self, claims):
        user = staff_user_for_claims(claims, username_claim=settings.OIDC_USERNAME_CLAIM, issuer=issuer())
        model = get_user_model()
        return model.objects.filter(pk=user.pk) if user else model.objects.none()

    def create_user(self, claims):  # never reached with OIDC_CREATE_USER = False; refused all the same
        return None

    def update_user(self, user, claims):
        bind(user, claims, issuer=issuer())  # nothing else from the claims is written to the account
        return user


def issuer() -> str:
    """The provider, as its token endpoint names it: one subject id space per provider."""
    return getattr(settings, "OIDC_OP_TOKEN_ENDPOINT", "")
