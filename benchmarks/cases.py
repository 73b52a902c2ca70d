"""One benchmark case, run in a fresh process: `python -m benchmarks.cases CASE ARGS...`.

Prints one JSON line with the seconds the measured step took; the parent measures the process's peak memory.
"""

import json
import os
import sys
import time
from pathlib import Path


def generate(size: str, folder: str) -> dict:
    """A named size (XS to L), or a number: that many participants and as many reference persons over the design's
    own period (the evaluation cases' input)."""
    from vertrouwen.core.dataset import write_dataset
    from vertrouwen.core.simulation import Size
    from vertrouwen.core.simulation import generate as generate_dataset

    chosen = Size(size, int(size), int(size)) if size.isdigit() else size
    start = time.perf_counter()
    dataset = generate_dataset(size=chosen, seed=2017)
    write_dataset(Path(folder), dataset)
    rows = sum(len(frame) for frame in dataset.tables.values())
    return {"seconds": time.perf_counter() - start, "rows": rows}


def import_into_database(folder: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from vertrouwen.core.dataset import schema
    from vertrouwen.web.datasets import import_dataset

    call_command("migrate", interactive=False, verbosity=0)
    start = time.perf_counter()
    result = import_dataset(Path(folder), actor="systeem:bench")
    # The records created from the CSV rows of the dataset's tables; not the BSNs stored on persons, the
    # reference group derived from them, or the municipality, experiment and arms of manifest.json.
    rows = sum(result.counts[table.name].created for table in schema.TABLES)
    return {"seconds": time.perf_counter() - start, "rows": rows}


# The lottery cases: our stratified block randomization and stochatreat (PyPI) on the same synthetic input.
LOTTERY_SIZE = 410_000  # everyone on bijstand in the Netherlands (DESIGN.md, section 8)
LOTTERY_SEED = 2017
LOTTERY_ARMS = ("EXP1", "EXP2", "EXP3", "EXP4")
LOTTERY_RATIO = (2, 1, 1, 1)
LOTTERY_STRATA = ("household_type", "benefit_duration_band", "limitation")  # 3 x 4 x 3 = 36 strata


def _lottery_input(size: int) -> tuple[list[str], dict]:
    """Synthetic persons from a fixed seed: ids and the three stratum variables (numpy arrays of text)."""
    import numpy as np

    from vertrouwen.core import codes
    from vertrouwen.core.lottery import BENEFIT_DURATION_BANDS

    rng = np.random.default_rng(LOTTERY_SEED)
    columns = {
        "household_type": rng.choice(list(codes.HOUSEHOLD_TYPES), size, p=[0.6, 0.2, 0.2]),
        "benefit_duration_band": rng.choice(BENEFIT_DURATION_BANDS, size, p=[0.15, 0.2, 0.35, 0.3]),
        "limitation": rng.choice(list(codes.LIMITATIONS), size, p=[0.43, 0.33, 0.24]),
    }
    return [f"P{i:07d}" for i in range(size)], columns


def randomize(size: str = str(LOTTERY_SIZE)) -> dict:
    """Our stratified block randomization; the time is the draw alone (hashes included, no balance table)."""
    import polars as pl

    from vertrouwen.core.lottery import randomize as draw

    ids, columns = _lottery_input(int(size))
    units, strata = pl.Series("person_id", ids), pl.DataFrame(columns)
    start = time.perf_counter()
    result = draw(units, LOTTERY_ARMS, LOTTERY_RATIO, LOTTERY_SEED, "stratified_block", strata, LOTTERY_STRATA)
    return {"seconds": time.perf_counter() - start, "rows": result.size}


def randomize_with_stochatreat(size: str = str(LOTTERY_SIZE)) -> dict:
    """stochatreat on the same persons, strata and ratio (as probabilities), leftovers pooled as ours are."""
    import pandas as pd
    from stochatreat import stochatreat

    ids, columns = _lottery_input(int(size))
    data = pd.DataFrame({"person_id": ids, **columns})
    probs = [part / sum(LOTTERY_RATIO) for part in LOTTERY_RATIO]
    start = time.perf_counter()
    result = stochatreat(data, list(LOTTERY_STRATA), treats=len(LOTTERY_ARMS), probs=probs,
                         random_state=LOTTERY_SEED, idx_col="person_id", misfit_strategy="global")
    return {"seconds": time.perf_counter() - start, "rows": len(result)}


# The settlement arithmetic (issue 5): 410,000 persons over 36 months (size L, about 15 million person-months),
# month after month, as the counters of a person's months follow one another.
SETTLE_PERSONS = 410_000
SETTLE_MONTHS = 36


def settle_arithmetic() -> dict:
    """The pure settlement on synthetic person-months: a third with earnings, the four regimes mixed."""
    import numpy as np

    from vertrouwen.core.rules import settle_months

    rng = np.random.default_rng(LOTTERY_SEED)
    regime = rng.integers(0, 4, SETTLE_PERSONS)  # standard, single parent, experiment, none
    percent = np.array([2500, 1250, 5000, 0], dtype=np.int64)[regime]
    maximum = np.array([28_500, 16_779, 19_900, 0], dtype=np.int64)[regime]
    months_allowed = np.array([6, 30, -1, 0], dtype=np.int64)[regime]
    norms = np.where(rng.random(SETTLE_PERSONS) < 0.7, 136_906, 195_580).astype(np.int64)
    eligible = (regime != 0) | (rng.integers(18, 67, SETTLE_PERSONS) >= 27)
    earnings = [np.where(rng.random(SETTLE_PERSONS) < 0.33, rng.integers(1, 150_000, SETTLE_PERSONS), 0)
                for _ in range(SETTLE_MONTHS)]
    used = np.zeros(SETTLE_PERSONS, dtype=np.int64)
    start = time.perf_counter()
    for month in earnings:
        _, _, _, used, _ = settle_months(month, norms, percent, maximum, months_allowed, eligible, used)
    return {"seconds": time.perf_counter() - start, "rows": SETTLE_PERSONS * SETTLE_MONTHS}


# The monthly run (issue 5): every one of size L's 410,000 persons on benefit in one month, settled into PostgreSQL
# end to end (reading the inputs, the arithmetic, writing with COPY, the commit). The setup, not timed, imports a
# reduction of the size-L dataset: each person with one running benefit from their first start, the enrollments,
# and the earnings of the month. The shipped rule tables cover the month (they start in 2015).
RUN_MONTH = "2019-06"


def monthly_run(folder: str) -> dict:
    import datetime as dt
    import tempfile

    import polars as pl

    from vertrouwen.core.dataset import Dataset, read_dataset, write_dataset

    month = dt.date.fromisoformat(f"{RUN_MONTH}-01")
    full = read_dataset(Path(folder))
    spells = (full.tables["benefit_spells"].group_by("person_id").agg(pl.col("spell_start").min())
              .with_columns(spell_end=pl.lit(None, dtype=pl.Date), end_reason=pl.lit(None, dtype=pl.String)))
    tables = {"persons": full.tables["persons"], "benefit_spells": spells.select(full.tables["benefit_spells"].columns),
              "enrollments": full.tables["enrollments"],
              "earnings": full.tables["earnings"].filter(pl.col("month") == month)}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from vertrouwen.web.datasets import import_dataset
    from vertrouwen.web.registry.models import Municipality
    from vertrouwen.web.settlement.services import run_month

    call_command("migrate", interactive=False, verbosity=0)
    with tempfile.TemporaryDirectory(prefix="vertrouwen-run-") as reduced:
        write_dataset(Path(reduced), Dataset(full.manifest, tables))
        import_dataset(Path(reduced), actor="systeem:bench")
    start = time.perf_counter()
    result = run_month(Municipality.objects.get().pk, month, actor="systeem:bench")
    seconds = time.perf_counter() - start
    if result.persons != len(tables["persons"]):
        raise SystemExit(f"settled {result.persons} persons, expected {len(tables['persons'])}")
    return {"seconds": seconds, "rows": result.persons}


# The case manager's pages (issue 4): a 150-person caseload in the imported size-M municipality, each person with an
# intake, two actions and ten contacts written through the services; then the server time of each page, rendered
# through the whole Django stack (middleware, session, templates) by Django's test client, median of the runs.
BENCH_CASE_MANAGER = "bench_klantmanager"
CASELOAD_SIZE = 150
PAGE_RUNS = 30


def _caseload_in_database():
    """Set up once per database: the case manager and the caseload with its history. Returns (user, person ids)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from vertrouwen.web.accounts.roles import KLANTMANAGER
    from vertrouwen.web.accounts.services import create_user
    from vertrouwen.web.casework import services
    from vertrouwen.web.casework.models import Assignment
    from vertrouwen.web.registry.models import Person

    user = get_user_model().objects.filter(username=BENCH_CASE_MANAGER).first()
    if user is not None:
        return user, list(Assignment.objects.filter(case_manager=user).values_list("person_id", flat=True))
    user = create_user(username=BENCH_CASE_MANAGER, password="bench-only-" + "x" * 20, role=KLANTMANAGER,  # noqa: S106
                       actor="systeem:bench")
    today = timezone.localdate()
    numbers = list(Person.objects.filter(benefit_spells__spell_end__isnull=True).order_by("external_id")
                   .values_list("external_id", flat=True)[:CASELOAD_SIZE])
    services.assign(numbers, user.pk, on=today, actor="systeem:bench")
    ids = list(Assignment.objects.filter(case_manager=user).values_list("person_id", flat=True))
    for person_id in ids:
        services.record_intake(person_id, held_on=today - timedelta(days=120), summary="Start.",
                               goals_in_own_words="Werk vinden.", goals=["werk", "opleiding"], good_prospects=True,
                               ladder_rung=3, today=today, actor="systeem:bench")
        for goal in ("werk", "opleiding"):
            services.add_action(person_id, description=f"Actie voor {goal}", owner="deelnemer",
                                due_on=today + timedelta(days=30), goal=goal, today=today, actor="systeem:bench")
        for day in range(10):
            services.log_contact(person_id, contact_on=today - timedelta(days=7 * day), channel="telefoon",
                                 minutes=15, initiated_by="klantmanager", note="", today=today, actor="systeem:bench")
    return user, ids


def casework_page(page: str) -> dict:
    """The median server time of the caseload page or of a participant page, in PostgreSQL (DATABASE_URL)."""
    import statistics

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # the static files middleware expects it
    user, ids = _caseload_in_database()
    client = Client()
    client.force_login(user)
    url = "/caseload/" if page == "caseload" else f"/persoon/{ids[0]}/"
    plain_static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                                     **plain_static}, ALLOWED_HOSTS=["testserver"]):
        times = []
        for _ in range(PAGE_RUNS + 1):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    return {"seconds": statistics.median(times[1:]), "rows": len(ids)}  # the first run warms the caches


def monitor_case(folder: str, implementation: str) -> dict:
    """The monitor of a dataset folder already read into memory: core.monitor (polars) or the analyst's pandas
    version; the two must agree on every number they both compute."""
    from benchmarks.monitor_pandas import monitor_pandas
    from vertrouwen.core.dataset import read_dataset
    from vertrouwen.core.monitor import monitor

    dataset = read_dataset(Path(folder))
    start = time.perf_counter()
    monitor(dataset) if implementation == "polars" else monitor_pandas(dataset)
    seconds = time.perf_counter() - start
    rows = sum(len(frame) for frame in dataset.tables.values())
    return {"seconds": seconds, "rows": rows}


# The evaluation: evaluate() without randomization inference, and the randomization inference alone, each beside the
# analyst's pandas version (benchmarks/evaluation_pandas.py) on the same dataset folder. Reading the folder is not
# timed: read_dataset for the core, pd.read_csv for the analyst's version.
EVALUATION_TABLES = ("persons", "benefit_spells", "enrollments", "earnings", "survey_responses")  # what both read
PERMUTATIONS = 10_000
EVALUATION_SEED = 2017


def _warm_up_folder() -> Path:
    """A tiny experiment (size XS) to run once before the timed run."""
    import tempfile

    from vertrouwen.core.dataset import write_dataset
    from vertrouwen.core.simulation import generate

    folder = Path(tempfile.mkdtemp(prefix="vertrouwen-warm-up-"))
    write_dataset(folder, generate(size="XS", seed=EVALUATION_SEED))
    return folder


def evaluation_case(folder: str, implementation: str) -> dict:
    """evaluate(dataset, permutations=0), or evaluate_pandas on the same files; rows: those of the tables used."""
    import warnings

    from benchmarks.evaluation_pandas import evaluate_pandas, read_tables
    from vertrouwen.core.dataset import read_dataset
    from vertrouwen.core.evaluation import evaluate

    warnings.simplefilter("ignore")  # statsmodels' warnings would break up the table; they cost no time
    warm_up = _warm_up_folder()  # statsmodels and scipy import parts of themselves on first use: not timed
    if implementation == "core":
        evaluate(read_dataset(warm_up))
        dataset = read_dataset(Path(folder))
        start = time.perf_counter()
        evaluate(dataset, permutations=0, seed=EVALUATION_SEED)
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "rows": sum(len(dataset.tables[name]) for name in EVALUATION_TABLES)}
    evaluate_pandas(read_tables(warm_up))
    tables = read_tables(folder)
    start = time.perf_counter()
    evaluate_pandas(tables)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": sum(len(tables[name]) for name in EVALUATION_TABLES)}


def randomization_case(folder: str, implementation: str, permutations: str = str(PERMUTATIONS)) -> dict:
    """The randomization inference of every contrast and binary outcome, alone: evaluate's own per-contrast routine
    on its analysis frame, or the analyst's loop. With fewer permutations the time is scaled to PERMUTATIONS (each
    re-draw costs the same). rows: persons re-drawn over the contrasts, times PERMUTATIONS."""
    draws = int(permutations)
    if implementation == "core":
        from vertrouwen.core.dataset import read_dataset
        from vertrouwen.core.evaluation.evaluate import (
            contrasts_of,
            known_outcomes,
            lottery_scheme,
            randomization_rows,
        )
        from vertrouwen.core.evaluation.frame import analysis_frame

        dataset = read_dataset(Path(folder))
        manifest = dataset.manifest
        frame = analysis_frame(dataset, manifest.experiment.count_date)
        control = next(arm.code for arm in manifest.arms if arm.is_control)
        contrasts = contrasts_of(manifest, control, {arm.code: int((frame["arm"] == arm.code).sum())
                                                     for arm in manifest.arms})
        persons = sum(int(frame["arm"].is_in([*c.arms, control]).sum()) for c in contrasts)
        start = time.perf_counter()
        arms = tuple(arm.code for arm in manifest.arms)
        ratio = tuple(arm.allocation_ratio for arm in manifest.arms)
        randomization_rows(frame, known_outcomes(frame, control)[0], contrasts, control, arms, ratio, draws,
                           EVALUATION_SEED, lottery_scheme(frame, ratio)[0])
    else:
        from benchmarks.evaluation_pandas import prepare, randomization_pandas, read_tables

        frame, contrasts, control = prepare(read_tables(folder))
        persons = sum(int(frame["arm"].isin([*arms, control]).sum()) for _, arms, _ in contrasts)
        start = time.perf_counter()
        randomization_pandas(frame, contrasts, control, draws, EVALUATION_SEED)
    seconds = (time.perf_counter() - start) * PERMUTATIONS / draws
    return {"seconds": seconds, "rows": persons * PERMUTATIONS}


def report_case(folder: str) -> dict:
    """The final report of a dataset folder as HTML and as PDF, from reading the folder to the PDF's bytes (what
    `vertrouwen report` does); imports warmed up on a tiny experiment first."""
    from vertrouwen.core.dataset import read_dataset
    from vertrouwen.core.reports import build_report, render_html, render_pdf

    render_pdf(render_html(build_report(read_dataset(_warm_up_folder()), "final")))
    start = time.perf_counter()
    dataset = read_dataset(Path(folder))
    pages = render_pdf(render_html(build_report(dataset, "final")))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": sum(len(frame) for frame in dataset.tables.values()), "bytes": len(pages)}


def survey_load() -> dict:
    from benchmarks.survey_load import run

    return run()


CASES = {"generate": generate, "import": import_into_database, "randomize": randomize,
         "stochatreat": randomize_with_stochatreat, "casework": casework_page, "settle": settle_arithmetic,
         "monthly_run": monthly_run,
         "survey_load": survey_load,
         "monitor": monitor_case, "evaluation": evaluation_case, "randomization": randomization_case,
         "report": report_case}

if __name__ == "__main__":
    print(json.dumps(CASES[sys.argv[1]](*sys.argv[2:])))
