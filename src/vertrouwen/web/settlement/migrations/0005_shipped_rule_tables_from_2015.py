"""Bring the rule tables to the amounts that ship with vertrouwen now (core/rules/tables.py: every half year from
2015 that could be found, each with its source). A row a beheerder never changed follows the shipped one: it is
added, changed as a new version, or removed when the shipped tables no longer hold it (the experiment decree's
rule now starts on 1 April 2017). A row a beheerder changed stays as it is."""

from dataclasses import asdict

from django.db import migrations

SHIPPED_BY = "systeem:"  # versions saved by the installation or by this migration, never by a person
SAVED_BY = "systeem:regeltabellen-2015"


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def sync(apps, schema_editor):
    from vertrouwen.core.rules.tables import BENEFIT_NORMS, DISREGARD_RULES

    RuleVersion = apps.get_model("settlement", "RuleVersion")
    for model_name, rows, kind in (("DisregardRule", DISREGARD_RULES, "regime"),
                                   ("BenefitNorm", BENEFIT_NORMS, "household_type")):
        model = apps.get_model("settlement", model_name)
        table = model._meta.model_name
        touched_by_people = set(RuleVersion.objects.filter(table=table).exclude(saved_by__startswith=SHIPPED_BY)
                                .values_list("row_id", flat=True))
        stored = {(getattr(row, kind), row.valid_from): row for row in model.objects.all()}
        shipped = {(getattr(row, kind), row.valid_from): asdict(row) for row in rows}
        for key, values in shipped.items():
            row = stored.get(key)
            if row is None:
                made = model.objects.create(**values)
                RuleVersion.objects.create(table=table, row_id=made.pk, version=1, saved_by=SAVED_BY,
                                           values={k: _plain(v) for k, v in values.items()})
            elif row.pk not in touched_by_people and any(getattr(row, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.version += 1
                row.save()
                RuleVersion.objects.create(table=table, row_id=row.pk, version=row.version, saved_by=SAVED_BY,
                                           values={k: _plain(v) for k, v in values.items()})
        for key, row in stored.items():
            if key not in shipped and row.pk not in touched_by_people:
                row.delete()


class Migration(migrations.Migration):
    dependencies = [("settlement", "0004_rules_lapse_norms_keep_holiday_settlements_say_more")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
