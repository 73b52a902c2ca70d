"""The audit table refuses UPDATE and DELETE, also for the application's own connection, on both databases.

TRUNCATE stays possible for the table's owner (and empties the test database between tests); docs/security.md
says how a production database keeps the application's role from owning the table.
"""

from django.db import migrations

from vertrouwen.web.audit.triggers import POSTGRES, POSTGRES_REVERSE, SQLITE, SQLITE_REVERSE


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement, params=None)  # no parameters: '%' in PL/pgSQL is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chained_sealed_append_only")]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRES, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
