#!/usr/bin/env bash
# The restore drill: back up the demo and check that the backup restores to the same thing.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam bash scripts/restore_drill.sh
#
# On the server of DATABASE_URL (whose own database is not touched) it makes <name>_drill_source,
# migrates it and loads the demo, backs it up with scripts/backup.sh, restores the backup into
# <name>_drill_restored with scripts/restore.sh, then compares (scripts/restore_drill.py): the rows
# of every table, the sequences, the media files, the rollups against their lines, and the latest
# analysis run computed again on the copy. Exits 1 on any difference. KAM_DRILL_PREFIX overrides
# <name>_drill. The scratch databases and files are removed at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHON="${PYTHON:-.venv/bin/python}"
fail() { echo "restore drill: $*" >&2; exit 1; }

[[ "${DATABASE_URL:-}" == postgres* ]] || fail "DATABASE_URL must point at a PostgreSQL server"
# The settings that keep MEDIA_ROOT as given (the test settings use a folder of their own), and no
# REDIS_URL: tasks run in this process, nothing is left in a queue.
export DJANGO_SETTINGS_MODULE=kam.settings.dev
unset REDIS_URL DATABASE_REPLICA_URL
server_url="$DATABASE_URL"
prefix="${KAM_DRILL_PREFIX:-$(basename "${server_url%%\?*}")_drill}"
source_url="$("$PYTHON" scripts/restore_drill.py url "${prefix}_source")"
restored_url="$("$PYTHON" scripts/restore_drill.py url "${prefix}_restored")"
work="$(mktemp -d "${TMPDIR:-/tmp}/kam-restore-drill.XXXXXX")"
cleanup() {
  DATABASE_URL="$server_url" "$PYTHON" scripts/restore_drill.py scratch drop "${prefix}_source" "${prefix}_restored"
  rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)
step() { echo "== $* ($(($(date +%s) - started)) s)"; }

step "the demo in ${prefix}_source"
"$PYTHON" scripts/restore_drill.py scratch create "${prefix}_source"
"$PYTHON" scripts/restore_drill.py scratch drop "${prefix}_restored"
export MEDIA_ROOT="$work/media-source"
DATABASE_URL="$source_url" "$PYTHON" manage.py migrate --verbosity 0
DATABASE_URL="$source_url" "$PYTHON" manage.py seed_demo >"$work/seed.log" || { cat "$work/seed.log"; fail "seed_demo failed"; }
grep -v "^  \|^Demo users" "$work/seed.log" || true

step "back up"
DATABASE_URL="$source_url" bash scripts/backup.sh "$work/backup"

step "restore into ${prefix}_restored"
DATABASE_URL="$restored_url" MEDIA_ROOT="$work/media-restored" bash scripts/restore.sh "$work/backup"

step "compare"
DATABASE_URL="$restored_url" "$PYTHON" scripts/restore_drill.py compare \
  "$source_url" "$work/media-source" "$work/media-restored"
step "done"
