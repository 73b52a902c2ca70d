"""Invitations and consent in both orders (Loterijstad, lottery_town.py).

Lottery first (Wageningen): the draw, then the invitation; a yes signs the allocated arm's rules and is the
enrollment's consented_on. Consent first (Oss): the invitation and the yes come before the lottery; only those who
consented can be drawn, and they take part from the draw date on.
"""

from datetime import date

import pytest
from lottery_town import DRAW_DATE

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.lottery.models import Allocation, Invitation
from vertrouwen.web.lottery.services import (
    DrawRequest,
    LotteryRefused,
    allocate_person,
    draw_lottery,
    record_answer,
    record_invitation,
)
from vertrouwen.web.registry.models import Enrollment

pytestmark = pytest.mark.django_db

INVITED = date(2020, 3, 5)
ANSWERED = date(2020, 3, 12)


def draw_list(town, *numbers, on=DRAW_DATE):
    return draw_lottery(town.experiment.pk, DrawRequest(drawn_on=on, strata=("household_type",),
                                                        person_numbers=numbers), actor="test")


# --- lottery first -------------------------------------------------------------------------------------------


def test_lottery_first_a_yes_after_the_draw_is_the_enrollments_consent(town):
    draw_list(town, "L01", "L02")
    record_invitation(town.experiment.pk, "L01", invited_on=INVITED, actor="test")

    invitation = record_answer(town.experiment.pk, "L01", consented=True, on=ANSWERED, actor="test")

    assert (invitation.invited_on, invitation.consented_on, invitation.declined_on) == (INVITED, ANSWERED, None)
    assert Enrollment.objects.get(person__external_id="L01").consented_on == ANSWERED
    assert Enrollment.objects.get(person__external_id="L02").consented_on is None  # not asked
    assert list(AuditEvent.objects.filter(action__in=["lottery.invited", "lottery.consented"])
                .order_by("id").values_list("action", "details__person")) == \
        [("lottery.invited", "L01"), ("lottery.consented", "L01")]


def test_lottery_first_declining_leaves_the_allocation_and_no_consent(town):
    draw_list(town, "L01")
    record_invitation(town.experiment.pk, "L01", invited_on=INVITED, actor="test")

    invitation = record_answer(town.experiment.pk, "L01", consented=False, on=ANSWERED, actor="test")

    assert (invitation.consented_on, invitation.declined_on) == (None, ANSWERED)
    enrollment = Enrollment.objects.get(person__external_id="L01")
    assert enrollment.consented_on is None
    assert Allocation.objects.filter(person__external_id="L01").count() == 1


def test_lottery_first_a_yes_before_the_draw_is_refused_and_nothing_written(town, row_counts):
    record_invitation(town.experiment.pk, "L03", invited_on=INVITED, actor="test")
    before = row_counts()

    with pytest.raises(LotteryRefused) as refused:
        record_answer(town.experiment.pk, "L03", consented=True, on=ANSWERED, actor="test")

    assert len(refused.value.problems) == 1
    assert str(refused.value.problems[0]).startswith("persoon L03: is nog niet geloot")
    assert row_counts() == before
    assert Invitation.objects.get(person__external_id="L03").consented_on is None


def test_lottery_first_signing_before_the_allocation_date_is_refused(town, row_counts):
    draw_list(town, "L01")
    record_invitation(town.experiment.pk, "L01", invited_on=date(2020, 2, 1), actor="test")
    before = row_counts()

    with pytest.raises(LotteryRefused, match=r"persoon L01: tekenen kan pas na de loting \(2020-03-01\)"):
        record_answer(town.experiment.pk, "L01", consented=True, on=date(2020, 2, 15), actor="test")

    assert row_counts() == before


def test_answers_are_refused_without_invitation_twice_or_before_the_invitation(town, row_counts):
    draw_list(town, "L01")
    before = row_counts()
    with pytest.raises(LotteryRefused, match="persoon L01: is niet uitgenodigd"):
        record_answer(town.experiment.pk, "L01", consented=True, on=ANSWERED, actor="test")
    with pytest.raises(LotteryRefused, match="persoon X99: onbekend persoonsnummer"):
        record_invitation(town.experiment.pk, "X99", invited_on=INVITED, actor="test")
    assert row_counts() == before

    record_invitation(town.experiment.pk, "L01", invited_on=INVITED, actor="test")
    with pytest.raises(LotteryRefused, match="persoon L01: is al uitgenodigd op 2020-03-05"):
        record_invitation(town.experiment.pk, "L01", invited_on=ANSWERED, actor="test")
    with pytest.raises(LotteryRefused, match=r"persoon L01: het antwoord ligt vóór de uitnodiging \(2020-03-05\)"):
        record_answer(town.experiment.pk, "L01", consented=True, on=date(2020, 3, 4), actor="test")
    record_answer(town.experiment.pk, "L01", consented=True, on=ANSWERED, actor="test")
    with pytest.raises(LotteryRefused, match="persoon L01: het antwoord is al vastgelegd"):
        record_answer(town.experiment.pk, "L01", consented=False, on=ANSWERED, actor="test")
    assert Enrollment.objects.get(person__external_id="L01").consented_on == ANSWERED


# --- consent first -------------------------------------------------------------------------------------------


@pytest.fixture
def consent_first(town):
    town.experiment.lottery_order = "consent_first"
    town.experiment.save()
    return town


def test_consent_first_a_draw_of_someone_without_consent_is_refused_naming_them(consent_first, row_counts):
    town = consent_first
    record_invitation(town.experiment.pk, "L02", invited_on=INVITED, actor="test")  # invited, not yet answered
    before = row_counts()

    with pytest.raises(LotteryRefused) as refused:
        draw_list(town, "L01", "L02", on=date(2020, 4, 1))

    assert sorted(str(p) for p in refused.value.problems) == [
        "persoon L01: heeft (nog) geen toestemming gegeven; bij dit experiment komt de toestemming vóór de loting",
        "persoon L02: heeft (nog) geen toestemming gegeven; bij dit experiment komt de toestemming vóór de loting",
    ]
    assert row_counts() == before
    with pytest.raises(LotteryRefused, match="persoon L01: heeft \\(nog\\) geen toestemming"):
        allocate_person(town.experiment.pk, "L01", on=date(2020, 4, 1), actor="test")
    assert row_counts() == before


def test_consent_first_after_invitation_and_yes_the_person_is_allocated_from_the_draw_date(consent_first):
    town = consent_first
    drawn_on = date(2020, 4, 1)
    record_invitation(town.experiment.pk, "L01", invited_on=INVITED, actor="test")
    record_answer(town.experiment.pk, "L01", consented=True, on=ANSWERED, actor="test")
    assert not Enrollment.objects.exists()  # consent first: a yes enrolls nobody before the draw

    allocation = allocate_person(town.experiment.pk, "L01", on=drawn_on, actor="test")

    assert allocation.person.external_id == "L01" and allocation.allocated_on == drawn_on
    assert (allocation.draw.kind, allocation.draw.size, allocation.draw.method) == ("single", 1, "complete")
    enrollment = Enrollment.objects.get(person__external_id="L01")
    assert (enrollment.arm_id, enrollment.allocated_on, enrollment.consented_on) == \
        (allocation.arm_id, drawn_on, drawn_on)
    assert Invitation.objects.get(person__external_id="L01").consented_on == ANSWERED


def test_consent_first_a_yes_after_the_draw_date_does_not_count_for_that_draw(consent_first, row_counts):
    town = consent_first
    record_invitation(town.experiment.pk, "L01", invited_on=INVITED, actor="test")
    record_answer(town.experiment.pk, "L01", consented=True, on=date(2020, 4, 10), actor="test")
    before = row_counts()

    with pytest.raises(LotteryRefused, match="persoon L01: heeft \\(nog\\) geen toestemming"):
        allocate_person(town.experiment.pk, "L01", on=date(2020, 4, 1), actor="test")
    assert row_counts() == before


def test_consent_first_a_draw_of_everyone_takes_only_those_who_consented(consent_first):
    town = consent_first
    consenting = ("L04", "L09", "L13", "L22")  # L22 consented but is 70: outside the age limits
    for number in consenting:
        record_invitation(town.experiment.pk, number, invited_on=INVITED, actor="test")
        record_answer(town.experiment.pk, number, consented=True, on=ANSWERED, actor="test")
    record_invitation(town.experiment.pk, "L05", invited_on=INVITED, actor="test")
    record_answer(town.experiment.pk, "L05", consented=False, on=ANSWERED, actor="test")

    draw = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=date(2020, 4, 1), strata=("household_type",)),
                        actor="test")

    assert [unit[0] for unit in draw.units] == ["L04", "L09", "L13"]
    assert set(Enrollment.objects.values_list("consented_on", flat=True)) == {date(2020, 4, 1)}
