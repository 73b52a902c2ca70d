"""Import and export of the canonical dataset into the register.

The dataset (tests/web/dataset_files.py) is written by hand, so every expected count can be read off it:
4 persons (P1 and P2 enrolled, P3 and P4 the reference group), 5 benefit spells, 2 goals, 1 assessment,
2 earnings rows, 2 contacts and 2 survey answers.
"""

import json
from datetime import date
from pathlib import Path

import pytest
from dataset_files import BSN_P1, FILES, MANIFEST, write_folder
from django.conf import settings
from tampering import triggers_off

from vertrouwen.core import privacy
from vertrouwen.core.dataset import DatasetInvalid, read_dataset, schema
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.datasets import ExportRefused, ImportRefused, export_dataset, import_dataset
from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.registry import models as m

pytestmark = pytest.mark.django_db

ROW_COUNTS = {m.Person: 4, m.BenefitSpell: 5, m.Enrollment: 2, m.ReferenceMember: 2, m.Goal: 2,
              m.Assessment: 1, m.MonthlyEarnings: 2, m.Contact: 2, m.SurveyResponse: 2}


def register_counts() -> dict:
    return {model: model.objects.count() for model in ROW_COUNTS}


@pytest.fixture
def dataset_folder(tmp_path) -> Path:
    return write_folder(tmp_path / "dataset")


def test_import_writes_every_row_of_the_dataset(dataset_folder):
    result = import_dataset(dataset_folder, actor="test")

    assert register_counts() == ROW_COUNTS
    assert result.counts["persons"].created == 4
    assert set(m.ReferenceMember.objects.values_list("person__external_id", flat=True)) == {"P3", "P4"}
    earnings = m.MonthlyEarnings.objects.get(person__external_id="P1")
    assert (earnings.month.isoformat(), earnings.earnings_cents, str(earnings.hours)) == ("2018-01-01", 45050, "36.50")
    assert m.Enrollment.objects.get(person__external_id="P2").arm.code == "onderzoeksgroep"
    event = AuditEvent.objects.get(action="dataset.imported")
    assert event.details["counts"]["contacts"]["created"] == 2


def test_bsn_is_stored_encrypted_with_a_keyed_pseudonym(dataset_folder):
    import_dataset(dataset_folder, actor="test")

    person = m.Person.objects.get(external_id="P1")
    assert BSN_P1 not in person.bsn_encrypted
    assert privacy.decrypt(person.bsn_encrypted, settings.BSN_ENCRYPTION_KEY) == BSN_P1
    assert person.bsn_pseudonym == privacy.pseudonym(BSN_P1, settings.PSEUDONYM_KEY)
    assert BSN_P1 not in json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))


def test_importing_the_same_dataset_again_changes_nothing(dataset_folder):
    import_dataset(dataset_folder, actor="test")
    before, events = register_counts(), AuditEvent.objects.count()

    again = import_dataset(dataset_folder, actor="test")

    assert register_counts() == before
    assert not again.changed
    assert all(c.created == 0 and c.updated == 0 for c in again.counts.values())
    assert again.counts["contacts"].unchanged == 2
    assert AuditEvent.objects.count() == events


def test_a_bad_row_at_the_end_of_the_last_file_leaves_nothing_written(tmp_path):
    files = dict(FILES)
    files["survey_responses.csv"] += "P2,1,vertrouwen_welzijn,gezondheid,2,per_duif\n"
    folder = write_folder(tmp_path / "bad", files)

    with pytest.raises(DatasetInvalid) as raised:
        import_dataset(folder, actor="test")

    assert "survey_responses.csv, regel 4, kolom mode" in str(raised.value)
    assert sum(register_counts().values()) == 0
    assert not m.Municipality.objects.exists()


def test_a_conflict_found_late_rolls_back_everything_written_before_it(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    before = register_counts()
    files = dict(FILES)
    files["persons.csv"] += "P5,,,1970,man,alleenstaande,nee,geen,laag\n"  # new: would be written first
    files["survey_responses.csv"] = files["survey_responses.csv"].replace("gezondheid,3,papier", "gezondheid,5,papier")

    with pytest.raises(ImportRefused) as raised:
        import_dataset(write_folder(tmp_path / "changed", files), actor="test")

    assert register_counts() == before
    assert not m.Person.objects.filter(external_id="P5").exists()
    assert "survey_responses.csv, person_id P2, wave 0, instrument vertrouwen_welzijn, item gezondheid: value" \
        in str(raised.value)


def test_a_changed_record_is_refused_unless_asked_to_update(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    files = dict(FILES)
    files["persons.csv"] = files["persons.csv"].replace("P2,,,1975,man", "P2,,,1975,vrouw")
    changed = write_folder(tmp_path / "changed", files)

    with pytest.raises(ImportRefused, match="persons.csv, person_id P2: sex wijkt af"):
        import_dataset(changed, actor="test")
    assert m.Person.objects.get(external_id="P2").sex == "man"

    result = import_dataset(changed, actor="beheerder", update=True)

    assert m.Person.objects.get(external_id="P2").sex == "vrouw"
    assert result.counts["persons"].updated == 1
    event = AuditEvent.objects.filter(action="dataset.imported").first()
    assert event.details["update"] is True
    assert event.details["updated"] == ["persons.csv, person_id P2: sex wijkt af van de database"]


def test_a_different_bsn_for_a_known_person_is_a_conflict(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    other_bsn = "123456782"  # valid: 9*1+8*2+7*3+6*4+5*5+4*6+3*7+2*8-1*2 = 154 = 14*11
    files = dict(FILES, **{"persons.csv": FILES["persons.csv"].replace(BSN_P1, other_bsn)})

    with pytest.raises(ImportRefused) as raised:
        import_dataset(write_folder(tmp_path / "other-bsn", files), actor="test")

    assert "persons.csv, person_id P1: bsn wijkt af" in str(raised.value)
    assert other_bsn not in str(raised.value) and BSN_P1 not in str(raised.value)


def test_import_export_import_is_lossless_except_the_bsn_that_is_never_exported(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    first = tmp_path / "export-1"
    export_dataset(first, actor="test")

    _empty_register()
    import_dataset(first, actor="test")
    second = tmp_path / "export-2"
    export_dataset(second, actor="test")

    for name in ["manifest.json", *FILES]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    original, exported = read_dataset(dataset_folder), read_dataset(first)
    for name, frame in original.tables.items():
        key = list(schema.TABLES_BY_NAME[name].key)  # the writer orders rows by the natural key
        expected = frame.with_columns(bsn=None).cast(frame.schema) if name == "persons" else frame
        assert exported.tables[name].equals(expected.sort(key)), name
    assert (exported.manifest.municipality, exported.manifest.experiment, exported.manifest.arms) == \
        (original.manifest.municipality, original.manifest.experiment, original.manifest.arms)
    assert BSN_P1 not in (first / "persons.csv").read_text()


def _empty_register() -> None:
    """A new, empty register: allocations can only be wiped with their triggers off (tampering.py)."""
    with triggers_off():
        for model in (Allocation, Draw, m.SurveyResponse, m.Contact, m.MonthlyEarnings, m.Assessment, m.Goal,
                      m.BenefitSpell, m.ReferenceMember, m.Enrollment, m.Person, m.Arm, m.Experiment,
                      m.Municipality):
            model.objects.all().delete()
    assert sum(register_counts().values()) == 0


def test_export_needs_no_bsn_to_reimport_into_the_same_register(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    export = tmp_path / "export"
    export_dataset(export, actor="test")

    again = import_dataset(export, actor="test")

    assert not again.changed
    assert m.Person.objects.get(external_id="P1").bsn_pseudonym  # the empty bsn kept what was stored


def test_an_update_of_the_arms_is_counted_and_audited(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    renamed = json.loads(json.dumps(MANIFEST))
    renamed["arms"][0]["name"] = "Zelf aan zet"
    folder = write_folder(tmp_path / "renamed", manifest=renamed)

    with pytest.raises(ImportRefused, match="manifest.json, arm experiment vw, code zelf_in_actie: name wijkt af"):
        import_dataset(folder, actor="test")
    result = import_dataset(folder, actor="beheerder", update=True)

    assert m.Arm.objects.get(code="zelf_in_actie").name == "Zelf aan zet"
    assert result.counts["manifest.json"].updated == 1  # one arm; municipality and experiment unchanged
    assert AuditEvent.objects.filter(action="dataset.imported").first().details["counts"]["manifest.json"] == \
        {"created": 0, "updated": 1, "unchanged": 3}  # municipality, experiment and the other arm


def test_adding_a_bsn_to_a_known_person_is_counted_and_audited(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    bsn_p2 = "123456782"  # valid: 9*1+8*2+7*3+6*4+5*5+4*6+3*7+2*8-1*2 = 154 = 14*11
    files = dict(FILES, **{"persons.csv": FILES["persons.csv"].replace("P2,,", f"P2,{bsn_p2},")})

    result = import_dataset(write_folder(tmp_path / "with-bsn", files), actor="test")

    assert result.changed and result.counts["bsn"].created == 1
    assert m.Person.objects.get(external_id="P2").bsn_pseudonym == privacy.pseudonym(bsn_p2, settings.PSEUDONYM_KEY)
    event = AuditEvent.objects.filter(action="dataset.imported").first()
    assert event.details["counts"]["bsn"] == {"created": 1, "updated": 0, "unchanged": 1}
    assert bsn_p2 not in json.dumps(event.details)


def test_a_bsn_of_another_person_is_refused_even_when_updating(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    # P1's BSN left out of this delivery (kept as stored), and given for a new person P5
    persons = FILES["persons.csv"].replace(BSN_P1, "") + f"P5,{BSN_P1},,1970,man,alleenstaande,nee,geen,laag\n"
    files = dict(FILES, **{"persons.csv": persons})

    for update in (False, True):
        with pytest.raises(ImportRefused) as raised:
            import_dataset(write_folder(tmp_path / f"dup-{update}", files), actor="test", update=update)
        assert "persons.csv, person_id P5: dit BSN hoort al bij person_id P1" in str(raised.value)
        assert BSN_P1 not in str(raised.value)
    assert not m.Person.objects.filter(external_id="P5").exists()


def test_moving_a_person_from_the_reference_group_into_an_arm_needs_an_update(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    files = dict(FILES)
    files["enrollments.csv"] += "P3,zelf_in_actie,2017-09-15,2017-09-30,,\n"
    folder = write_folder(tmp_path / "moved", files)

    with pytest.raises(ImportRefused, match="enrollments.csv, person_id P3: deelname wijkt af"):
        import_dataset(folder, actor="test")
    result = import_dataset(folder, actor="test", update=True)

    assert m.Enrollment.objects.get(person__external_id="P3").arm.code == "zelf_in_actie"
    assert set(m.ReferenceMember.objects.values_list("person__external_id", flat=True)) == {"P4"}
    assert result.counts["referentiegroep"].updated == 1


def test_export_refuses_an_ambiguous_experiment_and_an_existing_folder(dataset_folder, tmp_path):
    import_dataset(dataset_folder, actor="test")
    other = json.loads(json.dumps(MANIFEST))
    other["municipality"] = {"code": "0289", "name": "Wageningen"}
    import_dataset(write_folder(tmp_path / "other", manifest=other), actor="test")

    with pytest.raises(ExportRefused, match="meer dan één experiment past"):
        export_dataset(tmp_path / "export", experiment_code="vw", actor="test")
    export_dataset(tmp_path / "export", experiment_code="vw", municipality_code="0289", actor="test")
    with pytest.raises(ExportRefused, match="bestaat al en is niet leeg"):
        export_dataset(tmp_path / "export", experiment_code="vw", municipality_code="9999", actor="test")

    assert json.loads((tmp_path / "export" / "manifest.json").read_text())["municipality"]["code"] == "0289"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_export_refuses_an_experiment_without_groups(tmp_path):
    municipality = m.Municipality.objects.create(code="9999", name="Proefstad")
    m.Experiment.objects.create(municipality=municipality, code="leeg", name="Nog zonder groepen",
                                period_start=date(2020, 1, 1), period_end=date(2021, 12, 31),
                                count_date=date(2021, 10, 1))

    with pytest.raises(ExportRefused, match="experiment leeg heeft nog geen groepen"):
        export_dataset(tmp_path / "exports" / "leeg", actor="test")

    assert not (tmp_path / "exports").exists()  # no folder, no staging folder
    assert not AuditEvent.objects.filter(action="dataset.exported").exists()
