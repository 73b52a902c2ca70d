"""A large import killed with SIGKILL at random moments leaves the database exactly as it was, and the same
import then simply runs again to the result of an undisturbed one (issue 10, point 7a).

`vertrouwen import` writes in one transaction; a killed process never commits it. SQLite rolls the transaction
back from its journal when the file is next opened, PostgreSQL when it notices the client is gone.
"""

import random
import time

from scratch import Scratch, kill_hard, run_ok, start, wait_for

from vertrouwen.core.dataset import read_dataset
from vertrouwen.core.dataset.writing import canonical_hash

KILL_SEED = 71  # the random moments are the same on every run
RANDOM_KILLS = 2


def test_a_killed_import_leaves_the_database_as_before_and_can_simply_run_again(migrated, dataset_s, tmp_path,
                                                                                 ops_home):
    clean = migrated.copy(tmp_path, "import_clean")
    target = migrated.copy(tmp_path, "import_killed")
    try:
        started = time.monotonic()
        run_ok(clean, ops_home, "import", str(dataset_s))
        duration = time.monotonic() - started
        before = target.checksums()

        rng = random.Random(KILL_SEED)
        moments = ["while writing"] + [round(rng.uniform(0.2, 0.6 * duration), 2) for _ in range(RANDOM_KILLS)]
        killed_while_writing = 0
        for moment in moments:
            process = start(target, ops_home, "import", str(dataset_s))
            if moment == "while writing":
                # Certainly inside the transaction: it has already written (SQLite's journal exists; on
                # PostgreSQL the backend holds a transaction id).
                assert wait_for(target.writer_has_written, process), process.stderr.read()
            else:
                time.sleep(moment)
            was_running = kill_hard(process)
            if not was_running:  # it finished before the moment came: all of it, then, and we start over
                assert process.returncode == 0, process.stderr.read()
                assert target.counts() == clean.counts(), f"finished import at {moment} s differs from a clean one"
                target.drop()
                target = migrated.copy(tmp_path, "import_killed")
                continue
            killed_while_writing += moment == "while writing"
            target.wait_until_no_other_sessions()
            assert target.checksums() == before, f"killed at {moment}: the database changed"
        assert killed_while_writing == 1

        run_ok(target, ops_home, "import", str(dataset_s))  # simply again, no repair step

        assert target.counts() == clean.counts()
        assert _exported_hash(target, tmp_path / "again", ops_home) == _exported_hash(clean, tmp_path / "clean",
                                                                                        ops_home)
        run_ok(target, ops_home, "verify-allocations")  # the imported draw's hash chain is whole
    finally:
        clean.drop()
        target.drop()


def test_a_killed_import_over_existing_data_leaves_that_data_as_it_was(imported, dataset_s, tmp_path, ops_home):
    """An update of a register that already holds the experiment: killed while writing, nothing changes."""
    changed = tmp_path / "changed"
    changed.mkdir()
    for source in dataset_s.iterdir():
        (changed / source.name).write_bytes(source.read_bytes())
    earnings = (changed / "earnings.csv").read_text(encoding="utf-8").splitlines()
    header, rows = earnings[0], earnings[1:]
    columns = header.split(",")
    amount = columns.index("earnings_cents")
    for i in range(0, len(rows), 3):  # a third of the earnings corrected by one euro
        fields = rows[i].split(",")
        fields[amount] = str(int(fields[amount]) + 100)
        rows[i] = ",".join(fields)
    (changed / "earnings.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    target = imported.copy(tmp_path, "update_killed")
    try:
        before = target.checksums()
        process = start(target, ops_home, "import", str(changed), "--update")
        assert wait_for(target.writer_has_written, process), process.stderr.read()
        assert kill_hard(process), "the update finished before it could be killed"
        target.wait_until_no_other_sessions()
        assert target.checksums() == before

        out = run_ok(target, ops_home, "import", str(changed), "--update")
        assert f"earnings: 0 nieuw, {len(range(0, len(rows), 3))} bijgewerkt" in out.replace(".", "")
    finally:
        target.drop()


def _exported_hash(database: Scratch, folder, home) -> str:
    run_ok(database, home, "export", str(folder))
    return canonical_hash(read_dataset(folder))
