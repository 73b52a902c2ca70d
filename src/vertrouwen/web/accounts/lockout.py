"""Lockout after repeated failed logins (django-axes), without telling anyone which user names exist.

Axes counts failures per user name and address together (a wrong password, a wrong code, a wrong confirmation)
and refuses further logins for that pair during the cool-off time (settings AXES_FAILURE_LIMIT and
AXES_COOLOFF_TIME). A refused login gets exactly the answer of a wrong password: the login form with the same
message and status, so a locked account, an unknown user name and a wrong password cannot be told apart. Each
refusal from the limit on is an audit event by "anoniem", with the user name typed and the address, never a
password.
"""

from axes.signals import user_locked_out
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from vertrouwen.web.audit.services import record

ANONYMOUS_ACTOR = "anoniem"
USERNAME_MAX_LENGTH = 150  # the user model's own limit; what is typed may be longer


def lockout_response(request, original_response, credentials=None):
    """AXES_LOCKOUT_CALLABLE. On the login form: the form's own answer to a failed login. On a later step (the
    code, the confirmation) the half-logged-in session ends and the user starts again at the login page."""
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
