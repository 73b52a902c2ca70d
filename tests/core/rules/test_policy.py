"""The settlement policy: one regime vocabulary, one month settled from plain inputs, the same for one person
(settle_case) and for many (settle_cases, the monthly run). Expected values are worked by hand from the rule
tables (tables.py) or come from the one-by-one settlement."""

from datetime import date

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from vertrouwen.core import codes
from vertrouwen.core.rules import (
    FULL_TIME_HOURS_A_MONTH,
    MonthCase,
    Regime,
    age_on,
    bonus_due,
    months_used_before,
    settle_case,
    settle_cases,
    shipped_rulebook,
    summary,
)

BOOK = shipped_rulebook()
MONTH = date(2026, 1, 1)


def test_one_regime_vocabulary_joins_the_groups_codes_and_the_settlement():
    assert {code: Regime.of_arm(code) for code in codes.DISREGARD_REGIMES} == {
        "standaard": Regime.STANDARD, "experiment": Regime.EXPERIMENT, "geen": Regime.NONE}
    assert Regime.of_arm(None) is Regime.STANDARD  # outside a group: the law's own disregard
    # A group's label is its regime's label: one table of labels.
    assert all(codes.DISREGARD_REGIMES[code] == Regime.of_arm(code).label for code in codes.DISREGARD_REGIMES)
    assert [r.value for r in Regime] == list(codes.SETTLEMENT_REGIMES)


def test_the_summary_takes_its_figures_from_the_rule_table():
    # The decree (Stb. 2017, 69, art. 6): 50%, at most EUR 199 a month.
    assert summary(BOOK.rule(Regime.EXPERIMENT, date(2018, 1, 1))) == (
        "50% van de inkomsten, hoogstens € 199,00 per maand, zolang het experiment duurt")
    standard = BOOK.rule(Regime.STANDARD, MONTH)
    assert summary(standard) == (f"25% van de inkomsten, hoogstens € {standard.max_cents // 100},"
                                 f"{standard.max_cents % 100:02d} per maand, gedurende 6 maanden, vanaf 27 jaar")
    assert summary(BOOK.rule(Regime.NONE, MONTH)) == "alle inkomsten worden verrekend met de uitkering"


def test_age_on_a_day_counts_whole_years():
    assert age_on(date(2026, 3, 1), date(1999, 3, 1), None) == 27  # the birthday itself
    assert age_on(date(2026, 2, 28), date(1999, 3, 1), 1999) == 26  # the day before
    assert age_on(date(2026, 1, 1), None, 1999) == 27  # the birth year alone
    assert age_on(date(2026, 1, 1), None, None) is None


def test_the_age_rule_and_the_bonus_are_inside_the_policy():
    case = MonthCase(MONTH, "alleenstaande", Regime.STANDARD, 40_000, hours=FULL_TIME_HOURS_A_MONTH, age=26,
                     job_bonus_cents=50_000)
    young = settle_case(BOOK, case)
    assert young.disregarded_cents == 0 and young.bonus_cents == 50_000  # under 27: art. 31 lid 7 Pw
    older = settle_case(BOOK, MonthCase(**{**case.__dict__, "age": 27, "hours": FULL_TIME_HOURS_A_MONTH - 1}))
    assert older.disregarded_cents == 10_000 and older.bonus_cents == 0  # 25% of EUR 400; part-time: no bonus
    assert bonus_due(None, 50_000) == 0


def test_the_months_used_carry_over_only_within_one_regime():
    assert months_used_before(("standard", 4), "standard") == 4
    assert months_used_before(("experiment", 4), "standard") == 0
    assert months_used_before(None, "experiment") == 0


cases = st.builds(
    MonthCase, month=st.just(MONTH), household_type=st.sampled_from(list(codes.HOUSEHOLD_TYPES)),
    regime=st.sampled_from(list(Regime)), earnings_cents=st.integers(0, 500_000),
    hours=st.one_of(st.none(), st.floats(0, 200)), age=st.one_of(st.none(), st.integers(18, 70)),
    months_used=st.integers(0, 40), job_bonus_cents=st.sampled_from([0, 25_000]))


@given(st.lists(cases, min_size=1, max_size=40))
def test_the_monthly_run_settles_every_case_as_the_single_settlement_does(many):
    settled = settle_cases(
        BOOK, MONTH, household=[c.household_type for c in many], regime=[c.regime for c in many],
        age=np.array([-1 if c.age is None else c.age for c in many], dtype=np.int64),
        earnings=np.array([c.earnings_cents for c in many], dtype=np.int64),
        hours=np.array([c.hours or 0 for c in many]),
        job_bonus=np.array([c.job_bonus_cents for c in many], dtype=np.int64),
        months_used=np.array([c.months_used for c in many], dtype=np.int64))
    for i, case in enumerate(many):
        one = settle_case(BOOK, case)
        assert (settled.norm[i], settled.disregarded[i], settled.deducted[i], settled.benefit[i],
                settled.months_used[i], settled.bonus[i]) == (
            one.norm_cents, one.disregarded_cents, one.deducted_cents, one.benefit_cents, one.months_used,
            one.bonus_cents)
