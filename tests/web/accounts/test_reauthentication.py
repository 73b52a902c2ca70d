"""Password and code again ("bevestig dat u het bent") before exports and changes of rights, when the last proof is
more than 10 minutes old (REAUTHENTICATION_VALID_FOR). Logging in with the code counts as a proof. The tests move
the stored moment of the last proof back instead of waiting.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model

from vertrouwen.web.accounts.roles import ROLES_BY_CODE
from vertrouwen.web.accounts.sessions import CONFIRMED_AT
from vertrouwen.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CONFIRM = "/bevestigen/"


def proof_minutes_ago(client, minutes: float) -> None:
    session = client.session
    session[CONFIRMED_AT] -= minutes * 60
    session.save()


def test_the_confirmation_lasts_10_minutes():
    assert settings.REAUTHENTICATION_VALID_FOR.total_seconds() == 600


def test_a_report_download_asks_again_after_10_minutes_and_then_goes_on(login, experiment, password, totp_code,
                                                                         users):
    client = login("projectleider")
    url = f"/rapportages/{experiment.pk}/progress.html"
    proof_minutes_ago(client, 9)
    assert client.get(url).status_code == 200  # within 10 minutes of the login's code
    proof_minutes_ago(client, 2)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{CONFIRM}?next=%2Frapportages%2F{experiment.pk}%2Fprogress.html"
    page = client.get(response.url).content.decode()
    assert 'name="password"' in page and 'name="otp_token"' in page
    confirmed = client.post(CONFIRM, {"password": password, "otp_token": totp_code(users["projectleider"]),
                                      "next": url})
    assert confirmed.status_code == 302 and confirmed.url == url
    assert client.get(url).status_code == 200


def test_the_research_export_sends_the_user_back_to_the_page_with_the_button(login, experiment, password,
                                                                              totp_code, users):
    client = login("onderzoeker")
    proof_minutes_ago(client, 11)
    page = f"http://testserver/monitor/{experiment.pk}/"
    refused = client.post(f"/monitor/{experiment.pk}/onderzoeksexport/", HTTP_REFERER=page)
    assert refused.status_code == 302
    assert refused.url == f"{CONFIRM}?next=http%3A%2F%2Ftestserver%2Fmonitor%2F{experiment.pk}%2F"
    assert not AuditEvent.objects.filter(action="dataset.research_exported").exists()  # nothing left the building
    back = client.post(CONFIRM, {"password": password, "otp_token": totp_code(users["onderzoeker"]), "next": page})
    assert back.url == page
    export = client.post(f"/monitor/{experiment.pk}/onderzoeksexport/")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")


def test_a_wrong_password_or_code_does_not_confirm_and_counts_as_a_failed_login(login, experiment, password,
                                                                                 totp_code, users):
    client = login("projectleider")
    proof_minutes_ago(client, 11)
    url = f"/rapportages/{experiment.pk}/final.html"
    wrong_password = client.post(CONFIRM, {"password": "niet-het-goede", "otp_token": totp_code(users["projectleider"]),
                                           "next": url})
    wrong_code = client.post(CONFIRM, {"password": password, "otp_token": "000000", "next": url})
    assert wrong_password.status_code == wrong_code.status_code == 200
    assert client.get(url).status_code == 302
    assert AccessAttempt.objects.get(username="projectleider").failures_since_start == 2


def test_a_next_address_on_another_site_is_not_followed(login, password, totp_code, users):
    client = login("projectleider")
    response = client.post(CONFIRM, {"password": password, "otp_token": totp_code(users["projectleider"]),
                                     "next": "https://evil.example/steal"})
    assert response.status_code == 302 and response.url == "/"


def test_changing_a_role_or_blocking_in_the_admin_asks_again(login, users, password, totp_code):
    client = login("beheerder")
    target = users["klantmanager"]
    url = f"/beheer/auth/user/{target.pk}/change/"
    proof_minutes_ago(client, 11)
    form = {"username": "klantmanager", "first_name": "", "last_name": "", "email": "", "role": "onderzoeker",
            "is_active": "on"}
    refused = client.post(url, form, HTTP_REFERER=f"http://testserver{url}")
    assert refused.status_code == 302 and refused.url.startswith(f"{CONFIRM}?next=")
    assert client.get(url).url == f"{CONFIRM}?next=%2Fbeheer%2Fauth%2Fuser%2F{target.pk}%2Fchange%2F"
    assert client.get("/beheer/auth/user/add/").url.startswith(CONFIRM)
    assert client.get(f"/beheer/auth/user/{target.pk}/password/").url.startswith(CONFIRM)
    target.refresh_from_db()
    assert target.groups.get().name == "klantmanager"
    assert not AuditEvent.objects.filter(action="user.role_changed").exists()

    assert client.post(CONFIRM, {"password": password, "otp_token": totp_code(users["beheerder"]),
                                 "next": url}).url == url
    assert client.post(url, form).status_code == 302
    changed = get_user_model().objects.get(pk=target.pk)
    assert changed.groups.get().name == ROLES_BY_CODE["onderzoeker"].code
    assert AuditEvent.objects.filter(action="user.role_changed").count() == 1
