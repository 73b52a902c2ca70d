"""The import registers a dataset's enrollments as one draw of kind "import" in the experiment's hash chain, and
never changes an allocation. The dataset is tests/web/dataset_files.py: P1 in zelf_in_actie and P2 in
onderzoeksgroep, both allocated on 2017-09-15; P3 and P4 the reference group.
"""

import hashlib
import json
from datetime import date

import pytest
from dataset_files import FILES, write_folder

from vertrouwen.web.datasets import ImportRefused, import_dataset
from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.lottery.services import DrawRequest, draw_lottery
from vertrouwen.web.lottery.verification import verify_allocations
from vertrouwen.web.registry.models import Enrollment, Experiment, ReferenceMember

pytestmark = pytest.mark.django_db

UNITS = [["P1", "zelf_in_actie", "2017-09-15"], ["P2", "onderzoeksgroep", "2017-09-15"]]  # read off dataset_files


def canonical_digest(value) -> str:
    """core.hashchain.digest as its docstring says: SHA-256 of sorted, compact JSON in UTF-8."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode()).hexdigest()


def changed(tmp_path, name: str, old: str, new: str, file: str = "enrollments.csv"):
    files = dict(FILES, **{file: FILES[file].replace(old, new)})
    assert files[file] != FILES[file]
    return write_folder(tmp_path / name, files)


@pytest.fixture
def dataset(tmp_path):
    return write_folder(tmp_path / "dataset")


def test_the_import_records_one_import_draw_with_one_allocation_per_enrollment(dataset):
    import_dataset(dataset, actor="test")

    draw = Draw.objects.get()
    assert (draw.kind, draw.sequence, draw.seed, draw.method, draw.size) == ("import", 1, None, "", 2)
    assert draw.drawn_on == date(2017, 9, 15)
    assert draw.units == UNITS
    assert draw.input_hash == draw.result_hash == canonical_digest(UNITS)
    assert draw.previous_hash == "0" * 64
    allocations = list(Allocation.objects.filter(draw=draw).order_by("position")
                       .values_list("position", "person__external_id", "arm__code", "allocated_on"))
    assert allocations == [(0, "P1", "zelf_in_actie", date(2017, 9, 15)), (1, "P2", "onderzoeksgroep",
                                                                           date(2017, 9, 15))]
    for enrollment in Enrollment.objects.select_related("person"):
        allocation = Allocation.objects.get(person=enrollment.person)
        assert (allocation.arm_id, allocation.allocated_on) == (enrollment.arm_id, enrollment.allocated_on)
    assert verify_allocations().ok


def test_importing_the_same_folder_again_adds_no_draw(dataset, row_counts):
    import_dataset(dataset, actor="test")
    before, draw = row_counts(), Draw.objects.get()

    result = import_dataset(dataset, actor="test")

    assert not result.changed
    assert row_counts() == before
    assert list(Draw.objects.all()) == [draw]


@pytest.mark.parametrize("update", [False, True])
def test_an_enrollment_in_another_arm_is_refused_even_with_update_and_nothing_written(dataset, tmp_path, row_counts,
                                                                                      update):
    import_dataset(dataset, actor="test")
    before = row_counts()
    folder = changed(tmp_path, "other-arm", "P2,onderzoeksgroep,", "P2,zelf_in_actie,")

    with pytest.raises(ImportRefused) as refused:
        import_dataset(folder, actor="test", update=update)

    assert "enrollments.csv, person_id P2: de loting wees deze persoon al een groep toe" in str(refused.value)
    assert "P1" not in str(refused.value)
    assert row_counts() == before
    assert Enrollment.objects.get(person__external_id="P2").arm.code == "onderzoeksgroep"
    assert Allocation.objects.get(person__external_id="P2").arm.code == "onderzoeksgroep"
    assert verify_allocations().ok


def test_an_enrollment_with_another_allocation_date_is_refused_with_update(dataset, tmp_path, row_counts):
    import_dataset(dataset, actor="test")
    before = row_counts()
    folder = changed(tmp_path, "other-date", "P1,zelf_in_actie,2017-09-15", "P1,zelf_in_actie,2017-09-16")

    with pytest.raises(ImportRefused, match="enrollments.csv, person_id P1: de loting wees deze persoon al"):
        import_dataset(folder, actor="test", update=True)
    assert row_counts() == before


def test_a_new_enrollment_in_a_later_delivery_is_a_second_import_draw_in_the_chain(dataset, tmp_path):
    import_dataset(dataset, actor="test")
    first = Draw.objects.get()
    folder = write_folder(tmp_path / "later", dict(
        FILES, **{"enrollments.csv": FILES["enrollments.csv"] + "P3,onderzoeksgroep,2017-11-01,,,\n"}))

    import_dataset(folder, actor="test", update=True)  # P3 moves from the reference group into an arm

    second = Draw.objects.get(sequence=2)
    assert (second.kind, second.units, second.previous_hash) == \
        ("import", [["P3", "onderzoeksgroep", "2017-11-01"]], first.chain_hash)
    assert Allocation.objects.count() == 3
    assert set(ReferenceMember.objects.values_list("person__external_id", flat=True)) == {"P4"}
    assert verify_allocations().ok


def test_a_person_the_lottery_drew_stays_allocated_when_a_delivery_lists_them_without_enrollment(dataset,
                                                                                                    row_counts):
    """The municipality's next delivery does not know of the draws made here: P3, drawn here, is listed without an
    enrollment. P3 keeps the allocation and does not go back to the reference group; nothing else changes."""
    import_dataset(dataset, actor="test")
    experiment = Experiment.objects.get(code="vw")
    # P3: born 1990-01-31, on benefit since 2014-09-01; on 2019-10-01 aged 29.
    draw = draw_lottery(experiment.pk, DrawRequest(drawn_on=date(2019, 10, 1), method="complete",
                                                   person_numbers=("P3",)), actor="test")
    assert (draw.sequence, draw.previous_hash) == (2, Draw.objects.get(sequence=1, experiment=experiment).chain_hash)
    before = row_counts()

    again = import_dataset(dataset, actor="test", update=True)  # the original delivery: P3 without enrollment

    assert not again.changed and row_counts() == before
    assert Enrollment.objects.filter(experiment=experiment, person__external_id="P3").exists()
    assert not ReferenceMember.objects.filter(experiment=experiment, person__external_id="P3").exists()
    assert verify_allocations().ok
