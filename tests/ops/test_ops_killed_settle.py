"""Monthly runs killed halfway and started again settle every month exactly once (issue 10, point 7b).

`vertrouwen settle --month M` settles everyone on benefit in month M in one transaction, and settling a month
again writes only what changed. So a run killed with SIGKILL leaves no trace, and starting the whole series
over from its first month redoes only the month that was cut off. The rule tables shipped with the migrations
hold from July 2024 (the earliest norm), so the series is July to October 2024; the open benefit spells of the
S dataset put about a thousand persons on benefit in each of those months.
"""

import random

from scratch import Scratch, kill_hard, run_ok, start, wait_for

MONTHS = ("2024-07", "2024-08", "2024-09", "2024-10")
KILL_SEED = 12
SETTLED = """
    SELECT p.external_id, s.month, s.version, s.is_current, s.regime, s.earnings_cents, s.norm_cents,
           s.disregarded_cents, s.deducted_cents, s.benefit_cents, s.months_used, s.bonus_cents, s.run_id
    FROM settlement_settlement s JOIN registry_person p ON p.id = s.person_id
"""
TOTALS = """
    SELECT month, count(*), sum(benefit_cents), sum(disregarded_cents), sum(deducted_cents)
    FROM settlement_settlement GROUP BY month ORDER BY month
"""
DUPLICATES = """
    SELECT person_id, month FROM settlement_settlement GROUP BY person_id, month HAVING count(*) > 1
"""


def test_a_monthly_series_killed_halfway_and_started_again_settles_each_month_once(imported, tmp_path, ops_home):
    uninterrupted = imported.copy(tmp_path, "settle_whole")
    interrupted = imported.copy(tmp_path, "settle_killed")
    try:
        for month in MONTHS:
            run_ok(uninterrupted, ops_home, "settle", "--month", month)

        # Cut the series off halfway through a month (seeded), while that month writes; then start the whole
        # series over from its first month, as an operator would after a crash.
        cut_off = random.Random(KILL_SEED).randrange(1, len(MONTHS))
        for month in MONTHS[:cut_off]:
            run_ok(interrupted, ops_home, "settle", "--month", month)
        process = start(interrupted, ops_home, "settle", "--month", MONTHS[cut_off])
        assert wait_for(lambda: _writing_settlements(interrupted), process), process.stderr.read()
        assert kill_hard(process), f"settling {MONTHS[cut_off]} ended before it could be killed"
        interrupted.wait_until_no_other_sessions()
        settled_months = {str(row[1])[:7] for row in interrupted.rows(SETTLED)}
        assert settled_months == set(MONTHS[:cut_off]), "the killed month left rows behind"
        for month in MONTHS:  # started over: through to the end
            out = run_ok(interrupted, ops_home, "settle", "--month", month)
        assert " 0 nieuw verrekend, 0 met een nieuwe versie" not in out  # the last month was really settled

        assert interrupted.rows(DUPLICATES) == []
        assert interrupted.rows(TOTALS) == uninterrupted.rows(TOTALS)
        whole, again = _settled(uninterrupted), _settled(interrupted)
        assert len(again) == len(whole) > 3000  # four months of about a thousand persons
        assert again == whole
        assert {row[2] for row in again} == {1}  # never a second version: each month settled once
        assert {row[1] for row in again} == set(MONTHS)
    finally:
        uninterrupted.drop()
        interrupted.drop()


def _writing_settlements(database: Scratch) -> bool:
    """Halfway: the run has computed the month and is writing its settlements (PostgreSQL: its COPY is running;
    SQLite: its journal holds the changed pages)."""
    if database.name:
        return bool(database.rows("SELECT 1 FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL "
                                  "AND query LIKE 'COPY settlement_settlement%%'", (database.name,)))
    return database.writer_has_written()


def _settled(database: Scratch) -> list[tuple]:
    """The settlements by person number and month, without the database's own ids."""
    return sorted((ext, str(month)[:7], version, bool(current), *amounts)
                  for ext, month, version, current, *amounts, _run in database.rows(SETTLED))
