"""The retention app's migrations 0001–0006 in one, for new databases: the tables as the models
describe them today, without the steps in between. A database that has applied the migrations it
replaces goes on from there; those stay until every installation has applied them."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('retention', '0001_initial'),
        ('retention', '0002_buying_status'),
        ('retention', '0003_survey_answer_text_max_length'),
        ('retention', '0004_forgotten_reason'),
        ('retention', '0005_survey_invitation_channel'),
        ('retention', '0006_verbose_names'),
    ]

    dependencies = [
        ('accounts', '0013_account_fk_indexes_covered'),
        ('analysis', '0001_squashed_0009_segment_account_run_key'),
        ('dossiers', '0001_squashed_0013_interaction_newest_index'),
        ('sales', '0001_squashed_0007_salesline_updated_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CampaignTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('pending', 'In progress'), ('won_back', 'Won back'), ('declined', 'Declined'), ('no_answer', 'No answer')], default='pending', max_length=10, verbose_name='outcome')),
                ('outcome_on', models.DateField(blank=True, null=True, verbose_name='outcome on')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('status_at_start', models.CharField(blank=True, max_length=8, verbose_name='status at start')),
                ('value_before', models.DecimalField(decimal_places=2, default=0, max_digits=16, verbose_name='value in the 12 months before')),
                ('added_at', models.DateTimeField(auto_now_add=True, verbose_name='added')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='winback_targets', to='accounts.account', verbose_name='account')),
            ],
            options={
                'verbose_name': 'campaign target',
                'verbose_name_plural': 'campaign targets',
                'ordering': ['campaign', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CampaignStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('on', models.DateField(verbose_name='date')),
                ('action', models.CharField(max_length=255, verbose_name='what was done')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='retention.campaigntarget', verbose_name='target')),
            ],
            options={
                'verbose_name': 'campaign step',
                'verbose_name_plural': 'campaign steps',
                'ordering': ['on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Survey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('intro', models.TextField(blank=True, verbose_name='introduction')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('is_active', models.BooleanField(default=True, verbose_name='can be sent')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'survey',
                'verbose_name_plural': 'surveys',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SurveyInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True, verbose_name='link fingerprint')),
                ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='sent')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                ('average_score', models.DecimalField(blank=True, decimal_places=2, max_digits=3, null=True, verbose_name='average score')),
                ('channel', models.CharField(choices=[('web', 'Web link'), ('phone', 'Phone')], default='web', max_length=5, verbose_name='channel')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='survey_invitations', to='accounts.account', verbose_name='account')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.contact', verbose_name='contact')),
                ('sent_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                ('survey', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='retention.survey', verbose_name='survey')),
            ],
            options={
                'verbose_name': 'survey invitation',
                'verbose_name_plural': 'survey invitations',
                'ordering': ['-sent_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SurveyQuestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('text', models.CharField(max_length=300, verbose_name='question')),
                ('kind', models.CharField(choices=[('scale', 'Scale 1 to 5'), ('text', 'Free text')], default='scale', max_length=5, verbose_name='kind')),
                ('required', models.BooleanField(default=True, verbose_name='required')),
                ('survey', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='retention.survey', verbose_name='survey')),
            ],
            options={
                'verbose_name': 'survey question',
                'verbose_name_plural': 'survey questions',
                'ordering': ['survey', 'position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SurveyAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='score')),
                ('text', models.TextField(blank=True, max_length=2000, verbose_name='text')),
                ('invitation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='retention.surveyinvitation', verbose_name='invitation')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='retention.surveyquestion', verbose_name='question')),
            ],
            options={
                'verbose_name': 'survey answer',
                'verbose_name_plural': 'survey answers',
                'ordering': ['invitation', 'question__position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='WinBackCampaign',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('goal', models.TextField(verbose_name='goal')),
                ('method', models.CharField(choices=[('special_offer', 'Special offer'), ('gift', 'Gift'), ('discount', 'Discount'), ('personal_visit', 'Personal visit'), ('other', 'Other')], max_length=16, verbose_name='method')),
                ('budget', models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name='budget')),
                ('starts_on', models.DateField(verbose_name='starts on')),
                ('ends_on', models.DateField(verbose_name='ends on')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.department', verbose_name='department')),
            ],
            options={
                'verbose_name': 'win-back campaign',
                'verbose_name_plural': 'win-back campaigns',
                'ordering': ['-starts_on', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='campaigntarget',
            name='campaign',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='retention.winbackcampaign', verbose_name='campaign'),
        ),
        migrations.CreateModel(
            name='LossRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lost_on', models.DateField(verbose_name='lost on')),
                ('reason', models.CharField(choices=[('service_drop', 'Service or quality drop'), ('missed_deadlines', 'Missed deadlines'), ('ignored_opinion', 'Opinion ignored'), ('price', 'Price'), ('competitor', 'Competitor'), ('no_need', 'No need'), ('forgotten', 'Forgotten: nobody kept in touch'), ('other', 'Other')], max_length=20, verbose_name='main reason')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('recovered_on', models.DateField(blank=True, editable=False, null=True, verbose_name='recovered on')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='losses', to='accounts.account', verbose_name='account')),
                ('competitor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='won_accounts', to='dossiers.competitor', verbose_name='competitor')),
                ('product_line', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='losses', to='sales.productline', verbose_name='direction (product line)')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'loss record',
                'verbose_name_plural': 'loss records',
                'ordering': ['-lost_on', '-pk'],
                'indexes': [models.Index(condition=models.Q(('recovered_on__isnull', True)), fields=['account'], name='loss_open_idx')],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=24, verbose_name='kind')),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('body', models.TextField(blank=True, verbose_name='body')),
                ('url', models.CharField(blank=True, max_length=255, verbose_name='link')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read')),
                ('account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.account', verbose_name='account')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['user', 'read_at'], name='notification_unread_idx')],
            },
        ),
        migrations.CreateModel(
            name='Refusal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('on', models.DateField(verbose_name='date')),
                ('kind', models.CharField(choices=[('order', 'Order'), ('proposal', 'Proposal'), ('product_line', 'Product line')], default='order', max_length=14, verbose_name='what was declined')),
                ('reason', models.CharField(choices=[('service_drop', 'Service or quality drop'), ('missed_deadlines', 'Missed deadlines'), ('ignored_opinion', 'Opinion ignored'), ('price', 'Price'), ('competitor', 'Competitor'), ('no_need', 'No need'), ('forgotten', 'Forgotten: nobody kept in touch'), ('other', 'Other')], max_length=20, verbose_name='reason')),
                ('text', models.TextField(blank=True, verbose_name='details')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='refusals', to='accounts.account', verbose_name='account')),
                ('product_line', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='refusals', to='sales.productline', verbose_name='direction (product line)')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'refusal',
                'verbose_name_plural': 'refusals',
                'ordering': ['-on', '-pk'],
                'indexes': [models.Index(fields=['account', '-on'], name='refusal_account_idx')],
            },
        ),
        migrations.CreateModel(
            name='StatusTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('old_status', models.CharField(blank=True, choices=[('active', 'Active'), ('at_risk', 'At risk'), ('lost', 'Lost')], max_length=8, verbose_name='from')),
                ('new_status', models.CharField(choices=[('active', 'Active'), ('at_risk', 'At risk'), ('lost', 'Lost')], max_length=8, verbose_name='to')),
                ('on', models.DateField(verbose_name='as of')),
                ('days_since_last_purchase', models.PositiveIntegerField(blank=True, null=True, verbose_name='days since last purchase')),
                ('median_interval_days', models.FloatField(blank=True, null=True, verbose_name='usual interval (days)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='churn_transitions', to='accounts.account', verbose_name='account')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='analysis.analysisrun', verbose_name='analysis run')),
            ],
            options={
                'verbose_name': 'status change',
                'verbose_name_plural': 'status changes',
                'ordering': ['-on', '-pk'],
                'indexes': [models.Index(fields=['account', '-on'], name='transition_account_idx')],
                'constraints': [models.UniqueConstraint(fields=('run', 'account'), name='transition_once_per_run')],
            },
        ),
        migrations.AddIndex(
            model_name='surveyinvitation',
            index=models.Index(fields=['account', '-answered_at'], name='invitation_account_idx'),
        ),
        migrations.AddConstraint(
            model_name='surveyanswer',
            constraint=models.UniqueConstraint(fields=('invitation', 'question'), name='answer_once_per_question'),
        ),
        migrations.AddConstraint(
            model_name='surveyanswer',
            constraint=models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 1), ('score__lte', 5)), _connector='OR'), name='answer_score_1_to_5'),
        ),
        migrations.AddConstraint(
            model_name='winbackcampaign',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='campaign_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='winbackcampaign',
            constraint=models.CheckConstraint(condition=models.Q(('budget__gte', 0)), name='campaign_budget_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='campaigntarget',
            constraint=models.UniqueConstraint(fields=('campaign', 'account'), name='target_once_per_campaign'),
        ),
    ]
