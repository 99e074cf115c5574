#!/usr/bin/env bash
# Run the checks and the test suite: creates .venv, installs, then ruff, mypy, import-linter, bandit,
# Django's deployment checks, pytest.
# The suite runs on PostgreSQL/Redis when DATABASE_URL/REDIS_URL point at them, on SQLite otherwise.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/accounts -x).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements-dev.txt
export DJANGO_SETTINGS_MODULE=kam.settings.test
# The suite builds its tables from the models (--no-migrations); on PostgreSQL the migrations
# themselves run once, from zero in a scratch database, and back: beside the checks below (one core
# each, a minute together), its report shown after them.
migrations_pid=""
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  migrations_log="$(mktemp)"
  .venv/bin/python scripts/check_migrations.py >"$migrations_log" 2>&1 &
  migrations_pid=$!
  trap 'kill "$migrations_pid" 2>/dev/null || true; rm -f "$migrations_log"' EXIT
fi
# One command a line: under `set -e` a failure on the left of `&&` would not stop the script.
echo "== ruff";          .venv/bin/ruff check .
echo "== ruff format";   .venv/bin/ruff format --check .
echo "== mypy";          .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== migrations";    .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
# Security (docs/testing.md, "Security checks"): bandit finds nothing of medium severity or above
# (bandit warns about every `# nosec` whose line holds more than the flagged string: not shown), and
# the production settings pass Django's deployment checklist with a throwaway key, on SQLite.
echo "== bandit"
.venv/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet 2>&1 | { grep -v "nosec encountered" || true; }
echo "== check --deploy"
DJANGO_SETTINGS_MODULE=kam.settings.prod DATABASE_URL=sqlite://:memory: ALLOWED_HOSTS=kam.example.com \
  SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
if [[ -n "$migrations_pid" ]]; then
  echo "== migrations from zero on PostgreSQL"
  migrations_status=0
  wait "$migrations_pid" || migrations_status=$?
  cat "$migrations_log"
  rm -f "$migrations_log"
  trap - EXIT
  [[ "$migrations_status" == 0 ]] || exit "$migrations_status"
fi
# In parallel, one process a core (pytest-xdist), each with its own test database and Redis database;
# KAM_TEST_WORKERS=0 runs everything in this one process. A worker that runs out of tests takes half
# of the other's queue (worksteal): dealt out in advance, the browser tests once kept one worker busy
# for two and a half minutes after the other had finished.
echo "== pytest (database: ${DATABASE_URL:-embedded SQLite}; workers: ${KAM_TEST_WORKERS:-one a core})"
exec .venv/bin/python -m pytest -n "${KAM_TEST_WORKERS:-auto}" --dist worksteal "$@"
