"""Nobody who owes a second factor reaches a page before giving it.

A signed-in user with an authenticator whose session has not passed a code is sent to the code
page; a user whose role requires two-factor sign-in and who has none is sent to set it up. Only the
pages needed to do that (and to leave) stay open: those below, the static files and the health probe.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .two_factor import two_factor_required

OPEN_URL_NAMES = ("logout", "health", "favicon", "language-set", "two-factor-code", "two-factor-setup")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or _is_open(request.path):
            return self.get_response(request)
        if user.two_factor_enabled:
            if user.is_verified():  # type: ignore[attr-defined]  # installed by django-otp's middleware
                return self.get_response(request)
            return _send_to(request, "two-factor-code", _("Enter your two-factor code first."))
        if two_factor_required(user):
            return _send_to(request, "two-factor-setup", _("Set up two-factor sign-in first."))
        return self.get_response(request)


def _is_open(path: str) -> bool:
    # Both with the script prefix, if any: request.path and reverse() carry it, as does STATIC_URL.
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path.startswith(static) or any(path == reverse(name) for name in OPEN_URL_NAMES)


def _send_to(request: HttpRequest, url_name: str, message: str) -> HttpResponse:
    # The API (with a session) answers in its own terms rather than with an HTML page.
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    # A page's htmx fragment (the notifications badge) must not swap a whole page into the menu;
    # htmx leaves the page as it is on an error status.
    if request.headers.get("HX-Request"):
        return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
    target = reverse(url_name)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(target)
