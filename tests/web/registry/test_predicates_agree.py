"""The register's time predicates in the core (polars) and their SQL twin (Django) give the same answers on one
register built by hand around the count date C = 1 October 2019, with every edge day: a spell that starts on C,
one that ends on C, one that ended the day before, a re-entry the day after an exit, signing on C and stopping on C.

Expected answers are read off the table below by hand (DESIGN.md section 6: the state at C is the state after
every event dated before C), and both implementations must give them.

    person  spells (start - end, reason)                          enrollment (signed, stopped)
    P1      2019-10-01 -                                          -
    P2      2015-01-01 - 2019-10-01 werk                          2017-10-02, -
    P3      2015-01-01 - 2019-06-30 werk; 2019-07-01 -            2017-10-02, -
    P4      2019-09-30 -                                          -
    P5      2015-01-01 - 2018-03-31 verhuizing; 2018-05-01 - 2019-09-30 zelfstandig
    P6      2015-01-01 -                                          2019-10-01, -
    P7      2015-01-01 -                                          2019-09-30, 2019-10-01
    P8      2015-01-01 -                                          2017-10-02, 2019-09-30
"""

import datetime as dt

import polars as pl
import pytest
from tests.web.dataset_files import MANIFEST, write_folder

from vertrouwen.core import predicates as core
from vertrouwen.core.dataset import read_dataset
from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.registry import predicates as sql
from vertrouwen.web.registry.models import BenefitSpell, Enrollment, Person

pytestmark = pytest.mark.django_db

C = dt.date(2019, 10, 1)
DAY_BEFORE, DAY_AFTER = dt.date(2019, 9, 30), dt.date(2019, 10, 2)
PERIOD_START = dt.date(2017, 10, 1)

PERSONS = "person_id,bsn,birth_date,birth_year,sex,household_type,refugee_status_holder,limitation,education\n" + \
    "".join(f"P{i},,,1980,vrouw,alleenstaande,nee,geen,middelbaar\n" for i in range(1, 9))
SPELLS = """person_id,spell_start,spell_end,end_reason
P1,2019-10-01,,
P2,2015-01-01,2019-10-01,werk
P3,2015-01-01,2019-06-30,werk
P3,2019-07-01,,
P4,2019-09-30,,
P5,2015-01-01,2018-03-31,verhuizing
P5,2018-05-01,2019-09-30,zelfstandig
P6,2015-01-01,,
P7,2015-01-01,,
P8,2015-01-01,,
"""
ENROLLMENTS = """person_id,arm,allocated_on,consented_on,stopped_on,stop_reason
P2,zelf_in_actie,2017-09-15,2017-10-02,,
P3,onderzoeksgroep,2017-09-15,2017-10-02,,
P6,zelf_in_actie,2017-09-15,2019-10-01,,
P7,zelf_in_actie,2017-09-15,2019-09-30,2019-10-01,persoonlijke_reden
P8,onderzoeksgroep,2017-09-15,2017-10-02,2019-09-30,persoonlijke_reden
"""
EMPTY = {
    "goals.csv": "person_id,recorded_on,occasion,goal\n",
    "assessments.csv": "person_id,recorded_on,occasion,good_prospects,ladder_rung\n",
    "earnings.csv": "person_id,month,earnings_cents,hours\n",
    "contacts.csv": "person_id,contact_on,channel,minutes,initiated_by\n",
    "survey_responses.csv": "person_id,wave,instrument,item,value,mode\n",
}


@pytest.fixture
def register(tmp_path):
    """The dataset as the core reads it, and the person numbers by database id after importing it."""
    folder = write_folder(tmp_path / "edges", {"persons.csv": PERSONS, "benefit_spells.csv": SPELLS,
                                               "enrollments.csv": ENROLLMENTS, **EMPTY}, MANIFEST)
    import_dataset(folder, actor="test")
    return read_dataset(folder), dict(Person.objects.values_list("pk", "external_id"))


def numbers(ids, number_of) -> set[str]:
    return {number_of[i] for i in ids}


@pytest.mark.parametrize(("day", "expected"), [
    (DAY_BEFORE, {"P2", "P3", "P5", "P6", "P7", "P8"}),       # P4 starts on this day, P5 ends on it
    (C, {"P2", "P3", "P4", "P6", "P7", "P8"}),               # P1 starts on C: not yet; P2 ends on C: still
    (DAY_AFTER, {"P1", "P3", "P4", "P6", "P7", "P8"}),
])
def test_on_benefit_at_a_day(register, day, expected):
    dataset, number_of = register
    assert set(core.on_benefit_at(dataset.tables["benefit_spells"], day).to_list()) == expected
    assert numbers(sql.persons_on_benefit_at(day).values_list("person_id", flat=True), number_of) == expected
    on_benefit = Person.objects.filter(sql.on_benefit_at(day, person="pk"))
    assert set(on_benefit.values_list("external_id", flat=True)) == expected


@pytest.mark.parametrize(("month", "expected"), [
    (dt.date(2018, 4, 1), {"P2", "P3", "P6", "P7", "P8"}),     # P5 between two spells all April
    (dt.date(2019, 9, 1), {"P2", "P3", "P4", "P5", "P6", "P7", "P8"}),
    (dt.date(2019, 10, 1), {"P1", "P2", "P3", "P4", "P6", "P7", "P8"}),
])
def test_on_benefit_during_a_month(register, month, expected):
    dataset, _ = register
    spells = dataset.tables["benefit_spells"]
    assert set(spells.filter(core.spell_running_during(month))["person_id"].to_list()) == expected
    during = Person.objects.filter(sql.on_benefit_during(month, person="pk"))
    assert set(during.values_list("external_id", flat=True)) == expected


@pytest.mark.parametrize(("predicate", "day", "expected"), [
    ("participant_at", C, {"P2", "P3", "P7"}),       # P6 signed on C; P7 stopped on C; P8 stopped before C
    ("participant_at", DAY_AFTER, {"P2", "P3", "P6"}),
    ("signed_before", C, {"P2", "P3", "P7", "P8"}),
    ("stopped_before", C, {"P8"}),
    ("stopped_before", DAY_AFTER, {"P7", "P8"}),
    ("rules_apply_on", C, {"P2", "P3", "P6"}),       # signed on C: rules apply; stopped on C: no longer
    ("rules_apply_on", DAY_BEFORE, {"P2", "P3", "P7"}),
])
def test_participants_and_the_rules_that_apply(register, predicate, day, expected):
    dataset, _ = register
    enrollments = dataset.tables["enrollments"]
    assert set(enrollments.filter(getattr(core, predicate)(day))["person_id"].to_list()) == expected
    rows = Enrollment.objects.filter(getattr(sql, predicate)(day))
    assert set(rows.values_list("person__external_id", flat=True)) == expected


@pytest.mark.parametrize(("before", "exits", "back"), [
    (C, {"P3": dt.date(2019, 6, 30), "P5": dt.date(2019, 9, 30)}, {"P3": dt.date(2019, 7, 1)}),
    (DAY_AFTER, {"P2": C, "P3": dt.date(2019, 6, 30), "P5": dt.date(2019, 9, 30)}, {"P3": dt.date(2019, 7, 1)}),
])
def test_first_exit_to_work_and_re_entry(register, before, exits, back):
    dataset, number_of = register
    spells = dataset.tables["benefit_spells"]
    first = core.first_exits_to_work(spells, PERIOD_START, before)
    assert dict(first.sort("person_id").iter_rows()) == exits
    assert dict(core.reentries(spells, first, before).select("person_id", "back_on").iter_rows()) == back
    assert {number_of[p]: d for p, d in sql.first_exits_to_work(PERIOD_START, before)
            .values_list("person_id", "first_exit")} == exits
    assert {number_of[p]: d for p, d in sql.reentries(PERIOD_START, before).items()} == back


def test_the_register_was_imported_whole(register):
    """The SQL side sees the same rows as the core side: the comparisons above compare like with like."""
    dataset, _ = register
    assert BenefitSpell.objects.count() == dataset.tables["benefit_spells"].height == 10
    assert Enrollment.objects.count() == dataset.tables["enrollments"].height == 5
    assert dataset.tables["benefit_spells"].schema["spell_start"] == pl.Date


def development_both_ways(dataset) -> tuple[dict, dict]:
    """Report table 1 per arm code: from the core's monitor (polars) and from the start pages' selector (SQL)."""
    from vertrouwen.core.monitor import monitor
    from vertrouwen.web.registry.selectors import experiments, participant_development

    table = monitor(dataset).participants
    core_side = {arm: (row["enrolled"], row["stopped"], row["exited"], row["current"])
                 for arm, row in table.items() if arm != "total"}
    development = participant_development(experiments()[0])
    sql_side = {col.arm.code: (col.participants, col.stopped, col.exited, col.on_benefit)
                for col in development.columns}
    return core_side, sql_side


def test_report_table_1_is_the_same_from_the_monitor_and_the_start_page(register):
    dataset, _ = register
    core_side, sql_side = development_both_ways(dataset)
    # By hand at C: zelf_in_actie has P2 (exits on C: still on benefit), P7 (signed before C, stops on C);
    # P6 signed on C and is not yet a participant. onderzoeksgroep has P3 (back on benefit) and P8 (stopped).
    assert core_side == sql_side == {"zelf_in_actie": (2, 0, 0, 2), "onderzoeksgroep": (2, 1, 0, 1)}


def test_report_table_1_agrees_on_a_synthetic_municipality(tmp_path):
    from vertrouwen.core.dataset import write_dataset
    from vertrouwen.core.simulation import generate

    folder = tmp_path / "xs"
    write_dataset(folder, generate(size="XS", seed=11))
    import_dataset(folder, actor="test")
    core_side, sql_side = development_both_ways(read_dataset(folder))
    assert core_side == sql_side
    assert sum(row[0] for row in core_side.values()) >= 50  # a register with something to count


def test_report_table_1_agrees_on_the_monitors_own_edge_register(tmp_path):
    """The register the monitor's tests work out by hand (tests/core/monitor/edges.py), through both sides."""
    from tests.core.monitor.edges import write_edges

    folder = write_edges(tmp_path / "edges")
    import_dataset(folder, actor="test")
    core_side, sql_side = development_both_ways(read_dataset(folder))
    # By hand (edges.py): A has A1-A5 signed, A5 stopped, A1 exited; B has B1, B2 (both exited), B4 signs on C.
    assert core_side == sql_side == {"A": (5, 1, 1, 3), "B": (2, 0, 2, 0)}


def test_questionnaire_response_agrees_between_the_monitor_and_the_start_page(tmp_path):
    """Participants with at least one answer per wave and group: the monitor (polars) and the start page (SQL)."""
    from vertrouwen.core.dataset import write_dataset
    from vertrouwen.core.monitor import monitor
    from vertrouwen.core.simulation import generate
    from vertrouwen.web.registry.selectors import arms_of, experiments, survey_response

    folder = tmp_path / "xs"
    write_dataset(folder, generate(size="XS", seed=11))
    import_dataset(folder, actor="test")
    experiment = experiments()[0]
    core_side = {(int(wave), arm): (cell["answered"], cell["participants"])
                 for wave, cells in monitor(read_dataset(folder)).survey_response.items()
                 for arm, cell in cells.items()}
    sql_side = {(wave.wave, arm.code): (cell.respondents, cell.participants) for wave in survey_response(experiment)
                for arm, cell in zip(arms_of(experiment), wave.per_arm, strict=True)}
    assert core_side == sql_side and len(core_side) >= 4
