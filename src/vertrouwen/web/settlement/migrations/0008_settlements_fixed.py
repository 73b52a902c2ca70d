"""A settlement, once written, stays as it was, also for the application's own connection: a correction is a new
version, and the only change an old one takes is to stop being current (is_current from true to false) or to lose
its run when the run is removed (run_id to NULL). Any other UPDATE is refused by a trigger, on PostgreSQL and
SQLite. DELETE stays possible: the erasure at the end of the retention term removes a released person's rows.

SQLite drops a table's triggers when it rebuilds the table (adding a column with a default does): a later
migration that does that to settlement_settlement must make these again, as lottery/0004 does for its tables."""

from django.db import migrations

TABLE = "settlement_settlement"
MESSAGE = "Een verrekening kan niet worden gewijzigd; een correctie is een nieuwe versie"
FIXED = ("person_id", "month", "version", "regime", "earnings_cents", "norm_cents", "disregarded_cents",
         "deducted_cents", "benefit_cents", "months_used", "bonus_cents", "rule_percent_bp", "rule_max_cents",
         "rule_max_months", "rule_min_age", "age", "household_type", "no_entitlement", "amounts_missing_since",
         "reason", "sub_n_granted", "recorded_at", "recorded_by")


def _changed(differs: str) -> str:
    fixed = " OR ".join(differs.format(c=c) for c in FIXED)
    made_current = "(NOT OLD.is_current AND NEW.is_current)"
    run_moved = f"(NEW.run_id IS NOT NULL AND {differs.format(c='run_id')})"
    return f"{fixed} OR {made_current} OR {run_moved}"


POSTGRES = [
    f"""CREATE FUNCTION vertrouwen_refuse_settlement_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (%)', OLD.id USING ERRCODE = 'restrict_violation';
    END $$""",
    f"""CREATE TRIGGER {TABLE}_fixed BEFORE UPDATE ON {TABLE} FOR EACH ROW
        WHEN ({_changed("OLD.{c} IS DISTINCT FROM NEW.{c}")})
        EXECUTE FUNCTION vertrouwen_refuse_settlement_change()""",
]
POSTGRES_REVERSE = [f"DROP TRIGGER {TABLE}_fixed ON {TABLE}", "DROP FUNCTION vertrouwen_refuse_settlement_change()"]
SQLITE = [f"""CREATE TRIGGER {TABLE}_fixed BEFORE UPDATE ON {TABLE}
    WHEN {_changed("OLD.{c} IS NOT NEW.{c}")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""]
SQLITE_REVERSE = [f"DROP TRIGGER {TABLE}_fixed"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement, params=None)  # no parameters: '%' in PL/pgSQL is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("settlement", "0007_settlement_says_its_sub_n_decision")]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRES, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
