#!/usr/bin/env bash
# Run the checks and the test suite: creates .venv, installs, then ruff, mypy, import-linter, bandit,
# pytest (Django's deployment checklist among its tests).
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
# On PostgreSQL the migrations' own run (above) checks that the models need no new migration.
if [[ -z "$migrations_pid" ]]; then
  echo "== migrations";  .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
fi
# Security (docs/testing.md, "Security checks"): bandit finds nothing of medium severity or above
# (bandit warns about every `# nosec` whose line holds more than the flagged string: not shown). That
# the production settings pass Django's deployment checklist is a test (tests/test_project.py).
echo "== bandit"
.venv/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet 2>&1 | { grep -v "nosec encountered" || true; }
if [[ -n "$migrations_pid" ]]; then
  echo "== migrations from zero on PostgreSQL"
  migrations_status=0
  wait "$migrations_pid" || migrations_status=$?
  cat "$migrations_log"
  rm -f "$migrations_log"
  trap - EXIT
  [[ "$migrations_status" == 0 ]] || exit "$migrations_status"
fi
# In parallel (pytest-xdist), each process with its own test database and Redis database: one a core
# and one more, at most 8 (Redis has 16 databases). A worker spends part of its time waiting (on the
# database server, a subprocess, the browser), and the extra one was added to fill it: on 2 cores,
# single runs before the slow tests were started first took 469 s with 3 workers against 567–584 s
# with 2, and 527 s with 4. With them started first and the bytecode cache kept, 3 against 2 in turn
# (two pairs) took the same wall time (ratio 0.99) for 5 % more CPU: kept, it no longer gains here
# (docs/testing.md). KAM_TEST_WORKERS=N sets the number, 0 runs everything in this one process.
# A worker that runs out of tests takes half of another's queue (worksteal): dealt out in advance,
# the browser tests once kept one worker busy for two and a half minutes after the other had finished.
workers="${KAM_TEST_WORKERS:-}"
if [[ -z "$workers" ]]; then
  workers=$(( $(nproc) + 1 ))
  (( workers <= 8 )) || workers=8
fi
echo "== pytest (database: ${DATABASE_URL:-embedded SQLite}; workers: $workers)"
exec .venv/bin/python -m pytest -n "$workers" --dist worksteal "$@"
