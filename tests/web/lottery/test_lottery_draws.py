"""draw_lottery on the hand-built Loterijstad (lottery_town.py): who is drawn, what is written, the hashes and the
chain, refused input that writes nothing, and monthly cohorts.

Expected figures come from the table in lottery_town.py, counted by hand; hashes are recomputed here from the
specification in core.lottery.randomization's docstring and core.hashchain, not by the code under test.
"""

import hashlib
import json
from collections import Counter
from datetime import date

import pytest
from lottery_town import (
    ARMS,
    BLOCK,
    BLOCKS,
    COHORT,
    COHORT_DRAW_DATE,
    COHORT_MONTH,
    DRAW_DATE,
    ELIGIBLE,
    FULL_BLOCKS,
    RATIO,
    STRATA,
)

from vertrouwen.core import hashchain as chain
from vertrouwen.core.lottery.randomization import randomize
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.datasets import experiment_dataset
from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.lottery.services import DrawRequest, LotteryRefused, draw_lottery
from vertrouwen.web.registry.models import Enrollment, ReferenceMember

pytestmark = pytest.mark.django_db

BOTH_STRATA = ("household_type", "benefit_duration_band")
GENESIS = "0" * 64  # the previous hash of an experiment's first draw (core.hashchain)


def sha256_lines(lines: list[str]) -> str:
    return hashlib.sha256("".join(f"{line}\n" for line in lines).encode()).hexdigest()


def spec_input_hash(units: list[list[str]], seed: int, method: str, strata: tuple[str, ...]) -> str:
    """The input hash as the docstring of core.lottery.randomization specifies it (version 2, multiplier 1)."""
    header = ["vertrouwen-loting", "algorithm_version=2", f"method={method}", f"seed={seed}", "block_multiplier=1",
              "arms=" + "\t".join(ARMS), "ratio=" + "\t".join(str(r) for r in RATIO), "strata=" + "\t".join(strata),
              f"units={len(units)}"]
    return sha256_lines(header + ["\t".join(unit) for unit in units])


def spec_chain_hash(previous: str, record: dict) -> str:
    """core.hashchain: SHA-256 of the previous link, a line feed and the record as sorted, compact JSON."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(previous.encode() + b"\n" + canonical.encode()).hexdigest()


def allocated_arms(draw: Draw) -> dict[str, str]:
    return dict(Allocation.objects.filter(draw=draw).values_list("person__external_id", "arm__code"))


def main_draw(town, seed=None) -> Draw:
    return draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=BOTH_STRATA, seed=seed),
                        actor="test")


# --- a stratified draw of everyone eligible ------------------------------------------------------------------


def test_the_draw_takes_exactly_the_eligible_persons_in_person_number_order(town):
    draw = main_draw(town)

    assert [unit[0] for unit in draw.units] == list(ELIGIBLE)
    assert set(allocated_arms(draw)) == set(ELIGIBLE)
    assert draw.size == len(ELIGIBLE) == 20
    positions = dict(Allocation.objects.filter(draw=draw).values_list("person__external_id", "position"))
    assert positions == {number: i for i, number in enumerate(ELIGIBLE)}


def test_the_stored_units_carry_each_persons_stratum_values_at_the_draw_date(town):
    draw = main_draw(town)

    assert draw.units == [[number, *STRATA[number]] for number in ELIGIBLE]


def test_every_allocation_has_an_enrollment_in_the_same_arm_without_consent_yet(town):
    draw = main_draw(town)

    allocations = {a.person.external_id: a for a in Allocation.objects.filter(draw=draw).select_related("person")}
    enrollments = {e.person.external_id: e for e in Enrollment.objects.filter(experiment=town.experiment)
                   .select_related("person")}
    assert set(enrollments) == set(ELIGIBLE)
    for number, allocation in allocations.items():
        enrollment = enrollments[number]
        assert allocation.experiment_id == town.experiment.pk
        assert allocation.allocated_on == DRAW_DATE
        assert enrollment.arm_id == allocation.arm_id, number
        assert enrollment.allocated_on == DRAW_DATE
        assert enrollment.consented_on is None  # lottery first: the person signs the rules after the draw
        assert enrollment.stopped_on is None


def test_drawn_persons_leave_the_reference_group_and_the_others_stay(town):
    main_draw(town)

    # REFERENCE is L01, L13, L22, L24: the first two are eligible and drawn.
    assert set(ReferenceMember.objects.filter(experiment=town.experiment)
               .values_list("person__external_id", flat=True)) == {"L22", "L24"}


def test_every_full_block_gets_the_ratio_two_one_one_and_no_incomplete_block_more_than_its_share(town):
    arms = allocated_arms(main_draw(town))

    # lottery_town.py: three full blocks within strata, and each stratum's leftovers in an incomplete block.
    for block in BLOCKS:
        counts = Counter(arms[p] for p in block)
        if block in FULL_BLOCKS:
            assert counts == {"controle": 2, "vrij": 1, "bonus": 1}, block
        else:
            assert counts["controle"] <= 2 and counts["vrij"] <= 1 and counts["bonus"] <= 1, block
    assert Allocation.objects.filter(experiment=town.experiment).count() == 20


def test_arm_totals_per_stratum_lie_within_the_documented_leftover_bounds(town):
    arms = allocated_arms(main_draw(town))

    by_stratum: dict[tuple, Counter] = {}
    for number, arm in arms.items():
        by_stratum.setdefault(STRATA[number], Counter())[arm] += 1
    assert len(by_stratum) == 5
    for stratum, counts in by_stratum.items():
        n = sum(counts.values())
        full, leftover = divmod(n, BLOCK)
        for arm, ratio in zip(ARMS, RATIO, strict=True):
            # Docstring (version 2): each arm gets ratio * (n // B) units, plus at most its ratio of the leftovers,
            # so it lies within its ratio of n * ratio / B.
            assert ratio * full <= counts[arm] <= ratio * full + min(leftover, ratio), (stratum, arm, counts)
            assert abs(counts[arm] - n * ratio / BLOCK) < ratio
    # The stratum of four (alleenstaande ouder, 2-5 jaar) is one full block: exactly 2, 1, 1.
    assert by_stratum[("alleenstaande_ouder", "2-5 jaar")] == {"controle": 2, "vrij": 1, "bonus": 1}


def test_the_draw_row_stores_what_is_needed_to_redo_it(town):
    draw = main_draw(town, seed=20200301)

    assert (draw.sequence, draw.kind, draw.cohort_month, draw.drawn_on) == (1, "list", None, DRAW_DATE)
    assert draw.seed == 20200301
    assert (draw.method, draw.strata, draw.arms, draw.ratio) == ("stratified_block", list(BOTH_STRATA), list(ARMS),
                                                               list(RATIO))
    assert draw.algorithm_version == "2"
    assert (draw.drawn_by, draw.actor_label) == (None, "test")
    stored = Draw.objects.get(pk=draw.pk)
    assert stored.units == draw.units and stored.seed == 20200301


def test_a_draw_without_a_given_seed_stores_the_random_seed_it_used(town):
    draw = main_draw(town)

    assert draw.seed is not None and 0 <= draw.seed < 2**63
    redo = randomize([u[0] for u in draw.units], ARMS, RATIO, draw.seed, method="stratified_block",
                     strata={name: [u[1 + i] for u in draw.units] for i, name in enumerate(BOTH_STRATA)},
                     stratify_by=BOTH_STRATA)
    assert dict(zip(redo.ids.to_list(), redo.arm.to_list(), strict=True)) == allocated_arms(draw)


def test_the_hashes_match_the_specification_and_randomize(town):
    draw = main_draw(town)
    units = [[number, *STRATA[number]] for number in ELIGIBLE]

    assert draw.input_hash == spec_input_hash(units, draw.seed, "stratified_block", BOTH_STRATA)
    arms = allocated_arms(draw)
    assert draw.result_hash == sha256_lines([f"{number}\t{arms[number]}" for number in ELIGIBLE])
    redo = randomize(list(ELIGIBLE), ARMS, RATIO, draw.seed, method="stratified_block",
                     strata={"household_type": [STRATA[n][0] for n in ELIGIBLE],
                             "benefit_duration_band": [STRATA[n][1] for n in ELIGIBLE]},
                     stratify_by=BOTH_STRATA)
    assert (redo.input_hash, redo.result_hash) == (draw.input_hash, draw.result_hash)


def test_draws_form_a_hash_chain_starting_at_genesis(town):
    first = main_draw(town)
    second = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=COHORT_DRAW_DATE, cohort_month=COHORT_MONTH,
                                                          strata=("household_type",)), actor="test")

    assert chain.GENESIS == GENESIS
    assert first.previous_hash == GENESIS
    assert (second.sequence, second.previous_hash) == (2, first.chain_hash)
    assert first.chain_hash != second.chain_hash
    record = {"municipality": "GM0001", "experiment": "lt", "sequence": 1, "kind": "list", "cohort_month": None,
              "drawn_on": "2020-03-01", "seed": first.seed, "method": "stratified_block",
              "strata": list(BOTH_STRATA), "arms": list(ARMS), "ratio": list(RATIO), "algorithm_version": "2",
              "size": 20, "input_hash": first.input_hash, "result_hash": first.result_hash}
    assert first.chain_hash == spec_chain_hash(GENESIS, record)
    record_2 = {**record, "sequence": 2, "kind": "cohort", "cohort_month": "2020-04-01", "drawn_on": "2020-05-01",
                "seed": second.seed, "strata": ["household_type"], "size": 3, "input_hash": second.input_hash,
                "result_hash": second.result_hash}
    assert second.chain_hash == spec_chain_hash(first.chain_hash, record_2)


def test_each_draw_leaves_one_audit_event(town):
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    first = main_draw(town)
    second = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=COHORT_DRAW_DATE, cohort_month=COHORT_MONTH,
                                                          strata=("household_type",)), actor="test")

    events = list(AuditEvent.objects.filter(action="lottery.drawn").order_by("id"))
    assert [(e.object_type, e.object_id) for e in events] == [("draw", str(first.pk)), ("draw", str(second.pk))]
    # The allocations are written in bulk, so the draw's event stands for them; besides, only the drawn persons'
    # leaving the reference group is recorded, row by row.
    others = AuditEvent.objects.filter(id__gt=start).exclude(action="lottery.drawn")
    assert {(e.action, e.object_type) for e in others} <= {("record.deleted", "registry.referencemember")}
    assert events[0].details["size"] == 20 and events[0].details["chain_hash"] == first.chain_hash
    assert events[1].details["cohort_month"] == "2020-04-01" and events[1].details["size"] == 3
    assert events[0].actor_label == "test"


def test_a_later_draw_of_everyone_leaves_out_the_allocated_and_names_a_candidate_of_unknown_age(town):
    main_draw(town)

    # On 2020-07-01 nobody of L01-L20 may come back. The draw is refused because of L23 (on benefit since
    # 2020-06-01, age unknown): a candidate without a known age is named, not silently skipped.
    with pytest.raises(LotteryRefused) as refused:
        draw_lottery(town.experiment.pk, DrawRequest(drawn_on=date(2020, 7, 1), strata=("household_type",)),
                     actor="test")
    assert [str(p) for p in refused.value.problems] == [
        "persoon L23: leeftijd onbekend (geboortedatum en geboortejaar ontbreken)"]


def test_complete_randomization_of_a_list_keeps_the_ratio_within_one_round(town):
    numbers = ("L02", "L03", "L04", "L06", "L07", "L09")  # 6 = one round of 4 plus 2 leftovers
    draw = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, method="complete",
                                                        person_numbers=numbers), actor="test")

    counts = Counter(allocated_arms(draw).values())
    assert set(allocated_arms(draw)) == set(numbers)
    assert (draw.kind, draw.method, draw.strata, draw.units) == ("list", "complete", [], [[n] for n in numbers])
    # Docstring: every arm gets q * r_a (q = 6 // 4 = 1) plus at most r_a of the 2 leftovers.
    assert 2 <= counts["controle"] <= 4 and 1 <= counts["vrij"] <= 2 and 1 <= counts["bonus"] <= 2
    assert sum(counts.values()) == 6


# --- refused input writes nothing -----------------------------------------------------------------------------


def _list(*numbers, strata=("household_type",), on=DRAW_DATE):
    return DrawRequest(drawn_on=on, strata=strata, person_numbers=numbers)


def _allocate_l01(town):
    draw_lottery(town.experiment.pk, _list("L01"), actor="test")


def _benefit_not_required(town):
    town.experiment.requires_benefit = False
    town.experiment.save()


REFUSALS = {
    # id: (preparation, request, [(name, reason) per expected problem])
    "not on benefit": (None, _list("L24"), [("persoon L24", "heeft op 01-03-2020 geen uitkering")]),
    "spell starts on the draw date": (None, _list("L26"), [("persoon L26", "geen uitkering")]),
    "too young": (None, _list("L21"), [("persoon L21", "leeftijd 17 valt buiten de grenzen")]),
    "too old": (None, _list("L22"), [("persoon L22", "leeftijd 70 valt buiten de grenzen")]),
    "67 on the draw date": (None, _list("L25"), [("persoon L25", "leeftijd 67 valt buiten de grenzen")]),
    "age unknown": (None, _list("L23", on=date(2020, 7, 1)), [("persoon L23", "leeftijd onbekend")]),
    "already allocated": (_allocate_l01, _list("L02", "L01"), [("persoon L01", "is al geloot")]),
    "stratum variable missing": (_benefit_not_required, _list("L24", strata=("benefit_duration_band",)),
                                 [("persoon L24", "uitkeringsduur ontbreekt, nodig voor de stratificatie")]),
    "empty list": (None, _list(), [("", "de lijst is leeg")]),
    # No benefit spell in lottery_town.py starts before 2010.
    "nobody eligible": (None, DrawRequest(drawn_on=date(2009, 1, 1), strata=("household_type",)),
                        [("", "de lijst is leeg")]),
    "unknown person number": (None, _list("L01", "X99"), [("persoon X99", "onbekend persoonsnummer in Loterijstad")]),
    "person of another municipality": (None, _list("B01"), [("persoon B01", "onbekend persoonsnummer")]),
    "twice on the list": (None, _list("L01", "L02", "L01"), [("persoon L01", "staat meer dan eens op de lijst")]),
    "cohort month outside the period": (None, DrawRequest(drawn_on=DRAW_DATE, cohort_month=date(2019, 11, 1),
                                                          strata=("household_type",)),
                                        [("cohortmaand 2019-11", "ligt buiten de periode")]),
    "cohort month not over": (None, DrawRequest(drawn_on=COHORT_DRAW_DATE, cohort_month=date(2020, 6, 1),
                                                strata=("household_type",)),
                              [("cohortmaand 2020-06", "nog niet voorbij")]),
    "cohort and list at once": (None, DrawRequest(drawn_on=COHORT_DRAW_DATE, cohort_month=COHORT_MONTH,
                                                  person_numbers=("L01",), strata=("household_type",)),
                                [("kies een maandcohort", "niet allebei")]),
    "several problems at once": (None, _list("L02", "L24", "L21", "L03"),
                                 [("persoon L21", "leeftijd 17"), ("persoon L24", "geen uitkering")]),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_bad_input_is_refused_with_a_clear_reason_and_nothing_written(town, row_counts, case):
    prepare, request, expected = REFUSALS[case]
    if prepare:
        prepare(town)
    before = row_counts()
    allocated_before = set(Allocation.objects.values_list("person__external_id", flat=True))

    with pytest.raises(LotteryRefused) as refused:
        draw_lottery(town.experiment.pk, request, actor="test")

    problems = [str(p) for p in refused.value.problems]
    assert len(problems) == len(expected), problems
    for problem, (who, reason) in zip(sorted(problems), sorted(expected), strict=True):
        assert problem.startswith(who) and reason in problem, problem
        assert problem in str(refused.value)
    assert str(refused.value).startswith("Loting geweigerd, er is niets vastgelegd")
    assert row_counts() == before
    assert set(Allocation.objects.values_list("person__external_id", flat=True)) == allocated_before


def test_the_draw_is_all_or_nothing_the_good_persons_of_a_refused_list_stay_unallocated(town, row_counts):
    before = row_counts()
    with pytest.raises(LotteryRefused):
        draw_lottery(town.experiment.pk, _list("L02", "L03", "L04", "L24"), actor="test")

    assert row_counts() == before
    assert not Enrollment.objects.filter(person__external_id__in=["L02", "L03", "L04"]).exists()
    # The same list without the bad person is drawn.
    draw = draw_lottery(town.experiment.pk, _list("L02", "L03", "L04"), actor="test")
    assert set(allocated_arms(draw)) == {"L02", "L03", "L04"}


# --- monthly cohorts -------------------------------------------------------------------------------------------


def cohort_draw(town, month=COHORT_MONTH, on=COHORT_DRAW_DATE) -> Draw:
    return draw_lottery(town.experiment.pk, DrawRequest(drawn_on=on, cohort_month=month, strata=("household_type",)),
                        actor="test")


def test_a_cohort_draw_takes_only_that_months_inflow(town):
    draw = cohort_draw(town)

    # L27, L28, L29 started in April 2020; L31 too, but is 79; the eligible L01-L20 are not new inflow.
    assert set(allocated_arms(draw)) == set(COHORT)
    assert (draw.kind, draw.cohort_month, draw.drawn_on, draw.size) == ("cohort", COHORT_MONTH, COHORT_DRAW_DATE, 3)
    # One stratum of 2 alleenstaanden and one of 1 alleenstaande ouder: each its own incomplete block of 4, so in
    # each stratum no arm gets more than its share of a block.
    arms = allocated_arms(draw)
    for stratum in (("L27", "L29"), ("L28",)):
        counts = Counter(arms[p] for p in stratum)
        assert counts["controle"] <= 2 and counts["vrij"] <= 1 and counts["bonus"] <= 1


def test_the_march_cohort_is_the_person_whose_benefit_started_on_the_first_of_march(town):
    draw = cohort_draw(town, month=date(2020, 3, 1), on=date(2020, 4, 1))

    assert set(allocated_arms(draw)) == {"L26"}


def test_a_cohort_month_is_drawn_once(town, row_counts):
    first = cohort_draw(town)
    before = row_counts()

    with pytest.raises(LotteryRefused) as refused:
        cohort_draw(town, on=date(2020, 6, 1))

    assert [str(p) for p in refused.value.problems] == [
        f"cohortmaand 2020-04 is al geloot (loting {first.sequence} op 2020-05-01); een cohort wordt één keer geloot"]
    assert row_counts() == before


def test_a_cohort_month_must_be_the_first_day_of_a_month(town, row_counts):
    before = row_counts()
    with pytest.raises(LotteryRefused, match="cohortmaand 2020-04-15: geef de eerste dag van de maand"):
        cohort_draw(town, month=date(2020, 4, 15))
    assert row_counts() == before


def test_every_enrollment_records_the_block_it_was_dealt_in_and_the_dataset_carries_it(town):
    """The blocks of lottery_town.py, worked out by hand from the algorithm: the persons of one block share a block
    number, every block its own; the dataset (and with it the evaluation's re-draws) carries the record."""
    draw = main_draw(town)
    record = {e.person.external_id: (e.draw, e.method, e.block, e.block_size)
              for e in Enrollment.objects.filter(experiment=town.experiment).select_related("person")}
    assert {(d, m, size) for d, m, _, size in record.values()} == {(str(draw.sequence), "stratified_block", 4)}
    assert [sorted({record[p][2] for p in block}) for block in BLOCKS] == [[t] for t in range(len(BLOCKS))]
    enrollments = experiment_dataset(town.experiment).tables["enrollments"]
    exported = {r["person_id"]: (r["draw"], r["method"], r["block"], r["block_size"])
                for r in enrollments.iter_rows(named=True)}
    assert exported == record
