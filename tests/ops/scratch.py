"""Scratch databases for the fault and backup tests, driven through the `vertrouwen` command in subprocesses.

The tests run on the database of their CI leg: a SQLite file when DATABASE_URL is unset, else a database of
their own on the PostgreSQL server DATABASE_URL points at, named after that database with a suffix
(vertrouwen_ci_ops_..., never the database itself) and dropped afterwards.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
PG_LEG = "runs in CI's PostgreSQL leg (DATABASE_URL=postgres://...)"
BACKUPS_ARE_PG_ONLY = f"PostgreSQL only: backups are pg_dump and pg_restore; {PG_LEG}"
DROPS_ARE_PG_ONLY = f"PostgreSQL only: SQLite has no server connection to lose; {PG_LEG}"


def server_url() -> str:
    """postgres://user@host:port without the database."""
    return DATABASE_URL.rsplit("/", 1)[0]


def base_name() -> str:
    return DATABASE_URL.rsplit("/", 1)[1].split("?")[0] or "vertrouwen"


@dataclass
class Scratch:
    """One database: a SQLite file, or a PostgreSQL database on the test server."""

    url: str
    path: Path | None = None  # SQLite
    name: str | None = None  # PostgreSQL

    @classmethod
    def new(cls, folder: Path, label: str) -> Scratch:
        if ON_POSTGRES:
            name = f"{base_name()}_ops_{label}"
            _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return cls(url=f"{server_url()}/{name}", name=name)
        path = folder / f"{label}.sqlite3"
        path.unlink(missing_ok=True)
        return cls(url=f"sqlite:///{path}", path=path)

    def copy(self, folder: Path, label: str) -> Scratch:
        """A new database with this one's content (PostgreSQL: CREATE DATABASE ... TEMPLATE)."""
        if ON_POSTGRES:
            name = f"{base_name()}_ops_{label}"
            _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            _admin(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                    sql.Identifier(self.name)))
            return Scratch(url=f"{server_url()}/{name}", name=name)
        path = folder / f"{label}.sqlite3"
        shutil.copyfile(self.path, path)
        return Scratch(url=f"sqlite:///{path}", path=path)

    def drop(self) -> None:
        if self.name:
            _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))
        elif self.path:
            self.path.unlink(missing_ok=True)

    # -- reading ------------------------------------------------------------------------------------------

    def rows(self, query: str, params: tuple = ()) -> list[tuple]:
        if self.name:
            with psycopg.connect(self.url) as connection:
                return connection.execute(query, params).fetchall()
        connection = sqlite3.connect(self.path)
        try:
            return connection.execute(query.replace("%s", "?"), params).fetchall()
        finally:
            connection.close()

    def tables(self) -> list[str]:
        if self.name:
            return [r[0] for r in self.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                             "ORDER BY tablename")]
        return [r[0] for r in self.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def checksums(self, *, leave_out: tuple[str, ...] = ()) -> dict[str, tuple[int, str]]:
        """Every table's row count and a digest of its rows in a fixed order. PostgreSQL's sequences are not
        tables and are left out: they are not transactional, so a rolled-back insert still advances them."""
        sums = {}
        for table in self.tables():
            if table in leave_out:
                continue
            if self.name:
                count, digest = self.rows(
                    f'SELECT count(*), md5(coalesce(string_agg(t::text, E\'\\n\' ORDER BY t::text), \'\')) '  # noqa: S608
                    f'FROM "{table}" t')[0]
            else:
                rows = sorted(repr(row) for row in self.rows(f'SELECT * FROM "{table}"'))  # noqa: S608
                count, digest = len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()
            sums[table] = (count, digest)
        return sums

    def counts(self) -> dict[str, int]:
        return {table: self.rows(f'SELECT count(*) FROM "{table}"')[0][0] for table in self.tables()}  # noqa: S608

    # -- watching a writer --------------------------------------------------------------------------------

    def writer_in_transaction(self) -> bool:
        """Another process holds an open write transaction on this database. PostgreSQL: a backend with a
        transaction id (it wrote or locked rows). SQLite: the project opens every transaction with BEGIN
        IMMEDIATE, so a second BEGIN IMMEDIATE is refused exactly while one is open."""
        if self.name:
            return bool(self.rows("SELECT 1 FROM pg_stat_activity WHERE datname = %s AND backend_xid IS NOT NULL "
                                  "AND pid <> pg_backend_pid()", (self.name,)))
        connection = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            connection.close()

    def writer_has_written(self) -> bool:
        """SQLite: the rollback journal exists only once a transaction changed a page. PostgreSQL: as above."""
        if self.name:
            return self.writer_in_transaction()
        return Path(f"{self.path}-journal").exists()

    def wait_until_no_other_sessions(self, timeout: float = 60) -> None:
        """After a client was killed, PostgreSQL ends its backend (rolling back) once it notices; wait for that."""
        if not self.name:
            return
        deadline = time.monotonic() + timeout
        while self.rows("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                        (self.name,))[0][0]:
            assert time.monotonic() < deadline, f"a backend on {self.name} outlived its killed client"
            time.sleep(0.05)


def _admin(statement) -> None:
    with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as connection:
        connection.execute(statement)


# -- the `vertrouwen` command -------------------------------------------------------------------------------


def environment(database: Scratch, home: Path, **extra: str) -> dict[str, str]:
    """The command's environment: this database, the development secrets (the same in every process) and a
    home of its own, so no .env of the developer is read and backups land under the test's folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RESTORE_DATABASE_URL")}
    for secret in ("SECRET_KEY", "VERTROUWEN_PSEUDONYM_KEY", "VERTROUWEN_BSN_KEY", "VERTROUWEN_AUDIT_KEY"):
        env.pop(secret, None)
    return env | {"DATABASE_URL": database.url, "DEBUG": "true", "VERTROUWEN_HOME": str(home),
                  "PYTHONUNBUFFERED": "1"} | extra


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "vertrouwen.cli", *arguments]


def run(database: Scratch, home: Path, *arguments: str, timeout: float = 600,
        **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(*arguments), env=environment(database, home, **extra), capture_output=True,
                          text=True, timeout=timeout, check=False)


def run_ok(database: Scratch, home: Path, *arguments: str, **extra: str) -> str:
    done = run(database, home, *arguments, **extra)
    assert done.returncode == 0, f"vertrouwen {' '.join(arguments)}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def start(database: Scratch, home: Path, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen(command(*arguments), env=environment(database, home), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def kill_hard(process: subprocess.Popen) -> bool:
    """kill -9, as the OOM killer or a power cut would; True when the process was still running."""
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return process.returncode == -signal.SIGKILL


def wait_for(condition, process: subprocess.Popen, timeout: float = 300, interval: float = 0.002) -> bool:
    """Poll until the condition holds (True) or the process ended first (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(interval)
    raise AssertionError("timed out waiting for the process")
