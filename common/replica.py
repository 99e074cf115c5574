"""Reads that may go to the read replica, and read-your-writes for the user who just wrote.

A view marks the reads it is happy to take from the replica (dashboards, exports, the API's lists)
with `@replica_reads` or `reading_from_replica(user)`; everything else reads the primary. The router
(kam/db_router.py) follows the mark. After any POST/PUT/PATCH/DELETE by a user, their reads stay on
the primary for `KAM_REPLICA_PIN_SECONDS`, so a page they open after an edit never shows the state
before it, however far the replica lags. With no replica configured (`KAM_READ_REPLICA` unset) all of
this does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The replica alias this block of code may read from, or None: the primary.
_replica: ContextVar[str | None] = ContextVar("kam_replica_reads", default=None)


def replica_alias() -> str | None:
    """The alias that reads marked for the replica go to now, or None (the primary)."""
    return _replica.get()


def _pin_key(user_pk: Any) -> str:
    return f"kam:reads-from-primary:{user_pk}"


def pin_to_primary(user: Any) -> None:
    """The user's reads go to the primary for the next KAM_REPLICA_PIN_SECONDS (their own edit must
    show on the next page, whichever process serves it: the mark is in the shared cache)."""
    if settings.KAM_READ_REPLICA and getattr(user, "is_authenticated", False):
        cache.set(_pin_key(user.pk), 1, timeout=settings.KAM_REPLICA_PIN_SECONDS)


def is_pinned(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and cache.get(_pin_key(user.pk)))


def replica_reads_begin(user: Any) -> Any:
    """Start routing marked reads to the replica (unless `user` wrote lately); the token for `_end`."""
    alias = settings.KAM_READ_REPLICA
    if not alias or is_pinned(user):
        return None
    return _replica.set(alias)


def replica_reads_end(token: Any) -> None:
    if token is not None:
        _replica.reset(token)


@contextmanager
def reading_from_primary() -> Iterator[None]:
    """Reads inside the block go to the primary, even within a replica block: what a write compares
    with (the audit trail's "before" of a row) must be the row as it is now."""
    token = _replica.set(None)
    try:
        yield
    finally:
        _replica.reset(token)


@contextmanager
def reading_from_replica(user: Any = None) -> Iterator[None]:
    """Reads inside the block may come from the replica (a transaction still reads the primary)."""
    token = replica_reads_begin(user)
    try:
        yield
    finally:
        replica_reads_end(token)


def replica_reads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view whose GET reads may come from the replica; its POST stays on the primary."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with reading_from_replica(request.user):
            response = view(request, *args, **kwargs)
            # A TemplateResponse renders after the view returns: render it while the mark holds.
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
            return response

    return wrapper


class ReadYourWritesMiddleware:
    """Pins the user who sent a write (any unsafe method) to the primary for a while.

    The method is the mark, not the SQL a request ran: GET pages write too (the session, the
    personal-data access log), and what they write is never read back through a replica view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.KAM_READ_REPLICA and request.method not in SAFE_METHODS:
            # DRF's token authentication sets request.user on this request too.
            pin_to_primary(getattr(request, "user", None))
        return response
