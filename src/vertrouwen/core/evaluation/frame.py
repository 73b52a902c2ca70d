"""The analysis frame: one row per person allocated by the lottery (intention to treat), with the baseline
covariates at the draw, the lottery stratum, the outcomes at the count date C and the time to first exit.

Definitions (docs/evaluation.md):
- exit_to_work: a benefit spell ended for work or self-employment on or after the allocation date and before C.
- net_exit_to_work: exit_to_work, no new benefit spell since that first exit, and not on benefit at C (DESIGN.md
  section 6: someone who came back and left again for another reason is not a net exit to work).
- work_27h / work_12h: at C working at least 27 / 12 hours a week, where the hours are known: on benefit at C with
  at least 117 / 52 hours (27 / 12 hours a week times 52/12) in the last complete month before C, no earnings that
  month being 0 hours. Not known (null, "niet te bepalen"): off benefit at C (hours after leaving are not in the
  data), or earnings that month without hours. The estimates use the persons whose hours are known and say how
  many are left out.
- parttime_earnings: earnings offset against the benefit in the last complete month before C (the monthly share of
  seed 003, "Resultaat toename parttime werk", taken at the count date); not known (null) for everyone when the
  data hold no earnings at all for that month.
- Time to exit: days from allocation to the end of the first spell ending on or after it and before C; cause 1 for
  work, 2 for any other reason; otherwise censored at C.
"""

import datetime as dt

import polars as pl

from vertrouwen.core.dataset import Dataset
from vertrouwen.core.lottery.strata import person_attributes
from vertrouwen.core.months import previous_month
from vertrouwen.core.predicates import WORK, first_exits_to_work, reentries, spell_running_at

BINARY_OUTCOMES = ("exit_to_work", "net_exit_to_work", "work_27h", "work_12h", "parttime_earnings")
PRIMARY_OUTCOMES = ("exit_to_work", "net_exit_to_work")
OUTCOME_LABELS = {
    "exit_to_work": "uitstroom naar werk vóór de teldatum",
    "net_exit_to_work": "uitstroom naar werk en op de teldatum nog steeds zonder uitkering",
    "work_27h": "op de teldatum aan het werk, 27 uur per week of meer",
    "work_12h": "op de teldatum aan het werk, 12 uur per week of meer",
    "parttime_earnings": "parttime inkomsten naast de uitkering",
}
COVARIATES = ("age", "sex", "household_type", "limitation", "education", "refugee_status_holder",
              "benefit_duration_band")
LOTTERY_RECORD = ("draw", "method", "block", "block_size")  # how the lottery dealt each person's arm
HOURS_27_A_WEEK, HOURS_12_A_WEEK = 117, 52  # hours a month: 27 * 52 / 12 = 117, 12 * 52 / 12 = 52
EXIT_WORK, EXIT_OTHER = 1, 2


def covariates_at(persons: pl.DataFrame, spells: pl.DataFrame, dates: pl.DataFrame) -> pl.DataFrame:
    """Baseline covariates of each person in `dates` (person_id, on) at their own date."""
    parts = []
    for (day,), group in dates.group_by("on", maintain_order=True):
        attrs = person_attributes(persons.join(group.select("person_id"), on="person_id"), spells, day)
        parts.append(attrs.with_columns(pl.col("age_band", "benefit_duration_band").cast(pl.String)))
    frame = pl.concat(parts) if parts else person_attributes(persons.clear(), spells, dt.date.today())
    return frame.with_columns(pl.col("benefit_duration_band").fill_null("geen uitkering"),
                              pl.col("refugee_status_holder").cast(pl.String))


def analysis_frame(dataset: Dataset, count_date: dt.date | None = None) -> pl.DataFrame:
    t = dataset.tables
    c = count_date or dataset.manifest.experiment.count_date
    allocated = t["enrollments"].filter(pl.col("allocated_on") < c).select(
        "person_id", "arm", "allocated_on", "consented_on", "stopped_on", *LOTTERY_RECORD)
    base = covariates_at(t["persons"], t["benefit_spells"],
                         allocated.select("person_id", on=pl.col("allocated_on")))
    outcomes = person_outcomes(t["benefit_spells"], t["earnings"],
                               allocated.select("person_id", start=pl.col("allocated_on")), c)
    return (allocated.join(base, on="person_id", how="left").join(outcomes, on="person_id", how="left")
            .with_columns(stratum=pl.col("allocated_on").cast(pl.String))
            .sort("person_id"))


def person_outcomes(spells: pl.DataFrame, earnings: pl.DataFrame, starts: pl.DataFrame, c: dt.date) -> pl.DataFrame:
    """The outcomes of each person in `starts` (person_id, start) observed from `start` to the count date c."""
    ends = (spells.join(starts, on="person_id")
            .filter(pl.col("spell_end").is_not_null() & (pl.col("spell_end") >= pl.col("start"))
                    & (pl.col("spell_end") < c)))
    first_end = (ends.sort("spell_end").group_by("person_id", maintain_order=True)
                 .agg(first_end=pl.col("spell_end").first(), first_reason=pl.col("end_reason").first()))
    work_exit = first_exits_to_work(ends, pl.col("start"), c).rename({"first_exit": "exit_on"})
    came_back = (reentries(spells, work_exit.rename({"exit_on": "first_exit"}), c).select("person_id")
                 .with_columns(came_back=pl.lit(True)))
    on_benefit = (spells.filter(spell_running_at(c)).select("person_id").unique()
                  .with_columns(on_benefit_at_c=pl.lit(True)))
    last_month = previous_month(c)
    month_rows = earnings.filter(pl.col("month") == last_month)
    last = (month_rows.group_by("person_id")
            .agg(last_month_hours=pl.col("hours").sum(), hours_unknown=pl.col("hours").is_null().any(),
                 parttime_earnings=(pl.col("earnings_cents") > 0).any()))
    frame = (starts.join(first_end, on="person_id", how="left").join(work_exit, on="person_id", how="left")
             .join(on_benefit, on="person_id", how="left").join(last, on="person_id", how="left")
             .join(came_back, on="person_id", how="left")
             .with_columns(pl.col("on_benefit_at_c", "parttime_earnings", "came_back", "hours_unknown")
                           .fill_null(False), pl.col("last_month_hours").fill_null(0.0)))
    exited = pl.col("exit_on").is_not_null()
    off_after_work = exited & ~pl.col("on_benefit_at_c") & ~pl.col("came_back")
    hours_known = pl.col("on_benefit_at_c") & ~pl.col("hours_unknown")

    def working(hours: int) -> pl.Expr:
        return pl.when(hours_known).then(pl.col("last_month_hours") >= hours).otherwise(None)

    return frame.select(
        "person_id", "exit_on",
        parttime_earnings=pl.col("parttime_earnings") if month_rows.height else pl.lit(None, dtype=pl.Boolean),
        exit_to_work=exited,
        net_exit_to_work=off_after_work,
        work_27h=working(HOURS_27_A_WEEK),
        work_12h=working(HOURS_12_A_WEEK),
        time=(pl.coalesce("first_end", pl.lit(c)) - pl.col("start")).dt.total_days(),
        cause=pl.when(pl.col("first_end").is_null()).then(0)
        .when(pl.col("first_reason").is_in(WORK)).then(EXIT_WORK).otherwise(EXIT_OTHER),
    )
