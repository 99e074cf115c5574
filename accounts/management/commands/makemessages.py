"""`makemessages` with kam's defaults: only the application's own sources, no stale entries.

`python manage.py makemessages -a` refreshes every catalog in locale/; tests/test_translations.py
runs the same command to check that the catalogs hold every message of the sources.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import makemessages

# What is not the application: its tests, benchmarks, scripts and generated files.
NOT_THE_APPLICATION = [
    *("tests/*", "bench/*", "scripts/*", "docs/*"),
    *("staticfiles/*", "media/*", "static/vendor/*"),
]


class Command(makemessages.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *NOT_THE_APPLICATION]
        options["no_obsolete"] = True
        options["add_location"] = options.get("add_location") or "file"
        super().handle(*args, **options)
