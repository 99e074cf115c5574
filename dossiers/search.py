"""One search across accounts, contacts, interactions and tenders, scoped to what the user may see.

On PostgreSQL the matches are ranked by full-text search (``SearchRank``); a plain substring match
is kept alongside so that a half-typed word ("Nord") still finds "Nordic". SQLite has no
full-text search here: every word must appear (``icontains``) in one of the kind's fields.

Both matches test one expression per kind, the kind's fields joined by spaces, which PostgreSQL
indexes (dossiers/migrations/0003_search_indexes.py: a GIN index of its words and a trigram index
of its text); a change of FIELDS needs the same change there, or the search reads every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import and_
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField

from accounts.models import Account, Contact, User

from .models import Interaction, Tender

LIMIT = 20  # results per kind
MAX_WORDS = 8  # a pasted paragraph is not a query
# The text searched per kind. Contacts' personal fields (Contact.PERSONAL_FIELDS) are never searched:
# a match would reveal them to users who may not see them.
FIELDS: dict[str, tuple[str, ...]] = {
    "accounts": ("name", "legal_name", "external_id", "industry", "country", "region"),
    "contacts": ("first_name", "last_name", "position", "department", "email"),
    "interactions": ("summary", "outcome", "next_step"),
    "tenders": ("title", "outcome_notes"),
}


@dataclass
class SearchResults:
    query: str
    accounts: list[Account] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    tenders: list[Tender] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.accounts) + len(self.contacts) + len(self.interactions) + len(self.tenders)


def _words(query: str) -> list[str]:
    return query.split()[:MAX_WORDS]


class Joined(Func):
    """The fields (all NOT NULL) joined by spaces. A word holds no space, so it is in one of the
    fields exactly when it is in the joined text: one indexed expression serves every field."""

    arg_joiner = " || ' ' || "
    template = "(%(expressions)s)"
    output_field = TextField()


def _substring_match(words: list[str]) -> Q:
    """Every word appears in at least one of the fields (`text`, the fields joined)."""
    return reduce(and_, (Q(text__icontains=word) for word in words))


def _ranked(queryset: QuerySet[Any], fields: tuple[str, ...], words: list[str]) -> QuerySet[Any]:
    """PostgreSQL: full-text matches first, by rank; substring-only matches after them."""
    # "simple": no stemming, so names in any language match as typed.
    query = SearchQuery(" ".join(words), search_type="websearch", config="simple")
    vector = SearchVector(*fields, config="simple")
    return (
        queryset.annotate(document=vector)
        .filter(Q(document=query) | _substring_match(words))
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "pk")
    )


def _find(queryset: QuerySet[Any], kind: str, words: list[str]) -> list[Any]:
    fields = FIELDS[kind]
    queryset = queryset.alias(text=Joined(*fields))
    if connection.vendor == "postgresql":
        queryset = _ranked(queryset, fields, words)
    else:
        queryset = queryset.filter(_substring_match(words))
    return list(queryset[:LIMIT])


def search(*, user: User, query: str) -> SearchResults:
    """Up to LIMIT matches of each kind; every kind starts from its `visible_to(user)` queryset."""
    query = query.strip()
    words = _words(query)
    if not words:
        return SearchResults(query=query)
    return SearchResults(
        query=query,
        accounts=_find(Account.objects.visible_to(user), "accounts", words),
        contacts=_find(Contact.objects.visible_to(user).select_related("account"), "contacts", words),
        interactions=_find(
            Interaction.objects.visible_to(user).select_related("account"), "interactions", words
        ),
        tenders=_find(Tender.objects.visible_to(user).select_related("account"), "tenders", words),
    )
