from django.apps import AppConfig


class SalesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sales"

    def ready(self) -> None:
        from accounts import our_revenue

        from .selectors import revenue_12m_of_outer_account

        our_revenue.register(revenue_12m_of_outer_account)

    def load_demo(self) -> str:
        """Called by `manage.py seed_demo` after the accounts exist."""
        from .demo import load_demo_ledger, load_demo_plans

        return f"{load_demo_ledger()}\n{load_demo_plans()}"
