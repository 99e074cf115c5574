"""Test runs: PostgreSQL and Redis when DATABASE_URL / REDIS_URL point to them, SQLite otherwise."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _redis_db_of_worker(url: str, worker: str) -> str:
    """The Redis URL with a database of the parallel test worker's own (gw0 -> base + 1, …), so that
    workers never consume each other's tasks or see each other's cache; the base database stays free
    for a run without workers. The PostgreSQL test database is suffixed per worker by pytest-django."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + 1 + int(worker.removeprefix('gw'))}"))


# Processes a test starts (a Celery worker) inherit the worker's URL as it is: the marker says so.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if os.environ.get("REDIS_URL") and _WORKER and "KAM_REDIS_OF_WORKER" not in os.environ:
    os.environ["REDIS_URL"] = _redis_db_of_worker(os.environ["REDIS_URL"], _WORKER)
    os.environ["KAM_REDIS_OF_WORKER"] = os.environ["REDIS_URL"]

from .base import *  # noqa: E402, F403

# Uploads made by tests go to a temporary folder, never the project's, whatever MEDIA_ROOT says;
# it goes when the process ends (the ledger tests use one per test: tests/sales/conftest.py).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kam-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files straight from the finders: no collectstatic before a test run.
WHITENOISE_AUTOREFRESH = True
# Two aliases on the one test database, as with a replica: the router's tests turn the replica
# reads on (KAM_READ_REPLICA); every other test reads and writes the primary only.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
KAM_READ_REPLICA = None
KAM_WEBHOOK_ALLOW_PRIVATE = True  # the tests' receivers listen on 127.0.0.1
# The API is not rate-limited in tests, except where a test sets a rate.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"burst": None, "sustained": None}}
# Tests sign admins in with force_login: the second factor is required only where a test turns it
# on (override_settings, tests/accounts/test_two_factor*.py); users who set it up are still asked.
KAM_TWO_FACTOR_REQUIRED_ROLES = []
