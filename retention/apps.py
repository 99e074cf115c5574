from django.apps import AppConfig


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "retention"

    def ready(self) -> None:
        from analysis.signals import run_completed
        from sales.signals import purchases_recorded

        from . import receivers, timeline

        run_completed.connect(receivers.record_transitions, dispatch_uid="retention.record_transitions")
        purchases_recorded.connect(
            receivers.update_buying_statuses, dispatch_uid="retention.update_buying_statuses"
        )
        timeline.register_sources()

    def load_demo(self) -> str:
        from .demo import load_demo

        return load_demo()
