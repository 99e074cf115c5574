from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from . import checks, kept, two_factor, visibility  # noqa: F401 - checks registers itself

        visibility.connect_signals()
        kept.connect_signals()
        two_factor.connect_signals()
