"""Run the benchmarks, print a table and write var/bench.json.

Targets (issue 2): size L generated and written in under 120 s and under 4 GiB peak memory.
Imports run into a fresh PostgreSQL database (BENCH_DATABASE_URL, default the local cluster).
"""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vertrouwen_bench")
TARGETS = {"generate L": {"seconds": 120, "peak_mib": 4096}}


@dataclass
class Measurement:
    case: str
    seconds: float
    peak_mib: float
    rows: int
    target: str = ""
    met: bool | None = None


def run_case(name: str, args: list[str], env: dict | None = None) -> Measurement:
    """Run one case in its own process; its peak resident memory comes from the kernel's rusage."""
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.cases", *args], stdout=subprocess.PIPE,  # noqa: S603
                               env={**os.environ, **(env or {})})
    output = process.stdout.read().decode()  # read to the end first, so a chatty child cannot block on its pipe
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark {name} failed")
    result = json.loads(output.strip().splitlines()[-1])
    measurement = Measurement(name, round(result["seconds"], 2), round(usage.ru_maxrss / 1024, 1), result["rows"])
    target = TARGETS.get(name)
    if target:
        measurement.target = f"< {target['seconds']} s, < {target['peak_mib']} MiB"
        measurement.met = measurement.seconds < target["seconds"] and measurement.peak_mib < target["peak_mib"]
    return measurement


def fresh_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    results = []
    with tempfile.TemporaryDirectory(prefix="vertrouwen-bench-") as tmp:
        for size in ("S", "M", "L"):
            folder = str(Path(tmp) / size)
            results.append(run_case(f"generate {size}", ["generate", size, folder]))
            print_row(results[-1])
        for size in ("S", "M"):
            fresh_database(PG_URL)
            results.append(run_case(f"import {size} into PostgreSQL", ["import", str(Path(tmp) / size)],
                                    env={"DATABASE_URL": PG_URL}))
            print_row(results[-1])
    out = Path("var") / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    print(f"\nwritten to {out}")
    return 0 if all(r.met is not False for r in results) else 1


def print_row(m: Measurement) -> None:
    if m.case.startswith("generate S"):
        print(f"{'case':<30} {'seconds':>9} {'peak MiB':>9} {'rows':>12}  target")
    met = "" if m.met is None else ("  met" if m.met else "  MISSED")
    print(f"{m.case:<30} {m.seconds:>9.2f} {m.peak_mib:>9.1f} {m.rows:>12,}  {m.target}{met}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
