"""A small municipality built by hand for the lottery tests, so that every expected figure can be counted on it.

Loterijstad (GM0001), experiment "lt" (Loting getest), period 2020-01-01 to 2021-12-31, count date 2021-06-01;
lottery first, ages 18 to 66, only persons on benefit. Three arms, ratio 2:1:1, so a block holds B = 4 units:

    position  code      ratio  control
    0         controle  2      yes
    1         vrij      1
    2         bonus     1

The main draw date is D = 2020-03-01. Benefit duration bands at D (core.lottery.strata: whole years since the
start of the running spell): start 2014-01-01 -> "5+ jaar", 2017-01-01 -> "2-5 jaar", 2018-09-01 -> "1-2 jaar",
2019-09-01 -> "<1 jaar". Household types: AS alleenstaande, AO alleenstaande_ouder, GS gehuwd_samenwonend.

    person  born             household  benefit spells                        at D
    L01-04  1980-05-05       AS         2014-01-01 ..                         eligible, stratum AS / 5+
    L05     2002-03-01       AS         2014-01-01 ..                         eligible (18 exactly on D), AS / 5+
    L06-07  1985-05-05       AS         2019-09-01 ..                         eligible, AS / <1
    L08     year 1985 only   AS         2019-09-01 ..                         eligible (age 34), AS / <1
    L09     1975-05-05       AO         2017-01-01 ..                         eligible, AO / 2-5
    L10     1953-03-02       AO         2017-01-01 ..                         eligible (66: birthday tomorrow)
    L11-12  1975-05-05       AO         2017-01-01 ..                         eligible, AO / 2-5
    L13     1990-05-05       GS         2018-09-01 ..                         eligible, GS / 1-2
    L14     1990-05-05       GS         2018-09-01 .. 2020-03-01              eligible (spell ends on D)
    L15-16  1990-05-05       GS         2018-09-01 ..                         eligible, GS / 1-2
    L17     1990-05-05       GS         2010-01-01 .. 2015-06-30, 2018-09-01 ..  eligible, GS / 1-2 (running spell)
    L18     1990-05-05       GS         2018-09-01 ..                         eligible, GS / 1-2
    L19-20  1970-05-05       AO         2014-01-01 ..                         eligible, AO / 5+
    L21     2002-06-01       AS         2019-09-01 ..                         age 17: too young
    L22     1950-01-01       AS         2014-01-01 ..                         age 70: too old
    L23     unknown          AS         2020-06-01 ..                         not on benefit yet (age unknown)
    L24     1980-01-01       AS         2014-01-01 .. 2019-12-31              benefit ended before D
    L25     1953-03-01       AO         2014-01-01 ..                         age 67 (birthday on D): too old
    L26     1990-05-05       AS         2020-03-01 ..                         spell starts on D: not yet on benefit
    L27     1995-05-05       AS         2020-04-01 ..                         April 2020 cohort
    L28     1995-05-05       AO         2020-04-15 ..                         April 2020 cohort
    L29     1995-05-05       AS         2020-04-30 ..                         April 2020 cohort
    L30     1995-05-05       AS         2020-05-10 ..                         May 2020 inflow
    L31     1940-05-05       AS         2020-04-10 ..                         April 2020 inflow, age 79: too old

Eligible at D: L01..L20, 20 persons. Ordered by person number (the order of a draw's input), strata get their
numbers by first appearance: 0 AS/5+ (L01-L05, 5 units), 1 AS/<1 (L06-L08, 3), 2 AO/2-5 (L09-L12, 4),
3 GS/1-2 (L13-L18, 6), 4 AO/5+ (L19-L20, 2). Full blocks: L01-L04, L09-L12, L13-L16, each giving controle 2, vrij 1,
bonus 1. Algorithm version 2 keeps the leftovers in their stratum, each stratum's in one incomplete block of 4
(R = 4): L05; L06-L08; L17-L18; L19-L20. So blocks are numbered 0 (L01-L04), 1 (L05), 2 (L06-L08), 3 (L09-L12),
4 (L13-L16), 5 (L17-L18), 6 (L19-L20), and each incomplete block holds at most 2 controle, 1 vrij and 1 bonus.

The April 2020 cohort, drawn on 2020-05-01: L27, L28, L29 (L31 started in April but is too old; L26 started in
March, L30 in May, and is not on benefit on 2020-05-01).

Reference group (ReferenceMember): L01 and L13 (eligible, leave when drawn), L22 and L24 (stay).
A second municipality, Buurdorp (GM0002), has one person B01 on benefit: never a candidate in Loterijstad.
"""

from dataclasses import dataclass
from datetime import date

from vertrouwen.web.registry.models import Arm, BenefitSpell, Experiment, Municipality, Person, ReferenceMember

DRAW_DATE = date(2020, 3, 1)
COHORT_MONTH = date(2020, 4, 1)
COHORT_DRAW_DATE = date(2020, 5, 1)
ARMS = ("controle", "vrij", "bonus")  # in position order
RATIO = (2, 1, 1)
BLOCK = 4

ELIGIBLE = tuple(f"L{i:02d}" for i in range(1, 21))
COHORT = ("L27", "L28", "L29")
REFERENCE = ("L01", "L13", "L22", "L24")

# The strata of the eligible persons at D (household type, benefit duration band), counted from the table above.
STRATA = {
    **{p: ("alleenstaande", "5+ jaar") for p in ("L01", "L02", "L03", "L04", "L05")},
    **{p: ("alleenstaande", "<1 jaar") for p in ("L06", "L07", "L08")},
    **{p: ("alleenstaande_ouder", "2-5 jaar") for p in ("L09", "L10", "L11", "L12")},
    **{p: ("gehuwd_samenwonend", "1-2 jaar") for p in ("L13", "L14", "L15", "L16", "L17", "L18")},
    **{p: ("alleenstaande_ouder", "5+ jaar") for p in ("L19", "L20")},
}
# The blocks of the stratified draw at D (algorithm version 2), in block order: full blocks and each stratum's
# incomplete block of leftovers.
BLOCKS = (("L01", "L02", "L03", "L04"), ("L05",), ("L06", "L07", "L08"), ("L09", "L10", "L11", "L12"),
          ("L13", "L14", "L15", "L16"), ("L17", "L18"), ("L19", "L20"))
FULL_BLOCKS = tuple(block for block in BLOCKS if len(block) == 4)

AS, AO, GS = "alleenstaande", "alleenstaande_ouder", "gehuwd_samenwonend"
OPEN = None

# person: (birth date, birth year, household type, [(spell start, spell end), ...])
PERSONS = {
    **{p: (date(1980, 5, 5), None, AS, [(date(2014, 1, 1), OPEN)]) for p in ("L01", "L02", "L03", "L04")},
    "L05": (date(2002, 3, 1), None, AS, [(date(2014, 1, 1), OPEN)]),
    **{p: (date(1985, 5, 5), None, AS, [(date(2019, 9, 1), OPEN)]) for p in ("L06", "L07")},
    "L08": (None, 1985, AS, [(date(2019, 9, 1), OPEN)]),
    **{p: (date(1975, 5, 5), None, AO, [(date(2017, 1, 1), OPEN)]) for p in ("L09", "L11", "L12")},
    "L10": (date(1953, 3, 2), None, AO, [(date(2017, 1, 1), OPEN)]),
    **{p: (date(1990, 5, 5), None, GS, [(date(2018, 9, 1), OPEN)]) for p in ("L13", "L15", "L16", "L18")},
    "L14": (date(1990, 5, 5), None, GS, [(date(2018, 9, 1), DRAW_DATE)]),
    "L17": (date(1990, 5, 5), None, GS, [(date(2010, 1, 1), date(2015, 6, 30)), (date(2018, 9, 1), OPEN)]),
    **{p: (date(1970, 5, 5), None, AO, [(date(2014, 1, 1), OPEN)]) for p in ("L19", "L20")},
    "L21": (date(2002, 6, 1), None, AS, [(date(2019, 9, 1), OPEN)]),
    "L22": (date(1950, 1, 1), None, AS, [(date(2014, 1, 1), OPEN)]),
    "L23": (None, None, AS, [(date(2020, 6, 1), OPEN)]),
    "L24": (date(1980, 1, 1), None, AS, [(date(2014, 1, 1), date(2019, 12, 31))]),
    "L25": (date(1953, 3, 1), None, AO, [(date(2014, 1, 1), OPEN)]),
    "L26": (date(1990, 5, 5), None, AS, [(date(2020, 3, 1), OPEN)]),
    "L27": (date(1995, 5, 5), None, AS, [(date(2020, 4, 1), OPEN)]),
    "L28": (date(1995, 5, 5), None, AO, [(date(2020, 4, 15), OPEN)]),
    "L29": (date(1995, 5, 5), None, AS, [(date(2020, 4, 30), OPEN)]),
    "L30": (date(1995, 5, 5), None, AS, [(date(2020, 5, 10), OPEN)]),
    "L31": (date(1940, 5, 5), None, AS, [(date(2020, 4, 10), OPEN)]),
}


@dataclass
class Town:
    experiment: Experiment
    arms: dict[str, Arm]
    persons: dict[str, Person]


def add_person(municipality: Municipality, number: str, birth_date, birth_year, household: str, spells) -> Person:
    person = Person.objects.create(municipality=municipality, external_id=number, birth_date=birth_date,
                                   birth_year=birth_year, sex="vrouw" if int(number[-1]) % 2 else "man",
                                   household_type=household, limitation="geen", education="middelbaar")
    for start, end in spells:
        BenefitSpell.objects.create(person=person, spell_start=start, spell_end=end, end_reason="werk" if end else "")
    return person


def build_town() -> Town:
    municipality = Municipality.objects.create(code="GM0001", name="Loterijstad")
    experiment = Experiment.objects.create(
        municipality=municipality, code="lt", name="Loting getest", period_start=date(2020, 1, 1),
        period_end=date(2021, 12, 31), count_date=date(2021, 6, 1), lottery_order="lottery_first", min_age=18,
        max_age=66, requires_benefit=True)
    arms = {code: Arm.objects.create(experiment=experiment, position=position, code=code, name=code.capitalize(),
                                     rules_text=f"De regels van {code}.", is_control=code == "controle",
                                     allocation_ratio=ratio)
            for position, (code, ratio) in enumerate(zip(ARMS, RATIO, strict=True))}
    persons = {number: add_person(municipality, number, *values) for number, values in PERSONS.items()}
    for number in REFERENCE:
        ReferenceMember.objects.create(experiment=experiment, person=persons[number])
    elsewhere = Municipality.objects.create(code="GM0002", name="Buurdorp")
    add_person(elsewhere, "B01", date(1980, 5, 5), None, AS, [(date(2014, 1, 1), OPEN)])
    return Town(experiment, arms, persons)
