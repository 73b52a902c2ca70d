"""Who may use the API: authentication by token, the link's permission, and throttling per token.

A token authenticates a system account. A browser session is recognised too, only so that a signed-in person
gets 403 rather than 401: no permission is ever granted to a session, so the API has no CSRF surface.
"""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from vertrouwen.core.dataset.manifest import json_depth
from vertrouwen.core.dataset.schema import LIMITS
from vertrouwen.web.api.models import ApiToken
from vertrouwen.web.api.tokens import find_valid_token

KEYWORD = "Bearer"
PERMISSION = "api.deliver_benefit_data"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`; a wrong, revoked or expired token is 401, whatever the rest says."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after Bearer, without spaces in it."))
        try:
            token = header[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        found = find_valid_token(token)
        if found is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, revoked or expired."))
        return found.user, found

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


class SessionWithoutAccess(authentication.SessionAuthentication):
    """Recognises a signed-in person (so the answer is 403, not 401) and never checks CSRF: nothing a session
    may do in the API changes anything, because HasLinkToken refuses every session."""

    def enforce_csrf(self, request) -> None:
        return None


class HasLinkToken(permissions.BasePermission):
    """Only a system account with the link's permission, authenticated by its token."""

    message = _("Only the benefit administration's system account, with its API token, may use the API.")

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiToken) and request.user.has_perm(PERMISSION)


class PerTokenThrottle(throttling.SimpleRateThrottle):
    """Requests per token; the rate is read from the settings on every request, so tests can change it."""

    scope = "api_token"

    def get_rate(self) -> str | None:
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None  # refused already by HasLinkToken
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class BoundedJSONParser(JSONParser):
    """JSON bodies within reason, refused before they are parsed: at most Django's upload limit (a full delivery
    of MAX_ITEMS items is about 1 MB), and nested no deeper than the dataset's limit (a parser recurses per level).
    Both answer 400 with a Dutch reason, never 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ParseError(f"de inhoud is groter dan {limit // 1024} kB; lever in delen aan")
        try:
            text = body.decode(parser_context.get("encoding", settings.DEFAULT_CHARSET) if parser_context else "utf-8")
        except UnicodeDecodeError:
            raise ParseError("de inhoud is geen geldige UTF-8") from None
        if json_depth(text) > LIMITS.json_depth:
            raise ParseError(f"de JSON is dieper genest dan {LIMITS.json_depth} niveaus")
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ParseError(f"geen geldige JSON: {exc}") from None
