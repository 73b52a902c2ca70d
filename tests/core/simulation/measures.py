"""The report definitions of DESIGN.md section 6, written out plainly for checking the generator's output.

State at the count date: an event counts when its date is before the count date; a person is on benefit at
the count date when a spell has start < count date and (no end, or end >= count date).
"""

import datetime as dt

import polars as pl

from vertrouwen.core.codes import GOALS, WORK_END_REASONS

REFERENCE = "geen_deelname"


def groups(tables) -> pl.DataFrame:
    """person_id, arm (REFERENCE without an enrollment), consented_on, stopped_on."""
    enrollments = tables["enrollments"].select("person_id", "arm", "consented_on", "stopped_on")
    return (tables["persons"].select("person_id").join(enrollments, on="person_id", how="left")
            .with_columns(pl.col("arm").fill_null(REFERENCE)))


def on_benefit_at(spells: pl.DataFrame, day: dt.date) -> pl.Series:
    running = (pl.col("spell_start") < day) & (pl.col("spell_end").is_null() | (pl.col("spell_end") >= day))
    return spells.filter(running).get_column("person_id").unique()


def first_exits_to_work(manifest, tables, end: dt.date | None = None) -> pl.DataFrame:
    """person_id and first_exit_to_work: per person, the first exit to work in the period, where DESIGN.md
    section 6 item 4 defines "1e uitstroom naar werk" as the "first exit in the period with reason werk or
    zelfstandig".

    Reading: of the person's spell ends with reason werk or zelfstandig (codes.WORK_END_REASONS) dated from the
    period start up to (not including) `end` (by default the count date: an event counts when its date is
    before the count date), the earliest. Exits for another reason do not count and do not stop a later exit to
    work from being the first exit to work; a later exit to work after a re-entry is not a first exit and does
    not count again. A person with no such spell end has no row."""
    start = manifest.experiment.period_start
    end = manifest.experiment.count_date if end is None else end
    return (tables["benefit_spells"]
            .filter(pl.col("spell_end").is_between(start, end, closed="left")
                    & pl.col("end_reason").is_in(sorted(WORK_END_REASONS)))
            .group_by("person_id").agg(pl.col("spell_end").min().alias("first_exit_to_work")))


def exit_to_work(manifest, tables) -> pl.DataFrame:
    """Table 4 of the Wageningen report per group: n (enrolled minus stopped; the reference group in full),
    gross (a first exit to work in the period, before the count date: first_exits_to_work) and net (of those,
    off benefit at the count date), as counts."""
    count_date = manifest.experiment.count_date
    spells = tables["benefit_spells"]
    first = first_exits_to_work(manifest, tables)
    gross = pl.col("person_id").is_in(first.get_column("person_id").implode())
    on = pl.col("person_id").is_in(on_benefit_at(spells, count_date).implode())
    counted = groups(tables).filter(pl.col("stopped_on").is_null() | (pl.col("stopped_on") >= count_date))
    return (counted.group_by("arm")
            .agg(pl.len().alias("n"), gross.sum().alias("gross"), (gross & ~on).sum().alias("net"))
            .sort("arm"))


def work_exit_within(manifest, tables, months: int, arm: str = REFERENCE) -> tuple[int, int]:
    """(members with a first exit to work in the first `months` months, members) for one group."""
    start = manifest.experiment.period_start
    end = dt.date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1)
    first = first_exits_to_work(manifest, tables, end)
    members = groups(tables).filter(pl.col("arm") == arm).get_column("person_id")
    return int(members.is_in(first.get_column("person_id").implode()).sum()), len(members)


def person_months(manifest, tables, from_month: int = 0) -> pl.DataFrame:
    """Person-months on benefit (on benefit on the month's first day) before the count date, with arm and
    whether earnings were offset that month."""
    start, count_date = manifest.experiment.period_start, manifest.experiment.count_date
    months = pl.date_range(start, count_date, "1mo", eager=True, closed="left")[from_month:]
    spells = tables["benefit_spells"].join(groups(tables).select("person_id", "arm"), on="person_id")
    running = (pl.col("spell_start") < pl.col("month")) & (
        pl.col("spell_end").is_null() | (pl.col("spell_end") >= pl.col("month")))
    pm = spells.join(pl.DataFrame({"month": months}), how="cross").filter(running)
    earned = tables["earnings"].select("person_id", "month", pl.lit(True).alias("earns"))
    return (pm.select("person_id", "arm", "month").join(earned, on=["person_id", "month"], how="left")
            .with_columns(pl.col("earns").fill_null(False)))


def highest_goals(tables) -> pl.DataFrame:
    """person_id and the rank (0 = werk) of the highest goal at baseline, for participants with a goal."""
    rank = {code: i for i, code in enumerate(GOALS)}
    return (tables["goals"].filter(pl.col("occasion") == "nulmeting")
            .group_by("person_id").agg(pl.col("goal").replace_strict(rank).min().alias("rank")))
