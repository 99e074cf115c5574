"""Test runs: PostgreSQL and Redis when DATABASE_URL / REDIS_URL point to them, SQLite otherwise."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kam-test-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files straight from the finders: no collectstatic before a test run.
WHITENOISE_AUTOREFRESH = True
