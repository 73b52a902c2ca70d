"""The load test (issue 10, point 8): case managers and questionnaire respondents at once, against gunicorn and
PostgreSQL on this machine only (loopback), bounded in time. `make loadtest` runs the full setting:

    50 case managers and 200 respondents for 10 minutes on the demo municipality of size M

Steps: a fresh PostgreSQL database (LOADTEST_DATABASE_URL, default vertrouwen_load on the local cluster); the
demo prepared in it (`vertrouwen demo --prepare-only --size M`, timed); the case managers' accounts with a TOTP
device and a caseload each, and the open questionnaire links (benchmarks/load/setup.py, through the services);
gunicorn on 127.0.0.1; locust headless with the two kinds of users (benchmarks/load/locustfile.py); then the
invariants on the database and `vertrouwen verify-audit` and `verify-allocations` (benchmarks/load/checks.py).
Prints per page requests, failures, median, p95 and p99 in ms and throughput, and the invariants; writes
var/loadtest.json; drops the database (unless --keep-database). Exit code 1 on any failed request or broken
invariant. A quick try: `python -m benchmarks.load --size S --minutes 1 --managers 5 --respondents 20`.
Percentiles are locust's, which rounds times above 100 ms to two significant digits.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from benchmarks.load.checks import as_dicts, run_checks

REPO = Path(__file__).resolve().parents[2]
DEFAULT_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vertrouwen_load")
# Two cores, shared with locust itself: three processes of four threads each (the threads wait on PostgreSQL).
GUNICORN_WORKERS, GUNICORN_THREADS = 3, 4
STARTUP_SECONDS = 120
STOP_TIMEOUT_SECONDS = 60  # at the end, a request under way is finished (and counted) before its user stops
PAGE_WIDTH = 28


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("LOADTEST_MINUTES", 10)))
    parser.add_argument("--managers", type=int, default=int(os.environ.get("LOADTEST_MANAGERS", 50)))
    parser.add_argument("--respondents", type=int, default=int(os.environ.get("LOADTEST_RESPONDENTS", 200)))
    parser.add_argument("--size", type=str.upper, choices=("XS", "S", "M", "L"),
                        default=os.environ.get("LOADTEST_SIZE", "M"))
    parser.add_argument("--caseload", type=int, default=150, help="persons per case manager, at most (default 150)")
    parser.add_argument("--think", default="5,20", help="think time between steps in seconds, MIN,MAX (default 5,20)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second (default 10)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL database that is dropped and made")
    parser.add_argument("--json", type=Path, default=REPO / "var" / "loadtest.json", help="where the results go")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database afterwards")
    parser.add_argument("--prepared", action="store_true",
                        help="the database already holds a prepared demo: use it as it is, and keep it")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url: the load test runs against PostgreSQL")
    if min(args.managers, args.respondents) < 1 or args.minutes <= 0:
        parser.error("--managers, --respondents and --minutes must be above 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="vertrouwen-loadtest-") as tmp:
        home = Path(tmp)
        env = server_env(home, args.database_url)
        if args.prepared:
            return run(args, home, env)
        fresh_database(args.database_url)
        try:
            return run(args, home, env)
        finally:
            if not args.keep_database:
                drop_database(args.database_url)


def run(args: argparse.Namespace, home: Path, env: dict) -> int:
    timings = {}
    started = time.perf_counter()
    if args.prepared:  # the static files still belong in this run's own folder
        step(["vertrouwen", "manage", "collectstatic", "--no-input", "-v0"], env, home, "static files")
    else:
        step(["vertrouwen", "demo", "--prepare-only", "--size", args.size], env, home, "demo preparation")
        timings["demo_preparation_seconds"] = round(time.perf_counter() - started, 1)
        print(f"demo municipality size {args.size} prepared in {timings['demo_preparation_seconds']} s", flush=True)
    started, plan_file = time.perf_counter(), home / "plan.json"
    step([sys.executable, "-m", "benchmarks.load.setup", "--managers", str(args.managers), "--caseload",
          str(args.caseload), "--out", str(plan_file)], {**env, "PYTHONPATH": str(REPO)}, home, "accounts and links")
    timings["setup_seconds"] = round(time.perf_counter() - started, 1)
    plan = json.loads(plan_file.read_text())
    if len(plan["tokens"]) < args.respondents:
        print(f"note: {len(plan['tokens'])} open links for {args.respondents} respondents", flush=True)
    port = free_port()
    server = start_gunicorn(port, env, home)
    try:
        wait_until_it_answers(f"http://127.0.0.1:{port}/inloggen/", server, home / "gunicorn.log")
        result = run_locust(args, port, plan_file, home)
    finally:
        server.terminate()
        server.wait(timeout=30)
    tally, pages, failures = result["tally"], result["pages"], result["failures"]
    checks = run_checks(args.database_url, plan, tally, env, home)
    ok = verdict(pages, checks)
    report(args, timings, pages, failures, checks, tally, ok)
    if not ok and (home / "gunicorn.log").exists():
        print("\ngunicorn log (end):\n" + "\n".join((home / "gunicorn.log").read_text().splitlines()[-40:]))
    return 0 if ok else 1


def server_env(home: Path, database_url: str) -> dict:
    """As production runs it, except plain http on loopback: DEBUG off, cookies not marked secure."""
    return {**os.environ, "VERTROUWEN_HOME": str(home), "DATABASE_URL": database_url, "DEBUG": "false",
            "SESSION_COOKIE_SECURE": "false", "ALLOWED_HOSTS": "127.0.0.1",
            "VERTROUWEN_NODE_MODULES": str(REPO / "node_modules"),
            "SECRET_KEY": "load-test-secret-key-only-for-this-run-0123456789",
            "VERTROUWEN_PSEUDONYM_KEY": "load-test-pseudonym-key-only-for-this-run",
            "VERTROUWEN_BSN_KEY": "bG9hZC10ZXN0LWJzbi1rZXktb25seS1mb3ItdGhpcy0=",
            "DJANGO_SETTINGS_MODULE": "vertrouwen.web.settings"}


def _maintenance(url: str, statement: str) -> None:
    with psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(statement)


def fresh_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _maintenance(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _maintenance(url, f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    _maintenance(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')


def step(command: list[str], env: dict, home: Path, what: str) -> None:
    """Run a preparation step; its output goes to a log, shown only when it fails."""
    if command[0] == "vertrouwen":
        command = [str(Path(sys.executable).with_name("vertrouwen")), *command[1:]]
    log = home / f"{what.replace(' ', '_')}.log"
    with log.open("w") as out:
        done = subprocess.run(command, env=env, cwd=home, stdout=out, stderr=subprocess.STDOUT,  # noqa: S603
                              check=False)
    if done.returncode != 0:
        raise SystemExit(f"load test: {what} failed (exit {done.returncode}):\n{log.read_text()[-4000:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, env: dict, home: Path) -> subprocess.Popen:
    with (home / "gunicorn.log").open("w") as log:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "vertrouwen.web.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(GUNICORN_WORKERS), "--threads", str(GUNICORN_THREADS), "--timeout", "120"],
            env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT)


def wait_until_it_answers(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"load test: gunicorn stopped with code {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"load test: gunicorn did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


def run_locust(args: argparse.Namespace, port: int, plan_file: Path, home: Path) -> dict:
    """Locust headless for the bounded time; returns its statistics and the tally of what its users wrote."""
    users = args.managers + args.respondents
    seconds = max(1, round(args.minutes * 60))
    result_file = home / "result.json"
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_RESULT": str(result_file), "LOAD_THINK": args.think,
           "LOAD_RESPONDENTS": str(args.respondents), "PYTHONPATH": str(REPO)}
    print(f"locust: {args.managers} case managers and {args.respondents} respondents for {seconds} s on "
          f"http://127.0.0.1:{port} ...", flush=True)
    with (home / "locust.log").open("w") as log:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
             "--users", str(users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{seconds}s",
             "--stop-timeout", str(STOP_TIMEOUT_SECONDS), "--host", f"http://127.0.0.1:{port}",
             "--only-summary", "--loglevel", "WARNING"],
            env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + STOP_TIMEOUT_SECONDS + 300,
            check=False)
    if not result_file.exists():
        raise SystemExit(f"load test: locust ended without its statistics (exit {done.returncode}):\n"
                         f"{(home / 'locust.log').read_text()[-4000:]}")
    return json.loads(result_file.read_text())


def verdict(pages: list[dict], checks) -> bool:
    """Good only when requests were made, none failed, and every invariant holds."""
    total = next((p for p in pages if p["page"] == "Aggregated"), None)
    return bool(total and total["requests"] > 0 and total["failures"] == 0 and all(c.holds for c in checks))


def report(args, timings: dict, pages: list[dict], failures: list[dict], checks, tally: dict, ok: bool) -> None:
    print(f"\n{'page':<{PAGE_WIDTH}} {'requests':>9} {'failures':>9} {'median ms':>10} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'per s':>7}")
    for p in pages:
        print(f"{p['page']:<{PAGE_WIDTH}} {p['requests']:>9,} {p['failures']:>9,} {_shown(p['median_ms']):>10} "
              f"{_shown(p['p95_ms']):>8} {_shown(p['p99_ms']):>8} {p['per_second']:>7.2f}")
    for f in failures:
        print(f"  failed: {f['page']}: {f['error']} ({f['occurrences']}x)")
    print(f"\nwritten by the users: {json.dumps(tally, sort_keys=True)}")
    print("\ninvariants after the load:")
    for c in checks:
        print(f"  {'holds ' if c.holds else 'BROKEN'}  {c.name}: {c.detail}")
    print(f"\n{'PASSED' if ok else 'FAILED'}: {args.managers} case managers, {args.respondents} respondents, "
          f"{args.minutes:g} min, size {args.size}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "settings": {"minutes": args.minutes, "managers": args.managers, "respondents": args.respondents,
                     "size": args.size, "caseload": args.caseload, "think_seconds": args.think,
                     "gunicorn": {"workers": GUNICORN_WORKERS, "threads": GUNICORN_THREADS}},
        **timings, "pages": pages, "failures": failures, "written": tally, "invariants": as_dicts(checks),
        "passed": ok}, indent=2) + "\n")
    print(f"written to {args.json}")


def _shown(ms: float | None) -> str:
    return "-" if ms is None else f"{ms:,.0f}"


if __name__ == "__main__":
    sys.exit(main())
