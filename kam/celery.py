"""The Celery app: Redis broker from REDIS_URL; tasks run eagerly in-process when it is unset."""

import os
from typing import Any

from celery import Celery
from celery.signals import celeryd_after_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings.dev")

app = Celery("kam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

ANALYSIS_QUEUE = "analysis"


@celeryd_after_setup.connect
def load_model_libraries_for_analysis(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A worker that consumes the analysis queue (with -Q analysis, or every queue) imports the
    churn model's libraries once, before its pool forks: the children share them, and the nightly
    run does not spend its first second importing. Other workers never load them."""
    if ANALYSIS_QUEUE in instance.app.amqp.queues.consume_from:
        from analysis.engine.churn_regression import load_model_libraries

        load_model_libraries()
