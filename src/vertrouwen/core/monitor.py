"""The monitor: the tables and monthly series of the Wageningen final report (DESIGN.md section 6), from a dataset.

One implementation for the web monitor and `vertrouwen monitor`. At the count date C (or an earlier date the
monitor is asked for): an event counts when its date is before C; a person is on benefit at C when a spell has
start < C and (no end, or end >= C).

- participants: enrolled = signed the rules before C; stopped = stopped before C; exited = not stopped and not on
  benefit at C; current = not stopped and on benefit at C (re-entrants included). enrolled = stopped + exited +
  current.
- goals_baseline: participants with a goal at the baseline (occasion nulmeting, recorded before C), the count per
  goal, and good prospects of exit at the baseline.
- exit_to_work: n = enrolled minus stopped (for the reference group: all its members); first_exit_to_work = of them,
  those whose benefit ended in the period before C for work or self-employment; net_at_count_date = of those, not on
  benefit at C.
- Monthly series per month of the period up to C: cumulative first exit to work (gross) and of those not on benefit
  at the month's end (net of re-entry); the share on benefit in the month with offset earnings, their mean and the
  total; contacts per participant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from vertrouwen.core import codes
from vertrouwen.core.casework import highest_goal
from vertrouwen.core.dataset import Dataset
from vertrouwen.core.months import add_months
from vertrouwen.core.predicates import first_exits_to_work, on_benefit_at, signed_before, stopped_before

REFERENCE = "reference"
TOTAL = "total"
GOAL_KEYS = {code: ("zorg_hulp" if code == "zorg_en_hulp" else code) for code in codes.GOALS}


@dataclass
class Monitor:
    municipality: str
    experiment: str
    count_date: date
    arms: list[str]
    arm_names: dict[str, str]
    participants: dict = field(default_factory=dict)
    goals_baseline: dict = field(default_factory=dict)
    highest_goal: dict = field(default_factory=dict)
    exit_to_work: dict = field(default_factory=dict)
    monthly: dict = field(default_factory=dict)
    survey_response: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"municipality": self.municipality, "experiment": self.experiment,
                "count_date": self.count_date.isoformat(), "arms": self.arms, "arm_names": self.arm_names,
                "participants": self.participants, "goals_baseline": self.goals_baseline,
                "highest_goal": self.highest_goal, "exit_to_work": self.exit_to_work, "monthly": self.monthly,
                "survey_response": self.survey_response}


def monitor(dataset: Dataset, as_of: date | None = None) -> Monitor:
    """The monitor at the experiment's count date, or at `as_of` when that is earlier."""
    manifest = dataset.manifest
    c = manifest.experiment.count_date if as_of is None else min(as_of, manifest.experiment.count_date)
    arms = [arm.code for arm in manifest.arms]
    t = dataset.tables
    result = Monitor(manifest.municipality.code, manifest.experiment.code, c, arms,
                     {arm.code: arm.name for arm in manifest.arms})
    enrolled = t["enrollments"].filter(signed_before(c)).select(
        "person_id", "arm", "consented_on", "stopped_on", stopped=stopped_before(c))
    on_benefit = set(on_benefit_at(t["benefit_spells"], c))
    result.participants = _participants(enrolled, on_benefit, arms)
    result.goals_baseline, result.highest_goal = _goals(enrolled, t["goals"], t["assessments"], c, arms)
    members = _members(enrolled, t["persons"], t["enrollments"])
    first_exit = first_exits_to_work(t["benefit_spells"], manifest.experiment.period_start, c)
    result.exit_to_work = _exit_to_work(members, first_exit, on_benefit, arms)
    months = _months(manifest.experiment.period_start, c)
    result.monthly = {
        "months": [m.isoformat()[:7] for m in months],
        "exit_to_work": _exit_series(members, first_exit, t["benefit_spells"], months, c, arms),
        "offset_earnings": _earnings_series(members, t["benefit_spells"], t["earnings"], months, c, arms),
        "contacts_per_participant": _contact_series(enrolled, t["contacts"], months, c, arms),
    }
    result.survey_response = _survey_response(enrolled, t["survey_responses"], arms)
    return result


def _months(start: date, c: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month < c:
        months.append(month)
        month = add_months(month, 1)
    return months


def _with_total(per_arm: dict, arms: list[str], keys: list[str]) -> dict:
    per_arm[TOTAL] = {k: sum(per_arm[a][k] for a in arms) for k in keys}
    return per_arm


def _participants(enrolled: pl.DataFrame, on_benefit: set, arms: list[str]) -> dict:
    keys = ["enrolled", "stopped", "exited", "current"]
    result = {}
    for arm in arms:
        rows = enrolled.filter(pl.col("arm") == arm)
        stopped = rows.filter(pl.col("stopped"))
        staying = rows.filter(~pl.col("stopped"))["person_id"].to_list()
        current = sum(1 for p in staying if p in on_benefit)
        result[arm] = {"enrolled": rows.height, "stopped": stopped.height, "exited": len(staying) - current,
                       "current": current}
    return _with_total(result, arms, keys)


def _goals(enrolled: pl.DataFrame, goals: pl.DataFrame, assessments: pl.DataFrame, c: date, arms: list[str]
           ) -> tuple[dict, dict]:
    baseline = goals.filter((pl.col("occasion") == "nulmeting") & (pl.col("recorded_on") < c)).join(
        enrolled.select("person_id", "arm"), on="person_id").unique(["person_id", "goal"])
    prospects = assessments.filter((pl.col("occasion") == "nulmeting") & (pl.col("recorded_on") < c)
                                   & pl.col("good_prospects")).join(enrolled.select("person_id", "arm"),
                                                                    on="person_id").unique("person_id")
    by_person: dict[str, list[str]] = {}
    for person, goal in baseline.select("person_id", "goal").iter_rows():
        by_person.setdefault(person, []).append(goal)
    arm_of = dict(enrolled.select("person_id", "arm").iter_rows())
    table, highest = {}, {}
    keys = ["with_goal", *GOAL_KEYS.values(), "good_prospects"]
    for arm in arms:
        rows = baseline.filter(pl.col("arm") == arm)
        counts = dict(rows.group_by("goal").len().iter_rows())
        table[arm] = {"with_goal": rows["person_id"].n_unique(),
                      **{GOAL_KEYS[g]: counts.get(g, 0) for g in codes.GOALS},
                      "good_prospects": prospects.filter(pl.col("arm") == arm).height}
        highest[arm] = dict.fromkeys(GOAL_KEYS.values(), 0)
    for person, person_goals in by_person.items():
        highest[arm_of[person]][GOAL_KEYS[highest_goal(person_goals)]] += 1
    return _with_total(table, arms, keys), _with_total(highest, arms, list(GOAL_KEYS.values()))


def _members(enrolled: pl.DataFrame, persons: pl.DataFrame, enrollments: pl.DataFrame) -> pl.DataFrame:
    """Who counts in the exit tables: participants who did not stop, per arm; and the reference group (persons
    without any enrollment)."""
    staying = enrolled.filter(~pl.col("stopped")).select("person_id", "arm")
    reference = persons.select("person_id").join(enrollments.select("person_id"), on="person_id", how="anti")
    return pl.concat([staying, reference.with_columns(arm=pl.lit(REFERENCE))])


def _exit_to_work(members: pl.DataFrame, first_exit: pl.DataFrame, on_benefit: set, arms: list[str]) -> dict:
    exits = members.join(first_exit, on="person_id")
    result = {}
    for arm in [*arms, REFERENCE]:
        exited = exits.filter(pl.col("arm") == arm)["person_id"].to_list()
        result[arm] = {"n": members.filter(pl.col("arm") == arm).height, "first_exit_to_work": len(exited),
                       "net_at_count_date": sum(1 for p in exited if p not in on_benefit)}
    return _with_total(result, arms, ["n", "first_exit_to_work", "net_at_count_date"])


def _month_end(month: date, c: date) -> date:
    """The first day after the month, or the count date when the month runs past it."""
    return min(add_months(month, 1), c)


def _exit_series(members: pl.DataFrame, first_exit: pl.DataFrame, spells: pl.DataFrame, months: list[date],
                 c: date, arms: list[str]) -> dict:
    """Per group and month: the share with a first exit to work before the month's end, gross and net of those
    on benefit again at the month's end."""
    exits = members.join(first_exit, on="person_id")
    exit_spells = spells.join(exits.select("person_id"), on="person_id")
    size = dict(members.group_by("arm").len().iter_rows())
    gross: dict[str, list] = {a: [] for a in [*arms, REFERENCE]}
    net: dict[str, list] = {a: [] for a in [*arms, REFERENCE]}
    for month in months:
        end = _month_end(month, c)
        back = set(on_benefit_at(exit_spells, end))
        done = exits.filter(pl.col("first_exit") < end)
        for arm in gross:
            persons = done.filter(pl.col("arm") == arm)["person_id"].to_list()
            n = size.get(arm, 0)
            gross[arm].append(_share(len(persons), n))
            net[arm].append(_share(sum(1 for p in persons if p not in back), n))
    return {"gross": gross, "net": net}


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _earnings_series(members: pl.DataFrame, spells: pl.DataFrame, earnings: pl.DataFrame, months: list[date],
                     c: date, arms: list[str]) -> dict:
    """Per group and month: of those on benefit during the month, the share with offset earnings, the mean of
    their earnings (cents) and the total (cents)."""
    if not months:
        return {"share": {}, "mean_cents": {}, "total_cents": {}}
    # The months each spell touches, as month numbers: spell_start < the month's end and (no end, or end >= its
    # first day); the last month ends at C, so a spell must also start before C.
    first, last = _index(months[0]), len(months) - 1
    index = ((pl.col("spell_start").dt.year() * 12 + pl.col("spell_start").dt.month() - 1) - first)
    until = ((pl.col("spell_end").dt.year() * 12 + pl.col("spell_end").dt.month() - 1) - first).fill_null(last)
    # A re-entry in the month of an exit touches that month twice: the later spell starts after the earlier one's
    # last month, so every person counts once a month without a costly unique.
    on_benefit = (spells.filter(pl.col("spell_start") < c).join(members, on="person_id")
                  .with_columns(lo=pl.max_horizontal(index, pl.lit(0)), hi=pl.min_horizontal(until, pl.lit(last)))
                  .sort("person_id", "spell_start")
                  .with_columns(lo=pl.max_horizontal("lo", (pl.col("hi").shift(1).over("person_id") + 1)
                                                     .fill_null(0)))
                  .filter(pl.col("lo") <= pl.col("hi"))
                  .select("person_id", "arm", i=pl.int_ranges("lo", pl.col("hi") + 1)).explode("i")
                  .with_columns(month=pl.col("i").replace_strict(list(range(len(months))), months,
                                                                 return_dtype=pl.Date)))
    paid = earnings.filter(pl.col("earnings_cents") > 0).select("person_id", "month", "earnings_cents")
    joined = on_benefit.join(paid, on=["person_id", "month"], how="left")
    stats = joined.group_by("arm", "month").agg(
        persons=pl.len(), earning=pl.col("earnings_cents").count(), total=pl.col("earnings_cents").sum())
    lookup = {(a, m): (p, e, t) for a, m, p, e, t in stats.select("arm", "month", "persons", "earning", "total")
              .iter_rows()}
    share, mean, total = {}, {}, {}
    for arm in [*arms, REFERENCE]:
        cells = [lookup.get((arm, m), (0, 0, 0)) for m in months]
        share[arm] = [_share(e, p) for p, e, _ in cells]
        mean[arm] = [None if not e else round(t / e) for _, e, t in cells]
        total[arm] = [int(t or 0) for _, _, t in cells]
    return {"share": share, "mean_cents": mean, "total_cents": total}


def _index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _contact_series(enrolled: pl.DataFrame, contacts: pl.DataFrame, months: list[date], c: date,
                    arms: list[str]) -> dict:
    """Per arm and month: contacts per participant, counting participants who signed before the month's end and
    had not stopped before it began."""
    result: dict[str, list] = {a: [] for a in arms}
    if not months:
        return result
    per_month = (contacts.join(enrolled.select("person_id", "arm"), on="person_id")
                 .filter(pl.col("contact_on") < c)
                 .with_columns(month=pl.col("contact_on").dt.truncate("1mo"))
                 .group_by("arm", "month").len())
    counted = {(a, m): n for a, m, n in per_month.iter_rows()}
    for month in months:
        end = _month_end(month, c)
        active = enrolled.filter(signed_before(end) & ~stopped_before(month))  # a participant during the month
        sizes = dict(active.group_by("arm").len().iter_rows())
        for arm in arms:
            result[arm].append(_share(counted.get((arm, month), 0), sizes.get(arm, 0)))
    return result


def _survey_response(enrolled: pl.DataFrame, responses: pl.DataFrame, arms: list[str]) -> dict:
    """Per wave and arm: participants with at least one answer, of the participants."""
    size = dict(enrolled.group_by("arm").len().iter_rows())
    answered = (responses.select("person_id", "wave").unique().join(enrolled.select("person_id", "arm"),
                                                                    on="person_id")
                .group_by("wave", "arm").len())
    result: dict[str, dict] = {}
    for wave, arm, n in answered.sort("wave").iter_rows():
        result.setdefault(str(wave), {a: {"answered": 0, "participants": size.get(a, 0)} for a in arms})
        result[str(wave)][arm]["answered"] = n
    return result


def pooled(monitors: list[Monitor]) -> dict:
    """The additive tables summed over municipalities, by arm code (monthly series stay per municipality)."""
    tables = {}
    for name in ("participants", "goals_baseline", "highest_goal", "exit_to_work"):
        summed: dict[str, dict] = {}
        for m in monitors:
            for group, cells in getattr(m, name).items():
                target = summed.setdefault(group, dict.fromkeys(cells, 0))
                for key, value in cells.items():
                    target[key] = target.get(key, 0) + value
        tables[name] = summed
    return {"municipalities": [m.municipality for m in monitors], **tables}

