"""Stored evaluations become background jobs (web/jobs.py). They are a cache: the old rows are dropped with the old
table and computed again when a page asks for them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="StoredEvaluation"),
        migrations.CreateModel(
            name="StoredEvaluation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(choices=[("queued", "Waiting"), ("running", "Running"),
                                                     ("done", "Done"), ("failed", "Failed")],
                                            default="queued", max_length=8, verbose_name="status")),
                ("done", models.PositiveIntegerField(default=0, verbose_name="done")),
                ("total", models.PositiveIntegerField(default=0, verbose_name="total")),
                ("error", models.TextField(blank=True, verbose_name="error")),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="requested at")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                ("experiment_id", models.PositiveBigIntegerField()),
                ("key", models.CharField(max_length=64, unique=True)),
                ("data_version", models.CharField(db_index=True, max_length=64)),
                ("evaluated_on", models.DateField()),
                ("seconds", models.FloatField(default=0)),
                ("result", models.BinaryField(null=True)),
            ],
            options={"abstract": False},
        ),
    ]
