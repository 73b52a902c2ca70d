"""The demo municipality served by gunicorn with its background worker, and a headless Chromium to look at it.

The server gets a folder of its own (VERTROUWEN_HOME) and a database of its own: an SQLite file there, or,
when the tests run against PostgreSQL (DATABASE_URL), a separate database "<test database>_e2e" that is
dropped and created here.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class DemoServer:
    url: str
    home: Path
    database_url: str
    env: dict[str, str]

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows from the demo database, read directly (not through Django); write ? for a parameter."""
        if self.database_url.startswith("sqlite"):
            with closing(sqlite3.connect(urlsplit(self.database_url).path)) as connection:
                return connection.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as connection:
            return connection.execute(sql.replace("?", "%s"), params).fetchall()


def until_computed(page, seconds: float = 300) -> None:
    """Wait until the page no longer shows work in progress ([data-computing]): the worker computes an evaluation or
    makes a report in the background and the page refreshes itself; reloading here does the same sooner."""
    deadline = time.monotonic() + seconds
    while page.locator("[data-computing]").count():
        if time.monotonic() > deadline:
            pytest.fail(f"{page.url} still computing after {seconds} s")
        page.wait_for_timeout(1000)
        page.reload()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]



def _postgres(url: str, statement: str) -> None:
    import psycopg

    maintenance = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(statement)


def _database_url(home: Path) -> tuple[str, str | None]:
    """The server's database URL, and the name of a PostgreSQL database to drop afterwards."""
    own = os.environ.get("DATABASE_URL", "")
    if not own.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{home / 'vertrouwen.sqlite3'}", None
    name = f"test_{urlsplit(own).path.lstrip('/')}_e2e"
    _postgres(own, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres(own, f'CREATE DATABASE "{name}"')
    return urlsplit(own)._replace(path=f"/{name}").geturl(), name


def _wait_until_it_answers(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn stopped with code {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"gunicorn did not answer at {url} within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo")
    database_url, postgres_name = _database_url(home)
    env = {
        **os.environ,
        "VERTROUWEN_HOME": str(home),
        "VERTROUWEN_NODE_MODULES": str(REPO / "node_modules"),
        "DEBUG": "false",
        "SECRET_KEY": "e2e-secret-key-only-for-this-test-run",
        "VERTROUWEN_PSEUDONYM_KEY": "e2e-pseudonym-key-only-for-this-test-run",
        "VERTROUWEN_BSN_KEY": Fernet.generate_key().decode(),
        "SESSION_COOKIE_SECURE": "false",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "vertrouwen.web.settings",
    }
    command = Path(sys.executable).with_name("vertrouwen")
    prepare = subprocess.run([str(command), "demo", "--prepare-only", "--size", "XS"], cwd=home, env=env,
                             capture_output=True, text=True, timeout=600, check=False)
    if prepare.returncode != 0:
        pytest.fail(f"vertrouwen demo --prepare-only failed:\n{prepare.stdout}\n{prepare.stderr}")

    port = free_port()
    log = home / "gunicorn.log"
    with log.open("w") as log_file, (home / "worker.log").open("w") as worker_log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "vertrouwen.web.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--access-logfile", "-"],  # every URL the browser asked for, for the BSN leak check
            cwd=home, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        worker = subprocess.Popen([str(command), "worker"], cwd=home, env=env, stdout=worker_log,
                                  stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(f"{url}/inloggen/", server, log)
        yield DemoServer(url=url, home=home, database_url=database_url, env=env)
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if postgres_name:
            _postgres(database_url, f'DROP DATABASE IF EXISTS "{postgres_name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def screenshots():
    folder = REPO / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
