"""The analysis plan registered before the lottery (issue: pre-registered plan): the onderzoeker registers it on the
page, every later draw records its hash in the hash chain, amendments come before the count date with a reason,
and `verify-allocations` names a plan text or plan file changed by hand.

Expected hashes are computed here with hashlib on the downloaded bytes and on the chain record written out by
hand, not with the functions under test. Loterijstad (lottery_town.py) counted on 2021-06-01, before today, when
a plan can no longer be registered; here its period runs on to 2031 and it counts on COUNT_DATE.
"""

import hashlib
import json
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from lottery_town import DRAW_DATE
from tampering import triggers_off

from vertrouwen.cli import main
from vertrouwen.core.evaluation.plan import PLAN_FILE, read_plan
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.datasets.exporting import export_dataset
from vertrouwen.web.evaluation.selectors import evaluation_settings
from vertrouwen.web.lottery import selectors
from vertrouwen.web.lottery.models import Draw, PlanVersion
from vertrouwen.web.lottery.services import DrawRequest, LotteryRefused, draw_lottery, register_plan
from vertrouwen.web.lottery.verification import verify_allocations
from vertrouwen.web.registry.models import Experiment

pytestmark = pytest.mark.django_db

REGISTERED_ON = date(2020, 2, 1)  # before the draw of 2020-03-01
COUNT_DATE = date(2031, 6, 1)


@pytest.fixture
def town(town):
    """Loterijstad, still running: it counts on COUNT_DATE."""
    Experiment.objects.filter(pk=town.experiment.pk).update(period_end=date(2031, 12, 31), count_date=COUNT_DATE)
    town.experiment.refresh_from_db()
    return town
PLAN_FORM = {
    "primary": ["exit_to_work"], "secondary": ["net_exit_to_work", "work_27h"],
    "contrasts": ["vrij vs controle", "bonus vs controle"], "estimator": "lin_hc2",
    "covariates": ["age", "sex", "household_type"], "correction": "holm", "alpha": "5",
    "permutations": "2000", "subgroups": ["limitation"], "registered_on": "2020-02-01", "reason": "",
}


def page_plan(client, town, **changed):
    return client.post(f"/loting/{town.experiment.pk}/analyseplan/", {**PLAN_FORM, **changed})


def test_the_onderzoeker_registers_the_plan_on_the_page_and_downloads_the_file_that_was_hashed(town, login):
    client = login("onderzoeker")
    assert "Leg het analyseplan vast" in client.get(f"/loting/{town.experiment.pk}/").content.decode()

    response = page_plan(client, town)

    assert response.status_code == 302, response.content.decode()[:2000]
    version = PlanVersion.objects.get(experiment=town.experiment)
    file = client.get(f"/loting/analyseplan/{version.pk}/")
    assert file["Content-Disposition"] == f'attachment; filename="{PLAN_FILE}"'
    assert hashlib.sha256(file.content).hexdigest() == version.plan_hash
    plan = read_plan(file.content.decode())
    assert (plan.primary, plan.estimator, plan.alpha, plan.permutations) == (("exit_to_work",), "lin_hc2", 0.05, 2000)
    assert plan.count_date == COUNT_DATE and plan.experiment == "lt"
    assert version.draws_before == 0 and version.reason == ""
    event = AuditEvent.objects.get(action="lottery.plan_registered")
    assert event.details["plan_hash"] == version.plan_hash
    page = client.get(f"/loting/{town.experiment.pk}/analyseplan/").content.decode()
    assert version.plan_hash in page and "vóór de eerste loting" in page


def test_a_draw_records_the_plan_in_force_in_its_chain_hash(town):
    version = register_plan(town.experiment.pk, selectors.proposed_plan(town.experiment), on=REGISTERED_ON,
                            actor="test")
    draw = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=("household_type",)),
                        actor="test")

    assert draw.plan_hash == version.plan_hash
    record = {"municipality": "GM0001", "experiment": "lt", "sequence": 1, "kind": "list", "cohort_month": None,
              "drawn_on": "2020-03-01", "seed": draw.seed, "method": "stratified_block", "strata": ["household_type"],
              "arms": draw.arms, "ratio": draw.ratio, "algorithm_version": draw.algorithm_version, "size": 20,
              "input_hash": draw.input_hash, "result_hash": draw.result_hash, "plan_hash": version.plan_hash}
    by_hand = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert draw.chain_hash == hashlib.sha256(("0" * 64 + "\n" + by_hand).encode()).hexdigest()


def test_a_draw_without_a_plan_keeps_the_record_draws_had_before_plans_existed(town):
    draw = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=("household_type",)),
                        actor="test")

    assert draw.plan_hash is None
    record = {"municipality": "GM0001", "experiment": "lt", "sequence": 1, "kind": "list", "cohort_month": None,
              "drawn_on": "2020-03-01", "seed": draw.seed, "method": "stratified_block", "strata": ["household_type"],
              "arms": draw.arms, "ratio": draw.ratio, "algorithm_version": draw.algorithm_version, "size": 20,
              "input_hash": draw.input_hash, "result_hash": draw.result_hash}
    by_hand = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert draw.chain_hash == hashlib.sha256(("0" * 64 + "\n" + by_hand).encode()).hexdigest()


def test_an_amendment_needs_a_reason_comes_before_the_count_date_and_chains_to_the_version_before(town, login):
    client = login("onderzoeker")
    page_plan(client, town)
    draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=("household_type",)), actor="test")

    without_reason = page_plan(client, town, primary=["net_exit_to_work"], secondary=[], registered_on="2020-04-01")
    in_the_future = page_plan(client, town, primary=["net_exit_to_work"], secondary=[],
                              registered_on="2031-06-01", reason="Later inzicht")
    unchanged = page_plan(client, town, registered_on="2020-04-01", reason="Niets")

    assert without_reason.status_code == 400
    assert "een wijziging van het plan heeft een reden nodig" in without_reason.content.decode()
    assert "de datum 01-06-2031 ligt in de toekomst" in in_the_future.content.decode()
    assert "het plan is gelijk aan versie 1" in unchanged.content.decode()
    assert PlanVersion.objects.count() == 1

    amended = page_plan(client, town, primary=["net_exit_to_work"], secondary=[], registered_on="2020-04-01",
                        reason="De gemeenteraad vroeg om de netto uitstroom als hoofduitkomst.")

    assert amended.status_code == 302
    first, second = selectors.plan_versions(town.experiment)
    assert (second.version, second.draws_before, second.previous_hash) == (2, 1, first.chain_hash)
    assert selectors.registered_plan(town.experiment).primary == ("net_exit_to_work",)
    page = client.get(f"/loting/{town.experiment.pk}/analyseplan/").content.decode()
    assert "De gemeenteraad vroeg om de netto uitstroom als hoofduitkomst." in page and "na 1 loting" in page


def test_a_registered_version_cannot_be_changed_or_removed(town):
    version = register_plan(town.experiment.pk, selectors.proposed_plan(town.experiment), on=REGISTERED_ON,
                            actor="test")

    for change in (lambda: PlanVersion.objects.filter(pk=version.pk).update(text="{}"),
                   lambda: PlanVersion.objects.filter(pk=version.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert PlanVersion.objects.get(pk=version.pk).text == version.text


def test_verify_allocations_names_a_plan_text_changed_by_hand_and_a_changed_plan_file(town, tmp_path, capsys):
    version = register_plan(town.experiment.pk, selectors.proposed_plan(town.experiment), on=REGISTERED_ON,
                            actor="test")
    draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=("household_type",)), actor="test")
    export_dataset(tmp_path / "export", experiment_code="lt", actor="test")
    exported = tmp_path / "export" / PLAN_FILE
    assert exported.read_text(encoding="utf-8") == version.text
    assert verify_allocations().ok
    assert main(["verify-allocations", "--plan", str(exported)]) == 0

    changed = tmp_path / "changed.json"
    changed.write_text(version.text.replace('"alpha": 0.05', '"alpha": 0.1'), encoding="utf-8")
    assert main(["verify-allocations", "--plan", str(changed)]) == 1
    assert "is geen vastgelegde versie van het analyseplan van lt" in capsys.readouterr().out

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with triggers_off(("lottery_planversion",)):
        PlanVersion.objects.filter(pk=version.pk).update(text=version.text.replace('"holm"', '"benjamini_hochberg"'))
    result = verify_allocations()
    assert result.problems == [f"lt, analyseplan versie 1: de tekst van het plan past niet bij de vastgelegde hash "
                               f"{version.plan_hash[:12]}… (met de hand gewijzigd?)"]


def test_a_draw_naming_a_plan_registered_after_it_is_named(town):
    draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=("household_type",)), actor="test")
    register_plan(town.experiment.pk, selectors.proposed_plan(town.experiment), on=REGISTERED_ON, actor="test")

    assert verify_allocations().ok  # a plan registered after the draw is allowed, and shown as such
    with triggers_off(("lottery_draw",)):
        Draw.objects.update(plan_hash=PlanVersion.objects.get().plan_hash)
    problems = verify_allocations().problems
    assert any("noemt analyseplan" in p and "vóór deze loting niet is vastgelegd" in p for p in problems), problems


def test_the_evaluation_follows_the_registered_plan(town):
    assert evaluation_settings(town.experiment, DRAW_DATE).plan is None
    plan = selectors.proposed_plan(town.experiment)
    register_plan(town.experiment.pk, plan, on=REGISTERED_ON, actor="test")

    settings = evaluation_settings(town.experiment, DRAW_DATE)

    assert settings.plan == plan and settings.permutations == plan.permutations
    assert settings.identity()[-1] == plan.hash


def test_registration_is_refused_for_another_experiment_a_future_day_or_an_overlong_reason(town):
    plan = selectors.proposed_plan(town.experiment)
    register_plan(town.experiment.pk, plan, on=REGISTERED_ON, actor="test")
    amended = type(plan)(**{**plan.__dict__, "alpha": 0.01})

    with pytest.raises(LotteryRefused) as refused:
        register_plan(town.experiment.pk, type(plan)(**{**plan.__dict__, "experiment": "ander"}), on=date(2099, 1, 1),
                      reason="x" * 2001, actor="test")

    assert [str(problem) for problem in refused.value.problems] == ["het plan hoort bij experiment ander, niet bij lt",
                                      "de datum 01-01-2099 ligt in de toekomst",
                                      "op 01-01-2099 is de teldatum (01-06-2031) bereikt: het plan kan niet meer "
                                      "worden vastgelegd of gewijzigd",
                                      "ten hoogste 2000 tekens, gegeven 2001"]
    assert register_plan(town.experiment.pk, amended, on=REGISTERED_ON, reason="strenger", actor="test").version == 2


def test_nothing_is_registered_once_the_count_date_has_passed(town, login):
    Experiment.objects.filter(pk=town.experiment.pk).update(period_end=date(2021, 12, 31), count_date=date(2021, 6, 1))
    town.experiment.refresh_from_db()
    client = login("onderzoeker")

    with pytest.raises(LotteryRefused, match="de teldatum \\(01-06-2021\\) is bereikt"):
        register_plan(town.experiment.pk, selectors.proposed_plan(town.experiment), on=REGISTERED_ON, actor="test")
    page = client.get(f"/loting/{town.experiment.pk}/analyseplan/").content.decode()

    assert "De teldatum is bereikt: het plan kan niet meer worden gewijzigd." in page and 'id="id_reason"' not in page
    assert not PlanVersion.objects.exists()
