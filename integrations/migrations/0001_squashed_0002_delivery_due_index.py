"""The integrations app's migrations 0001–0002 in one, for new databases: the tables as the models
describe them today, without the steps in between. A database that has applied the migrations it
replaces goes on from there; those stay until every installation has applied them."""

import django.db.models.deletion
import integrations.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('integrations', '0001_initial'),
        ('integrations', '0002_delivery_due_index'),
    ]

    dependencies = [
        ('accounts', '0013_account_fk_indexes_covered'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='WebhookSubscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target_url', models.URLField(max_length=500, verbose_name='target URL')),
                ('events', models.JSONField(default=list, help_text='The event names to deliver.', verbose_name='events')),
                ('secret', models.CharField(default=integrations.models.new_secret, editable=False, max_length=80, verbose_name='secret')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('consecutive_failures', models.PositiveIntegerField(default=0, verbose_name='consecutive failures')),
                ('paused_reason', models.CharField(blank=True, max_length=255, verbose_name='paused because')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhook_subscriptions', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
            ],
            options={
                'verbose_name': 'webhook subscription',
                'verbose_name_plural': 'webhook subscriptions',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(max_length=40, verbose_name='event')),
                ('event_id', models.UUIDField(default=uuid.uuid4, verbose_name='event id')),
                ('payload', models.JSONField(verbose_name='payload')),
                ('status', models.CharField(choices=[('pending', 'pending'), ('succeeded', 'succeeded'), ('failed', 'failed'), ('retrying', 'retrying'), ('cancelled', 'cancelled')], default='pending', max_length=10, verbose_name='status')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                ('response_code', models.PositiveIntegerField(blank=True, null=True, verbose_name='response code')),
                ('response_ms', models.PositiveIntegerField(blank=True, null=True, verbose_name='response time (ms)')),
                ('response_body', models.TextField(blank=True, verbose_name='response body')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered')),
                ('account', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.account', verbose_name='account')),
                ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='integrations.webhooksubscription', verbose_name='subscription')),
            ],
            options={
                'verbose_name': 'webhook delivery',
                'verbose_name_plural': 'webhook deliveries',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['subscription', '-created_at'], name='webhook_delivery_log_idx'), models.Index(condition=models.Q(('status__in', ['pending', 'retrying'])), fields=['status', 'next_attempt_at'], name='webhook_delivery_due_idx')],
            },
        ),
    ]
