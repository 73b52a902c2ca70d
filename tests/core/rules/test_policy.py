"""The settlement policy: one regime vocabulary, one month settled from plain inputs, the same for one person
(settle_case) and for many (settle_cases, the monthly run). Expected values are worked by hand from the rule
tables (tables.py) or come from the one-by-one settlement."""

from datetime import date

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from vertrouwen.core import codes
from vertrouwen.core.rules import (
    LAW_CHANGES,
    NO_BONUS,
    BenefitNorm,
    DisregardRule,
    JobBonus,
    MonthCase,
    Regime,
    RuleBook,
    age_on,
    decision_in_force,
    effective_regime,
    settle_case,
    settle_cases,
    shipped_rulebook,
    sub_n_granted,
    summary,
    used_before,
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
    # The decree (Stb. 2017, 69): 50%, at most EUR 199 a month, for at most two years.
    assert summary(BOOK.rule(Regime.EXPERIMENT, date(2018, 1, 1))) == (
        "50% van de inkomsten, hoogstens € 199,00 per maand, gedurende 24 maanden, zolang het experiment duurt")
    standard = BOOK.rule(Regime.STANDARD, MONTH)
    assert summary(standard) == (f"25% van de inkomsten, hoogstens € {standard.max_cents // 100},"
                                 f"{standard.max_cents % 100:02d} per maand, gedurende 6 maanden, vanaf 27 jaar")
    assert summary(BOOK.rule(Regime.NONE, MONTH)) == "alle inkomsten worden verrekend met de uitkering"


def test_age_on_a_day_counts_whole_years():
    assert age_on(date(2026, 3, 1), date(1999, 3, 1), None) == 27  # the birthday itself
    assert age_on(date(2026, 2, 28), date(1999, 3, 1), 1999) == 26  # the day before
    assert age_on(date(2026, 1, 1), None, 1999) == 27  # the birth year alone
    assert age_on(date(2026, 1, 1), None, None) is None


def test_the_age_rule_is_inside_the_policy():
    case = MonthCase(MONTH, "alleenstaande", Regime.STANDARD, 40_000, age=26)
    assert settle_case(BOOK, case).disregarded_cents == 0  # under 27: art. 31 lid 7 Pw
    older = settle_case(BOOK, MonthCase(**{**case.__dict__, "age": 27}))
    assert older.disregarded_cents == 10_000  # 25% of EUR 400


# Tilburg's premium (raadsinformatiebrief 3 juni 2020): EUR 2,400 for exit to work of 32 hours a week or more.
TILBURG = JobBonus(cents=240_000, min_hours_a_week=32, max_per_year_cents=240_000)


def test_the_job_bonus_is_paid_once_for_an_exit_to_work_with_its_hours():
    # 32 hours a week is 32 x 52 / 12 = 138.67 hours in a month.
    assert TILBURG.due(exits_to_work=True, hours=139, paid_this_year_cents=0) == 240_000
    assert TILBURG.due(exits_to_work=True, hours=138.5, paid_this_year_cents=0) == 0  # 31.96 hours a week
    assert TILBURG.due(exits_to_work=True, hours=None, paid_this_year_cents=0) == 0  # hours not known
    # Full-time hours in a month without an exit: never monthly by hours.
    assert TILBURG.due(exits_to_work=False, hours=170, paid_this_year_cents=0) == 0
    any_work = JobBonus(cents=50_000, min_hours_a_week=0, max_per_year_cents=50_000)
    assert any_work.due(exits_to_work=True, hours=None, paid_this_year_cents=0) == 50_000
    assert NO_BONUS.due(exits_to_work=True, hours=170, paid_this_year_cents=0) == 0


def test_the_job_bonus_keeps_its_yearly_maximum():
    # A second exit in the same year: nothing more where the maximum is one bonus; the rest where it is more.
    assert TILBURG.due(exits_to_work=True, hours=160, paid_this_year_cents=240_000) == 0
    twice = JobBonus(cents=50_000, max_per_year_cents=75_000)
    assert twice.due(exits_to_work=True, hours=None, paid_this_year_cents=50_000) == 25_000
    assert TILBURG.summary == ("eenmaal per uitstroom naar werk van ten minste 32 uur per week, hoogstens "
                               "€ 2.400,00 per jaar")


def test_a_month_with_a_bonus_says_so():
    settled = settle_case(BOOK, MonthCase(MONTH, "alleenstaande", Regime.STANDARD, 40_000, age=40,
                                          bonus_cents=TILBURG.due(True, 160, 0)))
    assert settled.bonus_cents == 240_000
    assert settled.total_income_cents == settled.benefit_cents + 40_000 + 240_000
    assert "Premie bij uitstroom naar werk: € 2.400,00." in settled.lines


def test_the_months_used_count_the_earlier_months_of_the_same_regime_with_a_disregard():
    """Sub n since the text of 1 October 2017 ("zes maanden"): the months in which it applied."""
    history = [(date(2018, 1, 1), "standard", 15_000), (date(2018, 2, 1), "standard", 0),
               (date(2018, 3, 1), "experiment", 19_900), (date(2018, 4, 1), "standard", 7_500)]
    used = used_before(BOOK, history, date(2018, 5, 1))
    assert used[Regime.STANDARD] == 2  # a month without earnings uses none
    assert used[Regime.EXPERIMENT] == 1
    assert used_before(BOOK, history, date(2018, 4, 1))[Regime.STANDARD] == 1  # only the months before
    assert used_before(BOOK, [], date(2018, 5, 1))[Regime.STANDARD] == 0


def test_sub_n_applies_only_where_the_college_granted_it():
    """Art. 31 lid 2 sub n: only where the college judges it helps towards work. Without the grant EUR 400 earned
    in January 2026 keeps nothing; the experiment's disregard (2018) does not depend on it."""
    case = MonthCase(MONTH, "alleenstaande", Regime.STANDARD, 40_000, age=40, sub_n_granted=False)
    refused = settle_case(BOOK, case)
    assert (refused.disregarded_cents, refused.months_used) == (0, 0)
    assert any("niet toegekend door het college" in line for line in refused.lines)
    assert settle_case(BOOK, MonthCase(**{**case.__dict__, "sub_n_granted": True})).disregarded_cents == 10_000
    decree = MonthCase(date(2018, 3, 1), "alleenstaande", Regime.EXPERIMENT, 40_000, age=40, sub_n_granted=False)
    assert settle_case(BOOK, decree).disregarded_cents == 19_900  # 50% of EUR 400, at most EUR 199


def test_in_2015_sub_n_is_six_consecutive_months_from_its_first():
    """Art. 31 lid 2 sub n, text of 2015: "zes aaneengesloten maanden". EUR 100 disregarded in January 2015 and
    nothing earned from February to June: in July the six months have passed, so EUR 400 earned then keeps
    nothing. In 2018 (text of 1 October 2017, "zes maanden") the same history leaves five months: July keeps 25% of
    EUR 400 = EUR 100 (maximum EUR 201, law text of 1 October 2017)."""
    for year, used, kept in ((2015, 6, 0), (2018, 1, 10_000)):
        history = [(date(year, 1, 1), "standard", 10_000)] + [(date(year, m, 1), "standard", 0) for m in range(2, 7)]
        month = date(year, 7, 1)
        assert used_before(BOOK, history, month)[Regime.STANDARD] == used
        settled = settle_case(BOOK, MonthCase(month, "alleenstaande", Regime.STANDARD, 40_000, age=40,
                                              months_used=used))
        assert settled.disregarded_cents == kept
    in_2015 = settle_case(BOOK, MonthCase(date(2015, 3, 1), "alleenstaande", Regime.STANDARD, 40_000, age=40,
                                          months_used=2))
    assert "Teller: maand 3 van de 6 aaneengesloten maanden vanaf de eerste maand met deze vrijlating." in \
        in_2015.lines


def test_sub_r_is_a_consecutive_period_of_30_months():
    """Art. 31 lid 2 sub r: "ten hoogste 30 aaneengesloten maanden". A single parent's sub r began in January 2022
    and applied in three months only; in July 2024, 30 calendar months later, the period is over."""
    history = [(date(2022, 1, 1), "single_parent", 5_000), (date(2022, 2, 1), "single_parent", 5_000),
               (date(2023, 6, 1), "single_parent", 5_000)]
    assert used_before(BOOK, history, date(2024, 6, 1))[Regime.SINGLE_PARENT] == 29
    assert used_before(BOOK, history, date(2024, 7, 1))[Regime.SINGLE_PARENT] == 30
    july = settle_case(BOOK, MonthCase(date(2024, 7, 1), "alleenstaande_ouder", Regime.SINGLE_PARENT, 60_000,
                                       age=40, months_used=30))
    assert july.disregarded_cents == 0


cases = st.builds(
    MonthCase, month=st.just(MONTH), household_type=st.sampled_from(list(codes.HOUSEHOLD_TYPES)),
    regime=st.sampled_from(list(Regime)), earnings_cents=st.integers(0, 500_000),
    hours=st.one_of(st.none(), st.floats(0, 200)), age=st.one_of(st.none(), st.integers(18, 70)),
    months_used=st.integers(0, 40), bonus_cents=st.sampled_from([0, 25_000]), sub_n_granted=st.booleans())


@given(st.lists(cases, min_size=1, max_size=40))
def test_the_monthly_run_settles_every_case_as_the_single_settlement_does(many):
    settled = settle_cases(
        BOOK, MONTH, household=[c.household_type for c in many], regime=[c.regime for c in many],
        age=np.array([-1 if c.age is None else c.age for c in many], dtype=np.int64),
        earnings=np.array([c.earnings_cents for c in many], dtype=np.int64),
        bonus=np.array([c.bonus_cents for c in many], dtype=np.int64),
        sub_n_granted=np.array([c.sub_n_granted for c in many]),
        months_used=np.array([c.months_used for c in many], dtype=np.int64))
    for i, case in enumerate(many):
        one = settle_case(BOOK, case)
        assert (settled.norm[i], settled.disregarded[i], settled.deducted[i], settled.benefit[i],
                settled.months_used[i], settled.bonus[i], settled.no_entitlement[i],
                settled.amounts_missing_since[i]) == (
            one.norm_cents, one.disregarded_cents, one.deducted_cents, one.benefit_cents, one.months_used,
            one.bonus_cents, one.no_entitlement, one.amounts_missing_since)


# --- the law as it stood in the month ---------------------------------------------------------------------

def small_book() -> RuleBook:
    """A hand-built book: the norm of 1 July 2024 (EUR 1,308.45, single) and the sub n maxima of 1 January 2018
    (EUR 202) and 1 July 2024 (EUR 269), indexed every half year; the decree's rule of 1 April 2017 to 1 April
    2021 (Stb. 2017, 69: 50%, EUR 199)."""
    return RuleBook([DisregardRule("standard", date(2018, 1, 1), 2500, 20_200, 6, 27),
                     DisregardRule("standard", date(2024, 7, 1), 2500, 26_900, 6, 27),
                     DisregardRule("experiment", date(2017, 4, 1), 5000, 19_900, 24, valid_until=date(2021, 4, 1))],
                    [BenefitNorm("alleenstaande", date(2024, 7, 1), 130_845)])


def test_a_month_after_the_next_indexation_says_its_amounts_are_older():
    book = small_book()
    current = settle_case(book, MonthCase(date(2024, 12, 1), "alleenstaande", Regime.STANDARD, 40_000, age=40))
    assert current.amounts_missing_since is None
    stale = settle_case(book, MonthCase(date(2025, 1, 1), "alleenstaande", Regime.STANDARD, 40_000, age=40))
    assert stale.amounts_missing_since == date(2025, 1, 1)  # the 1 January 2025 amounts are missing
    assert stale.benefit_cents == 130_845 - 30_000  # still computed: 25% of EUR 400 = EUR 100 disregarded
    assert any("01-01-2025 ontbreken" in line for line in stale.lines)


def test_income_at_or_above_the_norm_gives_no_right_and_uses_no_month():
    book = small_book()
    # EUR 1,700: 25% is EUR 425, the maximum EUR 269 is disregarded; 1,700 - 269 = 1,431 >= 1,308.45 (art. 11, 31).
    month = settle_case(book, MonthCase(date(2024, 9, 1), "alleenstaande", Regime.STANDARD, 170_000, age=40,
                                        months_used=2))
    assert (month.benefit_cents, month.disregarded_cents, month.months_used, month.no_entitlement) == (0, 0, 2, True)
    assert any("Geen recht op bijstand" in line for line in month.lines)
    # EUR 1,500: 1,500 - 269 = 1,231 < 1,308.45: the disregard keeps the right, EUR 77.45 is paid.
    kept = settle_case(book, MonthCase(date(2024, 9, 1), "alleenstaande", Regime.STANDARD, 150_000, age=40))
    assert (kept.benefit_cents, kept.months_used, kept.no_entitlement) == (7_745, 1, False)


def test_the_decree_holds_only_in_its_window():
    book = small_book()
    norm_2018 = RuleBook(book.rules, [BenefitNorm("alleenstaande", date(2018, 1, 1), 99_212)])
    inside = settle_case(norm_2018, MonthCase(date(2018, 3, 1), "alleenstaande", Regime.EXPERIMENT, 60_000))
    assert inside.disregarded_cents == 19_900  # 50% of EUR 600 = EUR 300, above the EUR 199 maximum
    after = settle_case(book, MonthCase(date(2024, 9, 1), "alleenstaande", Regime.EXPERIMENT, 60_000, age=40))
    assert after.disregarded_cents == 15_000  # the standard 25% of EUR 600
    assert "gold van 1 april 2017 tot 1 april 2021" in after.lines[0]
    assert effective_regime(book, Regime.EXPERIMENT, date(2021, 4, 1)) is Regime.STANDARD
    assert effective_regime(book, Regime.EXPERIMENT, date(2021, 3, 1)) is Regime.EXPERIMENT


def test_from_2027_the_disregard_holds_under_27_and_a_municipality_may_start_in_2026():
    """Participatiewet in balans (SZW, Gemeentenieuws, October 2025): more earning room for people under 27 formally
    from 1 January 2027, which a municipality may apply in the tolerance year 2026. A person of 25 earning EUR 400
    keeps nothing in December 2026 (art. 31 lid 7) and 25% = EUR 100 in January 2027 (sub n maximum EUR 269 of
    July 2024, the newest known: the month says newer amounts are missing)."""
    young = MonthCase(date(2026, 12, 1), "alleenstaande", Regime.STANDARD, 40_000, age=25)
    assert settle_case(BOOK, young).disregarded_cents == 0
    january = settle_case(BOOK, MonthCase(**{**young.__dict__, "month": date(2027, 1, 1)}))
    assert january.disregarded_cents == 10_000 and january.amounts_missing_since is not None
    assert any(line.startswith("Participatiewet in balans: vanaf 1 januari 2027") for line in january.lines)
    early = RuleBook(BOOK.rules, BOOK.norms, BOOK.counting, young_from=date(2026, 7, 1))
    assert settle_case(early, young).disregarded_cents == 10_000
    assert settle_case(early, MonthCase(**{**young.__dict__, "month": date(2026, 6, 1)})).disregarded_cents == 0
    assert summary(BOOK.rule(Regime.STANDARD, date(2027, 1, 1))).endswith("gedurende 6 maanden")  # no age limit


def test_every_change_of_participatiewet_in_balans_names_its_source_and_is_unconfirmed():
    assert {change.valid_from for change in LAW_CHANGES} == {date(2026, 1, 1), date(2027, 1, 1)}
    assert all(change.source and not change.confirmed and change.modelled for change in LAW_CHANGES)


def test_the_decision_in_force_is_the_newest_made_that_holds_before_the_months_end():
    """One rule for the settlement and the participant page (rules.decision_in_force)."""
    decisions = [(date(2026, 3, 20), False), (date(2026, 1, 1), True)]  # the second, made later, from January
    assert decision_in_force(decisions, date(2025, 12, 1)) is None
    assert decision_in_force(decisions[:1], date(2026, 3, 1)) == 0  # from the 20th: it decides March
    assert decision_in_force(decisions, date(2026, 3, 1)) == 1  # the newer decision replaces it
    assert sub_n_granted(decisions, date(2026, 3, 1), by_default=False) is True
    assert sub_n_granted([], date(2026, 3, 1), by_default=False) is False
