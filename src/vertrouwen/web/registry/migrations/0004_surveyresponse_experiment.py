import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The answer's experiment, empty until the next migration fills it; one answer per item in each experiment."""

    dependencies = [
        ('registry', '0003_alter_surveyresponse_mode'),
    ]

    operations = [
        migrations.AddField(
            model_name='surveyresponse',
            name='experiment',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='survey_responses', to='registry.experiment'),
        ),
        migrations.RemoveConstraint(
            model_name='surveyresponse',
            name='answer_once_per_item',
        ),
        migrations.AddConstraint(
            model_name='surveyresponse',
            constraint=models.UniqueConstraint(fields=('experiment', 'person', 'wave', 'instrument', 'item'),
                                               name='answer_once_per_item_in_experiment'),
        ),
    ]
