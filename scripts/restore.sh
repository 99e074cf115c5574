#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database of DATABASE_URL and the folder MEDIA_ROOT.
#
#   DATABASE_URL=postgres://…/target MEDIA_ROOT=/srv/kam/media scripts/restore.sh FOLDER [--force]
#
# The checksums of the backup are checked first. A target database that holds any table, or a
# MEDIA_ROOT that holds any file, is refused unless --force: then the database is dropped and made
# anew (stop the web and the workers first) and the old MEDIA_ROOT is moved aside to
# MEDIA_ROOT.before-restore-<time>. Both are replaced only once the restored copy is complete and
# checked: a failed restore leaves the target as it was.
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
"$PYTHON" scripts/backup_tools.py check-target "$media" ${force:+--force} || fail "target refused; nothing was changed"

# The database is restored into <name>_restoring and renamed only once it is complete and checked; the
# media are unpacked beside MEDIA_ROOT and checked file by file. Until then the target is untouched.
target="$PGDATABASE"
staging="${target}_restoring"
incoming="$media.restoring-$$"
cleanup() {
  rm -rf "$incoming"
  "$PYTHON" scripts/backup_tools.py drop "$staging" >/dev/null || echo "restore: could not drop $staging" >&2
}
trap cleanup EXIT
mkdir -p "$incoming"
tar -xzf "$folder/media.tar.gz" -C "$incoming" || fail "could not unpack $folder/media.tar.gz"
"$PYTHON" scripts/backup_tools.py verify-media "$folder" "$incoming" || fail "the unpacked media do not match"

"$PYTHON" scripts/backup_tools.py recreate "$staging" || fail "could not create the database $staging"
PGDATABASE="$staging" pg_restore --no-owner --no-acl --exit-on-error --single-transaction \
  --dbname="$staging" "$folder/database.dump" || fail "pg_restore failed; '$target' was not changed"
PGDATABASE="$staging" "$PYTHON" scripts/backup_tools.py migration-state "$folder" \
  || fail "the restored database is not the backup's; '$target' was not changed"
"$PYTHON" scripts/backup_tools.py swap "$staging" || fail "could not rename $staging to $target"
# The shared cache still holds who saw which accounts, and figures, in the database just replaced.
"$PYTHON" manage.py forget_cached_state >/dev/null \
  || fail "the database was restored, but the cache's figures could not be renewed: run manage.py forget_cached_state before starting the web"

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
