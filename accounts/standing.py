"""The account's strategic standing as every account page and the API show it: strategic or not,
and the privileges granted.

The assessment that decides it lives in `dossiers`, which builds on `accounts`; the base app must
not import it. So the dossiers app registers a `StandingSource` here from its AppConfig.ready: the
relation to join (one LEFT JOIN, so a list page keeps its query count) and how to read it. Without
a source every account is plain. A registry rather than a template tag library because the API's
account resource needs the same answer, and rather than a bare `select_related("strategic_…")`
string because then the base app would spell out the upper app's schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db.models import QuerySet

from .models import Account

QuerySetT = TypeVar("QuerySetT", bound=QuerySet[Any])


@dataclass(frozen=True)
class Privilege:
    key: str
    label: str
    short: str = ""  # for list rows, where the full label would wrap the row

    @property
    def tag(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Standing:
    strategic: bool = False
    privileges: tuple[Privilege, ...] = ()


PLAIN = Standing()


class StandingSource(Protocol):
    # The select_related path from Account to what `standing_of` reads.
    join: str

    def standing_of(self, account: Account) -> Standing: ...


_source: list[StandingSource] = []


def register(source: StandingSource) -> None:
    """Make `source` the one that says which accounts are strategic (the last registered wins)."""
    _source[:] = [source]


def with_standing(accounts: QuerySetT) -> QuerySetT:
    """`accounts` with what `standing_of` reads joined in the same query."""
    return accounts.select_related(_source[0].join) if _source else accounts


def standing_of(account: Account) -> Standing:
    """The account's standing (plain when no app says otherwise)."""
    return _source[0].standing_of(account) if _source else PLAIN
