"""Issue 21, point 4: one municipality at a time. Two municipalities in one register share the person number
P0000005 (the second came with a dataset delivered for research). Every lookup by person number finds the person
of the right municipality: the project lead's "toewijzen" (which on main put the other municipality's person on the
caseload, with their BSN readable), the lottery's invitation, answer and allocation, the staff entry of a
questionnaire and an API delivery."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from vertrouwen.web.api.delivery import deliver_benefit_spells
from vertrouwen.web.casework.models import Assignment
from vertrouwen.web.lottery import services as lottery
from vertrouwen.web.lottery.models import Allocation, Invitation
from vertrouwen.web.registry.models import Arm, BenefitSpell, Experiment, Municipality, Person

pytestmark = pytest.mark.django_db
NUMBER = "P0000005"


@pytest.fixture
def two_municipalities(users):
    today = timezone.localdate()
    with transaction.atomic():
        own = Municipality.objects.create(code="GM0101", name="Eigenstad")  # the first: the one served
        other = Municipality.objects.create(code="GM0202", name="Anderdorp")
        persons = {}
        for municipality in (own, other):
            person = Person.objects.create(municipality=municipality, external_id=NUMBER, birth_year=1980,
                                           household_type="alleenstaande")
            BenefitSpell.objects.create(person=person, spell_start=date(2020, 1, 1))
            persons[municipality.code] = person
        experiments = {}
        for municipality in (own, other):
            experiment = Experiment.objects.create(
                municipality=municipality, code=f"exp{municipality.code}", name="Proef",
                period_start=today.replace(day=1), period_end=today.replace(year=today.year + 2),
                count_date=today.replace(year=today.year + 1), lottery_order="lottery_first", min_age=18,
                max_age=66)
            for position, (code, control) in enumerate((("c", True), ("t", False))):
                Arm.objects.create(experiment=experiment, code=code, name=code, is_control=control,
                                   position=position, allocation_ratio=1)
            experiments[municipality.code] = experiment
    return own, other, persons, experiments


def test_toewijzen_puts_the_served_municipality_s_person_on_the_caseload(two_municipalities, login, users):
    own, other, persons, _ = two_municipalities
    client = login("projectleider")

    response = client.post("/begeleiding/toewijzen/", {"toewijzen-person_numbers": NUMBER,
                                                       "toewijzen-case_manager": users["klantmanager"].pk,
                                                       "toewijzen-on": timezone.localdate().isoformat()})

    assert response.status_code == 302
    on_caseload = set(Assignment.objects.filter(ended_on__isnull=True).values_list("person_id", flat=True))
    assert on_caseload == {persons[own.code].pk}


@pytest.mark.parametrize("which", ["GM0101", "GM0202"])
def test_the_lottery_finds_the_person_of_the_experiment_s_municipality(two_municipalities, which):
    _, _, persons, experiments = two_municipalities
    experiment = experiments[which]
    today = timezone.localdate()

    allocation = lottery.allocate_person(experiment.pk, NUMBER, on=today, actor="test")
    invitation = lottery.record_invitation(experiment.pk, NUMBER, invited_on=today, actor="test")
    answered = lottery.record_answer(experiment.pk, NUMBER, consented=True, on=today, actor="test")

    assert allocation.person_id == invitation.person_id == answered.person_id == persons[which].pk
    assert set(Allocation.objects.values_list("person_id", flat=True)) == {persons[which].pk}
    assert Invitation.objects.get().person_id == persons[which].pk


def test_an_api_delivery_changes_only_the_token_s_municipality(two_municipalities):
    own, other, persons, _ = two_municipalities

    with transaction.atomic():
        deliver_benefit_spells([{"person_id": NUMBER, "spell_start": "2020-01-01", "spell_end": "2021-02-28",
                                 "end_reason": "werk"}], municipality=other, actor="test")

    assert BenefitSpell.objects.get(person=persons[other.code]).spell_end == date(2021, 2, 28)
    assert BenefitSpell.objects.get(person=persons[own.code]).spell_end is None
