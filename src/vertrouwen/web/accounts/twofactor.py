"""Two-factor authentication: every staff account proves its login with a code from an authenticator app (TOTP).

One TOTP device per user (django-otp). A user without a confirmed device sets one up after the password: the
page shows a QR code and the secret as text, and a first correct code confirms it. A session counts as verified
the way django_otp.login marks it (the device's id in the session); the session key is renewed at that moment,
since the session now holds more rights. A wrong code counts as a failed login for the lockout (lockout.py), as a
wrong password does. A beheerder can reset a user's device; the user then sets up a new one at the next login.
"""

from base64 import b32encode

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vertrouwen.web.accounts.sessions import note_confirmation
from vertrouwen.web.audit.services import record

DEVICE_NAME = "authenticator-app"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def device_to_set_up(user) -> TOTPDevice:
    """The user's unconfirmed device, made when there is none; it keeps its key until confirmed, so a reload of
    the set-up page does not make the phone's entry useless."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no image file, no outside service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff",
                                                               title=_("QR code to scan with the authenticator app"))


def mark_verified(request, device: TOTPDevice) -> None:
    """The session is verified with `device`: django-otp's own marking, a new session key, and a fresh proof of
    identity (logging in counts as a confirmation for exports and role changes). Earlier failed attempts of
    this user from this address no longer count."""
    django_otp.login(request, device)
    request.session.cycle_key()
    note_confirmation(request.session)
    AxesProxyHandler.reset_attempts(username=request.user.get_username(), ip_address=get_client_ip_address(request))


def count_failed_attempt(request, username: str) -> None:
    """A wrong code (or wrong password on the confirmation page) is a failed login: the lockout counts it, as it
    counts a wrong password, and the audit trail's failed-login event sees it."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def verify_login_code(request, token: str) -> bool:
    """Check the code against the user's confirmed device; on success the session is verified."""
    device = confirmed_device(request.user)
    verified = device is not None and django_otp.verify_token(request.user, device.persistent_id, token)
    if verified:
        mark_verified(request, verified)
        return True
    count_failed_attempt(request, request.user.get_username())
    return False


def confirm_new_device(request, device: TOTPDevice, token: str) -> bool:
    """Confirm the user's new device with its first code; recorded, and the session is verified."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user, confirmed=False)
        if device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(actor=request.user, action="user.two_factor_set_up", object_type="user",
                   object_id=request.user.pk, details={"username": request.user.get_username()})
            confirmed = True
        else:
            confirmed = False
    if confirmed:
        mark_verified(request, device)
    else:
        count_failed_attempt(request, request.user.get_username())
    return confirmed


def check_code(request, token: str) -> bool:
    """The code is right for the user's confirmed device (for the confirmation page; the session stays as is)."""
    device = confirmed_device(request.user)
    return device is not None and django_otp.verify_token(request.user, device.persistent_id, token) is not None


@transaction.atomic
def reset_devices(user, *, actor) -> int:
    """Remove all of the user's two-factor devices (a lost phone); recorded. Every session verified with them
    stops counting as verified (django-otp finds the device no more), so the user sets up a new one."""
    removed = 0
    for device in list(django_otp.devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    record(actor=actor, action="user.two_factor_reset", object_type="user", object_id=user.pk,
           details={"username": user.get_username(), "devices_removed": removed})
    return removed
