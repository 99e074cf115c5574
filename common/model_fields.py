"""Model fields of the project's own."""

from __future__ import annotations

from typing import Any

from django.db import models


class JSONTextField(models.JSONField):
    """A JSONField kept on PostgreSQL as `json`, the text as written once checked, not as `jsonb`,
    parsed into a binary tree on the way in. For values written in bulk, read whole and never
    searched inside: storing a run's 100,000 churn-driver lists (with their segment ids and scores)
    took PostgreSQL ~0.93 s as jsonb and ~0.57 s as json. A `json` column has no equality, so it
    cannot be grouped on, compared or made DISTINCT. Elsewhere (SQLite) it is the plain JSONField."""

    def db_type(self, connection: Any) -> str | None:
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if connection.vendor == "postgresql":
            # psycopg decodes json itself (Django has it leave jsonb as text for its own json.loads):
            # the value is the stored one already; a stored string is not to be decoded again.
            return value
        return super().from_db_value(value, expression, connection)
