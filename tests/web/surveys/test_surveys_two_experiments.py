"""A person in two experiments of one municipality answers the baseline of each, as in the demo: an earlier
experiment of Werkstad imported from a dataset ("eerder": K1, K2 and K5 took part; K1 answered 2 and K2 answered 9
to the question "leven"), then the running experiment of werkstad.py ("nu": K1-K4, K6 and O1, not K5)."""

import re
from datetime import timedelta

import pytest
from dataset_files import write_folder

from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.datasets.exporting import experiment_dataset
from vertrouwen.web.registry.models import Experiment, SurveyResponse
from vertrouwen.web.surveys import services
from vertrouwen.web.surveys.models import Invitation, Wave

EARLIER = {
    "format_version": "1",
    "municipality": {"code": "GM8888", "name": "Werkstad"},
    "experiment": {"code": "eerder", "name": "Eerder", "period_start": "2018-01-01", "period_end": "2019-12-31",
                   "count_date": "2019-10-01"},
    "arms": [{"code": "A", "name": "Zelf in actie", "rules_text": "Geen verplichtingen."}],
}
PERSON = "{},,,1985,vrouw,alleenstaande,nee,geen,middelbaar\n"  # as werkstad.py made them: nothing changes
EARLIER_FILES = {
    "persons.csv": "person_id,bsn,birth_date,birth_year,sex,household_type,refugee_status_holder,limitation,"
                   "education\n" + "".join(PERSON.format(n) for n in ("K1", "K2", "K5")),
    "enrollments.csv": "person_id,arm,allocated_on,consented_on,stopped_on,stop_reason\n"
                       + "".join(f"{n},A,2017-12-15,2018-01-10,,\n" for n in ("K1", "K2", "K5")),
    "survey_responses.csv": "person_id,wave,instrument,item,value,mode\n"
                            "K1,0,levenstevredenheid,leven,2,papier\nK2,0,levenstevredenheid,leven,9,online\n",
}


@pytest.fixture
def earlier(workspace, tmp_path) -> Experiment:
    import_dataset(write_folder(tmp_path / "eerder", EARLIER_FILES, EARLIER), actor="test")
    return Experiment.objects.get(code="eerder")


@pytest.fixture
def wave(workspace, earlier) -> Wave:
    """The running experiment's baseline, open from a week ago to a month from now; its participants invited."""
    services.create_waves(workspace.experiment.pk, actor="test", instruments=("levenstevredenheid", "participatie"))
    baseline = Wave.objects.get(experiment=workspace.experiment, number=0)
    services.set_period(baseline.pk, opens_on=workspace.today - timedelta(days=7),
                        closes_on=workspace.today + timedelta(days=30), actor="test")
    services.invite_participants(baseline.pk, on=workspace.today, actor="test")
    return baseline


def answers_to_leven(workspace, number: str) -> set[tuple[str, str, str]]:
    return set(SurveyResponse.objects.filter(person=workspace.persons[number], wave=0, item="leven")
               .values_list("experiment__code", "value", "mode"))


def exported_leven(experiment) -> set[tuple[str, str]]:
    table = experiment_dataset(experiment).tables["survey_responses"]
    return {(row["person_id"], row["value"]) for row in table.iter_rows(named=True) if row["item"] == "leven"}


def test_answering_the_baseline_by_link_keeps_the_answer_to_the_earlier_experiment(workspace, earlier, wave,
                                                                                   client):
    url = f"/v/{Invitation.objects.get(wave=wave, person=workspace.persons['K1']).token}/"
    page = client.get(url).content.decode()
    assert 'name="leven"' in page
    assert not re.search(r'name="leven" value="2"[^>]*checked', page)  # not filled in from the other experiment

    assert client.post(url, {"pagina": "0", "leven": "7"}).status_code == 302

    assert answers_to_leven(workspace, "K1") == {("eerder", "2", "papier"), ("nu", "7", "online")}
    assert exported_leven(earlier) == {("K1", "2"), ("K2", "9")}
    assert exported_leven(workspace.experiment) == {("K1", "7")}
    assert re.search(r'name="leven" value="7"[^>]*checked', client.get(f"{url}?pagina=0").content.decode())


def test_a_staff_entry_writes_the_answers_to_the_waves_experiment(workspace, earlier, wave, login):
    client = login("klantmanager")
    response = client.post(f"/persoon/{workspace.persons['K2'].pk}/vragenlijst/",
                           {"vragenlijst-wave": str(wave.pk), "vragenlijst-mode": "papier"})
    client.post(response["Location"], {"pagina": "0", "leven": "5"})

    assert answers_to_leven(workspace, "K2") == {("eerder", "9", "online"), ("nu", "5", "papier")}
    assert exported_leven(earlier) == {("K1", "2"), ("K2", "9")}
    assert exported_leven(workspace.experiment) == {("K2", "5")}


def test_no_staff_entry_for_a_person_of_another_experiment(workspace, earlier, wave, login):
    # The wave is not offered for K5 (not in the experiment "Nu"); asked anyway, the service says why.
    response = login("klantmanager").post(f"/persoon/{workspace.persons['K5'].pk}/vragenlijst/",
                                          {"vragenlijst-wave": str(wave.pk), "vragenlijst-mode": "papier"})

    assert response.status_code == 400
    with pytest.raises(services.SurveyRefused, match="Persoonsnummer K5 hoort niet bij het experiment Nu."):
        services.staff_invitation(wave.pk, "K5", mode="papier", today=workspace.today, actor="test")
    assert not Invitation.objects.filter(person=workspace.persons["K5"]).exists()
