"""Issue 21, point 5: least access for researchers. Staff entry of a questionnaire is the case manager's, for a
person on their own caseload; a researcher can no longer open a named person's answers (on main the onderzoeker
opened any invitation's entry page, unaudited); an answer the participant gave online is never entered over (on
main staff overwrote it and it kept mode "online"); opening an entry with answers in it is audited; and posting
only the last page completes nothing."""

from datetime import timedelta

import pytest

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.registry.models import SurveyResponse
from vertrouwen.web.surveys import services
from vertrouwen.web.surveys.models import Invitation, Wave

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(workspace):
    services.create_waves(workspace.experiment.pk, actor="test",
                          instruments=("levenstevredenheid", "mentale_gezondheid", "participatie"))
    baseline = Wave.objects.get(experiment=workspace.experiment, number=0)
    services.set_period(baseline.pk, opens_on=workspace.today - timedelta(days=7),
                        closes_on=workspace.today + timedelta(days=30), actor="test")
    services.invite_participants(baseline.pk, on=workspace.today, actor="test")
    return Wave.objects.get(pk=baseline.pk)


def paper(workspace, wave, number="K4") -> Invitation:
    return services.staff_invitation(wave.pk, number, mode="papier", today=workspace.today, actor="test")


def test_a_researcher_cannot_open_or_start_an_identified_entry(workspace, wave, login):
    entry = paper(workspace, wave)
    client = login("onderzoeker")

    assert client.get(f"/vragenlijst/{entry.pk}/").status_code == 403
    assert client.post(f"/persoon/{workspace.persons['K4'].pk}/vragenlijst/",
                       {"vragenlijst-wave": str(wave.pk), "vragenlijst-mode": "papier"}).status_code == 403
    assert client.get(f"/vragenlijsten/invoer/{entry.pk}/").status_code == 404  # the old address is gone


def test_another_case_manager_s_person_does_not_exist_for_this_one(workspace, wave, login):
    entry = paper(workspace, wave, "O1")  # O1 is on klantmanager2's caseload (werkstad.py)

    assert login("klantmanager").get(f"/vragenlijst/{entry.pk}/").status_code == 404


def test_online_answers_are_never_entered_over(workspace, wave, client, login):
    online = Invitation.objects.get(wave=wave, person=workspace.persons["K1"])
    client.post(f"/v/{online.token}/", {"pagina": "0", "leven": "8"})  # the participant's own first page

    with pytest.raises(services.SurveyRefused, match="online begonnen"):
        paper(workspace, wave, "K1")
    assert login("klantmanager").get(f"/vragenlijst/{online.pk}/").status_code == 404
    with pytest.raises(services.SurveyRefused, match="niet door een medewerker overschreven"):
        services.save_page(online.pk, 0, {"leven": "2"}, today=workspace.today, actor="klantmanager")
    assert SurveyResponse.objects.get(person=workspace.persons["K1"], item="leven").value == "8"


def test_opening_an_entry_with_answers_is_audited_as_an_identified_reading(workspace, wave, login):
    entry = paper(workspace, wave)
    client = login("klantmanager")
    client.post(f"/vragenlijst/{entry.pk}/", {"pagina": "0", "leven": "5"})
    assert not AuditEvent.objects.filter(action="surveys.staff_entry_read").exists()

    assert client.get(f"/vragenlijst/{entry.pk}/?pagina=0").status_code == 200

    event = AuditEvent.objects.get(action="surveys.staff_entry_read")
    assert (event.actor_label, event.object_id, event.subject) == ("klantmanager", str(entry.pk),
                                                                   f"person:{workspace.persons['K4'].pk}")


def test_the_last_page_alone_completes_nothing(workspace, wave, client):
    online = Invitation.objects.get(wave=wave, person=workspace.persons["K2"])

    response = client.post(f"/v/{online.token}/", {"pagina": "2"})

    online.refresh_from_db()
    assert response.status_code == 400 and online.completed_at is None and online.page == 0
    assert "Vul eerst de vorige pagina" in response.content.decode()
