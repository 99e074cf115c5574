from django.apps import AppConfig


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retention"

    def ready(self) -> None:
        from accounts.visibility import token_renewed_on_change
        from analysis.signals import run_completed
        from sales.signals import purchases_recorded

        from . import receivers, timeline
        from .loss_selectors import RECORDS_KEY
        from .models import LossRecord, Refusal

        run_completed.connect(receivers.record_transitions, dispatch_uid="retention.record_transitions")
        purchases_recorded.connect(
            receivers.update_buying_statuses, dispatch_uid="retention.update_buying_statuses"
        )
        timeline.register_sources()
        # The loss analysis's kept counts.
        token_renewed_on_change(RECORDS_KEY, LossRecord, Refusal, uid="retention.records")

    def load_demo(self) -> str:
        from .demo import load_demo

        return load_demo()
