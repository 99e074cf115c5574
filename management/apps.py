from django.apps import AppConfig


class ManagementConfig(AppConfig):
    """The department head's desk: sales plans, forecasts, KAM scorecards and client reports."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "management"
    verbose_name = "Management"
