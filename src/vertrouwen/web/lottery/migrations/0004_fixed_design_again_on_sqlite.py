"""SQLite rebuilds a table to add a column with a default, and the rebuild drops its triggers: registry 0008 and
0009 rebuilt registry_arm and registry_municipality. The design's triggers of 0003 are made again, as they were."""

from importlib import import_module

from django.db import migrations

FIXED = import_module("vertrouwen.web.lottery.migrations.0003_fixed_design_after_a_draw")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps a table's triggers when a column is added
    for name, *_ in FIXED.RULES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in FIXED._sqlite():
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("lottery", "0003_fixed_design_after_a_draw"),
                    ("registry", "0009_municipality_sub_n_and_young_disregard")]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
