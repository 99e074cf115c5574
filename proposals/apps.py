from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"

    def load_demo(self) -> str:
        """Called by `manage.py seed_demo` after the demo accounts, ledger and dossiers exist."""
        from .demo import load_demo

        return load_demo()
