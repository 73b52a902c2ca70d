import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_answers_belong_to_an_experiment'),
    ]

    operations = [
        migrations.AlterField(
            model_name='surveyresponse',
            name='experiment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_responses',
                                    to='registry.experiment'),
        ),
    ]
