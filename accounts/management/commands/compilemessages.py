"""`compilemessages` for kam's own catalogs in locale/, not those of the installed packages in .venv."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import compilemessages


class Command(compilemessages.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [
            *options.get("ignore_patterns", []),
            ".venv",
            "node_modules",
            "staticfiles",
        ]
        super().handle(*args, **options)
