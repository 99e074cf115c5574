from django.apps import AppConfig


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retention"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from analysis.signals import run_completed
        from sales.signals import purchases_recorded

        from . import receivers, timeline
        from .loss_selectors import records_changed
        from .models import LossRecord, Refusal

        run_completed.connect(receivers.record_transitions, dispatch_uid="retention.record_transitions")
        purchases_recorded.connect(
            receivers.update_buying_statuses, dispatch_uid="retention.update_buying_statuses"
        )
        timeline.register_sources()
        for model in (LossRecord, Refusal):  # the loss analysis's kept counts
            name = model._meta.model_name
            post_save.connect(records_changed, sender=model, dispatch_uid=f"retention.{name}_saved")
            post_delete.connect(records_changed, sender=model, dispatch_uid=f"retention.{name}_deleted")

    def load_demo(self) -> str:
        from .demo import load_demo

        return load_demo()
