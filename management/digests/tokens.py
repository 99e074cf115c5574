"""The unsubscribe link: a signed (user, digest) pair, valid without signing in."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "management.digests.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    # No timestamp: every digest of the user carries the same link, and it does not expire.
    return signing.Signer(salt=SALT).sign_object({"u": user_id, "k": kind})


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, digest) of a genuine token, else None."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        return int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    path = reverse(
        "management:digest-unsubscribe", kwargs={"token": unsubscribe_token(user_id=user_id, kind=kind)}
    )
    return f"{settings.KAM_BASE_URL}{path}"
