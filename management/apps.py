from django.apps import AppConfig


class ManagementConfig(AppConfig):
    """The department head's desk: sales plans, forecasts, KAM scorecards and client reports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "management"
    verbose_name = "Management"

    def ready(self) -> None:
        from accounts.signals import owner_changed, two_factor_reset
        from dossiers.standing import register_assessment_check
        from dossiers.timeline import register_change_link

        from . import receivers

        owner_changed.connect(receivers.notify_new_owner, dispatch_uid="management.notify_new_owner")
        two_factor_reset.connect(
            receivers.notify_two_factor_reset, dispatch_uid="management.notify_two_factor_reset"
        )
        register_assessment_check(receivers.strategic_cap_warning)
        register_change_link("owner", receivers.handover_url)

    def load_demo(self) -> str:
        """Called by `manage.py seed_demo` after the other apps' demo data exist."""
        from .demo import load_demo

        return load_demo()
