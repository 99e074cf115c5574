"""What the API accepts before any view runs: well-formed tokens and JSON of bounded depth.

Kept apart from `common.api`: DRF loads these classes from its settings while `rest_framework.views`
is still being imported, so this module must not import that (nor `common.api`).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import parsers, permissions
from rest_framework.exceptions import AuthenticationFailed, ParseError, PermissionDenied
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

# The largest id a (big) auto field holds: a larger one names nothing, and the database refuses it.
MAX_ID = 2**63 - 1
# knox issues tokens as hexadecimal text; anything else cannot be one.
_TOKEN = re.compile(rb"[0-9a-fA-F]{1,128}")


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check, refusing a token that is not hexadecimal text (`Token é`) with a 401."""

    def authenticate_credentials(self, token: bytes) -> Any:
        if not _TOKEN.fullmatch(token):
            raise AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)

    def authenticate(self, request: Any) -> Any:
        """Also: a read-only token may not change anything (403), whatever the view's own
        permissions say; and the token's last use is noted (at most once a minute)."""
        result = super().authenticate(request)
        if result is None:
            return None
        from accounts.token_services import api_token_is_read_only, api_token_record_use

        digest = result[1].digest
        if request.method not in permissions.SAFE_METHODS and api_token_is_read_only(digest=digest):
            raise PermissionDenied(_("This API token is read-only: it may not change anything."))
        api_token_record_use(digest=digest)
        return result


class _CallerRateThrottle(SimpleRateThrottle):
    """Counts the requests of one API token (or signed-in user, or address) against the scope's rate.

    The rate is read from the settings at each request, so that a changed setting (a test) applies.
    """

    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope or "")

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        digest = getattr(request.auth, "digest", None)
        if digest:
            ident = f"token-{digest}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class BurstRateThrottle(_CallerRateThrottle):
    scope = "burst"


class SustainedRateThrottle(_CallerRateThrottle):
    scope = "sustained"


MAX_JSON_DEPTH = 32


def _json_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether arrays and objects nest deeper than `limit` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than MAX_JSON_DEPTH with a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        message = f"JSON parse error - arrays and objects nested deeper than {MAX_JSON_DEPTH} levels."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(message) from error
        if _json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(message)
        return data
