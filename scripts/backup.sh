#!/usr/bin/env bash
# Back up kam: the PostgreSQL database of DATABASE_URL (pg_dump -Fc) and the files under MEDIA_ROOT
# (uploads, generated reports; a tar.gz), with manifest.json (time, database, migration state, sizes,
# sha256 of every file). See docs/operations.md, "Backups and restore".
#
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/kam/media scripts/backup.sh [FOLDER]
#
# FOLDER (default ./backups/<UTC timestamp>) must not exist yet or be empty. The backup is written
# into FOLDER.partial and renamed at the end: a FOLDER that exists is complete.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
fail() { echo "backup: $*" >&2; exit 1; }
trap 'echo "backup: failed (line $LINENO: $BASH_COMMAND); nothing was kept" >&2' ERR

[ $# -le 1 ] || fail "usage: scripts/backup.sh [FOLDER]"
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set (the database to back up)"
target="${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}"
media="${MEDIA_ROOT:-media}"
[[ "$media" = /* ]] || media="$PWD/$media"  # relative to the project root, as in the settings
if [ -e "$target" ] && [ -n "$(ls -A "$target" 2>/dev/null)" ]; then
  fail "$target exists and is not empty; give a new folder"
fi
command -v pg_dump >/dev/null || fail "pg_dump not found (apt-get install postgresql-client)"

# DATABASE_URL as PGHOST, PGUSER, PGPASSWORD… for pg_dump and psycopg: no password on a command line.
pgenv="$("$PYTHON" scripts/backup_tools.py pgenv)" || fail "DATABASE_URL: see the message above"
eval "$pgenv"

partial="$target.partial"
rm -rf "$partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT
started=$(date +%s)

pg_dump --format=custom --compress=6 --file="$partial/database.dump" \
  || fail "pg_dump of database '$PGDATABASE' failed"
if [ -d "$media" ]; then
  tar -czf "$partial/media.tar.gz" -C "$media" . || fail "could not archive MEDIA_ROOT $media"
else
  echo "backup: MEDIA_ROOT $media does not exist; the media archive is empty" >&2
  tar -czf "$partial/media.tar.gz" --files-from /dev/null
fi
"$PYTHON" scripts/backup_tools.py manifest "$partial" "$media" || fail "could not write the manifest"

mv "$partial" "$target"
trap - EXIT
echo "backup: database '$PGDATABASE' and $media written to $target in $(($(date +%s) - started)) s"
