"""An assessment's status is stored only where someone chose it; empty means the computed one.

Until now a draft copied every computed status when it was created and never refreshed it. A copied status with
no comment cannot have been chosen (choosing needed a comment), so it is cleared and the report reads the status
computed now; a status with a comment stays, as a choice.
"""

from django.db import migrations, models


def clear_copied_statuses(apps, schema_editor):
    Assessment = apps.get_model("followup", "Assessment")
    Assessment.objects.filter(comment="").update(status="")


class Migration(migrations.Migration):
    dependencies = [
        ('followup', '0004_report_submitted_by'),
    ]

    operations = [
        migrations.AlterField(
            model_name='assessment',
            name='status',
            field=models.CharField(blank=True, choices=[('done', 'Done'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('behind', 'Behind'), ('missed', 'Missed')], max_length=10, verbose_name='chosen status'),
        ),
        migrations.AlterField(
            model_name='historicalassessment',
            name='status',
            field=models.CharField(blank=True, choices=[('done', 'Done'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('behind', 'Behind'), ('missed', 'Missed')], max_length=10, verbose_name='chosen status'),
        ),
        migrations.RunPython(clear_copied_statuses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('status', ''), models.Q(('comment', ''), _negated=True), _connector='OR'), name='assessment_chosen_status_has_comment'),
        ),
    ]
