"""The language of a request: a signed-in user's own choice wins over the cookie and the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def in_language_of(user: Any) -> translation.override:
    """Write a message (a notification, an e-mail) in the language its reader chose, else the default."""
    return translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE)


def language_choices() -> list[tuple[str, str]]:
    """The languages kam speaks, each named in itself ("日本語", "Suomi")."""
    return list(settings.LANGUAGES)


class UserLanguageMiddleware:
    """After LocaleMiddleware and authentication: a user with a saved language gets it on every page.

    Contacts opening a survey link are not signed in, so for them LocaleMiddleware's choice stands
    (cookie, then Accept-Language).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(getattr(request, "user", None), "language", "")
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
