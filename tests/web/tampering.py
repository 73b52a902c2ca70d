"""What only a database owner can do: switch the allocation triggers off inside the test's transaction.

Tests use it to wipe a register, or to tamper with an allocation and see `verify-allocations` name the row.
The test's rollback switches them on again (DDL is transactional on PostgreSQL and SQLite).
"""

from contextlib import contextmanager

from django.db import connection

TABLES = ("lottery_draw", "lottery_allocation", "registry_enrollment")


def sqlite_triggers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s, %s)", TABLES)
        return [name for (name,) in cursor.fetchall()]


@contextmanager
def triggers_off():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred checks
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for name in sqlite_triggers():
                cursor.execute(f"DROP TRIGGER {name}")
    yield
