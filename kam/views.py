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
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

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


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process and language: it changes only with the code,
    and generating it takes a second and a half of CPU. It is the same for every caller (no
    serializer's fields depend on who asks).

    Only the project's languages, without a `?version=`, are kept: `?lang=` and `?version=` take any
    text, and keeping each would let a caller fill the process's memory. Anything else is generated
    for its request, as before."""

    permission_classes = [ApiDocsPermission]
    generated: ClassVar[dict[str, dict[str, Any]]] = {}

    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        language = translation.get_language()
        if version is not None or language not in dict(settings.LANGUAGES):
            return super()._get_schema_response(request)
        if language not in self.generated:
            response = super()._get_schema_response(request)
            self.generated[language] = response.data
            return response
        disposition = f'inline; filename="{self._get_filename(request, version)}"'
        return Response(data=self.generated[language], headers={"Content-Disposition": disposition})


def api_docs_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The Swagger UI page: like the schema, it asks an anonymous visitor to log in first."""

    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return page
