"""The monitor as a municipal analyst would write it in pandas: straightforward, row masks and loops over months,
for the benchmark's side-by-side comparison with core.monitor (the same definitions, DESIGN.md section 6). It
covers the participant development, the goals at the baseline, exit to work with the reference group, and the
monthly series of exit to work and offset earnings; the benchmark checks that both give the same numbers."""

import pandas as pd

from vertrouwen.core import codes

TABLES = ("persons", "enrollments", "benefit_spells", "goals", "earnings")


def as_pandas(dataset) -> dict[str, pd.DataFrame]:
    """The tables the analyst's version uses, as pandas frames with datetime columns (as pd.read_csv with
    parse_dates would give them)."""
    tables = {}
    for name in TABLES:
        frame = pd.DataFrame(dataset.tables[name].to_dict(as_series=False))
        for column in frame.columns:
            if column.endswith(("_on", "_start", "_end")) or column == "month":
                frame[column] = pd.to_datetime(frame[column])
        tables[name] = frame
    return tables


def monitor_pandas(dataset, t: dict[str, pd.DataFrame] | None = None) -> dict:
    c = pd.Timestamp(dataset.manifest.experiment.count_date)
    start = pd.Timestamp(dataset.manifest.experiment.period_start)
    t = t if t is not None else as_pandas(dataset)
    enr = t["enrollments"][t["enrollments"]["consented_on"] < c].copy()
    enr["stopped"] = enr["stopped_on"].notna() & (enr["stopped_on"] < c)
    spells = t["benefit_spells"]

    def on_benefit(day):
        return set(spells[(spells["spell_start"] < day) & (spells["spell_end"].isna() | (spells["spell_end"] >= day))]
                   ["person_id"])

    at_c = on_benefit(c)
    result = {"participants": {}, "goals_baseline": {}, "exit_to_work": {}}
    for arm in [a.code for a in dataset.manifest.arms]:
        rows = enr[enr["arm"] == arm]
        staying = rows[~rows["stopped"]]
        current = staying["person_id"].isin(at_c).sum()
        result["participants"][arm] = {"enrolled": len(rows), "stopped": int(rows["stopped"].sum()),
                                       "exited": int(len(staying) - current), "current": int(current)}
        goals = t["goals"][(t["goals"]["occasion"] == "nulmeting") & (t["goals"]["recorded_on"] < c)
                           & t["goals"]["person_id"].isin(rows["person_id"])].drop_duplicates(["person_id", "goal"])
        counts = goals["goal"].value_counts()
        result["goals_baseline"][arm] = {"with_goal": goals["person_id"].nunique(),
                                         **{g: int(counts.get(g, 0)) for g in codes.GOALS}}
    work = spells[spells["end_reason"].isin(list(codes.WORK_END_REASONS)) & (spells["spell_end"] >= start)
                  & (spells["spell_end"] < c)].groupby("person_id")["spell_end"].min()
    reference = set(t["persons"]["person_id"]) - set(t["enrollments"]["person_id"])
    groups = {arm: set(enr[(enr["arm"] == arm) & ~enr["stopped"]]["person_id"]) for arm in
              [a.code for a in dataset.manifest.arms]}
    groups["reference"] = reference
    months = pd.date_range(start.replace(day=1), c - pd.Timedelta(days=1), freq="MS")
    series = {"gross": {}, "net": {}, "share": {}}
    earnings = t["earnings"][t["earnings"]["earnings_cents"] > 0]
    for group, persons in groups.items():
        exits = work[work.index.isin(persons)]
        result["exit_to_work"][group] = {"n": len(persons), "first_exit_to_work": len(exits),
                                         "net_at_count_date": int((~exits.index.isin(at_c)).sum())}
        gross, net, share = [], [], []
        for month in months:
            end = min(month + pd.offsets.MonthBegin(1), c)
            done = exits[exits < end]
            back = on_benefit(end)
            gross.append(len(done) / len(persons) if persons else None)
            net.append(int((~done.index.isin(back)).sum()) / len(persons) if persons else None)
            in_month = spells[spells["person_id"].isin(persons) & (spells["spell_start"] < end)
                              & (spells["spell_end"].isna() | (spells["spell_end"] >= month))]["person_id"].unique()
            earning = earnings[(earnings["month"] == month) & earnings["person_id"].isin(in_month)]
            share.append(earning["person_id"].nunique() / len(in_month) if len(in_month) else None)
        series["gross"][group], series["net"][group], series["share"][group] = gross, net, share
    result["monthly"] = series
    return result
