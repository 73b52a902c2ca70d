"""SQLite rebuilds a table to add a column with a default, and the rebuild drops its triggers: registry 0008, 0009
and 0010 rebuilt registry_arm, registry_municipality and registry_enrollment. The triggers of 0002 (an enrollment's
allocation is fixed) and 0003 (the design is fixed after a draw) are made again, as they were."""

from importlib import import_module

from django.db import migrations

IMMUTABLE = import_module("vertrouwen.web.lottery.migrations.0002_immutable_allocations")
FIXED = import_module("vertrouwen.web.lottery.migrations.0003_fixed_design_after_a_draw")
ON_REBUILT_TABLES = [statement for statement in IMMUTABLE.SQLITE if "ON registry_enrollment" in statement]
DROPPED = ["registry_enrollment_no_delete", "registry_enrollment_allocation_fixed", *(name for name, *_ in FIXED.RULES)]


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps a table's triggers when a column is added
    for name in DROPPED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in [*ON_REBUILT_TABLES, *FIXED._sqlite()]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("lottery", "0003_fixed_design_after_a_draw"),
                    ("registry", "0010_enrollment_records_its_block")]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
