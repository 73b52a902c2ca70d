"""Lockout after repeated failed logins (django-axes), without telling anyone which user names exist.

Axes counts failures per user name and address together (a wrong password, a wrong code, a wrong confirmation)
and refuses further logins for that pair during the cool-off time (settings AXES_FAILURE_LIMIT and
AXES_COOLOFF_TIME). Over all user names, one address may fail VERTROUWEN_LOGIN_ADDRESS_FAILURE_LIMIT times in the
cool-off time (password spraying: one password tried on many names); then every login from it is refused too. A
refusal costs the time of checking a password, so a locked account is not recognised by a fast answer.

A refused login gets exactly the answer of a wrong password: the login form with the same message and status, so
a locked account, an unknown user name and a wrong password cannot be told apart. Each refusal from the limit on
is an audit event by "anoniem", with the user name typed and the address, never a password.
"""

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from vertrouwen.web.audit.services import record

ANONYMOUS_ACTOR = "anoniem"
USERNAME_MAX_LENGTH = 150  # the user model's own limit; what is typed may be longer


def address_locked(request) -> bool:
    """This address failed too often in the cool-off time, over all user names."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = (AccessAttempt.objects.filter(ip_address=get_client_ip_address(request), attempt_time__gte=since)
                .aggregate(total=Sum("failures_since_start"))["total"] or 0)
    return failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def refuse_address(request, username: str) -> None:
    """A login refused for its address: as long as a password check, and audited."""
    spend_a_password_check(request.POST.get("password", ""))
    with transaction.atomic():
        record(actor=ANONYMOUS_ACTOR, action="login.locked_out", object_type="login", object_id="",
               details={"username": (username or "")[:USERNAME_MAX_LENGTH],
                        "ip_address": get_client_ip_address(request), "over_user_names": True})


def spend_a_password_check(password: str) -> None:
    """Check the password against a hash of the same strength as the accounts': a refusal takes as long as a
    wrong password does."""
    global _TIMING_HASH  # noqa: PLW0603 - made once, on the first refusal
    if _TIMING_HASH is None:
        _TIMING_HASH = make_password("vertrouwen-timing")
    check_password(password or "", _TIMING_HASH)


_TIMING_HASH: str | None = None


def lockout_response(request, original_response, credentials=None):
    """AXES_LOCKOUT_CALLABLE. On the login form: the form's own answer to a failed login. On a later step (the
    code, the confirmation) the half-logged-in session ends and the user starts again at the login page."""
    spend_a_password_check(request.POST.get("password", ""))
    if request.user.is_authenticated:
        logout(request)
        messages.error(request, _("Logging in did not succeed. Log in again."))
        return redirect("accounts:login")
    return original_response


@receiver(user_locked_out, dispatch_uid="vertrouwen.accounts.record_lockout")
def record_lockout(sender, request, username=None, ip_address=None, **kwargs):
    with transaction.atomic():
        record(actor=ANONYMOUS_ACTOR, action="login.locked_out", object_type="login", object_id="",
               details={"username": (username or "")[:USERNAME_MAX_LENGTH], "ip_address": ip_address or ""})
