"""Apply every migration from zero to a fresh PostgreSQL database, check the models match, and go back.

The test suite builds its database from the models (--no-migrations), so this is where the migrations
themselves run: `migrate` from an empty database, `makemigrations --check`, then every app back to
zero (all of kam's migrations are reversible). The database is `<DATABASE_URL's name>_migrations`,
created here and dropped at the end. Run by scripts/test.sh when DATABASE_URL is PostgreSQL.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import environ
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def server_connection(config: dict) -> psycopg.Connection:
    """A connection to the server's maintenance database, to create and drop the scratch one."""
    return psycopg.connect(
        dbname="postgres",
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        autocommit=True,
    )


def recreate(config: dict, name: str, *, create: bool) -> None:
    with server_connection(config) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrate_up_check_and_down() -> None:
    import django
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.exceptions import IrreversibleError
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    up = time.monotonic() - started
    # Exits non-zero (with the missing changes listed) when the models and the migrations disagree.
    call_command("makemigrations", check=True, dry_run=True, verbosity=1)
    # Back to zero: kam's own apps (and whatever depends on them), not every third-party app.
    ours = [c for c in apps.get_app_configs() if Path(c.path).resolve().parent == ROOT.resolve()]
    executor = MigrationExecutor(connection)
    targets = [(c.label, None) for c in ours if c.label in executor.loader.migrated_apps]
    started = time.monotonic()
    try:
        executor.migrate(targets, plan=executor.migration_plan(targets))
    except IrreversibleError as error:  # allowed ("reversible where possible"), but said
        print(f"migrations: applied from zero in {up:.1f} s, models match; not reversible: {error}")
        return
    down = time.monotonic() - started
    ours_tables = {m._meta.db_table for c in ours for m in c.get_models()}
    left = ours_tables & set(connection.introspection.table_names())
    if left:
        raise SystemExit(f"tables left after migrating kam's apps back to zero: {sorted(left)}")
    print(f"migrations: applied from zero in {up:.1f} s, models match, reversed to zero in {down:.1f} s")


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    config = environ.Env.db_url_config(url) if url else {}
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise SystemExit("check_migrations: DATABASE_URL must point at PostgreSQL")
    scratch = f"{config['NAME']}_migrations"
    recreate(config, scratch, create=True)
    try:
        os.environ["DATABASE_URL"] = urlsplit(url)._replace(path=f"/{scratch}").geturl()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings.test")
        sys.path.insert(0, str(ROOT))
        migrate_up_check_and_down()
    finally:
        from django.db import connections

        connections.close_all()
        recreate(config, scratch, create=False)


if __name__ == "__main__":
    main()
