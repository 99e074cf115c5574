"""The unsubscribe link: a signed (user, digest) pair, valid without signing in."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "management.digests.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, digest) of a genuine token, else None."""
    try:
        data = signing.loads(token, salt=SALT)
        return int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    path = reverse("management:digest-unsubscribe", kwargs={"token": unsubscribe_token(user_id=user_id, kind=kind)})
    return f"{settings.KAM_BASE_URL}{path}"
