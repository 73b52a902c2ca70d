"""The generator's output is a valid dataset in the canonical format, deterministic for a seed.

Numbers in these tests either come from DESIGN.md (section named) or seed 003 (the Wageningen final report,
table or paragraph named), or they are the generator's own model parameters, imported from
vertrouwen.core.simulation.model (or surveys) rather than repeated, so the test checks that the output follows
the model. Model parameters that are our assumptions, not from a source, say so in model.py. Statistical
tolerances are three standard errors (see tolerances.py); where a bound is exact, the comment says why.
"""

import datetime as dt
import math
from statistics import NormalDist

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from vertrouwen.core.dataset import Dataset, read_dataset, table_schema, validate_dataset, write_dataset
from vertrouwen.core.dataset.schema import TABLES
from vertrouwen.core.designs import DESIGNS
from vertrouwen.core.privacy import BSN_WEIGHTS, is_valid_bsn
from vertrouwen.core.simulation import SIZES, VOORBEELDSTAD, ArmEffects, Size, generate, generate_tables, surveys
from vertrouwen.core.simulation import model as m
from vertrouwen.core.simulation.contacts import ContactLog
from vertrouwen.core.simulation.population import DAYS_PER_YEAR, SYNTHETIC_BSN_PREFIX, valid_bsns

from .measures import REFERENCE, groups
from .tolerances import assert_rate


def _age_at(day: dt.date) -> pl.Expr:
    """Age in years on `day`, from persons.birth_date."""
    return (pl.lit(day) - pl.col("birth_date")).dt.total_days() / DAYS_PER_YEAR


def test_tables_have_exactly_the_schema_columns_and_types(small):
    _, tables = small
    assert list(tables) == [t.name for t in TABLES]
    for table in TABLES:
        assert tables[table.name].schema == table_schema(table), table.name


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_natural_keys_are_unique(small, table):
    frame = small[1][table.name]
    assert frame.height > 0
    assert not frame.select(table.key).is_duplicated().any()


def test_rows_are_in_natural_key_order(small):
    for table in TABLES:
        frame = small[1][table.name]
        assert frame.equals(frame.sort(list(table.key))), table.name


def test_every_person_id_in_other_tables_is_a_person(small):
    _, tables = small
    persons = tables["persons"]["person_id"]
    assert persons.str.contains(r"^P[0-9]{7}$").all()
    for table in TABLES[1:]:
        assert tables[table.name]["person_id"].is_in(persons.implode()).all(), table.name


def test_bsns_pass_the_11_proef_and_are_unique(small):
    bsn = small[1]["persons"]["bsn"]
    given = bsn.drop_nulls()
    # model.BSN_SHARE (our assumption), three binomial standard errors at the persons of size S; a few have none.
    assert_rate(len(given), len(bsn), m.BSN_SHARE, what="persons with a BSN")
    assert len(given) < len(bsn)
    assert all(is_valid_bsn(value) for value in given)
    assert given.n_unique() == len(given)
    # Synthetic BSNs are recognisable as such: they all start with 99 (population.SYNTHETIC_BSN_PREFIX).
    assert SYNTHETIC_BSN_PREFIX == "99"
    assert given.str.starts_with("99").all()


def test_synthetic_bsns_suffice_for_size_l():
    """Size L needs a BSN for each of its persons (410,000); they are distinct, nine digits starting with 99,
    and pass the 11-proef (checked here vectorized with privacy.BSN_WEIGHTS, and on a sample with is_valid_bsn)."""
    n = SIZES["L"].people
    bsns = valid_bsns(np.random.default_rng(1), n)
    assert len(bsns) == n and len(np.unique(bsns)) == n
    assert ((bsns >= 990_000_000) & (bsns <= 999_999_999)).all()
    digits = (bsns[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    assert ((digits @ np.array(BSN_WEIGHTS)) % 11 == 0).all()
    assert all(is_valid_bsn(f"{value:09d}") for value in bsns[:: n // 1000])


def test_model_code_lists_keep_the_order_their_parameters_assume():
    """model.py takes its code lists from codes.py; its parameters indexed by position (LIMITATION_SHARES,
    AGE_WEIGHTS, EDUCATION_SHARES, HOUSEHOLD_SHARES, REENTRY_HAZARD, CHANNEL_MINUTES, ...) and the generator's
    index arithmetic (sex 0 is man, household 1 a single parent, stop reason 1 by the municipality) are written
    for this order. If codes.py reorders a list, the parameters must be reordered with it."""
    assert m.SEX == ("man", "vrouw", "onbekend")
    assert m.HOUSEHOLDS == ("alleenstaande", "alleenstaande_ouder", "gehuwd_samenwonend")
    assert m.LIMITATIONS == ("geen", "lichamelijk", "psychisch")
    assert m.EDUCATION == ("laag", "middelbaar", "hoog", "onbekend")
    assert m.END_REASONS == ("werk", "zelfstandig", "verhuizing", "aow", "vermogen", "partner", "detentie",
                             "overlijden", "overig")
    assert m.STOP_REASONS == ("persoonlijke_reden", "door_gemeente")
    assert m.GUIDANCE == ("regulier", "op_verzoek", "intensief")
    assert m.INITIATORS == ("klantmanager", "deelnemer")
    assert m.CHANNELS == ("gesprek", "huisbezoek", "telefoon", "video", "email", "groep")
    assert surveys.MODES == ("online", "papier", "telefonisch")


def test_persons_are_adults_below_the_aow_age_at_the_start(small):
    manifest, tables = small
    start = manifest.experiment.period_start
    birth = tables["persons"]["birth_date"]
    assert birth.null_count() == 0
    # Ages at the start are drawn within model.AGE_BANDS: from 18 (bijstand is for adults) to 67, above the AOW
    # age of any year in the period (model.AOW_AGE_MONTHS); exact bounds, whole years.
    youngest, oldest = int(m.AGE_BANDS[0][0]), int(m.AGE_BANDS[-1][1])
    assert (youngest, oldest) == (18, 67)
    assert (birth <= dt.date(start.year - youngest, start.month, start.day)).all()
    assert (birth > dt.date(start.year - oldest, start.month, start.day)).all()
    assert tables["persons"]["birth_year"].null_count() == tables["persons"].height  # birth_date is given


def test_population_mix(small, replications):
    """The shares of statushouders, household types and women follow model.py (all three are our assumptions:
    the seeds give none of them). Pooled over the calibration replications; three binomial standard errors."""
    persons = small[1]["persons"]
    assert set(persons["household_type"]) == set(m.HOUSEHOLDS)
    start = replications[0][0].experiment.period_start
    persons = pl.concat([t["persons"].join(groups(t).select("person_id", "arm"), on="person_id")
                         for _, t in replications]).with_columns(_age_at(start).alias("age"))
    n = persons.height

    # Statushouders: model.REFUGEE_SHARE_UNDER_45 below 45 at the start, REFUGEE_SHARE_45_PLUS from 45.
    young = persons.filter(pl.col("age") < 45)
    old = persons.filter(pl.col("age") >= 45)
    assert_rate(int(young["refugee_status_holder"].sum()), young.height, m.REFUGEE_SHARE_UNDER_45,
                what="statushouders under 45")
    assert_rate(int(old["refugee_status_holder"].sum()), old.height, m.REFUGEE_SHARE_45_PLUS,
                what="statushouders 45 and over")
    # Overall: the age bands of model.AGE_BANDS split at 45 (the first three bands lie below it), so the share
    # under 45 follows from AGE_WEIGHTS and LIMITATION_SHARES for participants and the reference group.
    assert m.AGE_BANDS[2][1] == 45.0

    def share_under_45(participant: bool) -> float:
        return sum(s * sum(w[:3]) for s, w in zip(m.LIMITATION_SHARES[participant], m.AGE_WEIGHTS, strict=True))

    size = SIZES["S"]
    under_45 = (size.participants * share_under_45(True) + size.reference * share_under_45(False)) / size.people
    refugees = under_45 * m.REFUGEE_SHARE_UNDER_45 + (1 - under_45) * m.REFUGEE_SHARE_45_PLUS  # about 11.5%
    assert_rate(int(persons["refugee_status_holder"].sum()), n, refugees, what="statushouders")

    # Households: model.HOUSEHOLD_SHARES up to SINGLE_PARENT_MAX_AGE; older single parents count as single.
    for label, group, shares in (
        ("up to", persons.filter(pl.col("age") <= m.SINGLE_PARENT_MAX_AGE), m.HOUSEHOLD_SHARES),
        ("over", persons.filter(pl.col("age") > m.SINGLE_PARENT_MAX_AGE),
         (m.HOUSEHOLD_SHARES[0] + m.HOUSEHOLD_SHARES[1], 0.0, m.HOUSEHOLD_SHARES[2])),
    ):
        counts = dict(group.group_by("household_type").len().iter_rows())
        for code, share in zip(m.HOUSEHOLDS, shares, strict=True):
            if share == 0.0:
                assert code not in counts
            else:
                assert_rate(counts[code], group.height, share, what=f"{code}, {label} {m.SINGLE_PARENT_MAX_AGE}")

    # Women: model.WOMAN_SHARE by household, of those whose sex is known (model.SEX_UNKNOWN_SHARE is unknown).
    for h, code in enumerate(m.HOUSEHOLDS):
        household = persons.filter(pl.col("household_type") == code)
        assert_rate(int((household["sex"] == "vrouw").sum()), household.height,
                    m.WOMAN_SHARE[h] * (1 - m.SEX_UNKNOWN_SHARE), what=f"women, {code}")
    assert_rate(int((persons["sex"] == "onbekend").sum()), n, m.SEX_UNKNOWN_SHARE, what="sex unknown")


def test_benefit_spells_never_overlap_and_ends_have_reasons(small):
    _, tables = small
    spells = tables["benefit_spells"]
    assert (spells["spell_end"].is_null() == spells["end_reason"].is_null()).all()
    assert spells.filter(pl.col("spell_end") <= pl.col("spell_start")).is_empty()
    ordered = spells.sort("person_id", "spell_start").with_columns(
        pl.col("spell_end").shift(1).over("person_id").alias("previous_end"),
        pl.col("spell_start").shift(1).over("person_id").alias("previous_start"))
    later = ordered.filter(pl.col("previous_start").is_not_null())
    assert later["previous_end"].null_count() == 0  # only the last spell of a person can run
    assert (later["spell_start"] > later["previous_end"]).all()


def test_everyone_is_on_benefit_at_the_start_and_some_return(small):
    manifest, tables = small
    start = manifest.experiment.period_start
    first = tables["benefit_spells"].group_by("person_id").agg(pl.col("spell_start").min())
    assert first.height == tables["persons"].height
    assert (first["spell_start"] < start).all()
    # Years on benefit at the start are lognormal with median model.DURATION_MEDIAN_YEARS by group and sigma
    # DURATION_SIGMA (our assumptions), so more than a year back for a share 1 - Phi(ln(1 / median) / sigma):
    # about 89% of participants and 93% of the reference group. Nobody is on benefit before 18, so the
    # drawn years are cut at the 18th birthday; from 19 at the start that cut never falls below one year.
    first = (first.join(tables["persons"], on="person_id").join(groups(tables), on="person_id")
             .with_columns(_age_at(start).alias("age"),
                           ((pl.lit(start) - pl.col("spell_start")).dt.total_days() / DAYS_PER_YEAR).alias("years"))
             .filter(pl.col("age") > 19.0))
    for participant in (True, False):
        group = first.filter((pl.col("arm") != REFERENCE) == participant)
        target = 1 - NormalDist().cdf(math.log(1 / m.DURATION_MEDIAN_YEARS[participant]) / m.DURATION_SIGMA)
        assert_rate(int((group["years"] > 1).sum()), group.height, target,
                    what=f"on benefit over a year at the start, participants={participant}")
    counts = tables["benefit_spells"].group_by("person_id").len()
    assert (counts["len"] > 1).any()  # re-entry


def test_aow_exits_happen_on_reaching_the_aow_age(small):
    """Exact: the benefit ends on the day the person reaches the AOW age that applies in that year
    (model.AOW_AGE_MONTHS, the Algemene Ouderdomswet table in months; the same day of the month as the birth,
    or the month's last day)."""
    _, tables = small
    aow = tables["benefit_spells"].filter(pl.col("end_reason") == "aow").join(tables["persons"], on="person_id")
    assert aow.height > 0
    months = pl.col("spell_end").dt.year().replace_strict(m.AOW_AGE_MONTHS, return_dtype=pl.Int64)
    reached = pl.col("birth_date").dt.offset_by(pl.format("{}mo", months))
    assert aow.select((reached == pl.col("spell_end")).all()).item()


def test_enrollments_follow_lottery_then_consent(small):
    manifest, tables = small
    enrollments = tables["enrollments"]
    assert set(enrollments["arm"]) == manifest.arm_codes
    assert enrollments["consented_on"].null_count() == 0  # everyone enrolled signed
    assert (enrollments["allocated_on"] < enrollments["consented_on"]).all()
    assert enrollments["allocated_on"].dt.weekday().eq(1).all()  # draws on Mondays
    stopped = enrollments.filter(pl.col("stopped_on").is_not_null())
    assert (stopped["stopped_on"] > stopped["consented_on"]).all()
    assert (enrollments["stopped_on"].is_null() == enrollments["stop_reason"].is_null()).all()


def test_lottery_is_balanced_within_each_monthly_cohort(small):
    _, tables = small
    enrollments = tables["enrollments"]
    # Exact: each cohort is dealt over the arms in turn (lottery.py), so arm sizes within a cohort differ by at
    # most one, counting an arm that got nobody as 0.
    arms = len(DESIGNS["wageningen"].arms)
    cohorts = enrollments.group_by("allocated_on", "arm").len()
    spread = cohorts.group_by("allocated_on").agg(
        pl.col("len").max() - pl.when(pl.len() == arms).then(pl.col("len").min()).otherwise(0))
    assert (spread["len"] <= 1).all()

    # Seed 003 ("Aantal deelnemers gestart"): 340 of the 410 started on 1 October 2017, model.START_COHORT_SHARE.
    # Participants near the AOW age all join at the start (lottery.py: a late joiner must be more than 400 days
    # from the AOW age after the last late cohort), so the share is checked for those under 60 at the start, whose
    # AOW age is at least five years away and who could all have joined late; three binomial standard errors.
    assert round(m.START_COHORT_SHARE, 2) == round(340 / 410, 2)
    start = small[0].experiment.period_start
    lottery_month = ((pl.col("allocated_on").dt.year() - start.year) * 12
                     + pl.col("allocated_on").dt.month() - start.month)
    joined = (enrollments.join(small[1]["persons"], on="person_id")
              .with_columns(_age_at(start).alias("age"), lottery_month.alias("month")))
    under_60 = joined.filter(pl.col("age") < 60)
    assert_rate(int((under_60["month"] == 0).sum()), under_60.height, m.START_COHORT_SHARE,
                what="joined at the start, under 60")

    # Seed 003: the number grew to 410 by the end of 2018; model: late cohorts in months 1 to LATE_COHORT_MONTHS
    # (December 2018), each LATE_COHORT_DECAY times the one before. Every month whose expected cohort is 6 or more
    # must have one (a month is empty with chance e^-6 < 0.25%, as rare as three standard errors).
    months = set(joined["month"])
    assert min(months) == 0 and max(months) <= m.LATE_COHORT_MONTHS
    late = int((joined["month"] > 0).sum())
    weights = [m.LATE_COHORT_DECAY ** k for k in range(m.LATE_COHORT_MONTHS)]
    expected = {k + 1: late * w / sum(weights) for k, w in enumerate(weights)}
    assert {k for k, size in expected.items() if size >= 6} <= months


def _on_benefit(tables, frame: pl.DataFrame, day: str) -> pl.Series:
    """Whether the person in each row has a spell running on `day` (start <= day <= end)."""
    joined = frame.with_row_index("_row").join(tables["benefit_spells"], on="person_id")
    running = joined.filter((pl.col("spell_start") <= pl.col(day))
                            & (pl.col("spell_end").is_null() | (pl.col("spell_end") >= pl.col(day))))
    return pl.Series(range(frame.height)).is_in(running["_row"].implode())


def test_events_happen_while_on_benefit(small):
    _, tables = small
    stops = tables["enrollments"].filter(pl.col("stopped_on").is_not_null())
    assert _on_benefit(tables, stops, "stopped_on").all()
    assert _on_benefit(tables, tables["enrollments"], "consented_on").all()
    assert _on_benefit(tables, tables["contacts"], "contact_on").all()
    assert _on_benefit(tables, tables["earnings"], "month").all()  # on benefit on the month's first day


def test_contacts_with_the_same_key_are_one_row_with_their_minutes_added_up():
    """The dataset's rule for duplicate contacts (same person, day, channel and initiator): one row, the minutes
    added up. Here an intake and a review on the same day, and two intakes of another person."""
    log = ContactLog(np.random.default_rng(0))
    log.meetings(np.array([3, 1, 1]), np.array([10, 12, 12]), m.INTAKE_MINUTES)
    log.reviews(np.array([3, 3]), np.array([10, 11]))
    person, day, channel, minutes, initiator = log.arrays()
    assert person.tolist() == [1, 3, 3]
    assert day.tolist() == [12, 10, 11]
    assert minutes.tolist() == [2 * m.INTAKE_MINUTES, m.INTAKE_MINUTES + m.REVIEW_MINUTES, m.REVIEW_MINUTES]
    assert set(channel.tolist()) == {m.CHANNELS.index("gesprek")}
    assert set(initiator.tolist()) == {m.INITIATORS.index("klantmanager")}


def test_earnings_and_hours_are_consistent(small):
    """Exact: hours are earnings divided by the person's hourly wage, drawn within model.WAGE_CENTS_PER_HOUR
    (our assumption), rounded to hundredths; so some wage in that range must round to the hours given.
    Earnings lie within model.EARNINGS_BOUNDS_CENTS."""
    earnings = small[1]["earnings"]
    assert (earnings["month"].dt.day() == 1).all()
    low_bound, high_bound = m.EARNINGS_BOUNDS_CENTS
    assert earnings["earnings_cents"].is_between(low_bound, high_bound).all()
    low_wage, high_wage = m.WAGE_CENTS_PER_HOUR
    cents = earnings["earnings_cents"].cast(pl.Float64)
    hundredths = (earnings["hours"].cast(pl.Float64) * 100).round(0)
    assert (cents * 100 / (hundredths + 0.5) <= high_wage).all()  # the lowest wage that rounds to these hours
    assert (cents * 100 / (hundredths - 0.5) >= low_wage).all()  # the highest


def test_earnings_persist_over_months(small):
    """Someone with earnings this month mostly has earnings next month: not independent coin flips (which would
    give about the 16% share of person-months with earnings in size S). Part-time work is a two-state chain that stops
    with chance model.PARTTIME_STOP a month (our assumption), so of those still on benefit on the next month's
    first day, 1 - PARTTIME_STOP = 90% have earnings again. Each month is a fresh draw given the state, so the
    binomial standard error at the number of such person-months applies."""
    earnings = small[1]["earnings"].select("person_id", "month")
    last_month = earnings["month"].max()
    following = (earnings.filter(pl.col("month") < last_month)
                 .select("person_id", pl.col("month").dt.offset_by("1mo")))
    spells = small[1]["benefit_spells"].join(following, on="person_id")
    on_benefit = spells.filter((pl.col("spell_start") < pl.col("month"))
                               & (pl.col("spell_end").is_null() | (pl.col("spell_end") >= pl.col("month"))))
    at_risk = on_benefit.select("person_id", "month").unique()
    kept = at_risk.join(earnings, on=["person_id", "month"], how="semi").height
    assert_rate(kept, at_risk.height, 1 - m.PARTTIME_STOP, what="earnings again next month")


def test_baseline_goals_and_assessments_at_consent(small):
    _, tables = small
    consent = tables["enrollments"].select("person_id", "consented_on")
    for name in ("goals", "assessments"):
        frame = tables[name].join(consent, on="person_id")
        assert (frame["recorded_on"] == frame["consented_on"]).all()
        assert (frame["occasion"] == "nulmeting").all()
    assert tables["assessments"].height == tables["enrollments"].height
    assert tables["assessments"]["ladder_rung"].is_between(1, 6).all()  # DESIGN.md section 3: six rungs


def test_survey_answers_are_within_each_items_scale(small):
    responses = small[1]["survey_responses"]
    # surveys.py: the baseline (wave 0) and a year later (wave 1). Seed 003 ("Opzet en uitvoering onderzoek")
    # had a third questionnaire around the count date, which the generator does not make.
    assert set(responses["wave"]) == {0, 1}
    values = responses.drop_nulls("value").with_columns(pl.col("value").cast(pl.Int64))
    scale = {item: (low, high) for item, low, high in values.group_by("item").agg(
        pl.col("value").min().alias("low"), pl.col("value").max().alias("high")).iter_rows()}
    assert set(scale) == {item.code for item in surveys.ITEMS}
    for item in surveys.ITEMS:  # each item's own scale, e.g. 1-5 or 1-10
        low, high = scale[item.code]
        assert item.low <= low and high <= item.high, item.code
    assert responses.select("person_id", "wave", "mode").unique().group_by("person_id", "wave").len()[
        "len"].max() == 1  # one mode per questionnaire


def test_manifest_records_provenance_and_the_design(small):
    manifest, _ = small
    assert manifest.municipality == VOORBEELDSTAD
    assert manifest.arms == DESIGNS["wageningen"].arms
    assert manifest.experiment.period_start == dt.date(2017, 10, 1)  # DESIGN.md section 4, seed 003
    assert manifest.experiment.count_date == dt.date(2019, 10, 1)
    assert {"generator", "version", "size", "seed"} <= set(manifest.provenance)
    assert manifest.provenance["size"] == "S" and manifest.provenance["seed"] == 2017  # generate_tables' default


def test_same_seed_gives_identical_frames_and_another_seed_does_not(small):
    _, again = generate_tables("S", seed=2017)
    for name, frame in small[1].items():
        assert_frame_equal(frame, again[name])
    _, other = generate_tables("S", seed=2018)
    assert not other["persons"].equals(small[1]["persons"])
    assert not other["benefit_spells"].equals(small[1]["benefit_spells"])


def test_effects_are_parameters_and_leave_the_population_alone(small):
    _, tables = small
    _, null = generate_tables("S", effects=ArmEffects.null())
    assert_frame_equal(null["persons"], tables["persons"])
    assert_frame_equal(null["enrollments"].drop("stopped_on", "stop_reason"),
                       tables["enrollments"].drop("stopped_on", "stop_reason"))
    assert not null["benefit_spells"].equals(tables["benefit_spells"])


def test_sizes_and_periods():
    # DESIGN.md section 8: S 800 participants and 800 reference; M 40,000 people and L 410,000, 36 months.
    assert SIZES["S"].participants == SIZES["S"].reference == 800
    assert SIZES["M"].people == 40_000 and SIZES["L"].people == 410_000
    manifest, tables = generate_tables("XS", seed=7)  # XS is ours, for fast tests (sizes.py)
    assert tables["persons"].height == SIZES["XS"].people
    assert tables["enrollments"].height == SIZES["XS"].participants
    months = SIZES["M"].months
    assert months == 36
    # sizes.py: M and L cover 36 months ending where the design ends (DESIGN.md section 4: 31 December 2019),
    # with the design's count date.
    manifest, _ = generate_tables(Size("M-like", 30, 30, months=36))
    assert manifest.experiment.period_start == dt.date(2017, 1, 1)
    assert manifest.experiment.period_end == dt.date(2019, 12, 31)
    assert manifest.experiment.count_date == dt.date(2019, 10, 1)  # three months before the end


def test_size_m_covers_36_months_with_half_participants():
    manifest, tables = generate_tables("M", seed=11)
    # DESIGN.md section 8: 40,000 people, 36 months; half of them participants (sizes.py).
    assert tables["persons"].height == 40_000 and tables["enrollments"].height == 20_000
    assert tables["earnings"]["month"].n_unique() == 36
    # Lotteries are drawn on the first Monday of a month (timegrid.py); 2 January 2017 was a Monday.
    assert tables["enrollments"]["allocated_on"].min() == dt.date(2017, 1, 2)
    assert tables["contacts"]["contact_on"].max() <= manifest.experiment.period_end


@pytest.mark.parametrize("design", list(DESIGNS))
def test_every_design_generates_a_valid_dataset_that_reads_back_equal(tmp_path, design):
    dataset = generate("XS", seed=3, design=design)
    assert isinstance(dataset, Dataset)
    write_dataset(tmp_path, dataset)
    assert validate_dataset(tmp_path) == []
    back = read_dataset(tmp_path)
    assert back.manifest == dataset.manifest
    for table in TABLES:
        assert_frame_equal(back.tables[table.name], dataset.tables[table.name])


def test_size_s_is_a_valid_dataset(tmp_path, small):
    manifest, tables = small
    write_dataset(tmp_path, Dataset(manifest, tables))
    assert validate_dataset(tmp_path) == []


def test_unknown_size_or_design_is_refused():
    with pytest.raises(ValueError, match="size"):
        generate_tables("XXL")
    with pytest.raises(ValueError, match="design"):
        generate_tables("XS", design="nowhere")
