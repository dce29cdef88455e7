"""Indicators get an optional target value, and indicators and their values keep history like records."""

import django.core.validators
import django.db.models.deletion
import promises.privacy
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('followup', '0007_publications'),
        ('promises', '0005_data_versions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalIndicator',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, validators=[promises.privacy.validate_no_identity_number], verbose_name='name')),
                ('unit', models.CharField(blank=True, max_length=50, validators=[promises.privacy.validate_no_identity_number], verbose_name='unit')),
                ('source', models.CharField(blank=True, max_length=200, validators=[promises.privacy.validate_no_identity_number], verbose_name='source')),
                ('better', models.CharField(choices=[('higher', 'Higher is better'), ('lower', 'Lower is better')], default='lower', max_length=10, verbose_name='better when')),
                ('target_value', models.DecimalField(blank=True, decimal_places=2, help_text='Optional: the value the promise aims for.', max_digits=12, null=True, verbose_name='target value')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical indicator',
                'verbose_name_plural': 'historical indicators',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalIndicatorValue',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                ('number', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(3)], verbose_name='tertial')),
                ('measured_on', models.DateField(blank=True, null=True, verbose_name='date')),
                ('value', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='value')),
                ('note', models.TextField(blank=True, validators=[promises.privacy.validate_no_identity_number], verbose_name='note')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical indicator value',
                'verbose_name_plural': 'historical indicator values',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='indicator',
            name='target_value',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='Optional: the value the promise aims for.', max_digits=12, null=True, verbose_name='target value'),
        ),
        migrations.AddField(
            model_name='historicalindicator',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalindicator',
            name='promise',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='promises.promise', verbose_name='promise'),
        ),
        migrations.AddField(
            model_name='historicalindicatorvalue',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalindicatorvalue',
            name='indicator',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='followup.indicator', verbose_name='indicator'),
        ),
    ]
