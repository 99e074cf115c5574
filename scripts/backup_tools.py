"""The parts of scripts/backup.sh and scripts/restore.sh that are easier said in Python.

    pgenv                      DATABASE_URL as PG* variables, for `eval` (libpq reads them; the
                               password never appears on a command line)
    manifest DIR MEDIA_ROOT    write DIR/manifest.json: time, database, migration state, sizes, sha256
    verify DIR                 the files of a backup against its manifest
    check-target MEDIA_ROOT [--force]
                               refuse a target database or media folder that holds anything,
                               unless --force
    recreate NAME | drop NAME  a database created empty (dropped first if it exists), or dropped
    swap STAGING               the restored database STAGING renamed to PGDATABASE, which is dropped
    verify-media DIR FOLDER    the media files in FOLDER against the backup's manifest
    migration-state            the restored database's migration state against the manifest (DIR)

Only the standard library and psycopg: the scripts run without Django. The connection settings are
libpq's environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), set by `pgenv`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import psycopg
from psycopg import sql

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar.gz"
FORMAT = 1
# Query parameters of the URL that libpq also takes from the environment.
URL_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "connect_timeout": "PGCONNECT_TIMEOUT"}
# Anything a database may hold besides the system catalogs: tables, views, sequences, foreign tables.
USER_RELATIONS = """
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"""


class Refused(Exception):
    """A check failed: the message says what and what to do."""


def pg_environment(url: str) -> dict[str, str]:
    """libpq's variables for a postgres:// URL (user, password and database percent-decoded)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise Refused("DATABASE_URL must be a postgres:// URL (the backup is of a PostgreSQL database)")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise Refused("DATABASE_URL names no database (postgres://user@host:port/NAME)")
    variables = {"PGDATABASE": name, "PGHOST": parts.hostname or "", "PGPORT": str(parts.port or "")}
    variables["PGUSER"] = unquote(parts.username or "")
    if parts.password:
        variables["PGPASSWORD"] = unquote(parts.password)
    for key, value in parse_qsl(parts.query):
        if key in URL_OPTIONS:
            variables[URL_OPTIONS[key]] = value
    return {key: value for key, value in variables.items() if value}


def connect(dbname: str | None = None) -> psycopg.Connection:
    """A connection from the PG* environment (to `dbname` instead of PGDATABASE when given)."""
    return psycopg.connect(dbname=dbname or os.environ["PGDATABASE"], autocommit=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(folder: Path) -> dict[str, dict]:
    """Every file under `folder` (relative path → size and sha256); none when it does not exist."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): {"bytes": path.stat().st_size, "sha256": sha256_of(path)}
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def migration_state(conn: psycopg.Connection) -> dict[str, dict]:
    """Per app: how many migrations are applied and the last one (by name, as they are numbered)."""
    exists = conn.execute("SELECT to_regclass('django_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return {}
    rows = conn.execute(
        "SELECT app, count(*), max(name) FROM django_migrations GROUP BY app ORDER BY app"
    ).fetchall()
    return {app: {"applied": count, "last": last} for app, count, last in rows}


def write_manifest(folder: Path, media_root: Path) -> dict:
    with connect() as conn:
        server = conn.execute("SHOW server_version").fetchone()
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        migrations = migration_state(conn)
    files = {
        name: {"bytes": (folder / name).stat().st_size, "sha256": sha256_of(folder / name)}
        for name in (DUMP, MEDIA)
    }
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "host": socket.gethostname(),
        "database": {
            "name": os.environ["PGDATABASE"],
            "host": os.environ.get("PGHOST", ""),
            "server_version": server[0] if server else "",
            "size_bytes": size[0] if size else None,
        },
        "migrations": migrations,
        "files": files,
        "media": {"root": str(media_root), "files": media_files(media_root)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise Refused(f"{path}: no manifest; is {folder} a backup made by scripts/backup.sh?")
    try:
        manifest = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise Refused(f"{path}: not valid JSON ({error})") from error
    if manifest.get("format") != FORMAT:
        raise Refused(f"{path}: manifest format {manifest.get('format')!r}, this script reads {FORMAT}")
    return manifest


def verify(folder: Path) -> dict:
    """The backup's files are there, with the sizes and checksums of the manifest."""
    manifest = read_manifest(folder)
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise Refused(f"{path}: missing from the backup")
        if path.stat().st_size != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            raise Refused(f"{path}: size or sha256 differs from the manifest (damaged or changed)")
    return manifest


def verify_media(folder: Path, media: Path) -> int:
    """The extracted media files are exactly those of the manifest, byte for byte."""
    expected = read_manifest(folder)["media"]["files"]
    found = media_files(media)
    missing, extra = expected.keys() - found.keys(), found.keys() - expected.keys()
    changed = [name for name in expected.keys() & found.keys() if expected[name] != found[name]]
    if missing or extra or changed:
        raise Refused(
            f"media in {media} differ from the manifest: {len(missing)} missing, {len(extra)} extra, "
            f"{len(changed)} changed (e.g. {sorted([*missing, *extra, *changed])[:3]})"
        )
    return len(found)


def _relation_count(name: str) -> int | None:
    """How many relations the database `name` holds, or None when there is no such database."""
    with connect("postgres") as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
    with connect(name) as conn:
        row = conn.execute(USER_RELATIONS).fetchone()
        return int(row[0]) if row else 0


def check_target(media_root: Path, *, force: bool) -> str:
    """Refuse a target database (PGDATABASE) or media folder that holds anything, unless forced."""
    name = os.environ["PGDATABASE"]
    relations = _relation_count(name)
    media = media_files(media_root)
    if relations and not force:
        raise Refused(
            f"database {name!r} is not empty ({relations} tables, views or sequences); "
            "restore into an empty or new database, or pass --force to replace it"
        )
    if media and not force:
        raise Refused(
            f"MEDIA_ROOT {media_root} holds {len(media)} files; restore into an empty folder, "
            "or pass --force (the folder is then moved aside, not deleted)"
        )
    if relations is None:
        return f"database {name!r} does not exist yet: it will be created"
    return f"database {name!r} will be replaced" if relations else f"database {name!r} is empty"


def recreate(name: str, *, create: bool = True) -> str:
    """Drop the database `name` if it exists (and create it empty again)."""
    with connect("postgres") as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"database {name!r} {'created empty' if create else 'dropped'}"


def swap_in(staging: str) -> str:
    """The restored database `staging` becomes PGDATABASE; the one of that name, if any, is dropped
    only now that the restore has succeeded."""
    name = os.environ["PGDATABASE"]
    with connect("postgres") as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        server.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(staging), sql.Identifier(name))
        )
    return f"database {staging!r} renamed to {name!r}"


def compare_migrations(folder: Path) -> str:
    expected = read_manifest(folder)["migrations"]
    with connect() as conn:
        restored = migration_state(conn)
    if restored != expected:
        raise Refused(f"the restored migration state differs from the backup's: {restored} vs {expected}")
    total = sum(app["applied"] for app in restored.values())
    return f"{total} migrations of {len(restored)} apps, as in the backup"


def main(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("pgenv")
    manifest = commands.add_parser("manifest")
    manifest.add_argument("folder", type=Path)
    manifest.add_argument("media_root", type=Path)
    commands.add_parser("verify").add_argument("folder", type=Path)
    target = commands.add_parser("check-target")
    target.add_argument("media_root", type=Path)
    target.add_argument("--force", action="store_true")
    media = commands.add_parser("verify-media")
    media.add_argument("folder", type=Path)
    media.add_argument("media", type=Path)
    commands.add_parser("migration-state").add_argument("folder", type=Path)
    commands.add_parser("recreate").add_argument("name")
    commands.add_parser("drop").add_argument("name")
    commands.add_parser("swap").add_argument("staging")
    args = parser.parse_args(argv)

    if args.command == "pgenv":
        variables = pg_environment(os.environ.get("DATABASE_URL", ""))
        return "\n".join(f"export {key}={shlex.quote(value)}" for key, value in variables.items())
    if args.command == "manifest":
        written = write_manifest(args.folder, args.media_root)
        sizes = ", ".join(f"{name} {entry['bytes']:,} bytes" for name, entry in written["files"].items())
        return f"manifest: {sizes}; {len(written['media']['files'])} media files"
    if args.command == "verify":
        checked = verify(args.folder)
        return f"backup of {checked['database']['name']!r} made {checked['created_at']}: checksums match"
    if args.command == "check-target":
        return check_target(args.media_root, force=args.force)
    if args.command in ("recreate", "drop"):
        return recreate(args.name, create=args.command == "recreate")
    if args.command == "swap":
        return swap_in(args.staging)
    if args.command == "verify-media":
        return f"{verify_media(args.folder, args.media)} media files match the manifest"
    return compare_migrations(args.folder)


if __name__ == "__main__":
    try:
        print(main(sys.argv[1:]))
    except (Refused, psycopg.Error, OSError) as error:
        print(f"error: {error}".rstrip(), file=sys.stderr)
        sys.exit(1)
