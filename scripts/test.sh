#!/usr/bin/env bash
# Run the checks and the test suite: creates .venv, installs, then ruff, mypy, import-linter, pytest.
# The suite runs on PostgreSQL/Redis when DATABASE_URL/REDIS_URL point at them, on SQLite otherwise.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/accounts -x).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements-dev.txt
export DJANGO_SETTINGS_MODULE=kam.settings.test
echo "== ruff";          .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy";          .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== migrations";    .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
# The suite builds its tables from the models (--no-migrations); on PostgreSQL the migrations
# themselves run once here, from zero in a scratch database, and back.
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  echo "== migrations from zero on PostgreSQL"; .venv/bin/python scripts/check_migrations.py
fi
# In parallel, one process a core (pytest-xdist), each with its own test database and Redis database;
# KAM_TEST_WORKERS=0 runs everything in this one process.
echo "== pytest (database: ${DATABASE_URL:-embedded SQLite}; workers: ${KAM_TEST_WORKERS:-one a core})"
exec .venv/bin/python -m pytest -n "${KAM_TEST_WORKERS:-auto}" "$@"
