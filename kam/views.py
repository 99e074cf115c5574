"""Project-level views that belong to no app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .celery import app as celery_app


def health(request: HttpRequest) -> JsonResponse:
    """Liveness of the database, the cache and the broker, for load balancers and monitoring."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        cache.set("health", "ok", 5)
        checks["cache"] = "ok" if cache.get("health") == "ok" else "error: no round trip"
    except Exception as error:
        checks["cache"] = f"error: {error.__class__.__name__}"
    if celery_app.conf.task_always_eager:
        checks["broker"] = "eager"
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as error:
            checks["broker"] = f"error: {error.__class__.__name__}"
    healthy = all(not v.startswith("error") for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the one icon. Not a
    permanent redirect: the icon's static URL changes with its content."""
    return HttpResponseRedirect(static("img/favicon.svg"))


class ApiDocsPermission(BasePermission):
    """The OpenAPI schema is for signed-in users (token or session) unless API_DOCS_PUBLIC is set."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)


class KeptSchemaGenerator(SchemaGenerator):
    """The OpenAPI schema, generated once per process and language: it changes only with the code,
    and generating it takes a second and a half of CPU. The public schema is the same for every
    caller (no serializer's fields depend on who asks).

    Only the project's languages, without an API version, are kept: `?lang=` and `?version=` take
    any text, and keeping each would let a caller fill the process's memory. Anything else is
    generated for its request."""

    generated: ClassVar[dict[str, dict[str, Any]]] = {}

    def get_schema(self, request: Request | None = None, public: bool = False) -> dict[str, Any]:
        language = translation.get_language()
        if not public or self.api_version is not None or language not in dict(settings.LANGUAGES):
            return super().get_schema(request=request, public=public)
        if language not in self.generated:
            self.generated[language] = super().get_schema(request=request, public=public)
        return self.generated[language]


def api_docs_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The Swagger UI page: like the schema, it asks an anonymous visitor to log in first."""

    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return page
