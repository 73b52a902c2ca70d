"""Backups of the PostgreSQL database with pg_dump and pg_restore: `vertrouwen backup` and `vertrouwen restore`
(`make backup`, `make restore`; docs/operations.md).

A backup is one file in pg_dump's custom format (compressed; pg_restore can pick from it), named with the UTC
time, readable by its owner only: it holds everything, personal data included (BSNs encrypted). The password
reaches pg_dump and pg_restore through their environment (PGPASSWORD), never on a command line, and no message
prints it. A restore is one transaction (all or nothing) and refuses a database that already has tables unless
forced. The backup does not hold the secrets of .env; without the same VERTROUWEN_BSN_KEY and
VERTROUWEN_PSEUDONYM_KEY a restored database cannot read its BSNs or match new ones.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg

from vertrouwen.web.refusals import Refused

SUFFIX = ".dump"
# libpq's environment variables for the connection options dj-database-url puts in OPTIONS.
OPTION_VARIABLES = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                    "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT"}


class BackupRefused(Refused):
    """Nothing was written or changed; the message says why, in Dutch, without a password."""


@dataclass(frozen=True)
class Database:
    """A PostgreSQL database as libpq connection parameters."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, settings_dict: dict) -> Database:
        """From one of Django's DATABASES entries; refuses anything but PostgreSQL."""
        if "postgresql" not in settings_dict.get("ENGINE", ""):
            raise BackupRefused("alleen voor PostgreSQL; zet DATABASE_URL op de PostgreSQL-database. Van SQLite "
                                "maakt u een reservekopie door het databasebestand te kopiëren terwijl niemand "
                                "schrijft.")
        options = tuple((k, str(v)) for k, v in (settings_dict.get("OPTIONS") or {}).items() if k in OPTION_VARIABLES)
        return cls(name=settings_dict["NAME"], user=settings_dict.get("USER") or "",
                   password=settings_dict.get("PASSWORD") or "", host=settings_dict.get("HOST") or "",
                   port=str(settings_dict.get("PORT") or ""), options=options)

    @classmethod
    def from_url(cls, url: str) -> Database:
        import dj_database_url

        try:
            return cls.from_settings(dj_database_url.parse(url))
        except ValueError:
            raise BackupRefused("RESTORE_DATABASE_URL is geen geldige database-URL") from None

    def label(self) -> str:
        """Where, for messages: never the password."""
        where = f"{self.host or 'localhost'}{':' + self.port if self.port else ''}"
        return f"{self.user + '@' if self.user else ''}{where}/{self.name}"

    def environment(self) -> dict[str, str]:
        """The environment for pg_dump and pg_restore: libpq reads the connection, password included, from it."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        values = {"PGDATABASE": self.name, "PGUSER": self.user, "PGPASSWORD": self.password, "PGHOST": self.host,
                  "PGPORT": self.port, **{OPTION_VARIABLES[k]: v for k, v in self.options}}
        return env | {k: v for k, v in values.items() if v}

    def connect(self, dbname: str | None = None, **kwargs) -> psycopg.Connection:
        params = {"dbname": dbname or self.name, "user": self.user, "password": self.password, "host": self.host,
                  "port": self.port, **dict(self.options)}
        return psycopg.connect(**{k: v for k, v in params.items() if v}, **kwargs)


def backup_name(database: Database, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"vertrouwen-{database.name}-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def make_backup(database: Database, *, file: Path | None = None, folder: Path) -> Path:
    """Dump the database to `file`, or to a new file named with the UTC time in `folder`. The file appears
    whole or not at all, readable by its owner only, and an existing file is never overwritten."""
    path = Path(file) if file else Path(folder) / backup_name(database)
    if path.exists():
        raise BackupRefused(f"{path} bestaat al; kies een andere BACKUP_FILE")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.deel")
    partial.unlink(missing_ok=True)
    try:
        # Created empty and private first: pg_dump then writes into a file nobody else can read.
        partial.touch(mode=0o600)
        _run("pg_dump", ["--format=custom", "--no-password", f"--file={partial}"], database)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def newest_backup(folder: Path) -> Path:
    backups = sorted(Path(folder).glob(f"vertrouwen-*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
    if not backups:
        raise BackupRefused(f"geen reservekopie gevonden in {folder}; geef er een met BACKUP_FILE")
    return backups[-1]


def restore_backup(database: Database, file: Path, *, force: bool = False) -> int:
    """Restore a backup into the database (created when missing) in one transaction; returns the number of
    tables restored. Refuses a database with tables in it unless forced; forced, the backup's objects replace
    those of the same name, and tables the backup does not have stay."""
    file = Path(file)
    if not file.is_file():
        raise BackupRefused(f"{file} bestaat niet")
    listing = _run("pg_restore", ["--list", str(file)], database)  # reads the file whole: a damaged one stops here
    tables = sum(1 for line in listing.splitlines() if " TABLE DATA " in line)
    _create_if_missing(database)
    present = tables_in(database)
    if present and not force:
        raise BackupRefused(f"de database {database.label()} is niet leeg ({present} tabellen); er is niets "
                            f"teruggezet. Kies een lege database, of zet FORCE=1 (--force) om te overschrijven")
    options = ["--no-password", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
               f"--dbname={database.name}"]
    if force:
        options += ["--clean", "--if-exists"]
    _run("pg_restore", [*options, str(file)], database)
    with database.connect(autocommit=True) as connection:
        connection.execute("ANALYZE")  # pg_restore brings no planner statistics; without them queries crawl
    return tables


def tables_in(database: Database) -> int:
    """Tables outside PostgreSQL's own schemas."""
    with database.connect() as connection:
        return connection.execute("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                                  "('pg_catalog', 'information_schema')").fetchone()[0]


def _create_if_missing(database: Database) -> None:
    from psycopg import sql

    with database.connect("postgres", autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name]).fetchone():
            return
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))


def _run(program: str, arguments: list[str], database: Database) -> str:
    executable = shutil.which(program)
    if executable is None:
        raise BackupRefused(f"{program} niet gevonden; installeer de PostgreSQL-clientprogramma's "
                            f"(Debian: postgresql-client), in een versie niet ouder dan de server")
    done = subprocess.run([executable, *arguments], env=database.environment(),  # noqa: S603 - fixed programs
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr.strip() or f"afgesloten met code {done.returncode}").replace(database.password or
                                                                                          "\0", "***")
        raise BackupRefused(f"{program} mislukt voor {database.label()}: {message}")
    return done.stdout
