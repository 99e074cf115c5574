"""Issue, revoke and resolve calendar feed tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import CalendarFeed


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, user: User) -> tuple[CalendarFeed, str]:
    """A new feed for `user`, revoking the one they had; returns the feed and its token (shown once)."""
    calendar_feed_revoke(user=user)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token))
    return feed, token


def calendar_feed_revoke(*, user: User) -> int:
    """Turn off the user's feed URL; returns how many feeds were active (0 or 1)."""
    return CalendarFeed.objects.filter(user=user).active().update(revoked_at=timezone.now())


def calendar_feed_for_token(*, token: str) -> CalendarFeed | None:
    """The active feed the token opens, with its user, or None; records the fetch."""
    feed = (
        CalendarFeed.objects.active()
        .select_related("user")
        .filter(token_hash=feed_token_hash(token), user__is_active=True)
        .first()
    )
    if feed is not None:
        feed.last_fetched_at = timezone.now()
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=feed.last_fetched_at)
    return feed
