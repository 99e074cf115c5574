"""The analysis app's migrations 0001–0009 in one, for new databases: the tables as the models
describe them today, without the steps in between. A database that has applied the migrations it
replaces goes on from there; those stay until every installation has applied them."""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('analysis', '0001_initial'),
        ('analysis', '0002_churn'),
        ('analysis', '0003_segment_key_account_no_purchase'),
        ('analysis', '0004_segment_run_rank_idx'),
        ('analysis', '0005_segment_revenue_last_12_months'),
        ('analysis', '0006_segment_run_no_own_index'),
        ('analysis', '0007_segment_12m_indexes'),
        ('analysis', '0008_verbose_names'),
        ('analysis', '0009_segment_account_run_key'),
    ]

    dependencies = [
        ('accounts', '0013_account_fk_indexes_covered'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AnalysisPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('basis', models.CharField(choices=[('revenue', 'Revenue'), ('margin', 'Margin')], default='revenue', max_length=8, verbose_name='basis')),
                ('window_months', models.PositiveSmallIntegerField(default=12, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='window (months)')),
                ('abc_a', models.DecimalField(decimal_places=4, default=Decimal('0.80'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1)], verbose_name='A up to (cumulative share)')),
                ('abc_b', models.DecimalField(decimal_places=4, default=Decimal('0.95'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1)], verbose_name='B up to (cumulative share)')),
                ('xyz_method', models.CharField(choices=[('cv', 'Coefficient of variation'), ('frequency', 'Purchase frequency')], default='cv', max_length=10, verbose_name='XYZ method')),
                ('xyz_x', models.DecimalField(decimal_places=4, default=Decimal('0.10'), max_digits=6, verbose_name='X threshold')),
                ('xyz_y', models.DecimalField(decimal_places=4, default=Decimal('0.25'), max_digits=6, verbose_name='Y threshold')),
                ('min_months', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1)], verbose_name='minimum months of history')),
                ('key_accounts', models.CharField(choices=[('flagged', 'Key-client type or strategic'), ('abc_a', 'Class A (about 80 % of sales by construction)'), ('both', 'Class A, key-client type or strategic')], default='flagged', max_length=8, verbose_name='key accounts')),
                ('lost_interval_multiplier', models.DecimalField(decimal_places=2, default=Decimal('3'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='Lost after (x median interval)')),
                ('lost_min_days', models.PositiveSmallIntegerField(default=90, verbose_name='Lost after at least (days)')),
                ('at_risk_interval_multiplier', models.DecimalField(decimal_places=2, default=Decimal('1.5'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='At risk after (x median interval)')),
                ('at_risk_min_days', models.PositiveSmallIntegerField(default=45, verbose_name='At risk after at least (days)')),
                ('single_lost_days', models.PositiveSmallIntegerField(default=180, verbose_name='One purchase: lost after (days)')),
                ('single_at_risk_days', models.PositiveSmallIntegerField(default=45, verbose_name='One purchase: at risk after (days)')),
                ('churn_horizon_months', models.PositiveSmallIntegerField(default=6, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(24)], verbose_name='Churn risk horizon (months)')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'analysis policy',
                'verbose_name_plural': 'analysis policies',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='AnalysisRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('as_of', models.DateField(verbose_name='as of')),
                ('window_first', models.DateField(blank=True, null=True, verbose_name='window from')),
                ('policy_values', models.JSONField(default=dict, help_text='The parameters this run used', verbose_name='policy values')),
                ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Running'), ('complete', 'Complete'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='status')),
                ('trigger', models.CharField(choices=[('nightly', 'Nightly'), ('manual', 'Manual'), ('api', 'API'), ('command', 'Command'), ('demo', 'Demo data')], default='manual', max_length=10, verbose_name='trigger')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('input_hash', models.CharField(blank=True, max_length=64, verbose_name='input fingerprint')),
                ('result_hash', models.CharField(blank=True, max_length=64, verbose_name='result fingerprint')),
                ('account_count', models.PositiveIntegerField(default=0, verbose_name='accounts')),
                ('concentration', models.JSONField(blank=True, default=dict)),
                ('pareto', models.JSONField(blank=True, default=list)),
                ('churn_model', models.JSONField(blank=True, default=dict, help_text='How the churn risk score was made: method, cut-offs, fit')),
                ('error', models.TextField(blank=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='runs', to='analysis.analysispolicy')),
            ],
            options={
                'verbose_name': 'analysis run',
                'verbose_name_plural': 'analysis runs',
                'ordering': ['-as_of', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='AccountSegment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rank', models.PositiveIntegerField(verbose_name='rank')),
                ('abc_class', models.CharField(max_length=1, verbose_name='ABC class')),
                ('xyz_class', models.CharField(max_length=3, verbose_name='XYZ class')),
                ('value', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='value')),
                ('share', models.FloatField(verbose_name='share of value')),
                ('cum_share', models.FloatField(verbose_name='cumulative share')),
                ('cv', models.FloatField(blank=True, null=True, verbose_name='CV of monthly value')),
                ('months', models.PositiveSmallIntegerField(verbose_name='months measured')),
                ('monthly_mean', models.DecimalField(decimal_places=2, max_digits=16)),
                ('monthly_std', models.DecimalField(decimal_places=2, max_digits=16)),
                ('months_with_purchase', models.PositiveSmallIntegerField()),
                ('orders', models.PositiveIntegerField(help_text='Distinct purchase dates in the window')),
                ('purchase_dates', models.PositiveIntegerField(help_text='Distinct purchase dates, all history')),
                ('months_active', models.PositiveSmallIntegerField()),
                ('first_purchase', models.DateField(blank=True, null=True)),
                ('last_purchase', models.DateField(blank=True, null=True)),
                ('days_since_last_purchase', models.PositiveIntegerField(blank=True, null=True)),
                ('median_interval_days', models.FloatField(blank=True, null=True)),
                ('churn_status', models.CharField(choices=[('active', 'Active'), ('at_risk', 'At risk'), ('lost', 'Lost')], default='active', max_length=8, verbose_name='buying status in the run')),
                ('churn_score', models.FloatField(blank=True, help_text="Probability of no purchase in the policy's churn horizon", null=True)),
                ('churn_drivers', models.JSONField(blank=True, default=list, help_text='The features that drive the score: feature, value, contribution')),
                ('key_account', models.BooleanField(default=False, help_text="Counted as a key account in the concentration (the policy's rule)")),
                ('revenue_last_12_months', models.DecimalField(blank=True, decimal_places=2, help_text='Revenue of the 12 calendar months to the as-of month: what is at stake if the account goes', max_digits=16, null=True)),
                ('account', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='segments', to='accounts.account')),
                ('run', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='segments', to='analysis.analysisrun')),
            ],
            options={
                'verbose_name': 'account segment',
                'verbose_name_plural': 'account segments',
                'ordering': ['run', 'rank'],
            },
        ),
        migrations.AddIndex(
            model_name='analysisrun',
            index=models.Index(fields=['status', 'as_of'], name='analysisrun_status_asof_idx'),
        ),
        migrations.AddIndex(
            model_name='accountsegment',
            index=models.Index(fields=['run', 'abc_class', 'xyz_class'], name='segment_run_classes_idx'),
        ),
        migrations.AddIndex(
            model_name='accountsegment',
            index=models.Index(fields=['run', 'churn_status'], name='segment_run_churn_idx'),
        ),
        migrations.AddIndex(
            model_name='accountsegment',
            index=models.Index(fields=['run', 'rank'], name='segment_run_rank_idx'),
        ),
        migrations.AddIndex(
            model_name='accountsegment',
            index=models.Index(condition=models.Q(('revenue_last_12_months__isnull', True)), fields=['run'], name='segment_run_no_12m_idx'),
        ),
        migrations.AddIndex(
            model_name='accountsegment',
            index=models.Index(models.F('run'), models.OrderBy(models.F('revenue_last_12_months'), descending=True), name='segment_run_12m_idx'),
        ),
        migrations.AddConstraint(
            model_name='accountsegment',
            constraint=models.UniqueConstraint(fields=('account', 'run'), name='segment_once_per_run'),
        ),
    ]
