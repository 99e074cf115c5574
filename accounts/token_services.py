"""What an API token may do and when it was last used, read and written on each API request.

Both are answered from the cache: the read-only flag never changes after the token is issued, and
the last use is written at most once a minute per token, never once per request.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from .models import TokenProfile

READ_ONLY_CACHE_SECONDS = 3600
LAST_USE_EVERY_SECONDS = 60


def _read_only_key(digest: str) -> str:
    return f"api-token:{digest}:read-only"


def api_token_profile_create(*, digest: str, read_only: bool) -> TokenProfile:
    """The profile of a token just issued."""
    profile = TokenProfile.objects.create(token_id=digest, read_only=read_only)
    cache.set(_read_only_key(digest), read_only, READ_ONLY_CACHE_SECONDS)
    return profile


def api_token_is_read_only(*, digest: str) -> bool:
    """Whether the token may only read; tokens issued before profiles existed may write."""
    read_only = cache.get(_read_only_key(digest))
    if read_only is None:
        read_only = TokenProfile.objects.filter(token_id=digest, read_only=True).exists()
        cache.set(_read_only_key(digest), read_only, READ_ONLY_CACHE_SECONDS)
    return bool(read_only)


def api_token_record_use(*, digest: str) -> None:
    """Note that the token was just used, unless that was already noted in the last minute."""
    if not cache.add(f"api-token:{digest}:used", 1, LAST_USE_EVERY_SECONDS):
        return
    now = timezone.now()
    if not TokenProfile.objects.filter(token_id=digest).update(last_used_at=now):
        TokenProfile.objects.get_or_create(token_id=digest, defaults={"last_used_at": now})
