"""After the load: the invariants, read straight from the database (SQL, not through the app), the app's own
verification commands, and whether everything the users wrote arrived exactly once."""

import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import psycopg

# (name, SQL counting the rows that break it). Each rule is also a database constraint; counting here checks
# what the load did, not what the schema promises.
DUPLICATES = (
    ("one allocation per person", "SELECT count(*) FROM (SELECT experiment_id, person_id FROM lottery_allocation "
                                  "GROUP BY experiment_id, person_id HAVING count(*) > 1) broken"),
    ("one settlement per person and month", "SELECT count(*) FROM (SELECT person_id, month FROM "
                                            "settlement_settlement GROUP BY person_id, month "
                                            "HAVING count(*) FILTER (WHERE is_current) <> 1) broken"),
    ("one caseload per person", "SELECT count(*) FROM (SELECT person_id FROM casework_assignment WHERE ended_on IS "
                                "NULL GROUP BY person_id HAVING count(*) > 1) broken"),
    ("earnings declared once per person and month", "SELECT count(*) FROM (SELECT person_id, month FROM "
                                                    "registry_monthlyearnings GROUP BY person_id, month "
                                                    "HAVING count(*) > 1) broken"),
)
# What the users wrote (the locustfile's tally) against what the database gained: (name, tally key, SQL).
WRITES = (
    ("every recorded contact stored once", "contacts", "SELECT count(*) FROM registry_contact"),
    ("every declared month of earnings stored once", "earnings", "SELECT count(*) FROM registry_monthlyearnings"),
    ("every questionnaire answer stored once", "answers",
     "SELECT count(*) FROM registry_surveyresponse r JOIN surveys_wave w ON w.experiment_id = r.experiment_id "
     "AND w.number = r.wave WHERE w.id = %(wave)s"),
    ("every questionnaire sent is completed", "questionnaires",
     "SELECT count(*) FROM surveys_invitation WHERE wave_id = %(wave)s AND completed_at IS NOT NULL"),
)
COMMANDS = (("audit chain intact (vertrouwen verify-audit)", "verify-audit"),
            ("draws and allocation chain intact (vertrouwen verify-allocations)", "verify-allocations"))


@dataclass
class Check:
    name: str
    holds: bool
    detail: str


def run_checks(database_url: str, plan: dict, tally: dict, env: dict, cwd: Path) -> list[Check]:
    checks = []
    with psycopg.connect(database_url) as connection:
        for name, sql in DUPLICATES:
            broken = connection.execute(sql).fetchone()[0]
            checks.append(Check(name, broken == 0, f"{broken} violations"))
        for name, key, sql in WRITES:
            gained = connection.execute(sql, {"wave": plan["wave"]}).fetchone()[0] - plan["before"][key]
            sent = tally.get(key, 0)
            checks.append(Check(name, gained == sent, f"{sent} sent, {gained} new in the database"))
    logins = tally.get("logins", 0)
    checks.append(Check("every case manager logged in", logins == len(plan["managers"]),
                        f"{logins} of {len(plan['managers'])}"))
    for name, command in COMMANDS:
        checks.append(_command(name, command, env, cwd))
    return checks


def _command(name: str, command: str, env: dict, cwd: Path) -> Check:
    """Exit code 0 means intact; the command's last line is the detail."""
    vertrouwen = Path(sys.executable).with_name("vertrouwen")
    done = subprocess.run([str(vertrouwen), command], env=env, cwd=cwd, capture_output=True, text=True,  # noqa: S603
                          timeout=1800, check=False)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return Check(name, done.returncode == 0, f"exit {done.returncode}: {lines[-1] if lines else ''}")


def as_dicts(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]
