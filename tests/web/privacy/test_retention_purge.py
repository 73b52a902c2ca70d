"""purge_experiment on the register of conftest.py: refused before the term, a dry run changes nothing, and after
the purge the personal data are gone, the research dataset and the audit trail stay, a person of a running
experiment keeps their data, and a failure halfway leaves everything as it was."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from purge_register import ERASED_ROWS, PURGEABLE_FROM

from vertrouwen.core.dataset import read_dataset
from vertrouwen.core.dataset.research import research_pseudonym
from vertrouwen.core.dataset.writing import canonical_hash
from vertrouwen.web.audit.models import AuditEvent, SubjectKey
from vertrouwen.web.datasets import ExportRefused, export_dataset
from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.lottery.verification import verify_allocations
from vertrouwen.web.registry.models import (
    BenefitSpell,
    Enrollment,
    Experiment,
    Person,
    ReferenceMember,
    SurveyResponse,
)
from vertrouwen.web.retention import PurgeRefused, purge_experiment, purgeable_from

pytestmark = pytest.mark.django_db

PURGE_EVENTS = ("dataset.research_exported", "experiment.purged", "audit.key_destroyed")


# The apps holding data about persons, the audit trail and cached results: every model the purge could touch.
PERSON_DATA_APPS = ("registry", "lottery", "casework", "surveys", "settlement", "audit", "evaluation", "reports")


def row_counts() -> dict[str, int]:
    """Rows of every model of those apps, by label: what a purge that changes nothing must leave alone."""
    return {model._meta.label: model.objects.count() for label in PERSON_DATA_APPS
            for model in apps.get_app_config(label).get_models()}


def person_state() -> dict[int, tuple]:
    return {p.pk: (p.external_id, p.bsn_encrypted, p.bsn_pseudonym, p.birth_date, p.birth_year, p.erased_on)
            for p in Person.objects.all()}


def audit_rows() -> dict[int, tuple]:
    return {e.pk: (e.action, e.object_type, e.object_id, e.details, e.row_hash, e.sealed_values)
            for e in AuditEvent.objects.all()}


def purge(register, **kwargs):
    kwargs.setdefault("today", PURGEABLE_FROM)
    return purge_experiment(register.experiment.pk, actor="test", folder=register.research_root / "vw", **kwargs)


def test_the_term_is_the_end_plus_the_installations_24_months_unless_the_experiment_has_its_own(register):
    assert purgeable_from(register.experiment) == PURGEABLE_FROM
    register.experiment.retention_months = 6
    assert purgeable_from(register.experiment) == date(2020, 7, 1)  # 2019-12-31 + 6 months = 2020-06-30, + 1 day


def test_refused_before_the_term_has_passed_naming_the_first_day(register):
    before = row_counts()

    with pytest.raises(PurgeRefused, match="mag pas vanaf 2022-01-01 worden gewist"):
        purge(register, today=PURGEABLE_FROM - timedelta(days=1))
    with pytest.raises(PurgeRefused, match="mag pas vanaf 2022-01-01"):
        purge(register, today=PURGEABLE_FROM - timedelta(days=1), dry_run=True)

    assert row_counts() == before
    assert not register.research_root.exists()


def test_a_dry_run_counts_what_would_go_and_changes_nothing(register):
    counts, persons, audit = row_counts(), person_state(), audit_rows()

    result = purge(register, dry_run=True)

    assert result.rows == ERASED_ROWS
    assert (result.persons, result.released, result.kept_for_other_experiment, result.kept_on_caseload) == (4, 2, 1, 1)
    assert (row_counts(), person_state(), audit_rows()) == (counts, persons, audit)
    assert not register.research_root.exists()
    assert Experiment.objects.get(pk=register.experiment.pk).purged_at is None


def test_after_the_purge_the_released_persons_data_are_gone(register):
    p1, p3 = register.persons["P1"], register.persons["P3"]
    assert Person.objects.get(pk=p1.pk).bsn_encrypted  # there was a BSN to erase

    result = purge(register)

    assert result.rows == ERASED_ROWS  # the same counts as the dry run promised
    for person in (p1, p3):
        for label in ERASED_ROWS:
            model = apps.get_model(label)
            if label == "casework.ContactNote":
                assert not model.objects.filter(contact__person=person).exists()
            elif any(f.name == "person" for f in model._meta.fields) and label != "registry.SurveyResponse":
                assert not model.objects.filter(person=person).exists(), label
    assert not SurveyResponse.objects.filter(experiment=register.experiment).exists()
    erased = Person.objects.get(pk=p1.pk)
    assert (erased.bsn_encrypted, erased.bsn_pseudonym, erased.birth_date) == ("", "", None)
    assert erased.birth_year == 1980  # the year of 1980-05-01 stays, as in the research dataset
    assert erased.erased_on == PURGEABLE_FROM
    assert erased.external_id == "P1"  # the imported draw holds it: the lottery's evidence
    skeleton = Person.objects.get(pk=p3.pk)
    assert (skeleton.birth_date, skeleton.birth_year) == (None, 1990)
    # P3 is in no draw: the person number, which leads back to the municipality's systems, became the pseudonym.
    # It is P3's person_id in the research dataset.
    assert skeleton.external_id == research_pseudonym(settings.PSEUDONYM_KEY, "9999", "P3")
    assert skeleton.external_id in read_dataset(register.research_root / "vw").tables["persons"]["person_id"]
    assert Experiment.objects.get(pk=register.experiment.pk).purged_at is not None


def test_the_lottery_rows_stay_and_still_verify(register):
    kept = (Draw.objects.count(), Allocation.objects.count(), Enrollment.objects.count(),
            ReferenceMember.objects.count())
    assert verify_allocations().ok

    purge(register)

    assert (Draw.objects.count(), Allocation.objects.count(), Enrollment.objects.count(),
            ReferenceMember.objects.count()) == kept
    result = verify_allocations()
    assert result.ok, result.problems
    assert (result.draws, result.allocations) == (1, 2)  # the imported draw of P1 and P2


def test_a_person_of_a_running_experiment_keeps_their_data(register):
    p2, p4 = register.persons["P2"], register.persons["P4"]
    before = {p: (BenefitSpell.objects.filter(person=p).count(), p.external_id, p.birth_year) for p in (p2, p4)}

    purge(register)

    for person in (p2, p4):
        now = Person.objects.get(pk=person.pk)
        assert (BenefitSpell.objects.filter(person=now).count(), now.external_id, now.birth_year) == before[person]
        assert now.erased_on is None
    assert Person.objects.get(pk=register.persons["P3"].pk).birth_date is None  # while P3's date went
    # P2's answer in the purged experiment went, the one in the running experiment stayed.
    assert list(SurveyResponse.objects.filter(person=p2).values_list("experiment__code", "value")) == [("lopend", "2")]
    assert p4.assignments.filter(ended_on__isnull=True).count() == 1
    assert p4.conversations.count() == 1


def test_the_research_dataset_is_written_and_its_hash_is_in_the_purge_event(register):
    result = purge(register)

    folder = register.research_root / "vw"
    dataset = read_dataset(folder)
    event = AuditEvent.objects.get(action="experiment.purged")
    assert result.research_folder == folder
    assert event.details["research_hash"] == result.research_hash == canonical_hash(dataset)
    assert event.details["rows"] == ERASED_ROWS
    assert (event.details["retention_months"], event.details["purgeable_from"]) == (24, "2022-01-01")
    # Pseudonymized: no person number, BSN or birth date; the four persons with their birth years.
    persons = dataset.tables["persons"]
    assert sorted(persons["birth_year"].to_list()) == [1962, 1975, 1980, 1990]
    assert persons["bsn"].null_count() == persons["birth_date"].null_count() == 4
    assert not set(persons["person_id"].to_list()) & {"P1", "P2", "P3", "P4"}
    assert (folder / "codebook.md").exists()


def test_every_earlier_audit_row_stays_and_only_the_purges_own_events_are_added(register):
    p1, p2 = register.persons["P1"], register.persons["P2"]
    before = audit_rows()
    assert AuditEvent.objects.filter(subject=f"person:{p1.pk}").exists()  # rows about P1 to keep
    assert SubjectKey.objects.filter(subject=f"person:{p1.pk}").exists()  # and the key that seals their values

    purge(register)

    after = audit_rows()
    assert {pk: after.get(pk) for pk in before} == before  # none changed or removed
    added = AuditEvent.objects.exclude(pk__in=before)
    assert set(added.values_list("action", flat=True)) <= set(PURGE_EVENTS)
    assert len(after) == len(before) + added.count()
    assert added.filter(action="experiment.purged").count() == 1
    # P1's audit key was destroyed (what the rows said about P1 can no longer be read); P2's stays.
    assert not SubjectKey.objects.filter(subject=f"person:{p1.pk}").exists()
    assert SubjectKey.objects.filter(subject=f"person:{p2.pk}").exists()


def test_a_second_purge_is_refused(register):
    purge(register)

    with pytest.raises(PurgeRefused, match="al gewist"):
        purge(register, dry_run=True)


def test_a_database_failure_halfway_leaves_everything_as_it_was(register):
    """A trigger makes the database refuse the update of the persons, which comes after every delete: the whole
    purge must roll back, and the research folder written before it must go too."""
    refuse_person_updates()
    counts, persons, audit = row_counts(), person_state(), audit_rows()

    with pytest.raises(DatabaseError, match="purge test"):
        purge(register)

    assert (row_counts(), person_state(), audit_rows()) == (counts, persons, audit)
    assert Experiment.objects.get(pk=register.experiment.pk).purged_at is None
    assert not (register.research_root / "vw").exists()


def refuse_person_updates() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks before CREATE TRIGGER
            cursor.execute("CREATE FUNCTION purge_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                           "RAISE EXCEPTION 'purge test: refused'; END $$")
            cursor.execute("CREATE TRIGGER purge_test_refuse BEFORE UPDATE ON registry_person FOR EACH ROW "
                           "EXECUTE FUNCTION purge_test_refuse()")
        else:
            cursor.execute("CREATE TRIGGER purge_test_refuse BEFORE UPDATE ON registry_person "
                           "BEGIN SELECT RAISE(ABORT, 'purge test: refused'); END")


def test_the_beheerder_sees_and_edits_the_term_in_the_admin(register, login):
    response = login("beheerder").get(f"/beheer/registry/experiment/{register.experiment.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="retention_months"' in html  # editable
    assert "01-01-2022" in html  # the first day the purge may run, with the installation's 24 months


def test_an_export_of_a_purged_experiment_is_refused_with_where_the_research_dataset_is(register, login, tmp_path):
    """What is left after a purge is a skeleton: an export would be incomplete, so it is refused, on the command
    line and in the monitor, pointing at the research dataset the purge wrote."""
    purge(register)
    experiment = register.experiment
    with pytest.raises(ExportRefused, match="zijn gewist op"):
        export_dataset(tmp_path / "na", experiment_code=experiment.code,
                       municipality_code=experiment.municipality.code, actor="test", research=True)
    client = login("onderzoeker")
    response = client.post(f"/monitor/{experiment.pk}/onderzoeksexport/", follow=True)
    assert response.redirect_chain[0] == (f"/monitor/{experiment.pk}/", 302)
    assert "zijn gewist op" in response.content.decode()
    assert not (tmp_path / "na").exists()
