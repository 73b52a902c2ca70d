"""One benchmark case, run in a fresh process: `python -m benchmarks.cases CASE ARGS...`.

Prints one JSON line with the seconds the measured step took; the parent measures the process's peak memory.
"""

import json
import os
import sys
import time
from pathlib import Path


def generate(size: str, folder: str) -> dict:
    from vertrouwen.core.dataset import write_dataset
    from vertrouwen.core.simulation import generate as generate_dataset

    start = time.perf_counter()
    dataset = generate_dataset(size=size, seed=2017)
    write_dataset(Path(folder), dataset)
    rows = sum(len(frame) for frame in dataset.tables.values())
    return {"seconds": time.perf_counter() - start, "rows": rows}


def import_into_database(folder: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from vertrouwen.core.dataset import schema
    from vertrouwen.web.registry.services import import_dataset

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


CASES = {"generate": generate, "import": import_into_database, "randomize": randomize,
         "stochatreat": randomize_with_stochatreat}

if __name__ == "__main__":
    print(json.dumps(CASES[sys.argv[1]](*sys.argv[2:])))
