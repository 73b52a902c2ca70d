"""The lottery outside any system: draw a dataset folder's persons and write the allocation as enrollments.

Researchers often draw the allocation table themselves (as with REDCap). `vertrouwen randomize` draws the
persons of persons.csv that have no enrollment yet, in the file's order, who are on benefit and within the age
limits on the draw date; the others are counted, not drawn. With a cohort month it draws only the persons whose
benefit started in that month (Wageningen drew each month's new inflow). The same seed and folder always give
the same file.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from vertrouwen.core.dataset import read_dataset, schema
from vertrouwen.core.dataset.writing import write_table
from vertrouwen.core.formatting import dutch_number
from vertrouwen.core.lottery.balance import BALANCE_COVARIATES, BalanceTable, balance_table
from vertrouwen.core.lottery.randomization import METHOD_LABELS, Draw, Method, RandomizationError, randomize
from vertrouwen.core.lottery.strata import STRATUM_VARIABLES, person_attributes
from vertrouwen.core.months import add_months


class DrawFileRefused(ValueError):
    """The draw cannot be made; the message (Dutch) names the file, field or person."""


@dataclass(frozen=True)
class DrawFileResult:
    draw: Draw
    out: Path
    on: dt.date
    not_on_benefit: int
    outside_age: int
    balance: BalanceTable

    def __str__(self) -> str:
        d = self.draw
        totals = ", ".join(f"{arm} {dutch_number(n)}" for arm, n in d.arm_totals().items())
        lines = [
            f"{self.out}: {dutch_number(d.size)} personen geloot op {self.on} ({totals}).",
            f"Methode: {METHOD_LABELS[d.method].lower()}"
            f"{' naar ' + ', '.join(STRATUM_VARIABLES[s].lower() for s in d.stratify_by) if d.stratify_by else ''}; "
            f"seed {d.seed}, "
            f"algoritme versie {d.algorithm_version}.",
            f"Invoerhash {d.input_hash}",
            f"Uitkomsthash {d.result_hash}",
        ]
        if self.not_on_benefit or self.outside_age:
            lines.append(f"Niet geloot: {dutch_number(self.not_on_benefit)} zonder uitkering op {self.on}, "
                         f"{dutch_number(self.outside_age)} buiten de leeftijdsgrenzen of met een onbekende leeftijd.")
        return "\n".join([*lines, "", self.balance.as_text()])


def draw_dataset(folder: Path, out: Path, *, seed: int, strata: tuple[str, ...] = (),
                 arms: tuple[str, ...] | None = None, ratio: tuple[str, ...] | None = None,
                 method: str | None = None, on: dt.date | None = None, min_age: int = 18,
                 max_age: int = 66, cohort_month: dt.date | None = None) -> DrawFileResult:
    out = Path(out)
    if out.exists():
        raise DrawFileRefused(f"{out} bestaat al; kies een nieuw bestand")
    if not out.parent.is_dir():
        raise DrawFileRefused(f"map {out.parent} bestaat niet")
    if unknown := [name for name in strata if name not in STRATUM_VARIABLES]:
        raise DrawFileRefused(f"--strata: {', '.join(unknown)} is geen stratumvariabele; kies uit "
                              f"{', '.join(STRATUM_VARIABLES)}")
    dataset = read_dataset(Path(folder))
    manifest = dataset.manifest
    arm_codes, ratios = _arms_and_ratio(manifest, arms, ratio)
    # By default a cohort is drawn on the first day after its month, the whole list at the experiment's start.
    on = on or (add_months(cohort_month.replace(day=1), 1) if cohort_month else manifest.experiment.period_start)
    enrolled = dataset.tables["enrollments"]["person_id"]
    persons = dataset.tables["persons"].filter(~pl.col("person_id").is_in(enrolled.implode()))
    if cohort_month is not None:
        persons = persons.filter(pl.col("person_id").is_in(_inflow(dataset, cohort_month).implode()))
    found = person_attributes(persons, dataset.tables["benefit_spells"], on)
    in_age = pl.col("age").is_between(min_age, max_age)
    eligible = found.filter(pl.col("on_benefit") & in_age)
    if eligible.is_empty():
        raise DrawFileRefused(f"niemand om te loten: geen persoon zonder deelname heeft op {on} een uitkering "
                              f"en een leeftijd van {min_age} tot en met {max_age} jaar")
    chosen_method = method or (Method.STRATIFIED_BLOCK if strata else Method.BLOCK)
    try:
        draw = randomize(eligible["person_id"], arm_codes, ratios, seed, method=chosen_method, strata=eligible,
                         stratify_by=strata)
    except RandomizationError as exc:
        raise DrawFileRefused(str(exc)) from exc
    write_table(out, schema.ENROLLMENTS, pl.DataFrame({
        "person_id": draw.ids, "arm": draw.arm, "allocated_on": pl.Series([on] * draw.size, dtype=pl.Date),
    }).with_columns(consented_on=pl.lit(None, pl.Date), stopped_on=pl.lit(None, pl.Date),
                    stop_reason=pl.lit(None, pl.String),
                    # The draw's record: the evaluation re-deals these blocks (the draw is named by its date).
                    draw=pl.lit(on.isoformat()), method=pl.lit(draw.method.value),
                    block=pl.Series(draw.block, dtype=pl.Int64),
                    block_size=pl.Series(draw.block_sizes, dtype=pl.Int64)))
    control = next((a.code for a in manifest.arms if a.is_control and a.code in arm_codes), arm_codes[0])
    balance = balance_table(eligible.with_columns(arm=draw.arm), arm_codes, control,
                            covariates=BALANCE_COVARIATES)
    return DrawFileResult(draw, out, on, not_on_benefit=found.filter(~pl.col("on_benefit")).height,
                          outside_age=found.filter(pl.col("on_benefit") & ~in_age.fill_null(False)).height,
                          balance=balance)


def _inflow(dataset, month: dt.date) -> pl.Series:
    """The persons with a benefit spell that started in the calendar month of `month`."""
    spells = dataset.tables["benefit_spells"]
    started = pl.col("spell_start").dt.truncate("1mo") == pl.lit(month.replace(day=1))
    return spells.filter(started)["person_id"].unique()


def _arms_and_ratio(manifest, arms, ratio) -> tuple[tuple[str, ...], tuple[int, ...]]:
    known = {a.code: a for a in manifest.arms}
    codes = tuple(arms) if arms else tuple(known)
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DrawFileRefused(f"--arms: {', '.join(unknown)} staat niet in manifest.json (groepen: "
                              f"{', '.join(known)})")
    if not ratio:
        return codes, tuple(known[c].allocation_ratio for c in codes)
    try:
        parts = tuple(int(r) for r in ratio)
    except ValueError:
        raise DrawFileRefused(f"--ratio: {','.join(ratio)} zijn geen hele getallen") from None
    return codes, parts
