"""What only a database owner can do: switch the append-only triggers off inside the test's transaction.

Tests use it to wipe a register, or to tamper with an allocation or an audit event and see `verify-allocations`
or `verify-audit` name the row. The test's rollback switches them on again (DDL is transactional on PostgreSQL
and SQLite).
"""

from contextlib import contextmanager

from django.db import connection

LOTTERY_TABLES = ("lottery_draw", "lottery_allocation", "registry_enrollment")
AUDIT_TABLES = ("audit_auditevent",)


def sqlite_triggers(tables: tuple[str, ...]) -> list[str]:
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(tables))
        cursor.execute(f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})", tables)
        return [name for (name,) in cursor.fetchall()]


@contextmanager
def triggers_off(tables: tuple[str, ...] = LOTTERY_TABLES):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred checks
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for name in sqlite_triggers(tables):
                cursor.execute(f"DROP TRIGGER {name}")
    yield
