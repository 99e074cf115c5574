#!/usr/bin/env bash
# Run kam with demo data: creates .venv, installs, migrates, seeds and serves on 127.0.0.1:8000.
# With no DATABASE_URL / REDIS_URL this is the embedded demo (SQLite, Celery tasks run in-process).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements.txt
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-kam.settings.dev}"
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py seed_demo
echo
echo "kam is starting on http://127.0.0.1:${PORT:-8000}/  (Ctrl+C stops it)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
