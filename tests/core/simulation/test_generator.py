"""The generator's output is a valid dataset in the canonical format, deterministic for a seed."""

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from vertrouwen.core.dataset import Dataset, read_dataset, table_schema, validate_dataset, write_dataset
from vertrouwen.core.dataset.schema import TABLES
from vertrouwen.core.designs import DESIGNS
from vertrouwen.core.privacy import is_valid_bsn
from vertrouwen.core.simulation import SIZES, VOORBEELDSTAD, ArmEffects, Size, generate, generate_tables


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
    assert 0.9 < len(given) / len(bsn) < 1.0  # most persons have one, a few do not
    assert all(is_valid_bsn(value) for value in given)
    assert given.n_unique() == len(given)


def test_persons_are_adults_below_the_aow_age_at_the_start(small):
    manifest, tables = small
    start = manifest.experiment.period_start
    birth = tables["persons"]["birth_date"]
    assert birth.null_count() == 0
    assert (birth <= dt.date(start.year - 18, start.month, start.day)).all()
    assert (birth > dt.date(start.year - 67, start.month, start.day)).all()
    assert tables["persons"]["birth_year"].null_count() == tables["persons"].height  # birth_date is given


def test_population_mix(small):
    persons = small[1]["persons"]
    assert 0.10 <= persons["refugee_status_holder"].mean() <= 0.15  # statushouders
    assert set(persons["household_type"]) == {"alleenstaande", "alleenstaande_ouder", "gehuwd_samenwonend"}
    assert 0.45 < (persons["sex"] == "vrouw").mean() < 0.65


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
    assert (first["spell_start"] < dt.date(start.year - 1, start.month, 1)).mean() > 0.5  # years back
    counts = tables["benefit_spells"].group_by("person_id").len()
    assert (counts["len"] > 1).any()  # re-entry


def test_aow_exits_happen_on_reaching_the_aow_age(small):
    _, tables = small
    aow = tables["benefit_spells"].filter(pl.col("end_reason") == "aow").join(tables["persons"], on="person_id")
    assert aow.height > 0
    age = (aow["spell_end"] - aow["birth_date"]).dt.total_days() / 365.25
    assert age.min() > 65.4 and age.max() < 67.3


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
    cohorts = enrollments.group_by("allocated_on", "arm").len()
    spread = cohorts.group_by("allocated_on").agg(pl.col("len").max() - pl.col("len").min(), pl.len().alias("k"))
    assert (spread.filter(pl.col("k") == 4)["len"] <= 1).all()
    first_cohort = enrollments["allocated_on"].min()
    share_at_start = (enrollments["allocated_on"] == first_cohort).mean()
    assert 0.75 < share_at_start < 0.9  # Wageningen: 340 of 410 at the start
    assert enrollments["allocated_on"].n_unique() > 6  # monthly cohorts afterwards


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


def test_earnings_and_hours_are_consistent(small):
    earnings = small[1]["earnings"]
    assert (earnings["month"].dt.day() == 1).all()
    per_hour = earnings["earnings_cents"] / 100 / earnings["hours"].cast(pl.Float64)
    assert per_hour.min() >= 10.9 and per_hour.max() <= 14.1


def test_earnings_persist_over_months(small):
    """Someone with earnings this month mostly has earnings next month: not independent coin flips."""
    earnings = small[1]["earnings"].select("person_id", "month")
    following = earnings.with_columns(pl.col("month").dt.offset_by("1mo"))
    kept = earnings.join(following, on=["person_id", "month"], how="semi").height / earnings.height
    assert kept > 0.6


def test_baseline_goals_and_assessments_at_consent(small):
    _, tables = small
    consent = tables["enrollments"].select("person_id", "consented_on")
    for name in ("goals", "assessments"):
        frame = tables[name].join(consent, on="person_id")
        assert (frame["recorded_on"] == frame["consented_on"]).all()
        assert (frame["occasion"] == "nulmeting").all()
    assert tables["assessments"].height == tables["enrollments"].height
    assert tables["assessments"]["ladder_rung"].is_between(1, 6).all()


def test_survey_answers_are_within_each_items_scale(small):
    responses = small[1]["survey_responses"]
    assert set(responses["wave"]) == {0, 1}
    values = responses.drop_nulls("value").with_columns(pl.col("value").cast(pl.Int64))
    scale = values.group_by("item").agg(pl.col("value").min().alias("low"), pl.col("value").max().alias("high"))
    assert (scale["low"] >= 1).all() and (scale["high"] <= 10).all()
    assert responses.select("person_id", "wave", "mode").unique().group_by("person_id", "wave").len()[
        "len"].max() == 1  # one mode per questionnaire


def test_manifest_records_provenance_and_the_design(small):
    manifest, _ = small
    assert manifest.municipality == VOORBEELDSTAD
    assert manifest.arms == DESIGNS["wageningen"].arms
    assert manifest.experiment.period_start == dt.date(2017, 10, 1)
    assert manifest.experiment.count_date == dt.date(2019, 10, 1)
    assert {"generator", "version", "size", "seed"} <= set(manifest.provenance)
    assert manifest.provenance["size"] == "S" and manifest.provenance["seed"] == 2017


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
    assert SIZES["S"].participants == SIZES["S"].reference == 800
    assert SIZES["M"].people == 40_000 and SIZES["L"].people == 410_000
    manifest, tables = generate_tables("XS", seed=7)
    assert tables["persons"].height == 120 and tables["enrollments"].height == 60
    months = SIZES["M"].months
    assert months == 36
    manifest, _ = generate_tables(Size("M-like", 30, 30, months=36))
    assert manifest.experiment.period_start == dt.date(2017, 1, 1)
    assert manifest.experiment.period_end == dt.date(2019, 12, 31)
    assert manifest.experiment.count_date == dt.date(2019, 10, 1)  # three months before the end


def test_size_m_covers_36_months_with_half_participants():
    manifest, tables = generate_tables("M", seed=11)
    assert tables["persons"].height == 40_000 and tables["enrollments"].height == 20_000
    assert tables["earnings"]["month"].n_unique() == 36
    assert tables["enrollments"]["allocated_on"].min() == dt.date(2017, 1, 2)  # first Monday of the period
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
