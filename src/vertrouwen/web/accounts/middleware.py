"""Two middlewares around every request of a logged-in user.

SessionTimeoutMiddleware ends a login session that has been idle too long or lasts too long (sessions.py).
TwoFactorRequiredMiddleware lets a user who gave a password but no code yet reach nothing but the code pages
and logging out. Both come after the authentication and message middlewares; the second after django-otp's.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from vertrouwen.web.accounts import sessions
from vertrouwen.web.accounts.twofactor import confirmed_device

# The pages a user who is not yet verified may open (URL names), besides the static files.
PAGES_BEFORE_THE_CODE = ("accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:logout")


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if sessions.is_logged_in(request.session):
            now = time.time()
            reason = sessions.expiry_reason(request.session, now)
            if reason is not None:
                logout(request)  # flushes the session: its key is no longer valid
                messages.info(request, self._message(reason))
                return redirect_to_login(request.get_full_path())
            sessions.note_request(request.session, now)
        return self.get_response(request)

    @staticmethod
    def _message(reason: str) -> str:
        if reason == "idle":
            minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
            return _("You have been logged out after %(minutes)d minutes without activity. Log in again.") % {
                "minutes": minutes}
        hours = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() / 3600
        return _("You have been logged out because you logged in more than %(hours)s hours ago. "
                 "Log in again.") % {"hours": f"{hours:g}"}


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._allowed(request.path_info):
            name = "accounts:two_factor_verify" if confirmed_device(user) else "accounts:two_factor_setup"
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        if self._allowed_paths is None:  # reversed on first use: the URLconf is not loaded at start-up
            self._allowed_paths = frozenset(reverse(name) for name in PAGES_BEFORE_THE_CODE)
        return path in self._allowed_paths or path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
