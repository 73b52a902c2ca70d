"""The backup and restore drill (issue 10, point 9): `vertrouwen backup` and `vertrouwen restore`, which `make
backup` and `make restore` run, from a filled database into a scratch database; the restored database keeps
its invariants, passes both verifications and gives the same final report byte for byte."""

import datetime as dt
import re
import stat

import pytest
from scratch import BACKUPS_ARE_PG_ONLY, ON_POSTGRES, Scratch, base_name, run, run_ok, server_url

from vertrouwen.core.dataset import read_dataset
from vertrouwen.core.dataset.writing import canonical_hash

PASSWORD = "Geheim-wachtwoord-7351"  # noqa: S105 - must never appear in any output
MONTH = "2024-07"  # the first month the shipped rule tables cover
AUDIT = "audit_auditevent"
ALLOCATED_TWICE = "SELECT person_id, experiment_id FROM registry_enrollment GROUP BY 1, 2 HAVING count(*) > 1"
SETTLED_TWICE = ("SELECT person_id, month FROM settlement_settlement WHERE is_current GROUP BY 1, 2 "
                 "HAVING count(*) > 1")


@pytest.mark.skipif(not ON_POSTGRES, reason=BACKUPS_ARE_PG_ONLY)
def test_backup_and_restore_into_a_scratch_database(imported, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    source = imported.copy(tmp_path, "drill_source")
    target = Scratch(url=f"{server_url()}/{base_name()}_ops_drill_restore", name=f"{base_name()}_ops_drill_restore")
    target.drop()  # restore creates it
    try:
        run_ok(source, home, "settle", "--month", MONTH)
        events_at_backup = source.rows(f"SELECT id, action, row_hash FROM {AUDIT} ORDER BY id")  # noqa: S608

        before = dt.datetime.now(dt.UTC).replace(microsecond=0)
        run_ok(source, home, "backup")
        [backup] = (home / "var" / "backups").iterdir()
        stamp = re.fullmatch(rf"vertrouwen-{source.name}-(\d{{8}}T\d{{6}}Z)\.dump", backup.name).group(1)
        assert before <= dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%z") <= dt.datetime.now(dt.UTC)
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # everything is in it: for its owner only
        assert source.rows(f"SELECT action FROM {AUDIT} ORDER BY id DESC LIMIT 1") == [("database.backed_up",)]  # noqa: S608

        run_ok(source, home, "restore", RESTORE_DATABASE_URL=target.url)  # the newest backup, into a new database
        restored_once = target.checksums()
        refused = run(source, home, "restore", RESTORE_DATABASE_URL=target.url)
        assert refused.returncode == 1 and "niet leeg" in refused.stderr and "FORCE=1" in refused.stderr
        assert target.checksums() == restored_once  # refused: untouched
        run_ok(source, home, "restore", "--file", str(backup), "--force", RESTORE_DATABASE_URL=target.url)

        # Everything as it was at the backup; the audit trail adds only the restore to it.
        assert target.checksums(leave_out=(AUDIT,)) == source.checksums(leave_out=(AUDIT,))
        events = target.rows(f"SELECT id, action, row_hash FROM {AUDIT} ORDER BY id")  # noqa: S608
        assert events[:-1] == events_at_backup and events[-1][1] == "database.restored"

        assert target.rows(ALLOCATED_TWICE) == [] and target.rows(SETTLED_TWICE) == []
        assert target.rows("SELECT count(*) FROM registry_enrollment") == [(800,)]  # size S: 800 drawn
        assert target.rows("SELECT count(*) FROM settlement_settlement")[0][0] > 900  # the month run, restored
        run_ok(target, home, "verify-allocations")
        run_ok(target, home, "verify-audit")

        assert _final_report(target, tmp_path / "restored", home) == _final_report(source, tmp_path / "source", home)
    finally:
        source.drop()
        target.drop()


def _final_report(database: Scratch, folder, home) -> tuple[str, bytes]:
    run_ok(database, home, "export", str(folder / "export"))
    run_ok(database, home, "report", str(folder / "export"), "--kind", "final", "--out", str(folder / "final.html"))
    return canonical_hash(read_dataset(folder / "export")), (folder / "final.html").read_bytes()


@pytest.mark.skipif(not ON_POSTGRES, reason=BACKUPS_ARE_PG_ONLY)
def test_a_failing_backup_or_restore_never_shows_the_password_and_leaves_no_file(tmp_path):
    home = tmp_path / "home"
    nowhere = Scratch(url=f"postgres://beheer:{PASSWORD}@127.0.0.1:1/vertrouwen", name="vertrouwen")  # no server

    failed = run(nowhere, home, "backup")
    assert failed.returncode == 1 and "Reservekopie geweigerd" in failed.stderr
    assert "beheer@127.0.0.1:1/vertrouwen" in failed.stderr  # says where, without the password
    assert not list((home / "var" / "backups").glob("*"))  # no half file

    backup = tmp_path / "leeg.dump"
    backup.write_bytes(b"PGDMP not really")
    failed_restore = run(nowhere, home, "restore", "--file", str(backup), RESTORE_DATABASE_URL=nowhere.url)
    assert failed_restore.returncode == 1 and "Terugzetten geweigerd" in failed_restore.stderr
    for output in (failed.stdout, failed.stderr, failed_restore.stdout, failed_restore.stderr):
        assert PASSWORD not in output and "Traceback" not in output


def test_backup_on_sqlite_is_refused_with_advice(tmp_path):
    database = Scratch(url=f"sqlite:///{tmp_path / 'app.sqlite3'}", path=tmp_path / "app.sqlite3")

    refused = run(database, tmp_path, "backup")

    assert refused.returncode == 1
    assert "alleen voor PostgreSQL" in refused.stderr and "databasebestand te kopiëren" in refused.stderr
    assert "Traceback" not in refused.stderr
