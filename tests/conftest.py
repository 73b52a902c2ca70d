"""Shared by every test: the Dutch message catalogue compiled, as `make` does, when run without make; and the
BSN leak check over the whole session (leakcheck.py)."""

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import leakcheck

MESSAGES = Path(__file__).resolve().parents[1] / "src" / "vertrouwen" / "web" / "locale" / "nl" / "LC_MESSAGES"


def _compile_messages_if_stale() -> None:
    po, mo = MESSAGES / "django.po", MESSAGES / "django.mo"
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        with po.open("rb") as source:
            catalog = read_po(source, locale="nl")
        with mo.open("wb") as target:
            write_mo(target, catalog)


_compile_messages_if_stale()


def pytest_configure(config):
    leakcheck.register(config)  # fails the session when a log, URL, error page or server log holds a BSN


@pytest.fixture(autouse=True)
def _audit_anchors_apart(settings, tmp_path_factory):
    """Each test anchors its audit trail in a folder of its own: test databases reuse their names and ids, and an
    earlier test's anchors would name events this one never wrote."""
    settings.AUDIT_ANCHOR_DIR = tmp_path_factory.mktemp("audit-anchors")


@pytest.fixture(autouse=True)
def _audit_rows_emptied_for_flush(request):
    """Tests that commit (transaction=True) are emptied by a flush, which the audit table's triggers refuse on
    SQLite (DELETE). Empty that table first, as its owner may: PostgreSQL's flush truncates, which row triggers
    do not see."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "transactional_db" not in request.fixturenames:
        return
    from django.db import connection

    if connection.vendor == "sqlite":
        from vertrouwen.web.audit import triggers

        with connection.cursor() as cursor:
            for statement in triggers.SQLITE_REVERSE:
                cursor.execute(statement)
            cursor.execute("DELETE FROM audit_auditevent")
            for statement in triggers.SQLITE:
                cursor.execute(statement)
