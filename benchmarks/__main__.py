"""Run the benchmarks, print a table and write var/bench.json.

Targets (issue 2): size L generated and written in under 120 s and under 4 GiB peak memory. The lottery: a
stratified block randomization of 410,000 persons in under 2 s, beside stochatreat (PyPI) on the same input.
Case management (issue 4): in the size-M database, the caseload page of 150 persons and a participant page each
rendered in a median server time under 150 ms. Settlement (issue 5): the pure arithmetic on 410,000 persons over 36
months at least 1 million person-months a second; the monthly run of all 410,000 persons of size L into PostgreSQL
in under 60 s. Questionnaires (issue 6): 200 participants answering at once through their links (gunicorn,
PostgreSQL), no error, no lost answer, the p95 of a page under 300 ms (benchmarks/survey_load.py). Monitor
(issue 7): size L in under 5 s, beside the straightforward pandas version (benchmarks/monitor_pandas.py) as a ratio.
Evaluation: on 5,000 participants and 5,000 reference persons (generated at the start, seed 2017), evaluate without
randomization inference in under 5 s, and the randomization inference alone (10,000 permutations, every contrast
and binary outcome) in under 5 s; each beside the analyst's pandas and statsmodels version
(benchmarks/evaluation_pandas.py) as a ratio. Reading the dataset folder is not timed.
Imports run into a fresh PostgreSQL database (BENCH_DATABASE_URL, default the local cluster).
`python -m benchmarks lottery` runs only the two lottery cases and prints them (no database, no bench.json);
`python -m benchmarks evaluation` likewise the evaluation cases.
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
LOTTERY = "randomize 410,000 (stratified block)"
CASELOAD_PAGE = "caseload page, 150 persons (M, median)"
PARTICIPANT_PAGE = "participant page (M, median)"
SETTLE = "settle 14.8 million person-months (L)"
MONTHLY_RUN = "monthly run, 410,000 persons (L, PostgreSQL)"
SURVEY_LOAD = "200 answering at once: p95 of a page"
MONITOR = "monitor L (core, polars)"
MONITOR_PANDAS = "monitor L (analyst's pandas, same tables)"
EVALUATION = "evaluation 5,000 participants, no randomization inference"
EVALUATION_PANDAS = "evaluation 5,000 (analyst's pandas + statsmodels formulas)"
RANDOMIZATION = "randomization inference 10,000 permutations, 5,000 participants"
REPORT = "final report S (HTML and PDF)"
REPORT_M = "final report M (HTML and PDF)"
RANDOMIZATION_PANDAS = "randomization inference 10,000 (analyst's pandas loop, 200 timed and scaled)"
TARGETS = {"generate L": {"seconds": 120, "peak_mib": 4096}, LOTTERY: {"seconds": 2}, REPORT: {"seconds": 15},
           CASELOAD_PAGE: {"seconds": 0.15}, PARTICIPANT_PAGE: {"seconds": 0.15},
           SETTLE: {"seconds": 14.76},  # at least 1 million person-months a second
           MONTHLY_RUN: {"seconds": 60}, SURVEY_LOAD: {"seconds": 0.3},
           MONITOR: {"seconds": 5}, EVALUATION: {"seconds": 5}, RANDOMIZATION: {"seconds": 5}}
CASE_WIDTH = 72


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
    measurement = Measurement(name, round(result["seconds"], 3), round(usage.ru_maxrss / 1024, 1), result["rows"])
    target = TARGETS.get(name)
    if target:
        peak = target.get("peak_mib", float("inf"))  # a time-only target has no memory limit
        measurement.target = f"< {target['seconds']} s" + (f", < {peak} MiB" if "peak_mib" in target else "")
        measurement.met = measurement.seconds < target["seconds"] and measurement.peak_mib < peak
    return measurement


def fresh_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    print_header()
    if sys.argv[1:] == ["lottery"]:
        return 0 if all(m.met is not False for m in lottery_cases()) else 1
    if sys.argv[1:] == ["report"]:
        with tempfile.TemporaryDirectory(prefix="vertrouwen-bench-") as tmp:
            return 0 if all(m.met is not False for m in report_cases(tmp)) else 1
    if sys.argv[1:] == ["evaluation"]:
        with tempfile.TemporaryDirectory(prefix="vertrouwen-bench-") as tmp:
            return 0 if all(m.met is not False for m in evaluation_cases(tmp)) else 1
    results = []
    with tempfile.TemporaryDirectory(prefix="vertrouwen-bench-") as tmp:
        for size in ("S", "M", "L"):
            folder = str(Path(tmp) / size)
            results.append(run_case(f"generate {size}", ["generate", size, folder]))
            print_row(results[-1])
        results.extend(lottery_cases())
        for name, implementation in ((MONITOR, "polars"), (MONITOR_PANDAS, "pandas")):
            results.append(run_case(name, ["monitor", str(Path(tmp) / "L"), implementation]))
            print_row(results[-1])
        print_ratio("pandas / core", results[-1], results[-2])
        results.extend(evaluation_cases(tmp))
        results.extend(report_cases(tmp, generated=True))
        results.append(run_case(SETTLE, ["settle"]))
        print_row(results[-1])
        for size in ("S", "M"):
            fresh_database(PG_URL)
            results.append(run_case(f"import {size} into PostgreSQL", ["import", str(Path(tmp) / size)],
                                    env={"DATABASE_URL": PG_URL}))
            print_row(results[-1])
        for name, page in ((CASELOAD_PAGE, "caseload"), (PARTICIPANT_PAGE, "participant")):
            results.append(run_case(name, ["casework", page], env={"DATABASE_URL": PG_URL}))
            print_row(results[-1])
        fresh_database(PG_URL)
        results.append(run_case(MONTHLY_RUN, ["monthly_run", str(Path(tmp) / "L")], env={"DATABASE_URL": PG_URL}))
        print_row(results[-1])
        fresh_database(PG_URL)
        results.append(run_case(SURVEY_LOAD, ["survey_load"], env={"DATABASE_URL": PG_URL}))
        print_row(results[-1])
    out = Path("var") / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    print(f"\nwritten to {out}")
    return 0 if all(r.met is not False for r in results) else 1


def lottery_cases() -> list[Measurement]:
    """Our stratified block randomization and stochatreat on the same 410,000 persons, each in its own process."""
    results = []
    for name, case in ((LOTTERY, "randomize"), ("stochatreat 410,000 (same input)", "stochatreat")):
        results.append(run_case(name, [case]))
        print_row(results[-1])
    return results


def report_cases(tmp: str, generated: bool = False) -> list[Measurement]:
    """The final report of sizes S and M, each in its own process; the folders are made first unless they are."""
    results = []
    for size, name in (("S", REPORT), ("M", REPORT_M)):
        folder = str(Path(tmp) / size)
        if not generated:
            run_case(f"generate {size}", ["generate", size, folder])
        results.append(run_case(name, ["report", folder]))
        print_row(results[-1])
    return results


def evaluation_cases(tmp: str) -> list[Measurement]:
    """The input written once, then the core and the analyst's version of each case, each in its own process."""
    folder = str(Path(tmp) / "evaluation")
    results = [run_case("generate 5,000 + 5,000 (evaluation input)", ["generate", "5000", folder])]
    print_row(results[-1])
    for core, reference, case in ((EVALUATION, EVALUATION_PANDAS, "evaluation"),
                                  (RANDOMIZATION, RANDOMIZATION_PANDAS, "randomization")):
        results.append(run_case(core, [case, folder, "core"]))
        print_row(results[-1])
        # The analyst's loop re-deals every block in Python: 200 re-draws, the time scaled to 10,000.
        results.append(run_case(reference, [case, folder, "pandas", *(["200"] if case == "randomization" else [])]))
        print_row(results[-1])
        print_ratio("reference / core", results[-1], results[-2])
    return results


def print_header() -> None:
    print(f"{'case':<{CASE_WIDTH}} {'seconds':>9} {'peak MiB':>9} {'rows':>12}  target")


def print_row(m: Measurement) -> None:
    met = "" if m.met is None else ("  met" if m.met else "  MISSED")
    print(f"{m.case:<{CASE_WIDTH}} {m.seconds:>9.3f} {m.peak_mib:>9.1f} {m.rows:>12,}  {m.target}{met}", flush=True)


def print_ratio(label: str, reference: Measurement, core: Measurement) -> None:
    print(f"{'  ' + label:<{CASE_WIDTH}} {reference.seconds / core.seconds:>9.1f} x", flush=True)


if __name__ == "__main__":
    sys.exit(main())
