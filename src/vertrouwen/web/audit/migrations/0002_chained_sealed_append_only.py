"""Origin, result and sealed values on every audit event, and the hash chain over the events written before."""

import django.utils.timezone
from django.db import migrations, models


def chain_existing_events(apps, schema_editor):
    from vertrouwen.core.hashchain import GENESIS, chain_hash
    from vertrouwen.web.audit.services import chained_content

    previous = GENESIS
    for event in apps.get_model("audit", "AuditEvent").objects.order_by("id").iterator():
        event.previous_hash = previous
        event.row_hash = previous = chain_hash(previous, chained_content(event))
        event.save(update_fields=["previous_hash", "row_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('registry', '0005_answers_belong_to_an_experiment'),  # its events are chained here too
    ]

    operations = [
        migrations.CreateModel(
            name='SubjectKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=32, unique=True)),
                ('sealed_key', models.TextField()),
            ],
            options={
                'verbose_name': 'audit key',
                'verbose_name_plural': 'audit keys',
            },
        ),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['-id'], 'verbose_name': 'audit event', 'verbose_name_plural': 'audit trail'},
        ),
        migrations.AddField(
            model_name='auditevent',
            name='origin',
            field=models.CharField(blank=True, help_text='Where the change came from: web with the address, command line or task.', max_length=100, verbose_name='origin'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(default='', max_length=64, verbose_name='hash of the previous event'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='result',
            field=models.CharField(choices=[('ok', 'succeeded'), ('refused', 'refused'), ('failed', 'failed')], default='ok', max_length=8, verbose_name='result'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='row_hash',
            field=models.CharField(default='', max_length=64, verbose_name='hash'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='sealed_values',
            field=models.TextField(blank=True, verbose_name='old and new values (sealed)'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='subject',
            field=models.CharField(db_index=True, default='algemeen', help_text='Whose key seals the values: a person, or general.', max_length=32, verbose_name='subject'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='time'),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
