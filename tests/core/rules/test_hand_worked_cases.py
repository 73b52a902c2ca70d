"""Hand-worked settlements, one month each, by the law and the amounts of that month. Every expected figure is
worked out by hand below from the article named and the amount read in the publication named (the norms include
the holiday allowance; a single parent has the single person's norm). benefit = norm - (earnings - disregarded).

Sources of the amounts (core/rules/tables.py): norms 2015 and sub r 2015 Stcrt. 2015, 17277; norm 2016-01
socialeraadsvrouw.nl; 2018-01 st-ab.nl after Stcrt. 2017, 68641; 2018-07 Baanbrekers; 2019-01 SZW; 2021-01 Sociaal
Verhaal; 2024-07 and sub n / sub r 2021-07, 2024-07 Gemeente Velsen; 2025-01 Gemeente Westland; 2025-07 after
Rijksoverheid; sub n 2015 and 2017-07 the law text of art. 31 lid 2 sub n; the decree's 50% and EUR 199 Stb. 2017, 69
as reported."""

from datetime import date

import pytest

from vertrouwen.core.rules import MonthCase, Regime, settle_case, shipped_rulebook

BOOK = shipped_rulebook()
S, P, C = "alleenstaande", "alleenstaande_ouder", "gehuwd_samenwonend"
STD, SR, EXP, NONE = Regime.STANDARD, Regime.SINGLE_PARENT, Regime.EXPERIMENT, Regime.NONE

# (case, month, household, regime, earnings, age, months used before, sub n granted, disregarded, benefit)
CASES = [
    # The decree (Stb. 2017, 69): 50%, at most EUR 199, 24 months, 1 April 2017 to 1 April 2021.
    ("decree 2018 above its maximum: 50% of 600 = 300 > 199; 992.12 - 401", date(2018, 3, 1), S, EXP, 60_000, 40, 0,
     True, 19_900, 59_112),
    ("decree 2018 below its maximum: 50% of 300 = 150; 992.12 - 150", date(2018, 3, 1), S, EXP, 30_000, 40, 0, True,
     15_000, 84_212),
    ("decree 2019 at its maximum exactly: 50% of 398; 1,025.55 - 199", date(2019, 2, 1), S, EXP, 39_800, 40, 0, True,
     19_900, 82_655),
    ("decree 2018 couple: 199 of 600; 1,417.32 - 401", date(2018, 3, 1), C, EXP, 60_000, 40, 0, True, 19_900,
     101_632),
    ("decree month 25: the 24 months are used; 1,025.55 - 600", date(2019, 6, 1), S, EXP, 60_000, 40, 24, True, 0,
     42_555),
    ("decree lapsed in April 2021: sub n 25% of 600 = 150 (max 201); 1,075.44 - 450", date(2021, 4, 1), S, EXP,
     60_000, 40, 0, True, 15_000, 62_544),
    ("decree not yet in force in June 2016: sub n 25% of 400 = 100; 972.70 - 300", date(2016, 6, 1), S, EXP, 40_000,
     40, 0, True, 10_000, 67_270),
    # Art. 31 lid 2 sub n: 25%, the half-yearly maximum, six months, not under 27 (lid 7).
    ("sub n 2015: 25% of 400 = 100; 960.83 - 300", date(2015, 3, 1), S, STD, 40_000, 40, 0, True, 10_000, 66_083),
    ("sub n 2015 above its maximum: 25% of 1,000 = 250 > 196; 962.63 - 804", date(2015, 9, 1), S, STD, 100_000, 40,
     0, True, 19_600, 15_863),
    ("sub n 2018: 25% of 400 = 100; 992.12 - 300", date(2018, 3, 1), S, STD, 40_000, 40, 0, True, 10_000, 69_212),
    ("sub n 2018 above its maximum: 250 > 201; 992.12 - 799", date(2018, 3, 1), S, STD, 100_000, 40, 0, True,
     20_100, 19_312),
    ("sub n 2018 past its six months: 996.56 - 400", date(2018, 8, 1), S, STD, 40_000, 40, 6, True, 0, 59_656),
    ("sub n 2025: 25% of 400 = 100; 1,345.45 - 300", date(2025, 3, 1), S, STD, 40_000, 40, 0, True, 10_000, 104_545),
    ("sub n 2025 above its maximum: 300 > 269; 1,369.06 - 931", date(2025, 9, 1), S, STD, 120_000, 40, 0, True,
     26_900, 43_806),
    ("sub n 2025 past its six months: 1,369.06 - 400", date(2025, 9, 1), S, STD, 40_000, 40, 6, True, 0, 96_906),
    ("sub n at 26 (art. 31 lid 7): nothing; 1,345.45 - 400", date(2025, 3, 1), S, STD, 40_000, 26, 0, True, 0,
     94_545),
    ("sub n at 27: 100; 1,345.45 - 300", date(2025, 3, 1), S, STD, 40_000, 27, 0, True, 10_000, 104_545),
    ("sub n not granted by the college: nothing; 1,345.45 - 400", date(2025, 3, 1), S, STD, 40_000, 40, 0, False, 0,
     94_545),
    ("sub n couple 2024: 25% of 800 = 200 < 269; 1,869.21 - 600", date(2024, 9, 1), C, STD, 80_000, 40, 0, True,
     20_000, 126_921),
    # Art. 31 lid 2 sub r: single parent, 12.5%, the half-yearly maximum, 30 months, after sub n.
    ("sub r 2015 above its maximum: 125 > 122.26; 960.83 - 877.74", date(2015, 3, 1), P, SR, 100_000, 40, 0, True,
     12_226, 8_309),
    ("sub r 2024: 12.5% of 600 = 75; 1,308.45 - 525", date(2024, 9, 1), P, SR, 60_000, 40, 0, True, 7_500, 78_345),
    ("sub r 2024 above its maximum: 175 > 167.79; 1,308.45 - 1,232.21", date(2024, 9, 1), P, SR, 140_000, 40, 0,
     True, 16_779, 7_624),
    ("sub r past its 30 months: 1,308.45 - 600", date(2024, 9, 1), P, SR, 60_000, 40, 30, True, 0, 70_845),
    # Art. 11 and 31 Pw: means at or above the norm give no right to benefit; no disregard month is used.
    ("income above the norm 2025: 1,700 - 269 >= 1,345.45: nothing paid", date(2025, 3, 1), S, STD, 170_000, 40, 0,
     True, 0, 0),
    ("couple income above the norm 2018: 1,700 - 201 >= 1,417.32", date(2018, 3, 1), C, STD, 170_000, 40, 0, True,
     0, 0),
    ("no disregard: everything offset; 1,345.45 - 400", date(2025, 3, 1), S, NONE, 40_000, 40, 0, True, 0, 94_545),
    # 2026 and 2027: settled with the amounts of July 2025, flagged (tests below).
    ("2026 with older amounts: 100; 1,369.06 - 300", date(2026, 3, 1), S, STD, 40_000, 40, 0, True, 10_000, 106_906),
    ("2027 under 27 (Participatiewet in balans): 100; 1,369.06 - 300", date(2027, 2, 1), S, STD, 40_000, 25, 0, True,
     10_000, 106_906),
]


@pytest.mark.parametrize(("month", "household", "regime", "earnings", "age", "used", "granted", "disregarded",
                          "benefit"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_hand_worked_month(month, household, regime, earnings, age, used, granted, disregarded, benefit):
    settled = settle_case(BOOK, MonthCase(month, household, regime, earnings, age=age, months_used=used,
                                          sub_n_granted=granted))
    assert (settled.disregarded_cents, settled.benefit_cents) == (disregarded, benefit)
    assert settled.months_used == used + (disregarded > 0)


def test_there_are_at_least_25_hand_worked_months():
    assert len(CASES) >= 25


def test_a_month_of_2026_says_it_used_older_amounts():
    settled = settle_case(BOOK, MonthCase(date(2026, 3, 1), S, STD, 40_000, age=40))
    # The earliest missing amount: the sub n maximum of 1 January 2025 (the newest row is July 2024's EUR 269).
    assert settled.amounts_missing_since == date(2025, 1, 1)
    assert "Let op: de bedragen per 01-01-2025 ontbreken in de regeltabellen; gerekend met de oudere bedragen " \
           "hierboven." in settled.lines
    assert BOOK.missing_since(BOOK.norm(S, date(2026, 3, 1)), date(2026, 3, 1)) == date(2026, 1, 1)  # and the norm


def test_income_above_the_norm_uses_no_month_and_says_so():
    settled = settle_case(BOOK, MonthCase(date(2025, 3, 1), S, STD, 170_000, age=40, months_used=2))
    assert (settled.no_entitlement, settled.months_used) == (True, 2)
