"""Triggers that make the lottery's record unchangeable, also for the application's own connection.

Draws and allocations refuse every UPDATE and DELETE. An enrollment refuses DELETE and any UPDATE of the
columns that repeat its allocation (experiment, person, arm, allocated_on); consent and stopping stay
writable. Both databases get them: PostgreSQL in production and CI, SQLite for the demo.
"""

from django.db import migrations

MESSAGE = "Een toewijzing uit de loting kan niet worden gewijzigd of verwijderd"
FROZEN = ("lottery_draw", "lottery_allocation")
ENROLLMENT_COLUMNS = ("experiment_id", "person_id", "arm_id", "allocated_on")

POSTGRES = [
    f"""CREATE FUNCTION vertrouwen_refuse_allocation_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (%)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END $$""",
    *(f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
          FOR EACH ROW EXECUTE FUNCTION vertrouwen_refuse_allocation_change()""" for table in FROZEN),
    """CREATE TRIGGER registry_enrollment_no_delete BEFORE DELETE ON registry_enrollment
       FOR EACH ROW EXECUTE FUNCTION vertrouwen_refuse_allocation_change()""",
    f"""CREATE TRIGGER registry_enrollment_allocation_fixed BEFORE UPDATE ON registry_enrollment FOR EACH ROW
       WHEN ({" OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ENROLLMENT_COLUMNS)})
       EXECUTE FUNCTION vertrouwen_refuse_allocation_change()""",
]
POSTGRES_REVERSE = [
    *(f"DROP TRIGGER {table}_immutable ON {table}" for table in FROZEN),
    "DROP TRIGGER registry_enrollment_no_delete ON registry_enrollment",
    "DROP TRIGGER registry_enrollment_allocation_fixed ON registry_enrollment",
    "DROP FUNCTION vertrouwen_refuse_allocation_change()",
]

SQLITE = [
    *(f"""CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table}
          BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({table})'); END"""
      for table in FROZEN for action in ("UPDATE", "DELETE")),
    f"""CREATE TRIGGER registry_enrollment_no_delete BEFORE DELETE ON registry_enrollment
       BEGIN SELECT RAISE(ABORT, '{MESSAGE} (registry_enrollment)'); END""",
    f"""CREATE TRIGGER registry_enrollment_allocation_fixed BEFORE UPDATE ON registry_enrollment
       WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in ENROLLMENT_COLUMNS)}
       BEGIN SELECT RAISE(ABORT, '{MESSAGE} (registry_enrollment)'); END""",
]
SQLITE_REVERSE = [
    *(f"DROP TRIGGER {table}_no_{action.lower()}" for table in FROZEN for action in ("UPDATE", "DELETE")),
    "DROP TRIGGER registry_enrollment_no_delete",
    "DROP TRIGGER registry_enrollment_allocation_fixed",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement, params=None)  # no parameters: '%' in PL/pgSQL is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("lottery", "0001_initial"),
        ("registry", "0002_eligibility_guidance_target_allocation_ratio"),
    ]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRES, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
