from django.apps import AppConfig


class DossiersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dossiers"

    def ready(self) -> None:
        from accounts import standing

        from .complaint_timeline import register_sources
        from .standing import AssessmentStanding

        standing.register(AssessmentStanding())
        register_sources()

    def load_demo(self) -> str:
        """Called by `manage.py seed_demo` after the demo accounts and contacts exist."""
        from .demo import load_demo_dossiers
        from .demo_complaints import load_demo_complaints
        from .demo_growth import load_demo_growth

        return f"{load_demo_dossiers()}\n{load_demo_complaints()}\n{load_demo_growth()}"
