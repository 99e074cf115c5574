"""The management app's migrations 0001–0007 in one, for new databases: the tables as the models
describe them today, without the steps in between. A database that has applied the migrations it
replaces goes on from there; those stay until every installation has applied them."""

import django.core.validators
import django.db.models.deletion
import management.consumption.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('management', '0001_initial'),
        ('management', '0002_consumption_runs'),
        ('management', '0003_complaint_sla'),
        ('management', '0004_alter_consumptionreportfile_account_and_more'),
        ('management', '0005_calendar_feed'),
        ('management', '0006_digest_subscription'),
        ('management', '0007_personal_data'),
    ]

    dependencies = [
        ('accounts', '0013_account_fk_indexes_covered'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ConsumptionRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('half', models.CharField(help_text='As "2026H1"', max_length=6, verbose_name='half-year')),
                ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='pending', max_length=8, verbose_name='status')),
                ('scheduled', models.BooleanField(default=False, help_text='Started by the schedule after the half-year closed: every account', verbose_name='scheduled')),
                ('total', models.PositiveIntegerField(default=0, help_text='Accounts to write reports for', verbose_name='accounts in all')),
                ('done', models.PositiveIntegerField(default=0, help_text='Accounts whose reports are written', verbose_name='accounts done')),
                ('message', models.TextField(blank=True, verbose_name='message')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('started_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='started by')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ConsumptionReportFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The file name the client sees, without extension', max_length=200, verbose_name='name')),
                ('xlsx', models.FileField(max_length=300, upload_to=management.consumption.models.report_path, verbose_name='XLSX file')),
                ('pdf', models.FileField(max_length=300, upload_to=management.consumption.models.report_path, verbose_name='PDF file')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.account', verbose_name='account')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='management.consumptionrun', verbose_name='run')),
            ],
            options={
                'ordering': ['name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='DigestSubscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('daily', models.BooleanField(default=True, verbose_name='daily digest')),
                ('weekly', models.BooleanField(default=True, verbose_name='weekly digest')),
                ('daily_sent_on', models.DateField(blank=True, null=True, verbose_name='daily digest last sent')),
                ('weekly_sent_on', models.DateField(blank=True, null=True, verbose_name='weekly digest last sent')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='digest_subscription', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'digest subscription',
                'verbose_name_plural': 'digest subscriptions',
            },
        ),
        migrations.CreateModel(
            name='ManagementPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kam_load_target', models.PositiveSmallIntegerField(default=9, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(200)], verbose_name='key accounts per KAM (target load)')),
                ('neglect_days', models.PositiveSmallIntegerField(default=45, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(730)], verbose_name='neglected after (days without contact)')),
                ('strategic_share_cap', models.DecimalField(decimal_places=2, default=Decimal('20.00'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='strategic accounts at most (% of customers)')),
                ('sla_days_critical', models.PositiveSmallIntegerField(default=2, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='complaint SLA, critical (days)')),
                ('sla_days_high', models.PositiveSmallIntegerField(default=5, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='complaint SLA, high (days)')),
                ('sla_days_medium', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='complaint SLA, medium (days)')),
                ('sla_days_low', models.PositiveSmallIntegerField(default=20, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='complaint SLA, low (days)')),
                ('access_log_retention_months', models.PositiveSmallIntegerField(default=24, help_text='Older entries of the access log are deleted every night.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='personal-data access log kept (months)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'management policy',
                'verbose_name_plural': 'management policies',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='PersonalDataErasure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('contact_ref', models.PositiveBigIntegerField(verbose_name='contact id')),
                ('erased_at', models.DateTimeField(auto_now_add=True, verbose_name='erased at')),
                ('cleared_fields', models.JSONField(default=list, verbose_name='fields cleared')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='erasures', to='accounts.contact', verbose_name='contact')),
                ('erased_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='erased by')),
            ],
            options={
                'verbose_name': 'personal data erasure',
                'verbose_name_plural': 'personal data erasures',
                'ordering': ['-erased_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ErasureReviewFlag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_type', models.CharField(max_length=60, verbose_name='record')),
                ('record_id', models.PositiveBigIntegerField(verbose_name='record id')),
                ('field', models.CharField(max_length=60, verbose_name='field')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.account', verbose_name='account')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='resolved by')),
                ('erasure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='management.personaldataerasure', verbose_name='erasure')),
            ],
            options={
                'verbose_name': 'erasure review flag',
                'verbose_name_plural': 'erasure review flags',
                'ordering': ['resolved_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='token hash')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('last_fetched_at', models.DateTimeField(blank=True, null=True, verbose_name='last fetched')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feeds', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'calendar feed',
                'verbose_name_plural': 'calendar feeds',
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('user',), name='calendar_feed_one_active_per_user')],
            },
        ),
        migrations.AddIndex(
            model_name='consumptionrun',
            index=models.Index(fields=['started_by', '-created_at'], name='consumption_run_starter_idx'),
        ),
        migrations.AddConstraint(
            model_name='consumptionreportfile',
            constraint=models.UniqueConstraint(fields=('run', 'account'), name='consumption_file_one_per_account'),
        ),
        migrations.AddIndex(
            model_name='erasurereviewflag',
            index=models.Index(condition=models.Q(('resolved_at__isnull', True)), fields=['resolved_at'], name='erasure_flag_open_idx'),
        ),
        migrations.AddConstraint(
            model_name='erasurereviewflag',
            constraint=models.UniqueConstraint(fields=('erasure', 'record_type', 'record_id', 'field'), name='erasure_flag_once'),
        ),
    ]
