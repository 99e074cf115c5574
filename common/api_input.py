"""What the API accepts before any view runs: well-formed tokens and JSON of bounded depth.

Kept apart from `common.api`: DRF loads these classes from its settings while `rest_framework.views`
is still being imported, so this module must not import that (nor `common.api`).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import parsers
from rest_framework.exceptions import AuthenticationFailed, ParseError

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
