"""The Celery app: Redis broker from REDIS_URL; tasks run eagerly in-process when it is unset."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings.dev")

app = Celery("kam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
