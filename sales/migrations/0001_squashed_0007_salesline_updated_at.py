"""The sales app's migrations 0001–0007 in one, for new databases: the tables as the models
describe them today, without the steps in between. A database that has applied the migrations it
replaces goes on from there; those stay until every installation has applied them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('sales', '0001_initial'),
        ('sales', '0002_ledger_keys_without_database_checks'),
        ('sales', '0003_dailysales_purchase_lines'),
        ('sales', '0004_account_rhythm'),
        ('sales', '0005_sales_plan'),
        ('sales', '0006_alter_accountrhythm_account_and_more'),
        ('sales', '0007_salesline_updated_at'),
    ]

    dependencies = [
        ('accounts', '0013_account_fk_indexes_covered'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccountRhythm',
            fields=[
                ('account', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='accounts.account', verbose_name='account')),
                ('first_line', models.DateField(help_text='First date with a line, returns included', verbose_name='first line')),
                ('last_line', models.DateField(help_text='Last date with a line, returns included', verbose_name='last line')),
                ('first_purchase', models.DateField(blank=True, null=True, verbose_name='first purchase')),
                ('last_purchase', models.DateField(blank=True, null=True, verbose_name='last purchase')),
                ('purchase_dates', models.PositiveIntegerField(help_text='Distinct purchase dates', verbose_name='purchase dates')),
                ('median_gap_days', models.FloatField(blank=True, help_text='Median of the days between consecutive purchase dates', null=True, verbose_name='median days between purchases')),
                ('purchase_days', models.BinaryField(help_text='Every purchase date: days since 1970-01-01, 4 bytes big-endian each, ascending', verbose_name='purchase days')),
                ('months', models.BinaryField(help_text='Every month of the monthly rollup, ascending: months since 1970-01 (4 bytes), revenue and margin in cents (8 bytes each), big-endian', verbose_name='months')),
            ],
        ),
        migrations.CreateModel(
            name='ProductLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=64, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
            ],
            options={
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='ImportBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('source', models.CharField(choices=[('upload', 'Upload'), ('command', 'Command'), ('api_file', 'API file'), ('api_json', 'API JSON'), ('api_sync', 'API sync'), ('demo', 'Demo data')], max_length=10, verbose_name='source')),
                ('file_name', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('upload', models.FileField(blank=True, upload_to='imports/%Y/%m/', verbose_name='uploaded file')),
                ('sha256', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='SHA-256 checksum')),
                ('options', models.JSONField(blank=True, default=dict, verbose_name='reading options')),
                ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Running'), ('done', 'Imported'), ('checked', 'Checked (dry run, nothing written)'), ('refused', 'Refused (bad input)'), ('failed', 'Failed'), ('rolled_back', 'Rolled back')], default='pending', max_length=12, verbose_name='status')),
                ('rows', models.PositiveIntegerField(default=0, verbose_name='rows read')),
                ('inserted', models.PositiveIntegerField(default=0, verbose_name='lines inserted')),
                ('duplicates', models.PositiveIntegerField(default=0, verbose_name='duplicates skipped')),
                ('rejected', models.PositiveIntegerField(default=0, verbose_name='rows rejected')),
                ('accounts_created', models.PositiveIntegerField(default=0, verbose_name='accounts created')),
                ('errors', models.JSONField(blank=True, default=list, verbose_name='problems')),
                ('error_count', models.PositiveIntegerField(default=0, verbose_name='number of problems')),
                ('message', models.TextField(blank=True, verbose_name='message')),
                ('rejects', models.FileField(blank=True, upload_to='imports/rejects/%Y/%m/', verbose_name='rejected rows file')),
                ('rolled_back_at', models.DateTimeField(blank=True, null=True, verbose_name='rolled back at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('rolled_back_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rolled back by')),
            ],
            options={
                'verbose_name_plural': 'import batches',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='DailySales',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('revenue', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='revenue')),
                ('margin', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='margin')),
                ('line_count', models.PositiveIntegerField(verbose_name='line count')),
                ('purchase_lines', models.PositiveIntegerField(default=0, help_text='Lines of the day that are not negative: more than 0 makes it a purchase date', verbose_name='purchase lines')),
                ('account', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.account', verbose_name='account')),
            ],
            options={
                'verbose_name_plural': 'daily sales',
                'constraints': [models.UniqueConstraint(fields=('account', 'date'), name='daily_sales_key')],
            },
        ),
        migrations.CreateModel(
            name='MonthlySales',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='First day of the month', verbose_name='month')),
                ('revenue', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='revenue')),
                ('margin', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='margin')),
                ('margin_lines', models.PositiveIntegerField(help_text='Lines that carried a margin', verbose_name='margin lines')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=18, verbose_name='quantity')),
                ('line_count', models.PositiveIntegerField(verbose_name='line count')),
                ('purchase_dates', models.PositiveIntegerField(help_text='Distinct dates with a line', verbose_name='purchase dates')),
                ('account', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.account', verbose_name='account')),
                ('product_line', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sales.productline', verbose_name='product line')),
            ],
            options={
                'verbose_name_plural': 'monthly sales',
                'constraints': [models.UniqueConstraint(fields=('account', 'month', 'product_line'), name='monthly_sales_key', nulls_distinct=False)],
            },
        ),
        migrations.CreateModel(
            name='SalesLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='amount')),
                ('quantity', models.DecimalField(blank=True, decimal_places=3, max_digits=14, null=True, verbose_name='quantity')),
                ('margin', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='margin')),
                ('sku', models.CharField(blank=True, max_length=64, verbose_name='SKU')),
                ('external_id', models.CharField(blank=True, max_length=64, null=True, verbose_name='external id')),
                ('updated_at', models.DateTimeField(blank=True, null=True, verbose_name='changed in the source')),
                ('account', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='sales_lines', to='accounts.account', verbose_name='account')),
                ('batch', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='sales.importbatch', verbose_name='batch')),
                ('product_line', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sales.productline', verbose_name='product line')),
            ],
            options={
                'ordering': ['-date', '-pk'],
                'indexes': [models.Index(fields=['account', 'date'], name='salesline_account_date_idx')],
                'constraints': [models.UniqueConstraint(fields=('external_id',), name='salesline_external_id_unique')],
            },
        ),
        migrations.CreateModel(
            name='SalesPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_kind', models.CharField(choices=[('month', 'Month'), ('quarter', 'Quarter'), ('year', 'Year')], max_length=8, verbose_name='period')),
                ('period_start', models.DateField(help_text='The first day of the month, quarter or year', verbose_name='period start')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='planned revenue')),
                ('note', models.CharField(blank=True, max_length=255, verbose_name='note')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='sales_plans', to='accounts.account', verbose_name='account')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='sales_plans', to='accounts.department', verbose_name='department')),
                ('kam', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='sales_plans', to=settings.AUTH_USER_MODEL, verbose_name='KAM')),
                ('product_line', models.ForeignKey(blank=True, help_text='Empty: every product line', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sales.productline', verbose_name='product line')),
            ],
            options={
                'ordering': ['period_start', 'period_kind', 'pk'],
                'indexes': [models.Index(fields=['period_kind', 'period_start'], name='sales_plan_period_idx'), models.Index(fields=['kam', 'period_start'], name='sales_plan_kam_idx'), models.Index(fields=['account', 'period_start'], name='sales_plan_account_idx'), models.Index(fields=['department', 'period_start'], name='sales_plan_department_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('account__isnull', False), ('department__isnull', True), ('kam__isnull', True)), models.Q(('account__isnull', True), ('department__isnull', True), ('kam__isnull', False)), models.Q(('account__isnull', True), ('department__isnull', False), ('kam__isnull', True)), _connector='OR'), name='sales_plan_one_target', violation_error_message='A plan is for exactly one account, one KAM or one department.'), models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='sales_plan_amount_not_negative'), models.UniqueConstraint(fields=('account', 'kam', 'department', 'period_kind', 'period_start', 'product_line'), name='sales_plan_once_per_target_period_line', nulls_distinct=False, violation_error_message='This target already has a plan for that period and product line.')],
            },
        ),
    ]
