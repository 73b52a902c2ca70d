"""The register's time predicates, each written once (DESIGN.md section 6), over the dataset's tables.

The state at a day C is the state after every event dated before C:

- a person is on benefit at C when a benefit spell has spell_start < C and (no spell_end, or spell_end >= C): a
  spell that starts on C has not started yet, one that ends on C has not ended yet;
- on benefit during a month: a spell starts before the next month and does not end before the month;
- a participant at C signed their group's rules before C (consented_on < C) and did not stop before C;
- the rules of a group apply on a day D from the day of signing up to the day before stopping;
- a first exit to work in a window is the earliest spell end with reason werk or zelfstandig in it; a re-entry is
  a spell that starts on or after such an exit.

web/registry/predicates.py is the SQL twin of each, for the pages that query the database; a test runs both on one
hand-built register and requires equal answers.
"""

import datetime as dt

import polars as pl

from vertrouwen.core import codes
from vertrouwen.core.months import next_month

WORK = sorted(codes.WORK_END_REASONS)


def spell_running_at(day: dt.date | pl.Expr) -> pl.Expr:
    """On a benefit_spells row: the spell holds at the start of `day`."""
    return (pl.col("spell_start") < day) & (pl.col("spell_end").is_null() | (pl.col("spell_end") >= day))


def spell_running_during(month: dt.date) -> pl.Expr:
    """On a benefit_spells row: the spell holds on some day of the month starting at `month`."""
    return ((pl.col("spell_start") < next_month(month))
            & (pl.col("spell_end").is_null() | (pl.col("spell_end") >= month)))


def on_benefit_at(spells: pl.DataFrame, day: dt.date) -> pl.Series:
    """The person_ids on benefit at `day`, each once, sorted."""
    return spells.filter(spell_running_at(day))["person_id"].unique().sort()


def stopped_before(day: dt.date | pl.Expr) -> pl.Expr:
    """On an enrollments row: the participant stopped taking part before `day`."""
    return pl.col("stopped_on").is_not_null() & (pl.col("stopped_on") < day)


def signed_before(day: dt.date | pl.Expr) -> pl.Expr:
    """On an enrollments row: the group's rules were signed before `day` (a participant of the experiment)."""
    return pl.col("consented_on").is_not_null() & (pl.col("consented_on") < day)


def participant_at(day: dt.date | pl.Expr) -> pl.Expr:
    """On an enrollments row: signed before `day` and not stopped before it."""
    return signed_before(day) & ~stopped_before(day)


def rules_apply_on(day: dt.date | pl.Expr) -> pl.Expr:
    """On an enrollments row: the group's rules apply on `day` (signed on or before it, not stopped by it)."""
    return (pl.col("consented_on").is_not_null() & (pl.col("consented_on") <= day)
            & (pl.col("stopped_on").is_null() | (pl.col("stopped_on") > day)))


def first_exits_to_work(spells: pl.DataFrame, since: dt.date | pl.Expr, before: dt.date) -> pl.DataFrame:
    """person_id and first_exit: the earliest spell end with a work reason on or after `since` (a date, or a column
    of `spells` joined beforehand) and before `before`."""
    return (spells.filter(pl.col("end_reason").is_in(WORK) & (pl.col("spell_end") >= since)
                          & (pl.col("spell_end") < before))
            .group_by("person_id").agg(first_exit=pl.col("spell_end").min()))


def reentries(spells: pl.DataFrame, exits: pl.DataFrame, before: dt.date) -> pl.DataFrame:
    """person_id and back_on: the first spell starting on or after the person's `first_exit` (of `exits`) and
    before `before`."""
    return (spells.join(exits.select("person_id", "first_exit"), on="person_id")
            .filter((pl.col("spell_start") >= pl.col("first_exit")) & (pl.col("spell_start") < before))
            .group_by("person_id").agg(back_on=pl.col("spell_start").min()))
