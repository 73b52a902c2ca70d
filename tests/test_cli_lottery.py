"""The command line of design and lottery: `power`, `diagnose` and `randomize`, run as researchers run them.

Expected power figures come from statsmodels' power_proportions_2indep (pooled variance under H0, as Fleiss and
R's power.prop.test), an implementation independent of ours; expected allocations from a second run with the same
seed, and the allocation's arm sizes from the ratio.
"""

import json
from collections import Counter

import polars as pl
import pytest
from statsmodels.stats.proportion import power_proportions_2indep

from vertrouwen.cli import main
from vertrouwen.core.dataset import schema
from vertrouwen.core.dataset.writing import write_dataset
from vertrouwen.core.simulation import generate


def power_of(baseline: float, effect: float, n: int, alpha: float) -> float:
    return float(power_proportions_2indep(effect, baseline, n, ratio=1, alpha=alpha).power)


def test_power_prints_the_mde_and_the_sample_sizes_of_the_wageningen_design(capsys):
    """The issue's example: about 100 per arm, 10.7% exit to work (seed 003), 3 arms each against the control."""
    assert main(["power", "--baseline", "0.107", "--n-per-arm", "100", "--arms", "3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)

    per_arm, pooled = result["per_arm"], result["pooled"]
    assert per_arm["alpha"] == pytest.approx(0.05 / 3)  # Holm's first step over 3 arms
    assert power_of(0.107, per_arm["mde"], 100, 0.05 / 3) == pytest.approx(0.8, abs=1e-6)
    # statsmodels: nobs1 is the treated group (300 in the three arms together), ratio = control / treated.
    assert float(power_proportions_2indep(pooled["mde"], 0.107, 300, ratio=1 / 3, alpha=0.05).power) == \
        pytest.approx(0.8, abs=1e-6)
    for effect, needed in zip(result["effects"], per_arm["n_per_arm_needed"], strict=True):
        assert power_of(0.107, effect, needed - 1, 0.05 / 3) < 0.8 <= power_of(0.107, effect, needed, 0.05 / 3)


def test_power_in_dutch_text_and_a_clear_error(capsys):
    assert main(["power", "--baseline", "0.107", "--n-per-arm", "100", "--arms", "3", "--effect", "0.1"]) == 0
    text = capsys.readouterr().out
    assert "10,7%" in text and "elke groep tegen de controlegroep (Holm)" in text and "power +10,0" in text

    assert main(["power", "--baseline", "1.5", "--n-per-arm", "100", "--arms", "3"]) == 2
    assert "baseline" in capsys.readouterr().err


def test_diagnose_reports_power_bias_and_coverage_as_json(capsys):
    assert main(["diagnose", "--n-per-arm", "30", "--replications", "4", "--seed", "3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["replications"], result["n_per_arm"], result["seed"]) == (4, 30, 3)
    assert [c["comparison"] for c in result["comparisons"]] == ["zelf_in_actie", "extra_begeleiding",
                                                                "verdienen_loont", "pooled"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """The XS synthetic municipality: its 60 reference persons have no enrollment, so they can be drawn."""
    folder = tmp_path_factory.mktemp("xs")
    write_dataset(folder, generate("XS", seed=11))
    return folder


def randomize(folder, out, *extra) -> int:
    return main(["randomize", str(folder), "--seed", "2024", "--out", str(out), "--date", "2018-03-01", *extra])


def test_randomize_writes_enrollments_the_same_for_the_same_seed(dataset, tmp_path, capsys):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert randomize(dataset, first, "--strata", "household_type,benefit_duration_band") == 0
    printed = capsys.readouterr().out
    assert randomize(dataset, second, "--strata", "household_type,benefit_duration_band") == 0

    assert first.read_bytes() == second.read_bytes()
    frame = pl.read_csv(first, infer_schema=False)
    assert tuple(frame.columns) == schema.ENROLLMENTS.column_names
    assert set(frame["allocated_on"]) == {"2018-03-01"} and frame["consented_on"].null_count() == len(frame)
    assert "Kenmerk" in printed and "Uitkeringsduur" in printed and "Invoerhash" in printed
    assert main(["randomize", str(dataset), "--seed", "2025", "--out", str(tmp_path / "c.csv"), "--date",
                 "2018-03-01", "--strata", "household_type,benefit_duration_band"]) == 0
    assert (tmp_path / "c.csv").read_bytes() != first.read_bytes()


def test_randomize_keeps_an_unequal_ratio(dataset, tmp_path, capsys):
    """Block randomization 2:1:1:1: every complete block of 5 holds 2 of the first arm and 1 of each other arm,
    so with n persons the first arm has 2n/5 persons up to one incomplete block."""
    out = tmp_path / "ratio.csv"
    assert randomize(dataset, out, "--ratio", "2,1,1,1", "--method", "block") == 0
    arms = Counter(pl.read_csv(out)["arm"])
    n = sum(arms.values())
    assert abs(arms["zelf_in_actie"] - 2 * n / 5) <= 2
    assert all(abs(arms[a] - n / 5) <= 1 for a in ("extra_begeleiding", "verdienen_loont", "onderzoeksgroep"))


@pytest.mark.parametrize(("extra", "reason"), [
    (("--strata", "shoe_size"), "shoe_size is geen stratumvariabele"),
    (("--strata", "person_id"), "person_id is geen stratumvariabele"),
    (("--arms", "zelf_in_actie,onbekend"), "onbekend staat niet in manifest.json"),
    (("--ratio", "2,1"), "verhouding"),
])
def test_randomize_refuses_bad_input_and_writes_nothing(dataset, tmp_path, capsys, extra, reason):
    out = tmp_path / "refused.csv"
    assert randomize(dataset, out, *extra) == 1
    assert reason in capsys.readouterr().err and not out.exists()


def test_randomize_never_overwrites_a_file(dataset, tmp_path, capsys):
    out = tmp_path / "there.csv"
    out.write_text("keep me")
    assert randomize(dataset, out) == 1
    assert "bestaat al" in capsys.readouterr().err and out.read_text() == "keep me"


def test_randomize_a_monthly_cohort_draws_only_that_months_inflow(dataset, tmp_path, capsys):
    spells = pl.read_csv(dataset / "benefit_spells.csv", try_parse_dates=True)
    month = spells["spell_start"].max().replace(day=1)  # the latest month with new inflow in the dataset
    enrolled = set(pl.read_csv(dataset / "enrollments.csv")["person_id"])
    inflow = set(spells.filter(pl.col("spell_start").dt.truncate("1mo") == month)["person_id"]) - enrolled
    out = tmp_path / "cohort.csv"

    code = main(["randomize", str(dataset), "--seed", "1", "--out", str(out), "--method", "complete",
                 "--cohort", f"{month:%Y-%m}", "--date", f"{month.replace(day=28)}"])

    if code == 0:
        assert set(pl.read_csv(out)["person_id"]) <= inflow
    else:  # nobody of that month's inflow is still on benefit and of age on the 28th
        assert "niemand om te loten" in capsys.readouterr().err and not out.exists()


def test_randomize_names_a_missing_folder_and_a_wrong_month(dataset, tmp_path, capsys):
    assert randomize(dataset, tmp_path / "nowhere" / "out.csv") == 1
    assert "bestaat niet" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["randomize", str(dataset), "--seed", "1", "--out", str(tmp_path / "x.csv"), "--cohort", "2018-13"])
    assert "is geen maand (JJJJ-MM)" in capsys.readouterr().err
