"""The cache table of settings.CACHES: the API's request rate per token, shared by every process."""

from django.core.management import call_command
from django.db import migrations

TABLE = "vertrouwen_cache"


def create(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
