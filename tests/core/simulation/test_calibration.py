"""The synthetic municipality reproduces the calibration figures of DESIGN.md section 9.

Targets come from DESIGN.md section 9 and the Wageningen final report "Vertrouwen Werkt" (seed 003): the
table "Uitstroom naar werk - recht tellingen", the table of goals at baseline (nulmeting), the text on
part-time work and the participant development table (Gestopt). Every rate is pooled over ten independent
replications of size S (8,000 participants and 8,000 reference persons) and must lie within three binomial
standard errors of its target at the pooled n, plus the half-width of the target where the source gives a
range. Three standard errors: a correctly calibrated model fails a single check for fewer than 3 in 1,000
seeds, while a calibration error of a few percentage points in an arm is still caught.
"""

import math

import polars as pl
import pytest

from vertrouwen.core.codes import GOALS

from .measures import REFERENCE, exit_to_work, groups, highest_goals, person_months, work_exit_within

Z = 3.0


def assert_rate(successes: int, n: int, target: float, half_width: float = 0.0, what: str = "") -> None:
    tolerance = half_width + Z * math.sqrt(target * (1 - target) / n)
    observed = successes / n
    assert abs(observed - target) <= tolerance, (
        f"{what}: {observed:.2%} of {n}, target {target:.2%} +/- {tolerance:.2%}")


def pooled_exit_to_work(replications) -> dict[str, dict[str, int]]:
    frames = [exit_to_work(manifest, tables) for manifest, tables in replications]
    total = pl.concat(frames).group_by("arm").agg(pl.col("n", "gross", "net").sum())
    return {row["arm"]: row for row in total.iter_rows(named=True)}


# Seed 003, "Uitstroom naar werk - recht tellingen Wageningen Vertrouwen Werkt": 1e uitstroom naar werk and
# uitstroom werk op einddatum (net), in % of Aantal (enrolled minus stopped; the reference group in full).
EXIT_TO_WORK_TARGETS = {
    "zelf_in_actie": (0.265, 0.245),
    "extra_begeleiding": (0.255, 0.245),
    "verdienen_loont": (0.220, 0.165),
    "onderzoeksgroep": (0.165, 0.154),
    REFERENCE: (0.107, 0.099),
}


@pytest.mark.parametrize("arm", list(EXIT_TO_WORK_TARGETS))
def test_exit_to_work_per_group_matches_wageningen(replications, arm):
    counts = pooled_exit_to_work(replications)[arm]
    gross_target, net_target = EXIT_TO_WORK_TARGETS[arm]
    assert_rate(counts["gross"], counts["n"], gross_target, what=f"{arm} first exit to work")
    assert_rate(counts["net"], counts["n"], net_target, what=f"{arm} net exit to work")


def test_control_arm_lowest_of_the_arms_and_all_arms_above_reference(replications):
    counts = pooled_exit_to_work(replications)
    rate = {arm: c["gross"] / c["n"] for arm, c in counts.items()}
    arms = [a for a in rate if a != REFERENCE]
    assert min(arms, key=rate.get) == "onderzoeksgroep"
    assert rate["extra_begeleiding"] > rate["onderzoeksgroep"] + 0.05
    assert all(rate[a] > rate[REFERENCE] for a in arms)


def test_more_reentry_after_exit_from_the_disregard_arm(replications):
    """DESIGN.md section 7 / seed 003: exits from verdienen loont return to benefit more often (22.0% gross
    but 16.5% net, against 25.5% and 24.5% for extra begeleiding)."""
    counts = pooled_exit_to_work(replications)
    kept = {arm: c["net"] / c["gross"] for arm, c in counts.items()}
    others = [kept[a] for a in ("zelf_in_actie", "extra_begeleiding", "onderzoeksgroep", REFERENCE)]
    assert kept["verdienen_loont"] < min(others) - 0.08
    assert 0.65 <= kept["verdienen_loont"] <= 0.85  # Wageningen: 18 of 24 = 0.75


def test_historical_exit_to_work_rate_for_the_population(replications):
    """DESIGN.md section 9: historically 5.5-6% a year exit to work; measured in the reference group (which had
    the regular service) over the first 12 months."""
    pairs = [work_exit_within(manifest, tables, 12) for manifest, tables in replications]
    exits, members = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    assert_rate(exits, members, 0.0575, half_width=0.0025, what="reference, exit to work in the first year")


def test_limitation_profile_of_participants(replications):
    """Seed 003 (researchers' analysis): 43% able to work and searching, 33% physically, 24% mentally limited."""
    persons = pl.concat([t["persons"].join(t["enrollments"].select("person_id"), on="person_id")
                         for _, t in replications])
    n = persons.height
    counts = dict(persons.group_by("limitation").len().iter_rows())
    for code, target in (("geen", 0.43), ("lichamelijk", 0.33), ("psychisch", 0.24)):
        assert_rate(counts[code], n, target, what=f"limitation {code}")


def test_reference_group_is_a_little_less_work_ready(replications):
    persons = pl.concat([t["persons"].join(groups(t), on="person_id") for _, t in replications])
    share = persons.group_by(pl.col("arm") == REFERENCE).agg((pl.col("limitation") == "geen").mean())
    by_group = dict(share.iter_rows())
    assert by_group[True] < by_group[False]


# Seed 003, "Doelen alle deelnemers (nulmeting)": share of participants with each goal (several per person).
GOAL_TARGETS = {"werk": 0.34, "parttime_werk": 0.30, "opleiding": 0.13, "re_integratie": 0.17,
                "vrijwilligerswerk": 0.23, "zorg_en_hulp": 0.13, "anders": 0.20}


def test_goals_at_baseline(replications):
    goals = pl.concat([t["goals"] for _, t in replications])
    n = sum(t["enrollments"].height for _, t in replications)
    counts = dict(goals.group_by("goal").len().iter_rows())
    assert set(counts) == set(GOALS)
    for goal, target in GOAL_TARGETS.items():
        assert_rate(counts[goal], n, target, what=f"goal {goal}")


def test_highest_goal_and_goal_set(replications):
    """Seed 003: parttime werk is the highest attainable goal for about 20%; DESIGN.md asks about 95% with at
    least one goal (the Wageningen table shows 98% "Doel bepaald"), and about 31% kansrijk."""
    highest = pl.concat([highest_goals(t) for _, t in replications])
    n = sum(t["enrollments"].height for _, t in replications)
    assert_rate(int((highest["rank"] == 1).sum()), n, 0.20, what="highest goal parttime werk")
    assert_rate(highest.height, n, 0.95, half_width=0.02, what="at least one goal")
    assessments = pl.concat([t["assessments"] for _, t in replications])
    assert_rate(int(assessments["good_prospects"].sum()), n, 0.31, what="kansrijk uitstroom")


def test_good_prospects_higher_for_those_able_to_work(small):
    _, tables = small
    joined = tables["assessments"].join(tables["persons"], on="person_id")
    share = dict(joined.group_by("limitation").agg(pl.col("good_prospects").mean()).iter_rows())
    assert share["geen"] > share["lichamelijk"] and share["geen"] > share["psychisch"]


def test_share_with_offset_parttime_earnings(replications):
    """Seed 003, "Resultaat toename parttime werk": about 10% of the reference group has offset earnings,
    the arms without the extra disregard come to about 20%, verdienen loont to 30-35%. Measured over the
    person-months on benefit from the sixth month (when the arms' rise has settled) to the count date.
    Months of one person are strongly correlated (part-time work persists), so the standard error counts
    persons, not person-months."""
    pm = pl.concat([person_months(m, t, from_month=6).with_columns(pl.lit(i).alias("replication"))
                    for i, (m, t) in enumerate(replications)])
    pm = pm.with_columns(pl.when(pl.col("arm").is_in([REFERENCE, "verdienen_loont"])).then(pl.col("arm"))
                         .otherwise(pl.lit("other_arms")).alias("group"))
    summary = pm.group_by("group").agg(pl.col("earns").mean().alias("share"),
                                       pl.struct("replication", "person_id").n_unique().alias("persons"))
    rows = {r["group"]: r for r in summary.iter_rows(named=True)}
    for group, target, half_width in ((REFERENCE, 0.10, 0.01), ("other_arms", 0.20, 0.0),
                                      ("verdienen_loont", 0.325, 0.025)):
        row = rows[group]
        assert_rate(round(row["share"] * row["persons"]), row["persons"], target, half_width,
                    what=f"part-time earnings share, {group}")


def test_mean_offset_earnings(replications):
    """Seed 003: offset earnings of those with earnings average EUR 450-500 a month; the standard error
    counts persons (each person's months vary around their own level)."""
    earnings = pl.concat([t["earnings"].with_columns(pl.lit(i).alias("replication"))
                          for i, (_, t) in enumerate(replications)])
    mean = earnings["earnings_cents"].mean() / 100
    per_person = earnings.group_by("replication", "person_id").agg(pl.col("earnings_cents").mean() / 100)
    std_error = per_person["earnings_cents"].std() / math.sqrt(per_person.height)
    assert 450 - Z * std_error <= mean <= 500 + Z * std_error


def test_share_of_participants_who_stop(replications):
    """Seed 003, participant development: 18 of 410 (4.4%) stopped while on benefit; DESIGN.md: about 4%."""
    enrollments = pl.concat([t["enrollments"] for _, t in replications])
    stopped = enrollments.filter(pl.col("stopped_on").is_not_null())
    assert_rate(stopped.height, enrollments.height, 0.042, half_width=0.002, what="stopped")
    # Wageningen: 17 for a personal reason, 1 ended by the municipality.
    assert (stopped["stop_reason"] == "persoonlijke_reden").mean() > 0.85


def test_questionnaire_response(replications):
    """About 85% answer the baseline questionnaire; fewer a year later."""
    responses = pl.concat([t["survey_responses"].with_columns(pl.lit(i).alias("replication"))
                           for i, (_, t) in enumerate(replications)])
    n = sum(t["enrollments"].height for _, t in replications)
    per_wave = dict(responses.group_by("wave").agg(pl.struct("replication", "person_id").n_unique())
                    .iter_rows())
    assert_rate(per_wave[0], n, 0.85, what="baseline response")
    assert per_wave[1] < per_wave[0] * 0.85


def test_contacts_follow_each_arms_guidance(small):
    """Process evaluation: extra begeleiding about monthly or more, regular service about every three months,
    zelf in actie mostly on the participant's initiative."""
    manifest, tables = small
    pm = person_months(manifest, tables).group_by("arm").len(name="months")
    contacts = (tables["contacts"].filter(pl.col("contact_on") < manifest.experiment.count_date)
                .join(groups(tables).select("person_id", "arm"), on="person_id"))
    per_arm = contacts.group_by("arm").agg(
        pl.len().alias("contacts"), (pl.col("initiated_by") == "deelnemer").mean().alias("by_participant"))
    rows = {r["arm"]: r for r in per_arm.join(pm, on="arm").iter_rows(named=True)}
    rate = {arm: r["contacts"] / r["months"] for arm, r in rows.items()}
    assert rate["extra_begeleiding"] >= 1.0
    assert 0.25 <= rate[REFERENCE] <= 0.45
    assert 0.3 <= rate["onderzoeksgroep"] <= 0.65  # regular contacts plus intake and half-yearly reviews
    assert rows["zelf_in_actie"]["by_participant"] > 0.5
    assert rows["onderzoeksgroep"]["by_participant"] < 0.3
