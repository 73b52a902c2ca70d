"""verify_allocations and `vertrouwen verify-allocations`: clean after two draws and an import; after tampering
(triggers switched off, tampering.py) the changed row, the broken chain or the changed enrollment is named.

The register holds: Loterijstad's draw 1 (L01-L20 at 2020-03-01, 20 allocations) and draw 2 (April 2020 cohort,
L27-L29, 3 allocations), both in experiment "lt"; and the import of tests/web/dataset_files.py (Voorbeeldstad,
experiment "vw"): one draw of kind import with P1 and P2, so 3 draws and 25 allocations in all.
"""

from contextlib import contextmanager
from datetime import date

import pytest
from dataset_files import write_folder
from django.db import connection
from lottery_town import COHORT_DRAW_DATE, COHORT_MONTH, DRAW_DATE
from tampering import triggers_off

from vertrouwen.cli import main
from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.lottery.services import DrawRequest, draw_lottery
from vertrouwen.web.lottery.verification import verify_allocations
from vertrouwen.web.registry.models import Arm, Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(town, tmp_path):
    first = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE,
                                                         strata=("household_type", "benefit_duration_band")),
                         actor="test")
    second = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=COHORT_DRAW_DATE, cohort_month=COHORT_MONTH,
                                                          strata=("household_type",)), actor="test")
    import_dataset(write_folder(tmp_path / "dataset"), actor="test")
    return town, first, second


@contextmanager
def tampered():
    """tampering.triggers_off, after settling the foreign-key checks that PostgreSQL defers to the commit: with
    such checks pending (the draws above were inserted in this same transaction), ALTER TABLE ... DISABLE TRIGGER
    fails with "pending trigger events"."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with triggers_off():
        yield


def other_arm(allocation: Allocation) -> Arm:
    return Arm.objects.filter(experiment_id=allocation.experiment_id).exclude(pk=allocation.arm_id).first()


def test_a_clean_register_verifies(register):
    result = verify_allocations()

    assert result.ok, result.problems
    assert (result.draws, result.allocations) == (3, 25)
    assert result.summary() == "3 lotingen en 25 toewijzingen gecontroleerd: alles klopt"


def test_a_changed_arm_names_the_allocation_its_position_and_person(register):
    _, first, _ = register
    allocation = Allocation.objects.select_related("arm").get(draw=first, person__external_id="L05")
    moved_to = other_arm(allocation)
    with tampered():
        Allocation.objects.filter(pk=allocation.pk).update(arm=moved_to)

    result = verify_allocations()

    # L05 is unit 4 (position 4) of draw 1; its enrollment still repeats the original arm.
    assert allocation.position == 4
    assert sorted(result.problems) == sorted([
        f"lt, loting 1: toewijzing {allocation.pk} (positie 4): in de database persoon L05 in {moved_to.code}, "
        f"volgens de herberekening persoon L05 in {allocation.arm.code}",
        f"lt, deelname van persoon L05: groep {allocation.arm.code} op 2020-03-01 past niet bij een toewijzing uit "
        "de loting",
    ])


def test_a_deleted_draw_breaks_the_chain(register):
    _, first, _ = register
    with tampered():
        Allocation.objects.filter(draw=first).delete()
        Draw.objects.filter(pk=first.pk).delete()

    result = verify_allocations()

    assert not result.ok
    assert "lt, loting 2: loting 1 ontbreekt in de keten" in result.problems
    assert "lt, loting 2: de vorige hash past niet bij de loting ervoor (keten verbroken)" in result.problems
    # The 20 enrollments of the removed draw no longer repeat an allocation.
    assert sum("deelname van persoon" in p for p in result.problems) == 20


def test_a_changed_seed_is_found(register):
    _, first, _ = register
    with tampered():
        Draw.objects.filter(pk=first.pk).update(seed=first.seed + 1)

    result = verify_allocations()

    assert "lt, loting 1: de gegevens van de loting passen niet bij haar kettinghash" in result.problems
    assert "lt, loting 1: de opgeslagen invoer past niet bij haar hash" in result.problems  # the seed is hashed
    assert all(p.startswith("lt, loting 1: ") for p in result.problems)


def test_a_changed_stored_input_is_found(register):
    _, first, _ = register
    units = [list(unit) for unit in first.units]
    units[0], units[1] = units[1], units[0]  # swap L01 and L02 in the recorded input
    with tampered():
        Draw.objects.filter(pk=first.pk).update(units=units)

    problems = verify_allocations().problems

    assert "lt, loting 1: de opgeslagen invoer past niet bij haar hash" in problems


def test_a_changed_enrollment_arm_is_found(register):
    town, _, second = register
    enrollment = Enrollment.objects.select_related("arm").get(experiment=town.experiment, person__external_id="L27")
    moved_to = Arm.objects.filter(experiment=town.experiment).exclude(pk=enrollment.arm_id).first()
    with tampered():
        Enrollment.objects.filter(pk=enrollment.pk).update(arm=moved_to)

    result = verify_allocations()

    assert result.problems == [f"lt, deelname van persoon L27: groep {moved_to.code} op 2020-05-01 past niet bij een "
                               "toewijzing uit de loting"]


def test_a_changed_imported_allocation_is_found(register):
    allocation = Allocation.objects.select_related("arm").get(draw__kind="import", person__external_id="P2")
    moved_to = other_arm(allocation)
    with tampered():
        Allocation.objects.filter(pk=allocation.pk).update(arm=moved_to, allocated_on=date(2017, 9, 16))

    problems = verify_allocations().problems

    # dataset_files.py: P2 in onderzoeksgroep on 2017-09-15; P2 is the second unit (position 1) of the import.
    assert (f"vw, loting 1: toewijzing {allocation.pk} (positie 1): persoon P2 in {moved_to.code} op 2017-09-16 "
            "past niet bij de ingelezen toewijzing") in problems
    assert "vw, deelname van persoon P2: groep onderzoeksgroep op 2017-09-15 past niet bij een toewijzing uit de " \
        "loting" in problems


def test_the_command_line_returns_0_when_clean_and_1_after_tampering(register, capsys):
    _, first, _ = register

    assert main(["verify-allocations"]) == 0
    assert capsys.readouterr().out == "3 lotingen en 25 toewijzingen gecontroleerd: alles klopt\n"

    with tampered():
        Draw.objects.filter(pk=first.pk).update(seed=first.seed + 1)
    assert main(["verify-allocations"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("3 lotingen en 25 toewijzingen gecontroleerd: ")
    assert "- lt, loting 1: de gegevens van de loting passen niet bij haar kettinghash" in out


def test_a_changed_allocation_date_is_found_also_when_the_enrollment_was_changed_with_it(register):
    _, first, _ = register
    allocation = Allocation.objects.get(draw=first, person__external_id="L05")
    with tampered():
        Allocation.objects.filter(pk=allocation.pk).update(allocated_on=date(2020, 2, 1))
        Enrollment.objects.filter(person__external_id="L05").update(allocated_on=date(2020, 2, 1))

    result = verify_allocations()

    # Draw 1 was drawn on 2020-03-01, and so were all its allocations; L05 is at position 4.
    assert result.problems == [f"lt, loting 1: toewijzing {allocation.pk} (positie 4): persoon L05 toegewezen op "
                               "2020-02-01, de loting was op 2020-03-01"]


def test_a_removed_enrollment_is_found(register):
    town, _, second = register
    allocation = Allocation.objects.select_related("arm").get(draw=second, person__external_id="L27")
    with tampered():
        Enrollment.objects.filter(experiment=town.experiment, person__external_id="L27").delete()

    result = verify_allocations()

    assert result.problems == [f"lt, toewijzing van persoon L27: groep {allocation.arm.code} op 2020-05-01 heeft "
                               "geen deelname"]


def test_stored_input_that_cannot_be_redrawn_is_reported_not_a_crash(register, capsys):
    _, first, _ = register
    units = [list(unit) for unit in first.units]
    units[1] = units[0]  # L01 twice: randomize refuses such input
    with tampered():
        Draw.objects.filter(pk=first.pk).update(units=units)

    result = verify_allocations()

    assert result.problems == ["lt, loting 1: de opgeslagen invoer kan niet opnieuw worden geloot (eenheid 'L01': "
                               "staat meer dan eens in de lijst (posities 1 en 2))"]
    assert main(["verify-allocations"]) == 1
    assert "de opgeslagen invoer kan niet opnieuw worden geloot" in capsys.readouterr().out


def test_the_newest_draw_removed_with_all_its_rows_is_found_through_the_audit_trail(register):
    """Removing the last draw leaves no gap and no broken link; the audit trail still knows of it."""
    _, _, second = register
    with tampered():
        Enrollment.objects.filter(person__allocations__draw=second).delete()
        Allocation.objects.filter(draw=second).delete()
        Draw.objects.filter(pk=second.pk).delete()

    result = verify_allocations()

    assert [p for p in result.problems if "ontbreekt in de keten" in p] == [
        p for p in result.problems if p.startswith("lt, loting 2 van ") and "door test staat in de audittrail" in p]
    assert len(result.problems) == 1
