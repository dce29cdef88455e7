"""Comments are internal unless the coordinator makes one public; a verdict other than kept has a public explanation."""

import promises.privacy
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('followup', '0005_assessment_chosen_status_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='comment_public',
            field=models.BooleanField(default=False, help_text='Internal unless chosen: only public comments are published.', verbose_name='public comment'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='verdict_explanation',
            field=models.TextField(blank=True, validators=[promises.privacy.validate_no_identity_number], verbose_name='public explanation'),
        ),
        migrations.AddField(
            model_name='historicalassessment',
            name='comment_public',
            field=models.BooleanField(default=False, help_text='Internal unless chosen: only public comments are published.', verbose_name='public comment'),
        ),
        migrations.AddField(
            model_name='historicalassessment',
            name='verdict_explanation',
            field=models.TextField(blank=True, validators=[promises.privacy.validate_no_identity_number], verbose_name='public explanation'),
        ),
    ]
