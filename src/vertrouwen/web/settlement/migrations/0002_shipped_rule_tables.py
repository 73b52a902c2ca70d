"""Fill the rule tables with the amounts that ship with vertrouwen (core/rules/tables.py), each as version 1."""

from dataclasses import asdict

from django.db import migrations


def fill(apps, schema_editor):
    from vertrouwen.core.rules.tables import BENEFIT_NORMS, DISREGARD_RULES

    DisregardRule = apps.get_model("settlement", "DisregardRule")
    BenefitNorm = apps.get_model("settlement", "BenefitNorm")
    RuleVersion = apps.get_model("settlement", "RuleVersion")
    for model, rows, table in ((DisregardRule, DISREGARD_RULES, "disregardrule"),
                               (BenefitNorm, BENEFIT_NORMS, "benefitnorm")):
        known = {f.name for f in model._meta.get_fields()}  # the table as it was at this migration
        for row in rows:
            values = {k: v for k, v in asdict(row).items() if k in known}
            made = model.objects.create(**values)
            RuleVersion.objects.create(table=table, row_id=made.pk, version=1, saved_by="systeem:installatie",
                                       values={k: str(v) if k == "valid_from" else v for k, v in values.items()})


class Migration(migrations.Migration):
    dependencies = [("settlement", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
