"""One search across accounts, contacts, interactions and tenders, scoped to what the user may see.

On PostgreSQL the matches are ranked by full-text search (``SearchRank``); a plain substring match
is kept alongside so that a half-typed word ("Nord") still finds "Nordic". SQLite has no
full-text search here: every word must appear (``icontains``) in one of the kind's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

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


def _substring_match(fields: tuple[str, ...], words: list[str]) -> Q:
    """Every word appears in at least one of the fields."""
    per_word = (reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)) for word in words)
    return reduce(and_, per_word)


def _ranked(queryset: QuerySet[Any], fields: tuple[str, ...], words: list[str]) -> QuerySet[Any]:
    """PostgreSQL: full-text matches first, by rank; substring-only matches after them."""
    # "simple": no stemming, so names in any language match as typed.
    query = SearchQuery(" ".join(words), search_type="websearch", config="simple")
    vector = SearchVector(*fields, config="simple")
    return (
        queryset.annotate(document=vector)
        .filter(Q(document=query) | _substring_match(fields, words))
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "pk")
    )


def _find(queryset: QuerySet[Any], kind: str, words: list[str]) -> list[Any]:
    fields = FIELDS[kind]
    if connection.vendor == "postgresql":
        queryset = _ranked(queryset, fields, words)
    else:
        queryset = queryset.filter(_substring_match(fields, words))
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
