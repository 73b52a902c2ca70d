"""Each audit event gets a keyed hash (docs/audit.md). Nullable without a default, so SQLite adds the column in
place and keeps the append-only triggers of 0003; events written before have none."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='mac',
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name='keyed hash'),
        ),
    ]
