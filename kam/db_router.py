"""The read-replica router: writes and migrations on the primary, marked reads on the replica.

Only reads inside a block marked by `common.replica` (dashboards, exports, the API's lists) go to the
replica, and never while the primary is inside a transaction: what a transaction reads must be what it
then writes on. Everything else reads the primary, so an unmarked page behaves as with one database.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from common.replica import replica_alias


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        alias = replica_alias()
        if alias is None:
            return None  # no opinion: Django's own choice, the primary
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
