"""A real dropped database connection during a request (issue 10, point 7c): PostgreSQL ends the app's backend
with pg_terminate_backend from a second connection, as a server restart or failover would. The request gets the
Dutch 503 page, a POST in flight commits everything or nothing, and the next request reconnects.

The app keeps its connection between requests (CONN_MAX_AGE > 0, no health checks), so the drop is first noticed
by a query of the request. SQLite has no server to lose: these tests run in CI's PostgreSQL leg.
"""

import importlib.util
import logging
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import close_old_connections, connection, transaction
from scratch import DROPS_ARE_PG_ONLY, ON_POSTGRES

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.registry.models import Contact

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason=DROPS_ARE_PG_ONLY)

# The web tests' fixtures (users, the two-factor login, the caseload of werkstad.py), loaded from their conftest
# so that a login here stays a login there.
_WEB_TESTS = Path(__file__).resolve().parents[1] / "web"
sys.path.insert(0, str(_WEB_TESTS))
_spec = importlib.util.spec_from_file_location("ops_web_fixtures", _WEB_TESTS / "conftest.py")
_web = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_web)
users, password, login_user, login, workspace = _web.users, _web.password, _web.login_user, _web.login, _web.workspace
_plain_static_files = _web._plain_static_files

HEADING = "De database is even niet bereikbaar"
NOT_SAVED = "Wat u net invoerde is waarschijnlijk niet bewaard"


@pytest.fixture
def set_up_in_one_transaction(transactional_db):
    """The fixtures below write as the application does, inside a transaction (audit.tracking insists); `app`
    commits it, so the data are really there, for every connection, before the test drops one."""
    block = transaction.atomic()
    block.__enter__()
    yield block
    if transaction.get_connection().in_atomic_block:  # setting up failed before the commit
        block.__exit__(RuntimeError, RuntimeError("set-up failed"), None)


@pytest.fixture
def app(set_up_in_one_transaction, workspace, login, monkeypatch):
    """The case manager's browser, on a connection kept open between requests as in production."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    client = login("klantmanager")
    set_up_in_one_transaction.__exit__(None, None, None)
    client.raise_request_exception = False  # as a browser sees it
    assert client.get(workspace.page("K2")).status_code == 200
    return client


def _dsn() -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER'] or ''}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def _app_backend() -> int:
    return connection.connection.info.backend_pid


def _terminate(pid: int) -> None:
    with psycopg.connect(_dsn(), autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            time.sleep(0.01)


def test_a_connection_dropped_between_requests_gives_the_503_page_and_the_next_request_reconnects(
        app, workspace, caplog):
    _terminate(_app_backend())

    with caplog.at_level(logging.ERROR):
        response = app.get(workspace.page("K2"))

    assert response.status_code == 503
    html = response.content.decode()
    assert HEADING in html
    assert NOT_SAVED not in html  # nothing was sent
    for private in ("Traceback", "K2", "Test klantmanager", "klantmanager2"):
        assert private not in html
    logged = [r.getMessage() for r in caplog.records if r.name == "vertrouwen.faults"]
    assert len(logged) == 1 and logged[0].startswith("Database niet bereikbaar bij GET ")
    assert "K2" not in logged[0] and f"/{workspace.pk('K2')}/" not in logged[0]

    close_old_connections()  # what Django does after every request (request_finished): drops the dead connection
    response = app.get(workspace.page("K2"))
    assert response.status_code == 200 and "K2" in response.content.decode()


def test_a_post_cut_off_in_its_transaction_saves_nothing_and_says_so(app, workspace, caplog):
    """The contact is written, then the audit event waits for a lock this test holds; the backend is ended right
    there, in the middle of the transaction. Neither the contact nor its note nor an audit event remains."""
    contacts, events = Contact.objects.count(), AuditEvent.objects.count()
    pid = _app_backend()
    cut_off = {}

    def end_it_mid_transaction(locker: psycopg.Connection) -> None:
        with psycopg.connect(_dsn(), autocommit=True) as watcher:
            for _ in range(3000):
                waiting = watcher.execute("SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = %s "
                                          "AND wait_event_type = 'Lock'", [pid]).fetchone()
                if waiting:
                    cut_off["had_written"] = waiting[0]
                    watcher.execute("SELECT pg_terminate_backend(%s)", [pid])
                    break
                time.sleep(0.01)
        locker.rollback()

    with psycopg.connect(_dsn()) as locker:
        locker.execute(f"LOCK TABLE {AuditEvent._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        killer = threading.Thread(target=end_it_mid_transaction, args=(locker,))
        killer.start()
        with caplog.at_level(logging.ERROR):
            response = app.post(workspace.step("K2", "contact"), {
                "contact-contact_on": workspace.today.isoformat(), "contact-channel": "telefoon",
                "contact-minutes": "15", "contact-initiated_by": "deelnemer",
                "contact-note": "Vraag over vrijlating."})
        killer.join()

    assert cut_off == {"had_written": True}, "the request was not cut off inside its transaction"
    assert response.status_code == 503
    html = response.content.decode()
    assert HEADING in html and NOT_SAVED in html
    assert "Vraag over vrijlating" not in html and "Traceback" not in html
    assert not any("Vraag over vrijlating" in r.getMessage() for r in caplog.records)

    close_old_connections()
    assert (Contact.objects.count(), AuditEvent.objects.count()) == (contacts, events)  # nothing at all
    response = app.post(workspace.step("K2", "contact"), {
        "contact-contact_on": workspace.today.isoformat(), "contact-channel": "telefoon", "contact-minutes": "15",
        "contact-initiated_by": "deelnemer", "contact-note": "Vraag over vrijlating."})
    assert response.status_code == 302  # sent again, it is saved once
    assert Contact.objects.count() == contacts + 1
