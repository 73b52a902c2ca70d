import django.core.validators
from django.db import migrations, models


def one_bonus_a_year(apps, schema_editor):
    """Groups that had a bonus keep paying it at most once a year, as the event now decides."""
    Arm = apps.get_model("registry", "Arm")
    Arm.objects.filter(job_bonus_cents__gt=0).update(job_bonus_max_per_year_cents=models.F("job_bonus_cents"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_retention")]

    operations = [
        migrations.AddField(
            model_name="arm",
            name="job_bonus_min_hours_a_week",
            field=models.PositiveSmallIntegerField(
                default=0, validators=[django.core.validators.MaxValueValidator(60)],
                help_text="The bonus is paid once for each end of benefit for work with at least these hours a week "
                          "in the month of exit; 0 for any hours.",
                verbose_name="job bonus: hours a week at least"),
        ),
        migrations.AddField(
            model_name="arm",
            name="job_bonus_max_per_year_cents",
            field=models.PositiveIntegerField(
                default=0, help_text="The most one person receives in job bonuses in a calendar year.",
                verbose_name="job bonus maximum a year (cents)"),
        ),
        migrations.RunPython(one_bonus_a_year, migrations.RunPython.noop),
    ]
