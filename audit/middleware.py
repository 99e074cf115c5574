"""Who made a write, from where, and with which API token: read when the audit entry is written.

auditlog's own middleware takes `request.user` before the view runs, when an API request has no
user yet (knox authenticates inside the DRF view). Here every value is a callable that
auditlog calls as it saves the entry, by which time DRF has put the token's user and the token
on the request (`Request.user` and `Request.auth` are copied onto the Django request).
"""

from __future__ import annotations

from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def actor_id(request: HttpRequest) -> int | None:
    user = _user(request)
    return user.pk if user is not None else None


def actor_email(request: HttpRequest) -> str | None:
    user = _user(request)
    return (user.email or None) if user is not None else None


def channel(request: HttpRequest) -> dict[str, str]:
    """How the write came in: a page, or the API with a token (named by its key prefix, which
    the API keys page shows too; the token itself is never written)."""
    token_key = getattr(getattr(request, "auth", None), "token_key", None)
    if token_key:
        return {"via": "api", "token": token_key}
    if request.path.startswith("/api/"):
        return {"via": "api"}
    return {"via": "page"}


class AuditContextMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        if settings.KAM_AUDIT_TRUST_X_FORWARDED_FOR:
            return AuditlogMiddleware._get_remote_addr(request)
        return request.META.get("REMOTE_ADDR")

    def get_extra_data(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "remote_addr": self._get_remote_addr(request),
            "remote_port": None,
            # Not "actor": auditlog takes that one as it is, here it must wait for the view.
            "actor_id": lambda: actor_id(request),
            "actor_email": lambda: actor_email(request),
            "additional_data": lambda: channel(request),
        }
