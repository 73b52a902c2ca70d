"""Waves, personal links, answering with resume, staff entry and the response monitor. Fixture: werkstad.py
(participants K1-K4, K6 stopped, O1; K7 is not a participant)."""

import re
from datetime import timedelta

import pytest

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.registry.models import BenefitSpell, SurveyResponse
from vertrouwen.web.surveys import services
from vertrouwen.web.surveys.models import Invitation, Wave

PARTICIPANTS = {"K1", "K2", "K3", "K4", "K6", "O1"}


@pytest.fixture
def wave(workspace):
    """The baseline, opened from a week ago to a month from now, with three instruments; everyone invited."""
    services.create_waves(workspace.experiment.pk, actor="test",
                          instruments=("levenstevredenheid", "mentale_gezondheid", "participatie"))
    baseline = Wave.objects.get(experiment=workspace.experiment, number=0)
    services.set_period(baseline.pk, opens_on=workspace.today - timedelta(days=7),
                        closes_on=workspace.today + timedelta(days=30), actor="test")
    services.invite_participants(baseline.pk, on=workspace.today, actor="test")
    return Wave.objects.get(pk=baseline.pk)


def link(workspace, wave, number) -> str:
    return f"/v/{Invitation.objects.get(wave=wave, person=workspace.persons[number]).token}/"


def test_three_waves_per_experiment_and_an_invitation_per_participant(workspace, wave):
    assert list(Wave.objects.filter(experiment=workspace.experiment).values_list("number", "name")) == [
        (0, "Nulmeting"), (1, "Na 12 maanden"), (2, "Eindmeting")]
    invited = set(Invitation.objects.filter(wave=wave).values_list("person__external_id", flat=True))
    assert invited == PARTICIPANTS  # also K6, who stopped
    tokens = list(Invitation.objects.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens) and all(len(t) == 43 for t in tokens)
    assert services.invite_participants(wave.pk, on=workspace.today, actor="test") == 0  # links stay the same


def test_answering_page_by_page_with_an_interruption_and_resume(workspace, wave, client):
    url = link(workspace, wave, "K1")
    page = client.get(url).content.decode()
    assert "Deel 1 van 3" in page and "Tevredenheid met uw leven" in page
    assert not re.search(r"\bK1\b", page)  # no personal data (as a word: a CSRF token may hold the letters)
    assert client.post(url, {"pagina": "0", "leven": "7"}).status_code == 302
    # Interrupted after the first page; the same link resumes at the second.
    page = client.get(url).content.decode()
    assert "Deel 2 van 3" in page and "Hoe u zich voelde" in page
    client.post(url, {"pagina": "1", "zenuwachtig": "2", "somber": "1", "rustig": "5", "neerslachtig": "2",
                      "gelukkig": "4"})
    client.post(url, {"pagina": "2", "vrijwilligerswerk": "4,5", "mantelzorg": "0"})
    assert "Uw antwoorden zijn ontvangen" in client.get(url).content.decode()
    answers = dict(SurveyResponse.objects.filter(person=workspace.persons["K1"], wave=0)
                   .values_list("item", "value"))
    assert answers["leven"] == "7" and answers["vrijwilligerswerk"] == "4.5" and len(answers) == 8
    assert Invitation.objects.get(wave=wave, person=workspace.persons["K1"]).completed_at is not None


def test_an_answer_out_of_range_is_refused_at_its_question_and_nothing_is_lost(workspace, wave, client):
    url = link(workspace, wave, "K2")
    client.post(url, {"pagina": "0", "leven": "6"})
    response = client.post(url, {"pagina": "1", "zenuwachtig": "9", "somber": "2"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies een antwoord van 1 tot en met 6." in html.split('id="id_zenuwachtig-error"')[1][:200]
    assert re.search(r'<input type="radio" name="somber" value="2"[^>]*checked', html)  # what was chosen stays
    assert not SurveyResponse.objects.filter(person=workspace.persons["K2"], instrument="mentale_gezondheid").exists()
    assert SurveyResponse.objects.get(person=workspace.persons["K2"], item="leven").value == "6"


def test_a_double_submit_saves_once(workspace, wave, client):
    url = link(workspace, wave, "K3")
    for _ in range(2):
        assert client.post(url, {"pagina": "0", "leven": "8"}).status_code == 302
    assert SurveyResponse.objects.filter(person=workspace.persons["K3"], item="leven").count() == 1
    for page, data in ((1, {"rustig": "3"}), (2, {"mantelzorg": "2"}), (2, {"mantelzorg": "2"})):
        client.post(url, {"pagina": str(page), **data})  # the last page twice
    assert SurveyResponse.objects.filter(person=workspace.persons["K3"]).count() == 3


@pytest.mark.parametrize("token", ["onbekend", "x" * 43])
def test_an_unknown_link_shows_a_kind_page_without_details(workspace, wave, client, token):
    response = client.get(f"/v/{token}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze link werkt niet" in html and "Nulmeting" not in html


def test_a_link_of_a_closed_wave_shows_the_same_kind_page(workspace, wave, client):
    url = link(workspace, wave, "K4")
    services.set_period(wave.pk, opens_on=workspace.today - timedelta(days=30),
                        closes_on=workspace.today - timedelta(days=1), actor="test")
    assert client.get(url).status_code == 404
    assert client.post(url, {"pagina": "0", "leven": "5"}).status_code == 404
    assert not SurveyResponse.objects.filter(person=workspace.persons["K4"]).exists()


def test_the_case_manager_enters_a_paper_questionnaire_through_the_same_pages(workspace, wave, login):
    client = login("klantmanager")
    person = workspace.persons["K4"]
    response = client.post(f"/persoon/{person.pk}/vragenlijst/", {"vragenlijst-wave": str(wave.pk),
                                                                  "vragenlijst-mode": "papier"})
    invitation = Invitation.objects.get(wave=wave, person=person)
    assert response["Location"] == f"/vragenlijst/{invitation.pk}/"
    entry = response["Location"]
    assert "invoer voor K4 (papier)" in client.get(entry).content.decode()
    client.post(entry, {"pagina": "0", "leven": "5"})
    assert SurveyResponse.objects.get(person=person, item="leven").mode == "papier"
    assert AuditEvent.objects.filter(action="surveys.staff_page", actor_label="klantmanager").exists()


def test_no_paper_entry_for_a_closed_wave(workspace, wave, login):
    services.set_period(wave.pk, opens_on=workspace.today - timedelta(days=30),
                        closes_on=workspace.today - timedelta(days=1), actor="test")
    person = workspace.persons["K4"]
    response = login("klantmanager").post(f"/persoon/{person.pk}/vragenlijst/",
                                          {"vragenlijst-wave": str(wave.pk), "vragenlijst-mode": "papier"})
    assert response.status_code == 400
    assert not Invitation.objects.filter(wave=wave, person=person, mode="papier").exists()


def test_the_monitor_shows_response_per_group_and_who_has_not_answered(workspace, wave, client, login):
    client.post(link(workspace, wave, "K1"), {"pagina": "0", "leven": "7"})
    BenefitSpell.objects.filter(person=workspace.persons["K2"]).update(spell_end=workspace.today - timedelta(days=3),
                                                                       end_reason="werk")
    html = login("onderzoeker").get(f"/vragenlijsten/meting/{wave.pk}/").content.decode()
    row = html.split('data-arm="Zelf in actie"')[1].split("</tr>")[0]
    assert "1 / 2" in row  # K1 answered; K6 (stopped) was invited too
    assert "1 / 6" in html.split('data-arm="total"')[1].split("</tr>")[0]
    waiting = html.split('id="waiting"')[1]
    assert 'data-person="K1"' in waiting  # started but not completed
    k2 = waiting.split('data-person="K2"')[1].split("</tr>")[0]
    assert "uit de uitkering" in k2
    assert "Nulmeting" in login("onderzoeker").get("/vragenlijsten/").content.decode()


def test_reminders_count_for_those_who_have_not_completed(workspace, wave, login):
    login("onderzoeker").post(f"/vragenlijsten/meting/{wave.pk}/herinneren/")
    assert set(Invitation.objects.filter(reminders=1).values_list("person__external_id", flat=True)) == PARTICIPANTS


@pytest.mark.parametrize("role", ["klantmanager", "projectleider", "beheerder"])
def test_only_researchers_manage_questionnaires(workspace, wave, login, role):
    client = login(role)
    assert client.get("/vragenlijsten/").status_code == 403
    assert client.get(f"/vragenlijsten/meting/{wave.pk}/links.csv").status_code == 403


def test_the_links_file_has_person_numbers_and_links_never_a_bsn(workspace, wave, login):
    from werkstad import BSN_K3

    text = login("onderzoeker").get(f"/vragenlijsten/meting/{wave.pk}/links.csv").content.decode()
    lines = text.strip().splitlines()
    assert lines[0] == "person_id,link" and len(lines) == 7
    assert BSN_K3 not in text and "/v/" in lines[1]


def test_case_managers_answer_the_process_questionnaire_in_an_open_wave(workspace, wave, login):
    from vertrouwen.web.surveys.models import StaffAnswer

    client = login("klantmanager")
    html = client.get("/vragenlijsten/klantmanager/").content.decode()
    assert "Procesevaluatie" in html and "Nulmeting" in html
    prefix = f"meting{wave.pk}"
    response = client.post("/vragenlijsten/klantmanager/", {"meting": wave.pk, f"{prefix}-tijd": "50",
                                                            f"{prefix}-volgens_spelregels": "4"})
    assert response.status_code == 400
    assert "Kies een antwoord van 0 tot en met 40." in response.content.decode()
    assert not StaffAnswer.objects.exists()
    client.post("/vragenlijsten/klantmanager/", {"meting": wave.pk, f"{prefix}-tijd": "2,5",
                                                 f"{prefix}-volgens_spelregels": "4"})
    assert dict(StaffAnswer.objects.values_list("item", "value")) == {"tijd": "2.5", "volgens_spelregels": "4"}
    assert login("onderzoeker").get("/vragenlijsten/klantmanager/").status_code == 403
