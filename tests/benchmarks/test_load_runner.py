"""The load test's runner (benchmarks/load, `make loadtest`) at tiny scale: demo size XS, 2 case managers and 4
respondents for 20 seconds with short think times, against its own PostgreSQL database. Most of its time is the
XS demo's preparation. And the verdict, without a server: one failed request or one broken invariant fails it."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from benchmarks.load.__main__ import verdict
from benchmarks.load.checks import Check

REPO = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
# Every check the runner makes after the load (benchmarks/load/checks.py); each must be there and hold.
INVARIANTS = {"one allocation per person", "one settlement per person and month", "one caseload per person",
              "earnings declared once per person and month", "every recorded contact stored once",
              "every declared month of earnings stored once", "every questionnaire answer stored once",
              "every questionnaire sent is completed", "every case manager logged in",
              "audit chain intact (vertrouwen verify-audit)",
              "draws and allocation chain intact (vertrouwen verify-allocations)"}


def _page(name: str, requests: int = 10, failures: int = 0) -> dict:
    return {"page": name, "requests": requests, "failures": failures}


def test_the_verdict_fails_on_one_failed_request_or_one_broken_invariant():
    good = [Check("one allocation per person", True, "0 violations")]
    assert verdict([_page("caseload"), _page("Aggregated")], good)
    assert not verdict([_page("caseload", failures=1), _page("Aggregated", failures=1)], good)
    assert not verdict([_page("Aggregated")], [*good, Check("audit chain intact", False, "exit 1")])
    assert not verdict([_page("Aggregated", requests=0)], good)  # no load at all is no pass
    assert not verdict([], good)


# Locust patches the standard library with gevent when imported, so its statistics are made in a process of its own.
FEED_LOCUST_STATS = """
import json
from locust.stats import RequestStats
from benchmarks.load.stats import failure_rows, page_rows
stats = RequestStats()
for ms, times in ((10, 600), (30, 370), (60, 25), (90, 5)):
    for _ in range(times):
        stats.log_request("GET", "caseload", ms, 1000)
stats.log_request("POST", "person: record contact", 120, 1000)
stats.log_error("POST", "person: record contact", "status 400 at /persoon/1/contact/")
print(json.dumps({"pages": page_rows(stats), "failures": failure_rows(stats)}))
"""


def test_locust_statistics_are_reported_per_page_with_the_aggregate_last():
    """A locust RequestStats fed 1,000 requests: 600 of 10 ms, 370 of 30, 25 of 60 and 5 of 90 ms. So 60% took at
    most 10 ms (median 10), 97% at most 30 (p95 30), 99.5% at most 60 (p99 60), away from any boundary where
    definitions of a percentile differ. One failure counts on its page and in the aggregate."""
    done = subprocess.run([sys.executable, "-c", FEED_LOCUST_STATS], cwd=REPO, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    caseload, contact, total = result["pages"]
    assert (caseload["page"], caseload["requests"], caseload["failures"]) == ("caseload", 1000, 0)
    assert (caseload["median_ms"], caseload["p95_ms"], caseload["p99_ms"]) == (10, 30, 60)
    assert (contact["page"], contact["failures"]) == ("person: record contact", 1)
    assert (total["page"], total["requests"], total["failures"]) == ("Aggregated", 1001, 1)
    assert result["failures"] == [{"page": "person: record contact", "occurrences": 1,
                                   "error": "status 400 at /persoon/1/contact/"}]


@pytest.mark.skipif(not ON_POSTGRES, reason="the load test runs against PostgreSQL only: set DATABASE_URL to a "
                                            "postgres:// URL to run it")
def test_the_runner_at_tiny_scale_passes_and_drops_its_database(tmp_path):
    name = f"test_{urlsplit(DATABASE_URL).path.lstrip('/')}_load"
    url = urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()
    out = tmp_path / "loadtest.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.load", "--size", "XS", "--managers", "2",  # noqa: S603
                           "--respondents", "4", "--minutes", "0.34", "--think", "1,3", "--database-url", url,
                           "--json", str(out)], cwd=REPO, capture_output=True, text=True, timeout=1200, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    result = json.loads(out.read_text())
    assert result["passed"] is True
    pages = {p["page"]: p for p in result["pages"]}
    for login_step in ("login page", "login: password", "login: code"):
        assert pages[login_step]["requests"] == 2  # each case manager logged in once, through the real form
    for page in ("caseload", "questionnaire: open", "questionnaire: page"):
        assert pages[page]["requests"] > 0, page
    assert all(p["failures"] == 0 for p in result["pages"])
    assert {c["name"] for c in result["invariants"]} == INVARIANTS
    assert all(c["holds"] for c in result["invariants"]), result["invariants"]
    assert result["written"]["answers"] > 0  # respondents saved pages, and the check found each answer once
    maintenance = urlsplit(DATABASE_URL)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance) as connection:
        assert connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).fetchone()[0] == 0
