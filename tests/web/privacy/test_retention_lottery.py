"""The purge against a drawn lottery, and `vertrouwen purge` on the command line.

Loterijstad (tests/web/lottery/lottery_town.py): experiment "lt" ends 2021-12-31, so with 24 months it may be
purged from 2024-01-01. The draw on 2020-03-01 allocates the 20 eligible persons L01..L20; L01 and L13 leave the
reference group when drawn, L22 and L24 stay in it: 22 persons in all, every one released.
"""

from datetime import date

import pytest
from django.db.models import Q
from tests.web.lottery.lottery_town import DRAW_DATE, ELIGIBLE, build_town

from vertrouwen.cli import main
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.lottery.selectors import candidate_ids
from vertrouwen.web.lottery.services import DrawRequest, draw_lottery
from vertrouwen.web.lottery.verification import verify_allocations
from vertrouwen.web.registry.models import BenefitSpell, Experiment, Person
from vertrouwen.web.retention import purge_experiment

pytestmark = pytest.mark.django_db

PURGEABLE_FROM = date(2024, 1, 1)


@pytest.fixture
def drawn_town(db):
    town = build_town()
    draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=("household_type",
                                                                             "benefit_duration_band")),
                 actor="test")
    return town


def test_a_drawn_lottery_still_verifies_after_its_persons_were_erased(drawn_town, tmp_path):
    result = purge_experiment(drawn_town.experiment.pk, actor="test", today=PURGEABLE_FROM, folder=tmp_path / "lt")

    assert (result.persons, result.released) == (22, 22)
    erased = Person.objects.filter(erased_on=PURGEABLE_FROM)
    assert sorted(erased.filter(external_id__in=ELIGIBLE).values_list("external_id", flat=True)) == list(ELIGIBLE)
    assert not erased.filter(Q(birth_date__isnull=False) | Q(bsn_encrypted__gt="")).exists()
    assert not BenefitSpell.objects.filter(person__in=erased).exists()
    # The draw is redone from its seed and stored input (the person numbers) and matches every allocation row.
    verification = verify_allocations()
    assert verification.ok, verification.problems
    assert (verification.draws, verification.allocations) == (1, 20)


def test_an_erased_skeleton_is_never_drawn_again(drawn_town, tmp_path):
    purge_experiment(drawn_town.experiment.pk, actor="test", today=PURGEABLE_FROM, folder=tmp_path / "lt")
    # A later experiment that does not ask for benefit would otherwise see the skeletons (they keep a birth year).
    later = Experiment.objects.create(municipality=drawn_town.experiment.municipality, code="later", name="Later",
                                      period_start=date(2024, 1, 1), period_end=date(2025, 12, 31),
                                      count_date=date(2025, 6, 1), requires_benefit=False)

    candidates = set(candidate_ids(later, date(2024, 2, 1)))

    assert candidates  # the persons of Loterijstad who were not in "lt"
    assert not candidates & set(Person.objects.filter(erased_on__isnull=False).values_list("pk", flat=True))


def test_the_command_refuses_before_the_term_and_purges_after_it(drawn_town, tmp_path, capsys):
    experiment = drawn_town.experiment
    experiment.retention_months = 120  # 2021-12-31 + 10 years: not before 2032-01-01
    experiment.save(update_fields=["retention_months"])

    assert main(["purge", "--experiment", "lt", "--folder", str(tmp_path / "lt")]) == 1
    assert "mag pas vanaf 2032-01-01 worden gewist" in capsys.readouterr().err

    Experiment.objects.filter(pk=experiment.pk).update(retention_months=None)  # back to the installation's 24
    assert main(["purge", "--experiment", "lt", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Proef: er is niets gewijzigd. Experiment lt: 22 personen")
    assert "registry.BenefitSpell: 23" in out  # one spell each of the 22, L17 two (lottery_town.py)
    assert not AuditEvent.objects.filter(action="experiment.purged").exists()

    assert main(["purge", "--experiment", str(experiment.pk), "--folder", str(tmp_path / "lt")]) == 0
    assert "Onderzoeksbestand:" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="experiment.purged", object_id=str(experiment.pk)).count() == 1
