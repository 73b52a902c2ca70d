"""The migration that gives every existing answer its experiment (registry 0005), on answers written before it.

Experiments "eerst" and "daarna" of one municipality, "eerst" created first. A is enrolled in eerst only; B is
in the reference group of eerst and enrolled in daarna, and saved the first page (levenstevredenheid) of daarna's
baseline through a personal link; C is in no experiment but was entered on paper in daarna's baseline (the
levenstevredenheid and participatie pages).

The tests commit for real (transaction=True): they migrate the test database back and forward again.
"""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("registry", "0003_alter_surveyresponse_mode"), ("surveys", "0001_initial"), ("audit", "0001_initial")]
AFTER = [("registry", "0006_answer_experiment_required")]


def migrate(targets):
    """Migrate to the targets; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before():
    """The models before the migration; afterwards the database is at its newest again."""
    apps = migrate(BEFORE)
    yield apps
    apps.get_model("registry", "SurveyResponse").objects.filter(person__external_id="Z").delete()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    _delete_enrollments()


def _delete_enrollments() -> None:
    """The teardown empties the tables; on SQLite with DELETE, which the allocation triggers refuse for an
    enrollment. So they go first, with the triggers dropped and made again."""
    if connection.vendor != "sqlite":
        return  # PostgreSQL empties with TRUNCATE, which row triggers do not see
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                       ["registry_enrollment"])
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute("DELETE FROM registry_enrollment")
        for _, sql in triggers:
            cursor.execute(sql)


def written_before(apps) -> None:
    get = apps.get_model
    municipality = get("registry", "Municipality").objects.create(code="GM7777", name="Migratiestad")
    period = {"period_start": date(2020, 1, 1), "period_end": date(2021, 12, 31), "count_date": date(2021, 10, 1)}
    experiments = {code: get("registry", "Experiment").objects.create(municipality=municipality, code=code,
                                                                      name=code, **period)
                   for code in ("eerst", "daarna")}
    arms = {code: get("registry", "Arm").objects.create(experiment=e, code="A", name="A", rules_text="-")
            for code, e in experiments.items()}
    persons = {n: get("registry", "Person").objects.create(municipality=municipality, external_id=n, sex="vrouw",
                                                           household_type="alleenstaande", limitation="geen",
                                                           education="middelbaar")
               for n in ("A", "B", "C")}
    for number, code in (("A", "eerst"), ("B", "daarna")):
        get("registry", "Enrollment").objects.create(experiment=experiments[code], person=persons[number],
                                                     arm=arms[code], allocated_on=date(2019, 12, 1))
    get("registry", "ReferenceMember").objects.create(experiment=experiments["eerst"], person=persons["B"])
    baseline = get("surveys", "Wave").objects.create(
        experiment=experiments["daarna"], number=0, name="Nulmeting", opens_on=date(2020, 1, 1),
        closes_on=date(2020, 3, 1), instruments=["levenstevredenheid", "participatie", "gezondheid"])
    for number, page in (("B", 1), ("C", 2)):
        get("surveys", "Invitation").objects.create(wave=baseline, person=persons[number], token=number * 43,
                                                    invited_on=date(2020, 1, 1), page=page)
    for number, instrument, item, value in (("A", "levenstevredenheid", "leven", "3"),
                                            ("B", "levenstevredenheid", "leven", "8"),
                                            ("B", "gezondheid", "algemeen", "2"),
                                            ("C", "participatie", "mantelzorg", "4")):
        get("registry", "SurveyResponse").objects.create(person=persons[number], wave=0, instrument=instrument,
                                                         item=item, value=value, mode="online")


def test_every_answer_gets_its_experiment_and_an_undecided_one_goes_to_both(before):
    written_before(before)

    after = migrate(AFTER)

    answers = after.get_model("registry", "SurveyResponse").objects
    assert sorted(answers.values_list("person__external_id", "instrument", "value", "experiment__code")) == [
        ("A", "levenstevredenheid", "3", "eerst"),  # in one experiment only
        ("B", "gezondheid", "2", "daarna"),  # in two, saved through no link, no dataset imported: both keep it
        ("B", "gezondheid", "2", "eerst"),
        ("B", "levenstevredenheid", "8", "daarna"),  # saved through daarna's link
        ("C", "participatie", "4", "daarna"),  # entered in daarna's wave
    ]
    event = after.get_model("audit", "AuditEvent").objects.get(action="surveys.answers_assigned")
    assert event.details["counts"] == {"enrollment": 1, "invitation": 2, "import": 0, "shared": 1}
    assert event.details["copied"] == 1
    assert event.details["copies"] == [{"person": "B", "wave": 0, "instrument": "gezondheid", "item": "algemeen",
                                        "experiment": "daarna"}]


def test_an_answer_saved_through_no_invitation_goes_to_the_experiment_a_dataset_was_imported_into(before):
    written_before(before)
    eerst = before.get_model("registry", "Experiment").objects.get(code="eerst")
    before.get_model("audit", "AuditEvent").objects.create(actor_label="test", action="dataset.imported",
                                                           object_type="experiment", object_id=str(eerst.pk))

    after = migrate(AFTER)

    answers = after.get_model("registry", "SurveyResponse").objects
    assert list(answers.filter(person__external_id="B", instrument="gezondheid")
                .values_list("value", "experiment__code")) == [("2", "eerst")]
    event = after.get_model("audit", "AuditEvent").objects.get(action="surveys.answers_assigned")
    assert event.details["counts"] == {"enrollment": 1, "invitation": 2, "import": 1, "shared": 0}
    assert event.details["copied"] == 0


def test_an_answer_of_a_person_in_no_experiment_stops_the_migration_and_changes_nothing(before):
    written_before(before)
    get = before.get_model
    orphan = get("registry", "Person").objects.create(municipality=get("registry", "Municipality").objects.get(),
                                                     external_id="Z", sex="man", household_type="alleenstaande",
                                                     limitation="geen", education="laag")
    get("registry", "SurveyResponse").objects.create(person=orphan, wave=1, instrument="gezondheid",
                                                     item="algemeen", value="1", mode="papier")

    with pytest.raises(RuntimeError, match="1 survey answers .* belong to persons in no experiment"):
        migrate(AFTER)

    assert get("registry", "SurveyResponse").objects.count() == 5  # the migration left them as they were
    assert not get("audit", "AuditEvent").objects.exists()
