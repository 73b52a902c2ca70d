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


CASES = {"generate": generate, "import": import_into_database}

if __name__ == "__main__":
    print(json.dumps(CASES[sys.argv[1]](*sys.argv[2:])))
