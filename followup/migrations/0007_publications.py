"""Every publication of a report is kept as an edition of its own, so a correction never overwrites what was published.

A report published before this migration becomes edition 1, with the snapshot it was approved with."""

import django.core.validators
import django.db.models.deletion
import promises.privacy
from django.conf import settings
from django.db import migrations, models


def first_editions(apps, schema_editor):
    """Edition 1 of every published report. The report's own summary, council, meeting date and title are frozen
    while it stays published, so they are written into the edition's snapshot: a later correction cannot change
    what edition 1 said."""
    TertialReport = apps.get_model("followup", "TertialReport")
    Publication = apps.get_model("followup", "Publication")
    editions = []
    for report in TertialReport.objects.filter(status="published").select_related("council", "promise"):
        snapshot = dict(report.snapshot or {})
        snapshot.setdefault("summary", report.summary)
        snapshot.setdefault("council", report.council.name if report.council_id else "")
        snapshot.setdefault("meeting_date", report.meeting_date.isoformat() if report.meeting_date else None)
        snapshot.setdefault("promise_title", report.promise.title)
        editions.append(Publication(report=report, edition=1, snapshot=snapshot, published_at=report.published_at))
    Publication.objects.bulk_create(editions)


class Migration(migrations.Migration):
    dependencies = [
        ('followup', '0006_assessment_public_comment_and_explanation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Publication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('edition', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='edition')),
                ('snapshot', models.JSONField(verbose_name='snapshot')),
                ('published_at', models.DateTimeField(verbose_name='published at')),
                ('reason', models.TextField(blank=True, help_text='Why this edition corrects the one before; empty for the first.', validators=[promises.privacy.validate_no_identity_number], verbose_name='reason for the correction')),
            ],
            options={
                'verbose_name': 'publication',
                'verbose_name_plural': 'publications',
                'ordering': ['report', 'edition'],
            },
        ),
        migrations.AddField(
            model_name='historicaltertialreport',
            name='correction_reason',
            field=models.TextField(blank=True, validators=[promises.privacy.validate_no_identity_number], verbose_name='reason for the correction'),
        ),
        migrations.AddField(
            model_name='tertialreport',
            name='correction_reason',
            field=models.TextField(blank=True, validators=[promises.privacy.validate_no_identity_number], verbose_name='reason for the correction'),
        ),
        migrations.AddField(
            model_name='publication',
            name='published_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by'),
        ),
        migrations.AddField(
            model_name='publication',
            name='report',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='publications', to='followup.tertialreport', verbose_name='report'),
        ),
        migrations.AddConstraint(
            model_name='publication',
            constraint=models.UniqueConstraint(fields=('report', 'edition'), name='publication_unique_edition_per_report'),
        ),
        migrations.AddConstraint(
            model_name='publication',
            constraint=models.CheckConstraint(condition=models.Q(('edition__gte', 1)), name='publication_edition_from_one'),
        ),
        migrations.AddConstraint(
            model_name='publication',
            constraint=models.CheckConstraint(condition=models.Q(('edition', 1), models.Q(('reason', ''), _negated=True), _connector='OR'), name='publication_correction_has_reason'),
        ),
        migrations.RunPython(first_editions, migrations.RunPython.noop),
    ]
