"""The management API: sales plans, KAM scorecards, forecasts, client reports."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import User
from common.exports import XLSX

from .consumption import selectors as consumption
from .consumption.files import report_files

FORMATS = {"xlsx": XLSX, "pdf": "application/pdf"}


class ConsumptionReportView(APIView):
    """One account's semester consumption report as an XLSX workbook or a PDF."""

    # `format` names the file wanted, not DRF's renderer: the answer is chosen here, errors in JSON.
    renderer_classes = [renderers.JSONRenderer]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        renderer = renderers.JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        parameters=[
            OpenApiParameter("half", str, description="The half-year, as 2026H1; default: the last closed"),
            OpenApiParameter("format", str, enum=list(FORMATS), description="Default: pdf"),
        ],
        responses={
            (200, XLSX): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        account = consumption.report_account(user=user, pk=pk)
        fmt = request.query_params.get("format", "pdf")
        errors: dict[str, list[str]] = {}
        if fmt not in FORMATS:
            errors["format"] = [
                _("format must be one of: %(choices)s; got %(value)r.")
                % {"choices": ", ".join(FORMATS), "value": fmt}
            ]
        try:
            half = consumption.half_of(request.query_params.get("half"))
        except ValueError as error:
            errors["half"] = [str(error)]
        if errors:
            raise ValidationError(errors)
        files = report_files(consumption.report_of(account, half))
        response = HttpResponse(getattr(files, fmt), content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{files.stem}.{fmt}"'
        return response
