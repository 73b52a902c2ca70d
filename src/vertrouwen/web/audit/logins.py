"""Logins, logouts and failed logins as audit events. A failed login names the username tried, never a password."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import record


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")


def _logged_in(sender, request, user, **kwargs) -> None:
    with transaction.atomic():
        record(actor=user, action="user.logged_in", object_type="user", object_id=user.pk)


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    with transaction.atomic():
        record(actor=user, action="user.logged_out", object_type="user", object_id=user.pk)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the username: it may be mistyped or not exist; the object id stays empty so no user is named.
    with transaction.atomic():
        record(actor="anoniem", action="user.login_failed", object_type="user", result=AuditEvent.Result.REFUSED,
               details={"username": str(credentials.get("username", ""))[:150]})
