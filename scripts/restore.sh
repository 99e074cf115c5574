#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database of DATABASE_URL and the folder MEDIA_ROOT.
#
#   DATABASE_URL=postgres://…/target MEDIA_ROOT=/srv/kam/media scripts/restore.sh FOLDER [--force]
#
# The checksums of the backup are checked first. A target database that holds any table, or a
# MEDIA_ROOT that holds any file, is refused unless --force: then the database is dropped and made
# anew (stop the web and the workers first) and the old MEDIA_ROOT is moved aside to
# MEDIA_ROOT.before-restore-<time>. The database is restored in one transaction: all or nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
fail() { echo "restore: $*" >&2; exit 1; }
trap 'echo "restore: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

force=""
folder=""
for arg in "$@"; do
  case "$arg" in
    --force) force="--force" ;;
    -*) fail "unknown option $arg (usage: scripts/restore.sh FOLDER [--force])" ;;
    *) [ -z "$folder" ] || fail "usage: scripts/restore.sh FOLDER [--force]"; folder="$arg" ;;
  esac
done
[ -n "$folder" ] || fail "usage: scripts/restore.sh FOLDER [--force]"
[ -d "$folder" ] || fail "$folder is not a folder"
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set (the database to restore into)"
media="${MEDIA_ROOT:-media}"
[[ "$media" = /* ]] || media="$PWD/$media"
command -v pg_restore >/dev/null || fail "pg_restore not found (apt-get install postgresql-client)"
started=$(date +%s)

"$PYTHON" scripts/backup_tools.py verify "$folder" || fail "the backup in $folder did not pass its checks"
pgenv="$("$PYTHON" scripts/backup_tools.py pgenv)" || fail "DATABASE_URL: see the message above"
eval "$pgenv"
"$PYTHON" scripts/backup_tools.py prepare-target "$media" ${force:+--force} || fail "target refused; nothing was changed"

# The media first into a folder beside MEDIA_ROOT, checked file by file, then swapped in.
incoming="$media.restoring-$$"
mkdir -p "$incoming"
trap 'rm -rf "$incoming"' EXIT
tar -xzf "$folder/media.tar.gz" -C "$incoming" || fail "could not unpack $folder/media.tar.gz"
"$PYTHON" scripts/backup_tools.py verify-media "$folder" "$incoming" || fail "the unpacked media do not match"

pg_restore --no-owner --no-acl --exit-on-error --single-transaction --dbname="$PGDATABASE" \
  "$folder/database.dump" || fail "pg_restore into '$PGDATABASE' failed; the database was left as it was"
"$PYTHON" scripts/backup_tools.py migration-state "$folder" || fail "the restored database is not the backup's"

if [ -d "$media" ] && [ -z "$(ls -A "$media")" ]; then
  rmdir "$media"
elif [ -e "$media" ]; then
  aside="$media.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  mv "$media" "$aside"
  echo "restore: the previous MEDIA_ROOT is kept in $aside"
fi
mv "$incoming" "$media"
trap - EXIT
echo "restore: '$PGDATABASE' and $media restored from $folder in $(($(date +%s) - started)) s"
