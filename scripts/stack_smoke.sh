#!/usr/bin/env bash
# The production stack started by hand (PostgreSQL, Redis, gunicorn, a Celery worker, one MEDIA_ROOT):
# upload a ledger on the import page in Chromium and see the worker import it. See docs/operations.md.
# Extra arguments go to scripts/stack_smoke.py (--port, --separate-media).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements-dev.txt
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kam}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
exec .venv/bin/python scripts/stack_smoke.py "$@"
