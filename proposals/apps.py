from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"

    def ready(self) -> None:
        from dossiers.signals import task_completed

        from . import receivers, timeline

        task_completed.connect(receivers.close_follow_up_step, dispatch_uid="proposals.close_follow_up_step")
        timeline.register_sources()

    def load_demo(self) -> str:
        """Called by `manage.py seed_demo` after the demo accounts, ledger and dossiers exist."""
        from .demo import load_demo

        return load_demo()
