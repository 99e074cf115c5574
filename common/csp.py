"""The one loosening of the Content-Security-Policy (docs/operations.md, "Browser security headers")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpResponseBase

_INLINE_STYLES = {"style-src": [UNSAFE_INLINE]}


def inline_styles_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A page that shows an e-mail as it is sent: mail clients read only style="" attributes, so the
    page allows inline styles (in the enforced and the report-only policy alike), never inline script."""
    update: Any = csp_update(_INLINE_STYLES)
    update_report_only: Any = csp_update(_INLINE_STYLES, REPORT_ONLY=True)
    return update(update_report_only(view))
