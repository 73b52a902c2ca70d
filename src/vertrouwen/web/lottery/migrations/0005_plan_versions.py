"""The analysis plan's versions, and the plan in force at each draw. A plan version is written once, like a draw:
UPDATE and DELETE are refused by a trigger on both databases. The new draw column is nullable without a default, so
SQLite adds it in place and the draw table keeps the triggers of 0002."""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

IMMUTABLE = import_module("vertrouwen.web.lottery.migrations.0002_immutable_allocations")
TABLE = "lottery_planversion"
MESSAGE = "Een vastgelegd analyseplan kan niet worden gewijzigd of verwijderd; leg een wijziging vast"
POSTGRES = [f"""CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE}
                FOR EACH ROW EXECUTE FUNCTION vertrouwen_refuse_allocation_change()"""]
SQLITE = [f"""CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE}
              BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""" for action in ("UPDATE", "DELETE")]
REVERSE = {"postgresql": [f"DROP TRIGGER {TABLE}_immutable ON {TABLE}"],
           "sqlite": [f"DROP TRIGGER {TABLE}_no_{action.lower()}" for action in ("UPDATE", "DELETE")]}


class Migration(migrations.Migration):

    dependencies = [
        ('lottery', '0004_fixed_design_again_on_sqlite'),
        ('registry', '0010_enrollment_records_its_block'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='draw',
            name='plan_hash',
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name='analysis plan hash'),
        ),
        migrations.CreateModel(
            name='PlanVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(verbose_name='version')),
                ('text', models.TextField(verbose_name='plan')),
                ('plan_hash', models.CharField(max_length=64, verbose_name='plan hash')),
                ('reason', models.TextField(blank=True, verbose_name='reason for the amendment')),
                ('registered_on', models.DateField(verbose_name='registered on')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('actor_label', models.CharField(max_length=150, verbose_name='by')),
                ('draws_before', models.PositiveIntegerField(verbose_name='draws before it')),
                ('previous_hash', models.CharField(max_length=64, verbose_name='previous chain hash')),
                ('chain_hash', models.CharField(max_length=64, unique=True, verbose_name='chain hash')),
                ('experiment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plan_versions', to='registry.experiment')),
                ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'analysis plan version',
                'verbose_name_plural': 'analysis plan versions',
                'ordering': ['experiment', 'version'],
                'constraints': [models.UniqueConstraint(fields=('experiment', 'version'), name='plan_version_per_experiment')],
            },
        ),
        migrations.RunPython(IMMUTABLE._run({"postgresql": POSTGRES, "sqlite": SQLITE}), IMMUTABLE._run(REVERSE)),
    ]
