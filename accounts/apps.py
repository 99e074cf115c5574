from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from . import kept, two_factor, visibility

        visibility.connect_signals()
        kept.connect_signals()
        two_factor.connect_signals()
