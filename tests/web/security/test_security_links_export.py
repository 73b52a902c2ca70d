"""Issue 21, point 6 (links.csv): the file of personal links (each a bearer token to a person's questionnaire)
asks for password and code again, like an export, and every download is in the audit trail; on main it needed
neither."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vertrouwen.web.accounts.sessions import CONFIRMED_AT
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.surveys import services as surveys
from vertrouwen.web.surveys.models import Wave

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(workspace):
    surveys.create_waves(workspace.experiment.pk, actor="test")
    chosen = Wave.objects.get(experiment=workspace.experiment, number=0)
    today = timezone.localdate()
    surveys.set_period(chosen.pk, opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
                       actor="test")
    surveys.invite_participants(chosen.pk, on=today, actor="test")
    return chosen


def test_the_links_ask_for_confirmation_when_it_is_not_recent(login, wave):
    client = login("onderzoeker")
    session = client.session
    session[CONFIRMED_AT] = time.time() - 3600
    session.save()

    response = client.get(f"/vragenlijsten/meting/{wave.pk}/links.csv")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm_identity") + "?next=")
    assert not AuditEvent.objects.filter(action="survey.links_exported").exists()


def test_every_download_is_audited_with_the_number_of_links(login, wave):
    response = login("onderzoeker").get(f"/vragenlijsten/meting/{wave.pk}/links.csv")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="survey.links_exported")
    rows = response.content.decode().strip().splitlines()
    assert event.details == {"experiment": wave.experiment.code, "wave": 0, "links": len(rows) - 1}
    assert event.actor_label == "onderzoeker"
