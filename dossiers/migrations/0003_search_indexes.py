"""Indexes of the global search (dossiers/search.py) on PostgreSQL: per kind, a GIN index of the
words of its fields (the full-text match) and a trigram index of their text (the substring match),
so that a search reads the matching rows, not every row of the kind. Other databases get none."""

from django.db import migrations

# table, the kind's fields as dossiers/search.py FIELDS lists them (the expressions must be the ones
# the search compiles to, or the planner cannot use the index).
KINDS = {
    "accounts_account": ("name", "legal_name", "external_id", "industry", "country", "region"),
    "accounts_contact": ("first_name", "last_name", "position", "department", "email"),
    "dossiers_interaction": ("summary", "outcome", "next_step"),
    "dossiers_tender": ("title", "outcome_notes"),
}


def _statements(table, fields):
    words = " || ' ' || ".join(f"COALESCE(\"{f}\", '')" for f in fields)
    text = " || ' ' || ".join(f'"{f}"' for f in fields)
    yield (
        f"CREATE INDEX IF NOT EXISTS {table}_search_words_idx ON {table} "
        f"USING gin (to_tsvector('simple'::regconfig, {words}))"
    )
    yield f"CREATE INDEX IF NOT EXISTS {table}_search_text_idx ON {table} USING gin (UPPER(({text})::text) gin_trgm_ops)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, fields in KINDS.items():
        for statement in _statements(table, fields):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_words_idx")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_text_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_account_root_and_name_idx"),
        ("dossiers", "0002_default_milestone_template"),
    ]

    operations = [migrations.RunPython(create, drop)]
