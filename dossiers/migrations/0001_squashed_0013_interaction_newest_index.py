"""The dossiers app's migrations 0001–0013 in one, for new databases: the tables as the models
describe them today, without the steps in between. A database that has applied the migrations it
replaces goes on from there; those stay until every installation has applied them."""

from importlib import import_module

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import dossiers.models.referrals
from django.conf import settings
from django.db import migrations, models


# The default tender preparation plan (0002) and the global search's indexes on PostgreSQL (0003).
_default_plan = import_module("dossiers.migrations.0002_default_milestone_template")
_search_indexes = import_module("dossiers.migrations.0003_search_indexes")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('dossiers', '0001_initial'),
        ('dossiers', '0002_default_milestone_template'),
        ('dossiers', '0003_search_indexes'),
        ('dossiers', '0004_service_plan_and_gift_value'),
        ('dossiers', '0005_revenue_target_to_sales_plans'),
        ('dossiers', '0006_remove_accountplan_revenue_target'),
        ('dossiers', '0007_complaint_cases'),
        ('dossiers', '0008_commitment'),
        ('dossiers', '0009_referrals_and_letters'),
        ('dossiers', '0010_profile_facts_on_account'),
        ('dossiers', '0011_verbose_names'),
        ('dossiers', '0012_complaint_sla_breach_announced'),
        ('dossiers', '0013_interaction_newest_index'),
    ]

    dependencies = [
        ('accounts', '0013_account_fk_indexes_covered'),
        ('sales', '0001_squashed_0007_salesline_updated_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Competitor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
            ],
            options={
                'verbose_name': 'competitor',
                'verbose_name_plural': 'competitors',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='AccountPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('share_of_wallet_target', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='share of wallet target (%)')),
                ('joint_activities', models.TextField(blank=True, verbose_name='joint activities and promotions')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plans', to='accounts.account', verbose_name='account')),
            ],
            options={
                'verbose_name': 'account plan',
                'verbose_name_plural': 'account plans',
                'ordering': ['account', '-year'],
            },
        ),
        migrations.CreateModel(
            name='AccountProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('history', models.TextField(blank=True, verbose_name='history')),
                ('org_structure', models.TextField(blank=True, verbose_name='organisational structure')),
                ('environment', models.TextField(blank=True, help_text="The client's market and its own competitors.", verbose_name='environment')),
                ('sales_forecast', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="client's sales forecast")),
                ('certificates', models.TextField(blank=True, verbose_name='certificates')),
                ('achievements', models.TextField(blank=True, verbose_name='achievements')),
                ('projects', models.TextField(blank=True, verbose_name='projects')),
                ('next_review_due', models.DateField(blank=True, null=True, verbose_name='next profile review due')),
                ('version', models.PositiveIntegerField(default=0, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to='accounts.account', verbose_name='account')),
            ],
            options={
                'verbose_name': 'account profile',
                'verbose_name_plural': 'account profiles',
                'ordering': ['account'],
            },
        ),
        migrations.CreateModel(
            name='CompetitorPresence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('product_lines', models.TextField(blank=True, verbose_name='product lines')),
                ('estimated_share', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='estimated share (%)')),
                ('pressure', models.CharField(blank=True, choices=[('price', 'Price'), ('payment_deferral', 'Payment deferral'), ('stock_availability', 'Stock availability'), ('relationship', 'Relationship')], max_length=20, verbose_name='pressure')),
                ('threat_level', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='threat level')),
                ('last_seen', models.DateField(blank=True, null=True, verbose_name='last seen')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='competitor_presences', to='accounts.account', verbose_name='account')),
                ('competitor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='presences', to='dossiers.competitor', verbose_name='competitor')),
            ],
            options={
                'verbose_name': 'competitor presence',
                'verbose_name_plural': 'competitor presences',
                'ordering': ['account', '-threat_level', 'competitor'],
            },
        ),
        migrations.CreateModel(
            name='ComplaintCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('severity', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], max_length=12, verbose_name='severity')),
                ('description', models.TextField(verbose_name='description')),
                ('status', models.CharField(choices=[('open', 'Open'), ('in_progress', 'In progress'), ('resolved', 'Resolved'), ('confirmed', 'Confirmed by the client')], default='open', max_length=12, verbose_name='status')),
                ('due_on', models.DateField(help_text='From the SLA of the severity (management policy).', verbose_name='due on')),
                ('resolution', models.TextField(blank=True, verbose_name='resolution')),
                ('resolution_cost', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='cost of the resolution')),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='opened at')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('sla_breach_announced_for', models.DateField(blank=True, editable=False, null=True)),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='complaint_cases', to='accounts.account', verbose_name='account')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='complaint_cases', to='accounts.contact', verbose_name='contact')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('import_batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='complaint_cases', to='sales.importbatch', verbose_name='import batch concerned')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='complaint_cases', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                ('product_line', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='complaint_cases', to='sales.productline', verbose_name='product line')),
                ('sales_lines', models.ManyToManyField(blank=True, related_name='complaint_cases', to='sales.salesline', verbose_name='sales lines concerned')),
            ],
            options={
                'verbose_name': 'complaint case',
                'verbose_name_plural': 'complaint cases',
                'ordering': ['-opened_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Interaction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('call', 'Call'), ('meeting', 'Meeting'), ('visit', 'Visit'), ('email', 'E-mail'), ('letter', 'Letter'), ('delivery', 'Delivery'), ('complaint', 'Complaint'), ('feedback', 'Feedback'), ('referral', 'Referral'), ('recommendation_letter', 'Recommendation letter'), ('exhibition', 'Exhibition'), ('competitor_visit', 'Competitor visit'), ('business_review', 'Business review'), ('gift', 'Gift'), ('greeting_card', 'Greeting card'), ('hospitality', 'Hospitality')], max_length=24, verbose_name='kind')),
                ('occurred_at', models.DateTimeField(verbose_name='occurred at')),
                ('summary', models.TextField(verbose_name='summary')),
                ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                ('value', models.DecimalField(blank=True, decimal_places=2, help_text='What a gift, greeting card or hospitality cost (only for those kinds).', max_digits=14, null=True, verbose_name='value')),
                ('next_step', models.CharField(blank=True, max_length=255, verbose_name='next step')),
                ('next_step_due', models.DateField(blank=True, null=True, verbose_name='next step due')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interactions', to='accounts.account', verbose_name='account')),
                ('contacts', models.ManyToManyField(blank=True, related_name='interactions', to='accounts.contact', verbose_name='contacts present')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('users', models.ManyToManyField(blank=True, related_name='interactions', to=settings.AUTH_USER_MODEL, verbose_name='users present')),
            ],
            options={
                'verbose_name': 'interaction',
                'verbose_name_plural': 'interactions',
                'ordering': ['-occurred_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Commitment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('what', models.CharField(max_length=255, verbose_name='what we promised')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('status', models.CharField(choices=[('open', 'Open'), ('kept', 'Kept'), ('broken', 'Broken')], default='open', max_length=8, verbose_name='status')),
                ('kept_on', models.DateField(blank=True, null=True, verbose_name='kept on')),
                ('broken_on', models.DateField(blank=True, null=True, verbose_name='broken on')),
                ('note', models.TextField(blank=True, help_text='Why a promise was broken, or how it was kept.', verbose_name='note')),
                ('version', models.PositiveIntegerField(default=0, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='commitments', to='accounts.account', verbose_name='account')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='commitments', to='accounts.contact', verbose_name='promised to')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='commitments', to=settings.AUTH_USER_MODEL, verbose_name='kept by')),
                ('interaction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='commitments', to='dossiers.interaction', verbose_name='made during')),
            ],
            options={
                'verbose_name': 'commitment',
                'verbose_name_plural': 'commitments',
                'ordering': ['due_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='MilestoneTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('months_before_submission', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(24)], verbose_name='months before submission')),
                ('days_before', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(366)], verbose_name='days before submission')),
            ],
            options={
                'verbose_name': 'milestone template',
                'verbose_name_plural': 'milestone templates',
                'ordering': [models.OrderBy(models.F('months_before_submission'), descending=True, nulls_last=True), '-days_before', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('days_before__isnull', False), ('months_before_submission__isnull', True)), models.Q(('days_before__isnull', True), ('months_before_submission__isnull', False)), _connector='OR'), name='milestone_template_months_or_days'), models.CheckConstraint(condition=models.Q(('months_before_submission__isnull', True), ('months_before_submission__lte', 24), _connector='OR'), name='milestone_template_months_le_24')],
            },
        ),
        migrations.CreateModel(
            name='PlanAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due on')),
                ('progress', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='progress (%)')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='dossiers.accountplan', verbose_name='account plan')),
            ],
            options={
                'verbose_name': 'plan action',
                'verbose_name_plural': 'plan actions',
                'ordering': ['plan', 'due_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProfileChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=40, verbose_name='field')),
                ('old', models.TextField(blank=True, verbose_name='old value')),
                ('new', models.TextField(blank=True, verbose_name='new value')),
                ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='changed at')),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='dossiers.accountprofile', verbose_name='profile')),
            ],
            options={
                'verbose_name': 'profile change',
                'verbose_name_plural': 'profile changes',
                'ordering': ['-changed_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ProspectQualification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('need_confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='need confirmed at')),
                ('solvency_confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='solvency confirmed at')),
                ('authority_confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='authority confirmed at')),
                ('qualified_at', models.DateTimeField(blank=True, null=True, verbose_name='qualified at')),
                ('account', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='qualification', to='accounts.account', verbose_name='account')),
                ('authority_confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='authority confirmed by')),
                ('need_confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='need confirmed by')),
                ('solvency_confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='solvency confirmed by')),
            ],
            options={
                'verbose_name': 'prospect qualification',
                'verbose_name_plural': 'prospect qualifications',
                'ordering': ['account'],
            },
        ),
        migrations.CreateModel(
            name='RecommendationLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_on', models.DateField(verbose_name='received on')),
                ('file', models.FileField(blank=True, max_length=255, upload_to=dossiers.models.referrals.letter_path, verbose_name='letter')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendation_letters', to='accounts.account', verbose_name='account')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recommendation_letters', to='accounts.contact', verbose_name='written by')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('delivery', models.ForeignKey(blank=True, limit_choices_to={'kind': 'delivery'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recommendation_letters', to='dossiers.interaction', verbose_name='delivery')),
            ],
            options={
                'verbose_name': 'recommendation letter',
                'verbose_name_plural': 'recommendation letters',
                'ordering': ['-received_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Referral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('referred_on', models.DateField(verbose_name='referred on')),
                ('referrer_called', models.BooleanField(default=False, verbose_name='the referrer phoned the prospect')),
                ('called_on', models.DateField(blank=True, null=True, verbose_name='phoned on')),
                ('outcome', models.CharField(choices=[('pending', 'Pending'), ('meeting_held', 'Meeting held'), ('won', 'Won'), ('lost', 'Lost')], default='pending', max_length=14, verbose_name='outcome')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referrals_received', to='accounts.account', verbose_name='prospect')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('referrer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals_given', to='accounts.contact', verbose_name='referred by')),
            ],
            options={
                'verbose_name': 'referral',
                'verbose_name_plural': 'referrals',
                'ordering': ['-referred_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ServicePlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('visits', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(1000)], verbose_name='visits')),
                ('calls', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(5000)], verbose_name='calls')),
                ('reviews', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='business reviews')),
                ('budget', models.DecimalField(decimal_places=2, default=0, max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name='budget for special services and gifts')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('version', models.PositiveIntegerField(default=0, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_plans', to='accounts.account', verbose_name='account')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'service plan',
                'verbose_name_plural': 'service plans',
                'ordering': ['account', '-year'],
            },
        ),
        migrations.CreateModel(
            name='StrategicAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('money_volume_and_payment', models.BooleanField(default=False, verbose_name='money volume and payment habits')),
                ('distributor', models.BooleanField(default=False, verbose_name='distributor')),
                ('volume', models.BooleanField(default=False, verbose_name='volume (units, kg)')),
                ('profitability', models.BooleanField(default=False, verbose_name='profitability')),
                ('growth_potential', models.BooleanField(default=False, verbose_name='growth potential')),
                ('loyalty', models.BooleanField(default=False, verbose_name='loyalty / continuity')),
                ('test_client', models.BooleanField(default=False, verbose_name='test client for new products')),
                ('absorbs_slow_stock', models.BooleanField(default=False, verbose_name='absorbs slow stock')),
                ('prestige_brand', models.BooleanField(default=False, verbose_name='prestige brand')),
                ('multinational', models.BooleanField(default=False, verbose_name='multinational')),
                ('pays_cash', models.BooleanField(default=False, verbose_name='pays cash')),
                ('priority_dispatch', models.BooleanField(default=False, verbose_name='priority dispatch')),
                ('no_minimum_order', models.BooleanField(default=False, verbose_name='no minimum order')),
                ('production_priority', models.BooleanField(default=False, verbose_name='production priority')),
                ('personalised_invoicing', models.BooleanField(default=False, verbose_name='personalised invoicing and collection')),
                ('controlled_contact_plan', models.BooleanField(default=False, verbose_name='controlled visit, call and budget plan')),
                ('joint_plans_and_promotions', models.BooleanField(default=False, verbose_name='joint plans and promotions')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='strategic_assessment', to='accounts.account', verbose_name='account')),
                ('assessed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assessed by')),
            ],
            options={
                'verbose_name': 'strategic assessment',
                'verbose_name_plural': 'strategic assessments',
                'ordering': ['account'],
            },
        ),
        migrations.CreateModel(
            name='Tender',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='value')),
                ('announced_on', models.DateField(blank=True, null=True, verbose_name='announced on')),
                ('submission_on', models.DateField(blank=True, null=True, verbose_name='submission on')),
                ('decision_on', models.DateField(blank=True, null=True, verbose_name='decision on')),
                ('status', models.CharField(choices=[('planned', 'Planned'), ('preparing', 'Preparing'), ('submitted', 'Submitted'), ('won', 'Won'), ('lost', 'Lost'), ('cancelled', 'Cancelled')], default='planned', max_length=10, verbose_name='status')),
                ('outcome_reason', models.CharField(blank=True, choices=[('price', 'Price'), ('quality', 'Quality'), ('terms', 'Payment and delivery terms'), ('relationship', 'Relationship'), ('specification', 'Technical specification'), ('other', 'Other')], max_length=16, verbose_name='win/loss reason')),
                ('outcome_notes', models.TextField(blank=True, verbose_name='win/loss notes')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tenders', to='accounts.account', verbose_name='account')),
                ('competitors', models.ManyToManyField(blank=True, related_name='tenders', to='dossiers.competitor', verbose_name='competitors')),
            ],
            options={
                'verbose_name': 'tender',
                'verbose_name_plural': 'tenders',
                'ordering': ['submission_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Task',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('done', models.BooleanField(default=False, verbose_name='done')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done at')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='accounts.account', verbose_name='account')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('interaction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tasks', to='dossiers.interaction', verbose_name='interaction')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                ('tender', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='tasks', to='dossiers.tender', verbose_name='tender')),
            ],
            options={
                'verbose_name': 'task',
                'verbose_name_plural': 'tasks',
                'ordering': ['done', 'due_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='TenderMilestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('done', models.BooleanField(default=False, verbose_name='done')),
                ('template', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='dossiers.milestonetemplate', verbose_name='milestone template')),
                ('tender', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='dossiers.tender', verbose_name='tender')),
            ],
            options={
                'verbose_name': 'tender milestone',
                'verbose_name_plural': 'tender milestones',
                'ordering': ['tender', 'due_on', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='accountplan',
            constraint=models.UniqueConstraint(fields=('account', 'year'), name='plan_once_per_account_year'),
        ),
        migrations.AddConstraint(
            model_name='accountplan',
            constraint=models.CheckConstraint(condition=models.Q(('share_of_wallet_target__isnull', True), models.Q(('share_of_wallet_target__gte', 0), ('share_of_wallet_target__lte', 100)), _connector='OR'), name='plan_share_of_wallet_0_to_100'),
        ),
        migrations.AddIndex(
            model_name='accountprofile',
            index=models.Index(fields=['next_review_due'], name='profile_review_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='competitorpresence',
            constraint=models.UniqueConstraint(fields=('account', 'competitor'), name='presence_once_per_account'),
        ),
        migrations.AddConstraint(
            model_name='competitorpresence',
            constraint=models.CheckConstraint(condition=models.Q(('estimated_share__isnull', True), ('estimated_share__lte', 100), _connector='OR'), name='presence_share_0_to_100'),
        ),
        migrations.AddConstraint(
            model_name='competitorpresence',
            constraint=models.CheckConstraint(condition=models.Q(('threat_level__gte', 1), ('threat_level__lte', 5)), name='presence_threat_1_to_5'),
        ),
        migrations.AddIndex(
            model_name='complaintcase',
            index=models.Index(fields=['account', '-opened_at'], name='complaint_account_idx'),
        ),
        migrations.AddIndex(
            model_name='complaintcase',
            index=models.Index(fields=['status', 'due_on'], name='complaint_status_due_idx'),
        ),
        migrations.AddIndex(
            model_name='complaintcase',
            index=models.Index(fields=['owner', 'status'], name='complaint_owner_idx'),
        ),
        migrations.AddConstraint(
            model_name='complaintcase',
            constraint=models.CheckConstraint(condition=models.Q(('resolution_cost__isnull', True), ('resolution_cost__gte', 0), _connector='OR'), name='complaint_cost_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='complaintcase',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['resolved', 'confirmed']), _negated=True), models.Q(models.Q(('resolution', ''), _negated=True), ('resolved_at__isnull', False)), _connector='OR'), name='complaint_resolved_has_resolution'),
        ),
        migrations.AddConstraint(
            model_name='complaintcase',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'confirmed'), _negated=True), ('confirmed_at__isnull', False), _connector='OR'), name='complaint_confirmed_has_time'),
        ),
        migrations.AddIndex(
            model_name='interaction',
            index=models.Index(fields=['account', '-occurred_at'], name='interaction_timeline_idx'),
        ),
        migrations.AddIndex(
            model_name='interaction',
            index=models.Index(fields=['kind'], name='interaction_kind_idx'),
        ),
        migrations.AddIndex(
            model_name='interaction',
            index=models.Index(fields=['-occurred_at', '-id'], name='interaction_newest_idx'),
        ),
        migrations.AddConstraint(
            model_name='interaction',
            constraint=models.CheckConstraint(condition=models.Q(('next_step_due__isnull', True), models.Q(('next_step', ''), _negated=True), _connector='OR'), name='interaction_due_date_needs_next_step'),
        ),
        migrations.AddConstraint(
            model_name='interaction',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ('gift', 'greeting_card', 'hospitality')), ('value__gte', 0), ('value__isnull', False)), models.Q(models.Q(('kind__in', ('gift', 'greeting_card', 'hospitality')), _negated=True), ('value__isnull', True)), _connector='OR'), name='interaction_value_only_for_gifts'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['owner', 'status', 'due_on'], name='commitment_owner_due_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['account', 'status', 'due_on'], name='commitment_account_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='commitment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('broken_on__isnull', True), ('kept_on__isnull', True), ('status', 'open')), models.Q(('broken_on__isnull', True), ('kept_on__isnull', False), ('status', 'kept')), models.Q(('broken_on__isnull', False), ('kept_on__isnull', True), ('status', 'broken')), _connector='OR'), name='commitment_dates_match_status'),
        ),
        migrations.AddConstraint(
            model_name='planaction',
            constraint=models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='plan_action_progress_0_to_100'),
        ),
        migrations.AddIndex(
            model_name='profilechange',
            index=models.Index(fields=['profile', '-changed_at'], name='profile_change_time_idx'),
        ),
        migrations.AddConstraint(
            model_name='prospectqualification',
            constraint=models.CheckConstraint(condition=models.Q(('qualified_at__isnull', True), models.Q(('authority_confirmed_at__isnull', False), ('need_confirmed_at__isnull', False), ('solvency_confirmed_at__isnull', False)), _connector='OR'), name='qualification_needs_all_three'),
        ),
        migrations.AddIndex(
            model_name='recommendationletter',
            index=models.Index(fields=['account', 'received_on'], name='letter_account_idx'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['account', 'referred_on'], name='referral_account_idx'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(('called_on__isnull', True), ('referrer_called', True), _connector='OR'), name='referral_called_on_needs_call'),
        ),
        migrations.AddIndex(
            model_name='serviceplan',
            index=models.Index(fields=['year'], name='service_plan_year_idx'),
        ),
        migrations.AddConstraint(
            model_name='serviceplan',
            constraint=models.UniqueConstraint(fields=('account', 'year'), name='service_plan_one_per_year'),
        ),
        migrations.AddConstraint(
            model_name='serviceplan',
            constraint=models.CheckConstraint(condition=models.Q(('budget__gte', 0)), name='service_plan_budget_not_negative'),
        ),
        migrations.AddIndex(
            model_name='tender',
            index=models.Index(fields=['account', 'submission_on'], name='tender_account_submission_idx'),
        ),
        migrations.AddIndex(
            model_name='tender',
            index=models.Index(fields=['status'], name='tender_status_idx'),
        ),
        migrations.AddConstraint(
            model_name='tender',
            constraint=models.CheckConstraint(condition=models.Q(('announced_on__isnull', True), ('submission_on__isnull', True), ('submission_on__gte', models.F('announced_on')), _connector='OR'), name='tender_submission_after_announcement'),
        ),
        migrations.AddConstraint(
            model_name='tender',
            constraint=models.CheckConstraint(condition=models.Q(('submission_on__isnull', True), ('decision_on__isnull', True), ('decision_on__gte', models.F('submission_on')), _connector='OR'), name='tender_decision_after_submission'),
        ),
        migrations.AddConstraint(
            model_name='tender',
            constraint=models.CheckConstraint(condition=models.Q(('value__isnull', True), ('value__gte', 0), _connector='OR'), name='tender_value_not_negative'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['owner', 'done', 'due_on'], name='task_owner_due_idx'),
        ),
        migrations.AddConstraint(
            model_name='task',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('done', False), ('done_at__isnull', True)), models.Q(('done', True), ('done_at__isnull', False)), _connector='OR'), name='task_done_at_iff_done'),
        ),
        migrations.AddIndex(
            model_name='tendermilestone',
            index=models.Index(fields=['due_on', 'done'], name='milestone_due_idx'),
        ),
        migrations.RunPython(_default_plan.create_default_plan, migrations.RunPython.noop),  # its table goes on the way back
        migrations.RunPython(_search_indexes.create, _search_indexes.drop),
    ]
