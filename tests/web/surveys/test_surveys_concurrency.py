"""The same questionnaire page saved at the same moment from several tabs, on PostgreSQL: ten threads, each on its
own connection, released together. The invitation's row lock lets one save at a time: no error, one answer per
question, and the answers are those of one whole submission, never a mix.

Only on PostgreSQL: SQLite has no row locks and one writer at a time. The test commits for real."""

from datetime import timedelta

import pytest
from concurrently import at_once
from django.db import connection, transaction
from django.utils import timezone

from vertrouwen.web.registry.models import Arm, Enrollment, Experiment, Municipality, Person, SurveyResponse
from vertrouwen.web.surveys import services
from vertrouwen.web.surveys.models import Invitation, Wave

THREADS = 10

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="simultaneous saves need PostgreSQL: SQLite has no row locks"),
    pytest.mark.django_db(transaction=True),
]


def one_participant_invited():
    """An experiment running today with one participant, invited to the baseline's one instrument."""
    today = timezone.localdate()
    with transaction.atomic():
        municipality = Municipality.objects.create(code="GM7777", name="Tabstad")
        experiment = Experiment.objects.create(municipality=municipality, code="tab", name="Tab",
                                               period_start=today - timedelta(days=30),
                                               period_end=today + timedelta(days=700),
                                               count_date=today + timedelta(days=600))
        arm = Arm.objects.create(experiment=experiment, position=1, code="A", name="A", rules_text="Regels.")
        person = Person.objects.create(municipality=municipality, external_id="T1", birth_year=1985, sex="vrouw",
                                       household_type="alleenstaande", limitation="geen", education="middelbaar")
        Enrollment.objects.create(experiment=experiment, person=person, arm=arm, allocated_on=today - timedelta(10),
                                  consented_on=today - timedelta(days=9))
    services.create_waves(experiment.pk, actor="test", instruments=("levenstevredenheid",))
    wave = Wave.objects.get(experiment=experiment, number=0)
    services.set_period(wave.pk, opens_on=today - timedelta(days=7), closes_on=today + timedelta(days=30),
                        actor="test")
    services.invite_participants(wave.pk, on=today, actor="test")
    return Invitation.objects.get(wave=wave, person=person)


def test_ten_tabs_saving_one_page_at_once_leave_one_whole_submission():
    invitation = one_participant_invited()
    items = [item.code for item in services.INSTRUMENTS["levenstevredenheid"].items]
    submissions = [{item: str(1 + (i + n) % 7) for n, item in enumerate(items)} for i in range(THREADS)]

    def save(i):
        services.save_page(invitation.pk, 0, submissions[i], today=timezone.localdate())

    _, errors = at_once(save, THREADS)

    assert errors == []
    stored = dict(SurveyResponse.objects.filter(person=invitation.person, wave=0).values_list("item", "value"))
    assert len(stored) == len(items) == SurveyResponse.objects.filter(person=invitation.person).count()
    assert stored in submissions  # one whole submission: the last to take the lock
    invitation.refresh_from_db()
    assert invitation.page == 1 and invitation.completed_at is not None
