from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analysis"

    def load_demo(self) -> str:
        """Called by `manage.py seed_demo` after the demo ledger is in."""
        from .demo import load_demo_runs

        return load_demo_runs()

    def finish_demo(self) -> str:
        """Called by `manage.py seed_demo` once every app has loaded its demo data."""
        from .demo import refresh_demo_run

        return refresh_demo_run()
