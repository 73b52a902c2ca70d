"""Issuing, finding and revoking API tokens. Each change is one transaction with its own audit event.

A token is 32 random bytes (256 bits), so a plain SHA-256 is enough to store it safely: it cannot be guessed, and
its hash cannot be turned back into it. The audit trail names the token by its prefix, never the token.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from vertrouwen.web.accounts.roles import KOPPELING, role_of
from vertrouwen.web.api.models import ApiToken
from vertrouwen.web.audit.services import record
from vertrouwen.web.refusals import Refused
from vertrouwen.web.registry.models import Municipality

TOKEN_PREFIX = "vtw_"  # noqa: S105 - not a secret: makes a leaked token recognisable to secret scanners and people
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
DEFAULT_VALID_DAYS = 365
USE_RECORDED_EVERY = timedelta(minutes=5)  # last_used_at is a hint, not a log: no write on every request


class TokenRefused(Refused):
    """No token was issued; the message says why, in Dutch."""


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once; only its hash is stored
    record: ApiToken


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user, *, municipality: Municipality, actor, valid_days: int = DEFAULT_VALID_DAYS,
                keep_others: bool = False) -> IssuedToken:
    """A new token for a system account with the link's role. Its earlier tokens are revoked, unless
    `keep_others` (to switch over without a gap)."""
    if role_of(user) is not KOPPELING:
        raise TokenRefused(f"{user.get_username()} heeft niet de rol {KOPPELING.code} ({KOPPELING.label}); "
                           f"alleen een systeemaccount met die rol krijgt een API-token.")
    if not user.is_active:
        raise TokenRefused(f"{user.get_username()} is geblokkeerd.")
    if valid_days < 1:
        raise TokenRefused("Een token is minstens 1 dag geldig.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        revoked = 0 if keep_others else _revoke(user, now)
        issued = ApiToken.objects.create(user=user, municipality=municipality, key_hash=hash_token(token),
                                         prefix=token[:PREFIX_LENGTH], created_at=now,
                                         expires_at=now + timedelta(days=valid_days))
        record(actor=actor, action="api_token.issued", object_type="user", object_id=user.pk,
               details={"username": user.get_username(), "token": issued.prefix, "municipality": municipality.code,
                        "expires_at": issued.expires_at.isoformat(), "revoked_earlier": revoked})
    return IssuedToken(token, issued)


def revoke_tokens(user, *, actor) -> int:
    """Revoke every valid token of the account; returns how many."""
    with transaction.atomic():
        revoked = _revoke(user, timezone.now())
        if revoked:
            record(actor=actor, action="api_token.revoked", object_type="user", object_id=user.pk,
                   details={"username": user.get_username(), "revoked": revoked})
    return revoked


def _revoke(user, now) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)


def find_valid_token(token: str) -> ApiToken | None:
    """The token's record when it is valid (not revoked, not expired, its account active), else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = (ApiToken.objects.select_related("user", "municipality").filter(key_hash=hash_token(token)).first())
    now = timezone.now()
    if found is None or not found.is_valid(now) or not found.user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found
