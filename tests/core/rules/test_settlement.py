"""The monthly settlement, worked by hand, rule by rule; each example cites the rule it applies.

Norm used in the examples: EUR 1,369.06 for a single person (tables.py, from 1 July 2025, marked unconfirmed; in
January 2026 it is still the newest one known); the arithmetic does not depend on which norm it is. The sub n
maximum in 2026 is the newest one known, EUR 269 of 1 July 2024 (Gemeente Velsen's publication of that date).
"""

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vertrouwen.core.months import add_months
from vertrouwen.core.rules import Regime, RuleMissing, settle, settle_months, shipped_rulebook
from vertrouwen.core.rules.calculator import calculate
from vertrouwen.core.rules.rulebook import BenefitNorm, DisregardRule, RuleBook

BOOK = shipped_rulebook()
MONTH = date(2026, 1, 1)
NORM = BOOK.norm("alleenstaande", MONTH)


def test_the_norm_and_rules_in_force_on_a_date():
    assert NORM.cents == 136_906
    assert BOOK.norm("gehuwd_samenwonend", date(2025, 3, 1)).cents == 192_207  # 1 January 2025
    assert BOOK.rule("standard", date(2024, 3, 1)).max_cents == 26_400  # 2024: EUR 264
    assert BOOK.rule("standard", date(2017, 10, 1)).max_cents == 20_100  # from 1 July 2017: EUR 201 (law text)
    assert BOOK.norm("alleenstaande", date(2018, 3, 1)).cents == 99_212  # 1 January 2018: EUR 992.12
    assert BOOK.rule("single_parent", date(2024, 3, 1)).max_cents == 16_473  # 2024: EUR 164.73
    with pytest.raises(RuleMissing, match="geen bijstandsnorm"):
        BOOK.norm("alleenstaande", date(2014, 12, 1))  # the tables start on 1 January 2015


def test_standard_disregard_over_its_six_months():
    """Art. 31 lid 2 sub n Pw: 25% of EUR 600 = EUR 150 (below the maximum of EUR 285) in months 1 to 6; from
    the seventh month nothing is disregarded and all EUR 600 is offset."""
    rule = BOOK.rule("standard", MONTH)
    used, rows = 0, []
    for month in range(1, 9):
        s = settle(date(2026, month, 1), 60_000, NORM, rule, months_used=used, age=40)
        used = s.months_used
        rows.append((s.disregarded_cents, s.deducted_cents, s.benefit_cents, s.months_used))
    assert rows[:6] == [(15_000, 45_000, 91_906, n) for n in range(1, 7)]  # 1,369.06 - 450.00 = 919.06
    assert rows[6:] == [(0, 60_000, 76_906, 6)] * 2  # 1,369.06 - 600.00 = 769.06


def test_standard_disregard_at_its_maximum_and_not_under_27():
    """Art. 31 lid 2 sub n: 25% of EUR 1,200 is EUR 300, above the maximum EUR 269; a person of 26 gets no
    disregard (art. 31 lid 7)."""
    rule = BOOK.rule("standard", MONTH)
    s = settle(MONTH, 120_000, NORM, rule, age=30)
    assert (s.disregarded_cents, s.deducted_cents, s.benefit_cents) == (26_900, 93_100, 43_806)
    assert any("meer dan het maximum" in line for line in s.lines)
    young = settle(MONTH, 120_000, NORM, rule, age=26)
    assert (young.disregarded_cents, young.months_used) == (0, 0)
    assert any("niet onder de 27 jaar" in line for line in young.lines)


def test_single_parent_disregard():
    """Art. 31 lid 2 sub r: 12.5% of EUR 800 = EUR 100, below the maximum EUR 167.79; at most 30 months."""
    rule = BOOK.rule("single_parent", MONTH)
    s = settle(MONTH, 80_000, BOOK.norm("alleenstaande_ouder", MONTH), rule, months_used=29, age=30)
    assert (s.disregarded_cents, s.deducted_cents, s.benefit_cents, s.months_used) == (10_000, 70_000, 66_906, 30)
    after = settle(MONTH, 80_000, BOOK.norm("alleenstaande_ouder", MONTH), rule, months_used=30, age=30)
    assert after.disregarded_cents == 0
    # 12.5% of EUR 1,500 = EUR 187.50, above the maximum: EUR 167.79.
    assert settle(MONTH, 150_000, NORM, rule, age=30).disregarded_cents == 16_779


def test_experiment_disregard_in_2018_at_its_maximum_and_below_it_for_24_months():
    """Tijdelijk besluit experimenten Pw (Stb. 2017, 69): 50%, at most EUR 199, whatever the age, for at most 24
    months. Norm of 1 January 2018: EUR 992.12 (st-ab.nl, after Stcrt. 2017, 68641)."""
    month = date(2018, 3, 1)
    norm, rule = BOOK.norm("alleenstaande", month), BOOK.rule("experiment", month)
    at_max = settle(month, 60_000, norm, rule, months_used=5, age=22)
    assert (at_max.disregarded_cents, at_max.deducted_cents, at_max.benefit_cents) == (19_900, 40_100, 59_112)
    below = settle(month, 30_000, norm, rule)
    assert (below.disregarded_cents, below.deducted_cents, below.benefit_cents) == (15_000, 15_000, 84_212)
    spent = settle(month, 30_000, norm, rule, months_used=24)
    assert (spent.disregarded_cents, spent.benefit_cents) == (0, 69_212)  # the 24 months are used


def test_no_disregard_and_earnings_above_the_norm():
    s = settle(MONTH, 200_000, NORM, BOOK.rule("none", MONTH))
    assert (s.disregarded_cents, s.deducted_cents, s.benefit_cents) == (0, 200_000, 0)
    assert s.total_income_cents == 200_000


def test_each_settlement_explains_itself_line_by_line():
    s = settle(MONTH, 60_000, NORM, BOOK.rule("standard", MONTH), months_used=2, age=40)
    text = "\n".join(s.lines)
    for expected in ("Bijstandsnorm alleenstaande: € 1.369,06", "Opgegeven netto inkomsten: € 600,00.",
                     "25% van € 600,00 vrijgelaten: € 150,00.", "Teller: maand 3 van de 6",
                     "Verrekend met de uitkering: € 600,00 − € 150,00 = € 450,00.",
                     "Uitkering: € 1.369,06 − € 450,00 = € 919,06."):
        assert expected in text


def test_negative_earnings_are_refused():
    with pytest.raises(ValueError, match="negatief"):
        settle(MONTH, -1, NORM, BOOK.rule("none", MONTH))


# --- properties ------------------------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=2_000_000)
rules = st.builds(DisregardRule, regime=st.sampled_from(["standard", "single_parent", "experiment"]),
                  valid_from=st.just(date(2000, 1, 1)), percent_bp=st.integers(0, 10_000),
                  max_cents=st.integers(0, 100_000), max_months=st.one_of(st.none(), st.integers(0, 40)),
                  min_age=st.one_of(st.none(), st.integers(18, 30)))
norms = st.builds(BenefitNorm, household_type=st.just("alleenstaande"), valid_from=st.just(date(2000, 1, 1)),
                  cents=st.integers(0, 400_000))


@given(low=cents, high=cents, norm=norms, rule=rules, used=st.integers(0, 40), age=st.integers(18, 70))
def test_more_earnings_never_means_less_total_income(low, high, norm, rule, used, age):
    low, high = sorted((low, high))
    a = settle(MONTH, low, norm, rule, months_used=used, age=age)
    b = settle(MONTH, high, norm, rule, months_used=used, age=age)
    assert b.total_income_cents >= a.total_income_cents


@given(earnings=cents, norm=norms, rule=rules, used=st.integers(0, 40), age=st.integers(18, 70))
def test_the_disregard_stays_within_its_percentage_and_maximum_and_counters_within_their_limit(
        earnings, norm, rule, used, age):
    s = settle(MONTH, earnings, norm, rule, months_used=used, age=age)
    assert 0 <= s.disregarded_cents <= min(rule.max_cents, earnings * rule.percent_bp // 10_000)
    assert s.disregarded_cents + s.deducted_cents == earnings and s.benefit_cents >= 0
    if rule.max_months is not None and used <= rule.max_months:
        assert s.months_used <= rule.max_months


@given(declarations=st.lists(st.tuples(st.integers(1, 12), cents), min_size=1, max_size=12, unique_by=lambda d: d[0]),
       order=st.randoms(use_true_random=False))
def test_a_months_result_does_not_depend_on_the_order_declarations_were_entered(declarations, order):
    """Months are settled in calendar order, whatever order their earnings were declared in."""
    def run(entered):
        by_month = dict(entered)
        used, results = 0, {}
        for month in sorted(by_month):
            s = settle(date(2026, month, 1), by_month[month], NORM, BOOK.rule("standard", MONTH), months_used=used,
                       age=40)
            used, results[month] = s.months_used, s
        return results

    shuffled = list(declarations)
    order.shuffle(shuffled)
    assert run(declarations) == run(shuffled)


@given(st.lists(st.tuples(cents, cents, rules, st.integers(0, 40), st.booleans()), min_size=1, max_size=50))
def test_the_vectorized_settlement_equals_the_one_by_one_settlement(rows):
    earnings, norm_cents, rule_list, used, eligible = zip(*rows, strict=True)
    arrays = [np.array(v, dtype=np.int64) for v in (
        earnings, norm_cents, [r.percent_bp for r in rule_list], [r.max_cents for r in rule_list],
        [-1 if r.max_months is None else r.max_months for r in rule_list], used)]
    disregarded, deducted, benefit, used_after, no_right = settle_months(arrays[0], arrays[1], arrays[2],
                                                                         arrays[3], arrays[4], np.array(eligible),
                                                                         arrays[5])
    for i, (e, n, rule, u, ok) in enumerate(rows):
        plain = DisregardRule(rule.regime, rule.valid_from, rule.percent_bp, rule.max_cents, rule.max_months)
        s = settle(MONTH, e, BenefitNorm("alleenstaande", MONTH, n), plain, months_used=u, age=99)
        if not ok:
            s = settle(MONTH, e, BenefitNorm("alleenstaande", MONTH, n),
                       DisregardRule("none", MONTH, 0, 0), months_used=u)
        assert (disregarded[i], deducted[i], benefit[i], no_right[i]) == (
            s.disregarded_cents, s.deducted_cents, s.benefit_cents, s.no_entitlement)
        assert used_after[i] == s.months_used if ok else used_after[i] == u


def test_the_calculator_runs_the_counter_down_and_compares_with_not_working():
    months = calculate(BOOK, regime="standard", household_type="alleenstaande", start=date(2026, 1, 15),
                       earnings_cents=60_000, months=8, age=40)
    assert [m.gain_cents for m in months] == [15_000] * 6 + [0] * 2
    assert months[0].without_work_cents == 136_906
    with pytest.raises(ValueError, match="aantal maanden"):
        calculate(BOOK, regime="none", household_type="alleenstaande", start=MONTH, earnings_cents=0, months=0)


def test_every_regime_has_rules_today():
    for regime in Regime:
        BOOK.rule(regime, MONTH)
    with pytest.raises(ValueError, match="onbekende regeling"):
        BOOK.rule("bonus", MONTH)


def test_an_empty_rulebook_says_what_is_missing():
    with pytest.raises(RuleMissing, match="geen vrijlating standard"):
        RuleBook([], []).rule("standard", MONTH)


def test_a_single_parent_goes_from_sub_n_into_sub_r_and_through_its_30_months():
    """Art. 31 lid 2 sub n, then sub r: a single parent of 40 earning EUR 600 from July 2024 keeps 25% (EUR 150,
    below EUR 269) for six months, then 12.5% (EUR 75, below EUR 167.79, Gemeente Velsen 1 July 2024) for 30
    months; after that nothing. A single person without children stops after the six."""
    parent = calculate(BOOK, regime="standard", household_type="alleenstaande_ouder", start=date(2024, 7, 1),
                       earnings_cents=60_000, months=36, age=40)
    assert [m.settlement.disregarded_cents for m in parent] == [15_000] * 6 + [7_500] * 30
    spent = calculate(BOOK, regime="standard", household_type="alleenstaande_ouder", start=date(2027, 7, 1),
                      earnings_cents=60_000, months=1, age=40,
                      history=[(add_months(date(2024, 7, 1), i), "standard" if i < 6 else "single_parent", 1)
                               for i in range(36)])  # six sub n months from July 2024, then 30 of sub r
    assert spent[0].settlement.disregarded_cents == 0
    single = calculate(BOOK, regime="standard", household_type="alleenstaande", start=date(2024, 7, 1),
                       earnings_cents=60_000, months=8, age=40)
    assert [m.settlement.disregarded_cents for m in single] == [15_000] * 6 + [0, 0]
    young = calculate(BOOK, regime="standard", household_type="alleenstaande_ouder", start=date(2024, 7, 1),
                      earnings_cents=60_000, months=8, age=26)
    assert all(m.settlement.disregarded_cents == 0 for m in young)  # neither under 27 (art. 31 lid 7)


@pytest.mark.parametrize(("start", "norm", "july_norm", "maximum"), [
    # 2018: norms EUR 992.12 (1 January, st-ab.nl after Stcrt. 2017, 68641) and EUR 996.56 (1 July, Baanbrekers);
    # sub n EUR 201 (law text of 1 October 2017).
    (date(2018, 1, 1), 99_212, 99_656, 20_100),
    # 2025: norms EUR 1,345.45 (1 January, Gemeente Westland) and EUR 1,369.06 (1 July, after Rijksoverheid); sub n
    # EUR 269, the newest known (Gemeente Velsen, 1 July 2024).
    (date(2025, 1, 1), 134_545, 136_906, 26_900),
])
def test_the_standard_disregard_over_and_past_its_six_months(start, norm, july_norm, maximum):
    """Art. 31 lid 2 sub n Pw, a single person of 40 earning EUR 1,000 a month: 25% = EUR 250, cut to the maximum;
    six months, then nothing. Benefit = norm - (1,000 - disregard); in the seventh month (July, the new norm) the
    whole EUR 1,000 is offset, and in 2018 it reaches the norm: no right to benefit that month."""
    months = calculate(BOOK, regime="standard", household_type="alleenstaande", start=start,
                       earnings_cents=100_000, months=8, age=40)
    kept = min(25_000, maximum)
    assert [m.settlement.disregarded_cents for m in months] == [kept] * 6 + [0, 0]
    assert months[0].settlement.benefit_cents == norm - (100_000 - kept)
    seventh = months[6].settlement
    assert (seventh.benefit_cents, seventh.no_entitlement) == (max(0, july_norm - 100_000), july_norm <= 100_000)
    assert [m.settlement.months_left for m in months[:3]] == [5, 4, 3]


def test_a_month_at_the_age_27_boundary():
    """Art. 31 lid 7 Pw: no sub n disregard under 27. Born 15 March 1991: 26 on 1 March 2018, 27 on 1 April."""
    from vertrouwen.core.rules import MonthCase, Regime, age_on, settle_case

    for month, disregarded in ((date(2018, 3, 1), 0), (date(2018, 4, 1), 15_000)):
        case = MonthCase(month, "alleenstaande", Regime.STANDARD, 60_000, age=age_on(month, date(1991, 3, 15), None))
        assert settle_case(BOOK, case).disregarded_cents == disregarded
