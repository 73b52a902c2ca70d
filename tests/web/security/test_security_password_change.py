"""Issue 21, point 9: every role changes their own password, with the code confirmed recently, and the change is
audited (never the password); the admin's own password page leads to the same page. On main only the beheerder
could, through the admin, unaudited."""

import time

import pytest
from django.contrib.auth import get_user_model

from vertrouwen.web.accounts.sessions import CONFIRMED_AT
from vertrouwen.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
NEW = "Een-nieuw-lang-wachtwoord-4821"


@pytest.mark.parametrize("role", ["klantmanager", "projectleider", "onderzoeker", "beheerder"])
def test_every_role_changes_its_own_password_and_it_is_audited(login, password, role):
    client = login(role)

    response = client.post("/wachtwoord/", {"old_password": password, "new_password1": NEW, "new_password2": NEW})

    assert response.status_code == 302
    user = get_user_model().objects.get(username=role)
    assert user.check_password(NEW)
    event = AuditEvent.objects.get(action="user.password_changed")
    assert event.actor_label == role and NEW not in str(event.details) and password not in str(event.details)
    assert client.get("/").status_code in (200, 302)  # still logged in


def test_a_wrong_old_password_changes_nothing(login, password):
    response = login("klantmanager").post("/wachtwoord/", {"old_password": "fout", "new_password1": NEW,
                                                           "new_password2": NEW})

    assert response.status_code == 400
    assert get_user_model().objects.get(username="klantmanager").check_password(password)
    assert not AuditEvent.objects.filter(action="user.password_changed").exists()


def test_without_a_recent_code_the_page_asks_for_it_first(login):
    client = login("projectleider")
    session = client.session
    session[CONFIRMED_AT] = time.time() - 3600
    session.save()

    assert client.get("/wachtwoord/")["Location"].startswith("/bevestigen/?next=")


def test_the_admin_s_own_password_page_leads_here(login):
    assert login("beheerder").get("/beheer/password_change/")["Location"] == "/wachtwoord/"
