"""Test runs: PostgreSQL and Redis when DATABASE_URL / REDIS_URL point to them, SQLite otherwise."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

# Uploads made by tests go to a temporary folder, never the project's, whatever MEDIA_ROOT says;
# it goes when the process ends (the ledger tests use one per test: tests/sales/conftest.py).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kam-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files straight from the finders: no collectstatic before a test run.
WHITENOISE_AUTOREFRESH = True
