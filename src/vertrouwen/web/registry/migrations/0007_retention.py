"""Retention (web/retention.py): each experiment's term and when it was purged; when a person's data were erased.

Every column is nullable without a default, so that SQLite adds it in place: a column with a default would make
Django rebuild registry_experiment, and the rebuild would drop the lottery's triggers on it (lottery 0003).
"""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0006_answer_experiment_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='experiment',
            name='purged_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='personal data erased at'),
        ),
        migrations.AddField(
            model_name='experiment',
            name='retention_months',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Months after the end of the experiment that its personal data are kept; empty for the installation's term. After that they may be erased; a pseudonymized research dataset and the lottery's evidence stay.", null=True, validators=[django.core.validators.MaxValueValidator(120)], verbose_name='retention term (months)'),
        ),
        migrations.AddField(
            model_name='person',
            name='erased_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='personal data erased on'),
        ),
    ]
