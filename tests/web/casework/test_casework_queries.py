"""The caseload and the participant page read the database a fixed number of times, whatever the caseload's size
or the person's history (issue: bounded queries; the speed itself is measured by `make bench`)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from vertrouwen.web.casework import services
from vertrouwen.web.casework.models import Assignment
from vertrouwen.web.registry.models import BenefitSpell, Enrollment, Person

CASELOAD_QUERIES = 8  # session, user, role, municipality name, caseload, memberships, and two spare
PARTICIPANT_QUERIES = 25  # 22, the rule tables (rules, norms) for earnings worked out ahead, the open questionnaires


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(workspace, extra: int) -> None:
    """`extra` more participants on the caseload, each with an intake, an action and contacts."""
    today = workspace.today
    for i in range(extra):
        person = Person.objects.create(municipality=workspace.experiment.municipality, external_id=f"X{i:03d}",
                                       birth_year=1980, sex="man", household_type="alleenstaande",
                                       limitation="geen", education="laag")
        BenefitSpell.objects.create(person=person, spell_start=today - timedelta(days=900))
        Enrollment.objects.create(experiment=workspace.experiment, person=person,
                                  arm=list(workspace.arms.values())[i % 4], allocated_on=today - timedelta(days=260),
                                  consented_on=today - timedelta(days=250))
        Assignment.objects.create(person=person, case_manager=workspace.manager, assigned_on=today)
        history(person.pk, today, 3)


def history(person_id: int, today, contacts: int) -> None:
    services.record_intake(person_id, held_on=today - timedelta(days=240), summary="Start.", goals_in_own_words="",
                           goals=["werk", "opleiding"], good_prospects=True, ladder_rung=3, today=today,
                           actor="test")
    services.add_action(person_id, description="Solliciteren", owner="deelnemer", due_on=today, goal="werk",
                        today=today, actor="test")
    for day in range(contacts):
        services.log_contact(person_id, contact_on=today - timedelta(days=day), channel="telefoon", minutes=5,
                             initiated_by="klantmanager", note=f"notitie {day}", today=today, actor="test")


def test_the_caseload_takes_the_same_queries_for_7_and_for_47_persons(workspace, login):
    client = login("klantmanager")
    small = count(client, "/caseload/")
    grow(workspace, 40)
    assert count(client, "/caseload/") == small <= CASELOAD_QUERIES


def test_the_participant_page_takes_the_same_queries_for_a_short_and_a_long_history(workspace, login):
    client = login("klantmanager")
    history(workspace.pk("K1"), workspace.today, 2)
    history(workspace.pk("K4"), workspace.today, 60)
    short, long = count(client, workspace.page("K1")), count(client, workspace.page("K4"))
    assert short == long <= PARTICIPANT_QUERIES
