"""How long a login lasts, and when a user must confirm who they are again.

A login session stores three moments (seconds since the epoch, as `time.time()` gives them):
- when the user logged in: the session ends `SESSION_ABSOLUTE_TIMEOUT` later, whatever they do;
- when the user last made a request: the session ends after `SESSION_IDLE_TIMEOUT` without one;
- when the user last proved who they are (password and code): exports and role changes ask again when that
  is more than `REAUTHENTICATION_VALID_FOR` ago. Logging in (password, then code) counts as such a proof.
The durations are settings, read from the environment (docs/configuration.md).
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

LOGGED_IN_AT = "vt_logged_in_at"
LAST_SEEN_AT = "vt_last_seen_at"
CONFIRMED_AT = "vt_confirmed_at"

# The last request is written to the session at most this often, so that not every request writes it.
LAST_SEEN_PRECISION_SECONDS = 30


@receiver(user_logged_in, dispatch_uid="vertrouwen.accounts.session_started")
def _session_started(sender, request, user, **kwargs):
    now = time.time()
    request.session[LOGGED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session.pop(CONFIRMED_AT, None)  # the proof comes with the code, not with the password alone


def is_logged_in(session) -> bool:
    return SESSION_KEY in session


def expiry_reason(session, now: float) -> str | None:
    """"absolute" or "idle" when the logged-in session has run out, else None. A login session without the
    moments (made before they were kept) counts as run out."""
    logged_in_at = session.get(LOGGED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if logged_in_at is None or last_seen_at is None:
        return "absolute"
    if now - logged_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return "absolute"
    if now - last_seen_at >= settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return "idle"
    return None


def note_request(session, now: float) -> None:
    if now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_PRECISION_SECONDS:
        session[LAST_SEEN_AT] = now


def note_confirmation(session) -> None:
    session[CONFIRMED_AT] = time.time()


def recently_confirmed(request) -> bool:
    confirmed_at = request.session.get(CONFIRMED_AT)
    return (confirmed_at is not None
            and time.time() - confirmed_at < settings.REAUTHENTICATION_VALID_FOR.total_seconds())


def safe_next(request, candidate: str | None) -> str | None:
    """`candidate` when it is a path on this site (same host, the request's scheme), else None."""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return None


def _where_the_user_was(request) -> str:
    """Where to return after the confirmation: the page itself for a GET; for a POST (a button on a page),
    the page with the button, if the browser says it and it is on this site; else the start page."""
    if request.method == "GET":
        return request.get_full_path()
    return safe_next(request, request.headers.get("Referer")) or reverse(settings.LOGIN_REDIRECT_URL)


def confirmation_url(request) -> str:
    return f"{reverse('accounts:confirm_identity')}?{urlencode({'next': _where_the_user_was(request)})}"


def reauthentication_required(view):
    """The view runs only when the user confirmed who they are (password and code) a short while ago; otherwise
    the user is sent to the confirmation page, and from there back to where they were."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if recently_confirmed(request):
            return view(request, *args, **kwargs)
        return redirect(confirmation_url(request))

    return wrapper
