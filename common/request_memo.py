"""Values read once per request: a page's cards and lists each ask for the visibility token and the
ids of the user's accounts, and each asking was a round trip to the shared cache (27 on a KAM's home
page, 24 of them for the same two values).

`RequestMemoMiddleware` opens an empty memo for each request and drops it after; `remembered(key,
read)` reads a value once per memo. Outside a request (a task, a command) there is no memo and every
call reads. Whoever changes a remembered value `forget`s it, so that the rest of the request reads
the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: ContextVar[dict[str, Any] | None] = ContextVar("kam_request_memo", default=None)


def remembered(key: str, read: Callable[[], T]) -> T:
    """`read()`, once per request for `key`."""
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def forget(key: str) -> None:
    """The next `remembered(key, …)` of this request reads again."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        opened = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(opened)
