# Only a validator: no change to the table (SQLite does not rebuild it, so its triggers stay).

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0010_enrollment_records_its_block'),
    ]

    operations = [
        migrations.AlterField(
            model_name='municipality',
            name='code',
            field=models.CharField(max_length=8, unique=True, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9_-]+$', "Use only letters, digits, '-' and '_'.")], verbose_name='CBS municipality code'),
        ),
    ]
