"""Stored evaluations become data-only JSON (core.evaluation.storage) instead of pickles: a pickle runs code when it
is read. The stored rows are a cache, computed again on the next request, so they are removed, not converted."""

from django.db import migrations, models


def remove_cached(apps, schema_editor):
    apps.get_model("evaluation", "StoredEvaluation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_evaluation_is_a_job")]

    operations = [
        migrations.RunPython(remove_cached, migrations.RunPython.noop),
        migrations.RemoveField(model_name="storedevaluation", name="result"),
        migrations.AddField(model_name="storedevaluation", name="result", field=models.TextField(blank=True, default="")),
    ]
