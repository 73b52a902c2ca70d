"""Once an experiment has a draw, what the draws depend on stays as it was, also for the application's own
connection: an arm's code, control flag and allocation ratio, its experiment, and its existence; the
experiment's code and municipality; the municipality's code (the hash chain names both codes)."""

from django.db import migrations

MESSAGE = "Er is al geloot: wat de loting gebruikte, ligt vast"
DRAWN = "EXISTS (SELECT 1 FROM lottery_draw d WHERE d.experiment_id = {experiment})"
MUNICIPALITY_DRAWN = ("EXISTS (SELECT 1 FROM lottery_draw d JOIN registry_experiment e ON e.id = d.experiment_id "
                      "WHERE e.municipality_id = OLD.id)")
ARM_COLUMNS = ("experiment_id", "code", "is_control", "allocation_ratio")
EXPERIMENT_COLUMNS = ("municipality_id", "code")

# (trigger, table, event, condition in terms of OLD and NEW)
RULES = [
    ("registry_arm_fixed", "registry_arm", "UPDATE",
     "({changed}) AND " + DRAWN.format(experiment="OLD.experiment_id"), ARM_COLUMNS),
    ("registry_arm_kept", "registry_arm", "DELETE", DRAWN.format(experiment="OLD.experiment_id"), ()),
    ("registry_arm_no_new", "registry_arm", "INSERT", DRAWN.format(experiment="NEW.experiment_id"), ()),
    ("registry_experiment_fixed", "registry_experiment", "UPDATE",
     "({changed}) AND " + DRAWN.format(experiment="OLD.id"), EXPERIMENT_COLUMNS),
    ("registry_municipality_fixed", "registry_municipality", "UPDATE",
     "({changed}) AND " + MUNICIPALITY_DRAWN, ("code",)),
]


def _condition(template: str, columns: tuple[str, ...], differs: str) -> str:
    return template.format(changed=" OR ".join(differs.format(c=c) for c in columns)) if columns else template


def _postgres() -> list[str]:
    # PostgreSQL allows no subquery in a trigger's WHEN: the function looks for a draw, WHEN for a changed column.
    statements = [f"""CREATE FUNCTION vertrouwen_refuse_design_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE drawn boolean;
    BEGIN
        IF TG_TABLE_NAME = 'registry_municipality' THEN
            drawn := EXISTS (SELECT 1 FROM lottery_draw d JOIN registry_experiment e ON e.id = d.experiment_id
                             WHERE e.municipality_id = OLD.id);
        ELSIF TG_TABLE_NAME = 'registry_experiment' THEN
            drawn := EXISTS (SELECT 1 FROM lottery_draw d WHERE d.experiment_id = OLD.id);
        ELSIF TG_OP = 'INSERT' THEN
            drawn := EXISTS (SELECT 1 FROM lottery_draw d WHERE d.experiment_id = NEW.experiment_id);
        ELSE
            drawn := EXISTS (SELECT 1 FROM lottery_draw d WHERE d.experiment_id = OLD.experiment_id);
        END IF;
        IF drawn THEN
            RAISE EXCEPTION '{MESSAGE} (%)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END $$"""]
    for name, table, event, _condition_with_draws, columns in RULES:
        when = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        statements.append(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
                          f"{f'WHEN ({when}) ' if when else ''}EXECUTE FUNCTION vertrouwen_refuse_design_change()")
    return statements


def _sqlite() -> list[str]:
    return [f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {_condition(condition, columns, 'OLD.{c} IS NOT NEW.{c}')} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({table})'); END"
            for name, table, event, condition, columns in RULES]


POSTGRES_REVERSE = [*(f"DROP TRIGGER {name} ON {table}" for name, table, *_ in RULES),
                    "DROP FUNCTION vertrouwen_refuse_design_change()"]
SQLITE_REVERSE = [f"DROP TRIGGER {name}" for name, *_ in RULES]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement, params=None)  # '%' in PL/pgSQL is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("lottery", "0002_immutable_allocations")]

    operations = [
        migrations.RunPython(_run({"postgresql": _postgres(), "sqlite": _sqlite()}),
                             _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
