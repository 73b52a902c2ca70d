"""balance_table: shares against polars group_by counts, means, SDs and standardized differences against a direct
numpy computation of the formulas in the module docstring (Austin 2009), and the Dutch text table."""

import numpy as np
import polars as pl
import pytest

from vertrouwen.core.lottery import SMD_THRESHOLD, BalanceTable, balance_table

ARMS = ("EXP1", "EXP2", "EXP4")
CONTROL = "EXP4"


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    rng = np.random.default_rng(2017)
    n = 1200
    age = rng.normal(42, 11, n).round()
    age[rng.random(n) < 0.05] = np.nan
    household = rng.choice(["alleenstaande", "alleenstaande_ouder", "gehuwd_samenwonend"], n).astype(object)
    household[rng.random(n) < 0.03] = None
    return pl.DataFrame({
        "person_id": [f"P{i}" for i in range(n)],
        "arm": rng.choice(ARMS, n, p=[0.4, 0.3, 0.3]),
        "age": pl.Series(age, nan_to_null=True),
        "household_type": pl.Series(household, dtype=pl.String),
        "refugee_status_holder": rng.random(n) < 0.12,
        "age_band": pl.Series(rng.choice(["18-26", "27-39", "40-54", "55+"], n)).cast(
            pl.Enum(["18-26", "27-39", "40-54", "55+"])),
    })


@pytest.fixture(scope="module")
def table(frame) -> BalanceTable:
    return balance_table(frame, ARMS, CONTROL)


def _rows(table, covariate, level=None):
    return {r.arm: r for r in table.rows if r.covariate == covariate and r.level == level}


def test_numeric_mean_sd_and_smd_match_numpy(frame, table):
    arm = frame["arm"].to_numpy()
    age = frame["age"].to_numpy().astype(float)
    rows = _rows(table, "age")

    def stats(code):
        x = age[(arm == code) & ~np.isnan(age)]
        return len(x), x.mean(), x.std(ddof=1)

    n_c, mean_c, sd_c = stats(CONTROL)
    for code in ARMS:
        n, mean, sd = stats(code)
        assert (rows[code].n, rows[code].mean, rows[code].sd) == (n, pytest.approx(mean, rel=1e-12),
                                                                  pytest.approx(sd, rel=1e-12))
        expected = None if code == CONTROL else pytest.approx((mean - mean_c) / np.sqrt((sd**2 + sd_c**2) / 2),
                                                              rel=1e-10)
        assert rows[code].smd == expected


@pytest.mark.parametrize("covariate", ["household_type", "refugee_status_holder", "age_band"])
def test_category_shares_match_polars_counts_and_the_indicator_smd_matches_numpy(frame, table, covariate):
    text = frame[covariate].cast(pl.String)
    if frame[covariate].dtype == pl.Boolean:
        text = frame[covariate].replace_strict({True: "ja", False: "nee"}, return_dtype=pl.String)
    labelled = frame.select("arm").with_columns(text.fill_null("(onbekend)").alias("level"))
    counts = {(a, lv): c for a, lv, c in labelled.group_by("arm", "level").len().iter_rows()}
    sizes = dict(frame.group_by("arm").len().iter_rows())
    arm = frame["arm"].to_numpy()
    levels = labelled["level"].to_numpy()

    for level in labelled["level"].unique():
        rows = _rows(table, covariate, level)
        indicator = (levels == level).astype(float)
        p_c, sd_c = indicator[arm == CONTROL].mean(), indicator[arm == CONTROL].std()
        for code in ARMS:
            assert rows[code].n == sizes[code]
            assert rows[code].mean == pytest.approx(counts.get((code, level), 0) / sizes[code], rel=1e-12)
            p, sd = indicator[arm == code].mean(), indicator[arm == code].std()  # ddof=0: sqrt(p(1 - p))
            assert rows[code].sd == pytest.approx(sd, rel=1e-12)
            if code != CONTROL:
                assert rows[code].smd == pytest.approx((p - p_c) / np.sqrt((sd**2 + sd_c**2) / 2), rel=1e-10)


def test_levels_in_their_natural_order_and_missing_last(table):
    def levels(covariate):
        return list(dict.fromkeys(r.level for r in table.rows if r.covariate == covariate))

    assert levels("age_band") == ["18-26", "27-39", "40-54", "55+"]  # Enum order
    assert levels("refugee_status_holder") == ["ja", "nee"]
    assert levels("household_type") == ["alleenstaande", "alleenstaande_ouder", "gehuwd_samenwonend", "(onbekend)"]


def test_shares_of_an_arm_add_up_to_one(table):
    tidy = table.tidy().filter(pl.col("level").is_not_null())

    sums = tidy.group_by("covariate", "arm").agg(pl.col("mean").sum())["mean"]
    assert sums.to_numpy() == pytest.approx(1.0)


def test_tidy_has_one_row_per_covariate_level_and_arm(frame, table):
    tidy = table.tidy()

    levels = 1 + 4 + 2 + 4  # age; household (3 + missing); statushouder; age band
    assert tidy.height == levels * len(ARMS)
    assert tidy.columns == ["covariate", "level", "arm", "n", "mean", "sd", "smd", "imbalanced"]
    assert tidy.filter(pl.col("arm") == CONTROL)["smd"].null_count() == levels
    assert table.sizes == tuple(frame.group_by("arm").len().sort(
        pl.col("arm").replace_strict(ARMS, range(3)))["len"].to_list())
    assert "person_id" not in tidy["covariate"].to_list()


def test_a_difference_above_a_tenth_is_flagged():
    # Control 50% ja; EXP1 60%: (0.6 - 0.5) / sqrt((0.24 + 0.25) / 2) = 0.202, flagged; EXP2 52%: 0.040, not.
    arm = ["EXP4"] * 100 + ["EXP1"] * 100 + ["EXP2"] * 100
    value = [True] * 50 + [False] * 50 + [True] * 60 + [False] * 40 + [True] * 52 + [False] * 48
    table = balance_table(pl.DataFrame({"arm": arm, "x": value}), ARMS, CONTROL)

    rows = _rows(table, "x", "ja")
    assert rows["EXP1"].smd == pytest.approx(0.1 / np.sqrt(0.49 / 2))
    assert rows["EXP1"].imbalanced and not rows["EXP2"].imbalanced and not rows["EXP4"].imbalanced
    assert rows["EXP2"].smd == pytest.approx(0.02 / np.sqrt((0.2496 + 0.25) / 2))
    assert {(r.covariate, r.level, r.arm) for r in table.imbalanced} == {("x", "ja", "EXP1"), ("x", "nee", "EXP1")}
    assert SMD_THRESHOLD == 0.1


def test_equal_constant_columns_have_no_difference():
    frame = pl.DataFrame({"arm": ["EXP1", "EXP4", "EXP1", "EXP4"], "x": [3, 3, 3, 3]})
    table = balance_table(frame, ("EXP1", "EXP4"), "EXP4")

    assert _rows(table, "x")["EXP1"].smd == 0.0


def test_as_text_is_an_aligned_dutch_table():
    arm = ["EXP4"] * 1000 + ["EXP1"] * 1200
    age = [30.5] * 500 + [50.5] * 500 + [40.0] * 1200
    frame = pl.DataFrame({"arm": arm, "age": age, "sex": ["vrouw"] * 1100 + ["man"] * 1100})

    text = balance_table(frame, ("EXP1", "EXP4"), "EXP4").as_text()

    lines = text.splitlines()
    assert lines[0].split() == ["Kenmerk", "Niveau", "EXP1", "EXP4", "SMD", "EXP1"]
    assert lines[1].split() == ["Aantal", "1.200", "1.000"]
    # EXP4: mean 40.5, SD sqrt(1000 * 10^2 / 999) = 10.005; EXP1: 40.0, SD 0; SMD -0.5 / sqrt(100.1 / 2) = -0.071.
    assert lines[2].split() == ["Leeftijd", "gemiddelde", "(SD)", "40,0", "(0,0)", "40,5", "(10,0)", "-0,07"]
    # sex: EXP1 1100 man of 1200 (91.7%), EXP4 none; SMD 0.9167 / sqrt(0.9167 * 0.0833 / 2) = 4.69.
    assert lines[3].split() == ["Geslacht", "man", "91,7%", "0,0%", "4,69", "*"]
    assert lines[4].split() == ["Geslacht", "vrouw", "8,3%", "100,0%", "-4,69", "*"]
    # Right-aligned columns: the arm columns end where their header ends.
    end_of_exp4 = lines[0].index("EXP4") + len("EXP4")
    assert lines[1].index("1.000") + 5 == lines[3].index("0,0%") + 4 == lines[4].index("100,0%") + 6 == end_of_exp4
    assert "controlegroep EXP4" in text and "0,1" in text


@pytest.mark.parametrize(("call", "expected"), [
    ({"arms": ("EXP1", "EXP2"), "control": "EXP1"}, "rij 1, kolom 'arm': groep 'EXP4'"),
    ({"control": "EXP9"}, "controlegroep 'EXP9'"),
    ({"covariates": ["region"]}, "kenmerk 'region' ontbreekt"),
    ({"arm_column": "group"}, "kolom 'group'"),
])
def test_bad_input_is_named(call, expected):
    frame = pl.DataFrame({"arm": ["EXP4", "EXP1"], "age": [30, 40]})
    arguments = {"frame": frame, "arms": ("EXP1", "EXP4"), "control": "EXP4", **call}

    with pytest.raises(ValueError, match=expected.replace("(", r"\(")):
        balance_table(**arguments)
