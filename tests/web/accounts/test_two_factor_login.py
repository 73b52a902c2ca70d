"""Two-factor authentication for every account: password, then a code from an authenticator app (TOTP).

Codes are computed from the device's key as an app would (RFC 6238, conftest.next_code). A user who gave only the
password reaches nothing but the code pages and logging out; the admin asks for the code too.
"""

import re
import time
from base64 import b32decode, b32encode

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vertrouwen.web.accounts.services import DEMO_TOTP_SECRET, demo_totp_key_hex, ensure_demo_devices
from vertrouwen.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

VERIFY, SETUP = "/inloggen/code/", "/inloggen/app-instellen/"


def password_only(client, username, password, next_url=None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    response = client.post("/inloggen/", data)
    assert response.status_code == 302, "the password was not accepted"
    return response


@pytest.mark.parametrize("code", ["klantmanager", "projectleider", "onderzoeker", "beheerder", "zonder_rol"])
def test_after_the_password_every_account_is_asked_for_the_code(client, users, password, totp_code, code):
    totp_code(users[code])  # the account has a confirmed device
    response = password_only(client, code, password)
    assert response.url == f"{VERIFY}?next=%2F"
    # Nothing else is reachable yet: every page sends the user back to the code, the admin included.
    for url in ("/", f"/{code}/", "/beheer/", "/monitor/", "/bevestigen/", "/wat-houd-ik-over/"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url.startswith(f"{VERIFY}?next="), url
    page = client.get(VERIFY)
    assert page.status_code == 200 and 'name="otp_token"' in page.content.decode()
    assert 'class="utrecht-nav-bar' not in page.content.decode()  # no menu before the code


def test_the_right_code_logs_in_and_a_wrong_one_does_not(client, users, password, totp_code):
    user = users["onderzoeker"]
    totp_code(user)  # the account has a confirmed device
    password_only(client, "onderzoeker", password, next_url="/onderzoeker/")
    wrong = client.post(VERIFY, {"otp_token": "000000", "next": "/onderzoeker/"})
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.content.decode()
    assert client.get("/onderzoeker/").status_code == 302  # still not in
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)  # django-otp's 1 s delay
    right = client.post(VERIFY, {"otp_token": totp_code(user), "next": "/onderzoeker/"})
    assert right.status_code == 302 and right.url == "/onderzoeker/"
    assert client.get("/onderzoeker/").status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == TOTPDevice.objects.get(user=user).persistent_id


def test_a_code_is_accepted_only_once(client, users, password, totp_code):
    """A code seen over someone's shoulder cannot be used again (django-otp keeps the last time step)."""
    user = users["klantmanager"]
    code = totp_code(user)
    password_only(client, "klantmanager", password)
    assert client.post(VERIFY, {"otp_token": code}).status_code == 302
    client.post("/uitloggen/")
    password_only(client, "klantmanager", password)
    again = client.post(VERIFY, {"otp_token": code})
    assert again.status_code == 200 and client.get("/klantmanager/").status_code == 302


def test_the_session_key_changes_at_login_and_again_at_the_code(client, users, password, totp_code):
    client.get("/inloggen/")
    client.cookies["sessionid"] = "a-key-an-attacker-planted"
    code = totp_code(users["projectleider"])
    password_only(client, "projectleider", password)
    after_password = client.cookies["sessionid"].value
    assert after_password != "a-key-an-attacker-planted"
    client.post(VERIFY, {"otp_token": code})
    assert client.cookies["sessionid"].value not in ("a-key-an-attacker-planted", after_password)
    assert client.get("/projectleider/").status_code == 200


def test_a_next_address_on_another_site_is_ignored(client, users, password, totp_code):
    code = totp_code(users["projectleider"])
    password_only(client, "projectleider", password)
    response = client.post(VERIFY, {"otp_token": code, "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"


def test_a_user_without_an_app_sets_one_up_with_an_inline_qr_code_and_the_secret(client, users, password):
    user = users["beheerder"]
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = password_only(client, "beheerder", password, next_url="/beheerder/")
    follow = client.get(response.url)
    assert follow.status_code == 302 and follow.url == f"{SETUP}?next=%2Fbeheerder%2F"
    page = client.get(follow.url)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The QR code is an SVG in the page itself: no image file, no outside service.
    assert re.search(r'<figure class="vt-qr" id="qr-code">\s*<svg', html) and "<img" not in html
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert bytes.fromhex(device.key) == b32decode(secret)  # the text is the device's key
    assert client.get(SETUP).content.decode().count(secret[:4]) >= 1  # a reload keeps the same key
    assert TOTPDevice.objects.filter(user=user).count() == 1

    assert client.post(SETUP, {"otp_token": "123456", "next": "/beheerder/"}).status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    code = f"{hotp(bytes.fromhex(device.key), int(time.time()) // 30):06d}"  # as the phone would
    confirmed = client.post(SETUP, {"otp_token": code, "next": "/beheerder/"})
    assert confirmed.status_code == 302 and confirmed.url == "/beheerder/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/beheerder/").status_code == 200
    event = AuditEvent.objects.filter(action="user.two_factor_set_up").get()
    assert (event.actor_label, event.object_id) == ("beheerder", str(user.pk))
    # Set up once: from now on the set-up page is closed to this user, and the next login asks for the code.
    client.post("/uitloggen/")
    password_only(client, "beheerder", password)
    assert client.get(SETUP).url.startswith(VERIFY)


def test_the_admin_asks_for_the_code_too(client, users, password, totp_code, django_user_model):
    code = totp_code(users["beheerder"])
    password_only(client, "beheerder", password, next_url="/beheer/")
    assert client.get("/beheer/").url.startswith(VERIFY)
    assert client.post(VERIFY, {"otp_token": code, "next": "/beheer/"}).url == "/beheer/"
    assert client.get("/beheer/").status_code == 200

    # A superuser logged in without the code (here: straight into the session) does not get in either.
    root = django_user_model.objects.create_superuser("root", password="een-lang-supergeheim")
    client.post("/uitloggen/")
    client.force_login(root)
    assert client.get("/beheer/").url.startswith(SETUP)


def test_the_admins_own_login_page_sends_anonymous_users_to_the_apps_login(client, db):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302 and response.url == "/inloggen/?next=/beheer/"


def test_a_beheerder_resets_a_lost_app_after_confirming_and_it_is_audited(client, users, password, login, totp_code):
    victim = users["klantmanager"]
    code = totp_code(victim)
    # The case manager is logged in with the app on another computer.
    elsewhere = Client()
    password_only(elsewhere, "klantmanager", password)
    elsewhere.post(VERIFY, {"otp_token": code})
    assert elsewhere.get("/klantmanager/").status_code == 200

    admin = login("beheerder")
    session = admin.session
    session["vt_confirmed_at"] = 0  # the login's proof is long ago
    session.save()
    action = {"action": "reset_two_factor", "_selected_action": [str(victim.pk)]}
    refused = admin.post("/beheer/auth/user/", action, HTTP_REFERER="http://testserver/beheer/auth/user/")
    assert refused.status_code == 302 and refused.url.startswith("/bevestigen/?next=")
    assert TOTPDevice.objects.filter(user=victim).exists()

    session = admin.session
    session["vt_confirmed_at"] = time.time()
    session.save()
    done = admin.post("/beheer/auth/user/", action)
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=victim).exists()
    event = AuditEvent.objects.filter(action="user.two_factor_reset").get()
    assert (event.actor_label, event.object_id, event.details["devices_removed"]) == ("beheerder", str(victim.pk), 1)
    # The other session no longer counts as verified: the case manager sets up a new app.
    assert elsewhere.get("/klantmanager/").url.startswith(SETUP)


def test_the_demo_accounts_get_the_published_demo_key(users):
    assert ensure_demo_devices(["klantmanager", "onderzoeker", "niemand"]) == 2
    assert ensure_demo_devices(["klantmanager"]) == 0  # once
    device = TOTPDevice.objects.get(user=users["klantmanager"])
    assert device.confirmed and device.key == demo_totp_key_hex()
    assert b32encode(device.bin_key).decode() == DEMO_TOTP_SECRET
