"""The proposals app's migrations 0001–0002 in one, for new databases: the tables as the models
describe them today, without the steps in between. A database that has applied the migrations it
replaces goes on from there; those stay until every installation has applied them."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_fsm
import proposals.models.policy
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('proposals', '0001_initial'),
        ('proposals', '0002_verbose_names'),
    ]

    dependencies = [
        ('accounts', '0013_account_fk_indexes_covered'),
        ('dossiers', '0001_squashed_0013_interaction_newest_index'),
        ('sales', '0001_squashed_0007_salesline_updated_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProposalSequence',
            fields=[
                ('year', models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name='year')),
                ('last', models.PositiveIntegerField(default=0, verbose_name='last number')),
            ],
        ),
        migrations.CreateModel(
            name='Proposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(editable=False, max_length=20, unique=True, verbose_name='number')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('currency', models.CharField(max_length=3, verbose_name='currency')),
                ('valid_until', models.DateField(verbose_name='valid until')),
                ('payment_terms', models.TextField(blank=True, verbose_name='payment terms')),
                ('delivery_terms', models.TextField(blank=True, verbose_name='delivery terms')),
                ('status', django_fsm.FSMField(choices=[('draft', 'Draft'), ('in_approval', 'In approval'), ('approved', 'Approved'), ('sent', 'Sent'), ('received', 'Receipt confirmed'), ('negotiation', 'Negotiation'), ('won', 'Won'), ('lost', 'Lost'), ('expired', 'Expired'), ('withdrawn', 'Withdrawn')], default='draft', max_length=50, protected=True, verbose_name='status')),
                ('benefits', models.TextField(blank=True, verbose_name='benefits')),
                ('uniqueness', models.TextField(blank=True, verbose_name='what is unique')),
                ('exclusivity', models.TextField(blank=True, verbose_name='exclusivity')),
                ('annual_savings', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="client's savings per year")),
                ('annual_extra_margin', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="client's extra margin per year")),
                ('payback_months', models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='payback (months)')),
                ('gross_amount', models.DecimalField(decimal_places=2, default=Decimal('0'), editable=False, max_digits=14, verbose_name='before discounts')),
                ('total_amount', models.DecimalField(decimal_places=2, default=Decimal('0'), editable=False, max_digits=14, verbose_name='total')),
                ('max_line_discount', models.DecimalField(decimal_places=2, default=Decimal('0'), editable=False, max_digits=5, verbose_name='largest line discount (%)')),
                ('approved_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='approved on')),
                ('sent_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='sent')),
                ('received_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='received')),
                ('decided_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='decided')),
                ('won_reason', models.CharField(blank=True, choices=[('value', 'Value for the client (savings, ROI)'), ('price', 'Price'), ('relationship', 'Relationship and trust'), ('quality', 'Quality or specification'), ('terms', 'Payment or delivery terms'), ('references', 'References'), ('other', 'Other')], max_length=20, verbose_name='why we won')),
                ('lost_reason', models.CharField(blank=True, max_length=20, verbose_name='why we lost')),
                ('outcome_notes', models.TextField(blank=True, verbose_name='outcome notes')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='accounts.account', verbose_name='account')),
                ('approved_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='authored_proposals', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('contacts', models.ManyToManyField(blank=True, related_name='proposals', to='accounts.contact', verbose_name='addressed to')),
                ('copied_from', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='copies', to='proposals.proposal', verbose_name='copied from')),
                ('team', models.ManyToManyField(blank=True, related_name='proposal_teams', to=settings.AUTH_USER_MODEL, verbose_name='our team')),
            ],
            options={
                'verbose_name': 'proposal',
                'verbose_name_plural': 'proposals',
                'ordering': ['-created_at', '-pk'],
            },
            bases=(django_fsm.FSMModelMixin, models.Model),
        ),
        migrations.CreateModel(
            name='ProposalArgument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.CharField(choices=[('decision_maker', 'Decision maker'), ('influencer', 'Influencer'), ('user_initiator', 'User / initiator'), ('gatekeeper', 'Gatekeeper'), ('buyer', 'Buyer'), ('financial_approver', 'Financial approver'), ('technical_expert', 'Technical expert')], max_length=20, verbose_name='audience')),
                ('text', models.TextField(verbose_name='argument')),
                ('contacts', models.ManyToManyField(blank=True, related_name='+', to='accounts.contact', verbose_name='addressed to')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='arguments', to='proposals.proposal', verbose_name='proposal')),
            ],
            options={
                'verbose_name': 'argument',
                'verbose_name_plural': 'arguments',
                'ordering': ['audience', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProposalPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('validity_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1)], verbose_name='valid for (days)')),
                ('line_discount_threshold', models.DecimalField(decimal_places=2, default=Decimal('20.00'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='approval above a line discount of (%)')),
                ('average_discount_threshold', models.DecimalField(decimal_places=2, default=Decimal('12.00'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='approval above an average discount of (%)')),
                ('approval_total', models.DecimalField(decimal_places=2, default=Decimal('250000.00'), max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name='approval above a total of')),
                ('expiring_soon_days', models.PositiveSmallIntegerField(default=7, verbose_name='expiring soon within (days)')),
                ('follow_up_steps', models.JSONField(default=proposals.models.policy.default_follow_up_steps, validators=[proposals.models.policy.validate_follow_up_steps], verbose_name='follow-up steps')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'proposal policy',
                'verbose_name_plural': 'proposal policies',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SuccessStory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='project')),
                ('client_name', models.CharField(max_length=200, verbose_name='client')),
                ('industry', models.CharField(blank=True, max_length=120, verbose_name='industry')),
                ('project', models.TextField(blank=True, verbose_name='what we did')),
                ('result', models.TextField(verbose_name='result for the client')),
                ('recommender_name', models.CharField(blank=True, max_length=160, verbose_name='recommends us')),
                ('recommender_position', models.CharField(blank=True, max_length=160, verbose_name='their position')),
                ('recommender_phone', models.CharField(blank=True, max_length=40, verbose_name='their phone')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('product_line', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sales.productline', verbose_name='product line')),
            ],
            options={
                'verbose_name': 'success story',
                'verbose_name_plural': 'success stories',
                'ordering': ['client_name', 'title', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='proposal',
            name='references',
            field=models.ManyToManyField(blank=True, related_name='proposals', to='proposals.successstory', verbose_name='references'),
        ),
        migrations.CreateModel(
            name='FollowUpStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='position')),
                ('key', models.CharField(max_length=40, verbose_name='step key')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('working_days', models.PositiveSmallIntegerField(verbose_name='working days')),
                ('state', models.CharField(choices=[('waiting', 'Waiting'), ('open', 'Open'), ('done', 'Done'), ('skipped', 'Skipped')], default='waiting', max_length=10, verbose_name='state')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due on')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed by')),
                ('task', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='proposal_step', to='dossiers.task', verbose_name='task')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_up_steps', to='proposals.proposal', verbose_name='proposal')),
            ],
            options={
                'verbose_name': 'follow-up step',
                'verbose_name_plural': 'follow-up steps',
                'ordering': ['proposal', 'position'],
                'constraints': [models.UniqueConstraint(fields=('proposal', 'position'), name='follow_up_step_position_unique')],
            },
        ),
        migrations.CreateModel(
            name='ProposalLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('sku', models.CharField(blank=True, max_length=64, verbose_name='SKU')),
                ('description', models.CharField(max_length=255, verbose_name='description')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.001'))], verbose_name='quantity')),
                ('unit_price', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(0)], verbose_name='unit price')),
                ('discount_percent', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='discount (%)')),
                ('line_total', models.DecimalField(decimal_places=2, editable=False, max_digits=14, verbose_name='line total')),
                ('product_line', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sales.productline', verbose_name='product line')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='proposals.proposal', verbose_name='proposal')),
            ],
            options={
                'verbose_name': 'proposal line',
                'verbose_name_plural': 'proposal lines',
                'ordering': ['position', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('discount_percent__gte', 0), ('discount_percent__lte', 100)), name='proposal_line_discount_0_to_100'), models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='proposal_line_quantity_positive'), models.CheckConstraint(condition=models.Q(('unit_price__gte', 0)), name='proposal_line_price_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='ProposalTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(choices=[('draft', 'Draft'), ('in_approval', 'In approval'), ('approved', 'Approved'), ('sent', 'Sent'), ('received', 'Receipt confirmed'), ('negotiation', 'Negotiation'), ('won', 'Won'), ('lost', 'Lost'), ('expired', 'Expired'), ('withdrawn', 'Withdrawn')], max_length=20, verbose_name='from status')),
                ('to_status', models.CharField(choices=[('draft', 'Draft'), ('in_approval', 'In approval'), ('approved', 'Approved'), ('sent', 'Sent'), ('received', 'Receipt confirmed'), ('negotiation', 'Negotiation'), ('won', 'Won'), ('lost', 'Lost'), ('expired', 'Expired'), ('withdrawn', 'Withdrawn')], max_length=20, verbose_name='to status')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='proposals.proposal', verbose_name='proposal')),
            ],
            options={
                'verbose_name': 'status change',
                'verbose_name_plural': 'status changes',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['proposal', '-at'], name='proposal_transition_idx')],
            },
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['account', '-created_at'], name='proposal_account_idx'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['status', 'valid_until'], name='proposal_status_valid_idx'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['author', 'status'], name='proposal_author_idx'),
        ),
        migrations.AddConstraint(
            model_name='proposal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'won'), _negated=True), models.Q(('won_reason', ''), _negated=True), _connector='OR'), name='proposal_won_needs_reason'),
        ),
        migrations.AddConstraint(
            model_name='proposal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'lost'), _negated=True), models.Q(('lost_reason', ''), _negated=True), _connector='OR'), name='proposal_lost_needs_reason'),
        ),
    ]
