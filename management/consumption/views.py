"""The consumption report's pages: one account's report (from its Sales tab) with its downloads, and
the bulk runs heads and admins start, with their progress and files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.tabs import account_page_context
from common.exports import XLSX
from common.views import AuthenticatedHttpRequest

from . import selectors, services, tables
from .files import report_files
from .forms import HalfForm
from .run_selectors import report_file_get, run_files, run_get, run_list
from .tables import Table, display

CONTENT_TYPES = {"xlsx": XLSX, "pdf": "application/pdf"}


def _shown(table: Table) -> dict[str, Any]:
    """A table as the page prints it: texts, their alignment, and whether the last row is a total."""
    rows = [
        [(display(value, kind), kind != tables.TEXT) for value, kind in zip(row, table.kinds, strict=True)]
        for row in table.rows
    ]
    return {"title": table.title, "header": table.header, "rows": rows, "total": table.emphasised_last,
            "numeric": [kind != tables.TEXT for kind in table.kinds]}  # fmt: skip


@login_required
def account_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The report of one visible account on screen, with the half-year picker and the downloads."""
    account = selectors.report_account(user=request.user, pk=pk)
    form = HalfForm(request.GET or None)
    half = form.cleaned_data["half"] if form.is_valid() else selectors.last_closed_half()
    report = selectors.report_of(account, half)
    context = account_page_context(user=request.user, account=account, tab="sales")
    context.update(
        form=form,
        half=half,
        half_title=tables.half_title(half),
        report=report,
        summary=_shown(tables.summary(report)),
        line_tables=[_shown(table) for table in tables.line_tables(report)],
        method=tables.method_note(report),
    )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "management/consumption_account.html", context, status=status)


@login_required
def account_report_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report of one visible account as an XLSX or PDF download."""
    account = selectors.report_account(user=request.user, pk=pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    form = HalfForm(request.GET)
    if not form.is_valid():
        message = " ".join(str(error) for error in form.errors["half"])
        return HttpResponseBadRequest(message, content_type="text/plain")
    report = selectors.report_of(account, form.cleaned_data["half"])
    files = report_files(report)
    response = HttpResponse(getattr(files, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{files.stem}.{fmt}"'
    return response


def _runner(request: AuthenticatedHttpRequest) -> None:
    if not services.can_run_reports(request.user):
        raise PermissionDenied


@login_required
def run_list_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The bulk runs the user may see, and the form that starts one."""
    _runner(request)
    last_half = selectors.last_closed_half()
    context = {
        "runs": run_list(user=request.user)[:20],
        "form": HalfForm(),
        "accounts_seen": selectors.accounts_with_sales(user=request.user, half=last_half).count(),
    }
    return render(request, "management/consumption_runs.html", context)


@login_required
@require_POST
def run_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    _runner(request)
    form = HalfForm(request.POST)
    if not form.is_valid():
        context = {"runs": run_list(user=request.user)[:20], "form": form, "accounts_seen": None}
        return render(request, "management/consumption_runs.html", context, status=400)
    from ..tasks import execute_consumption_run  # the task module imports the services: not at the top

    with transaction.atomic():
        run = services.consumption_run_create(by=request.user, half=form.cleaned_data["half"])
        transaction.on_commit(lambda: execute_consumption_run.delay(run.pk))
    messages.success(request, _("The reports of %(half)s are being written.") % {"half": run.half})
    return redirect(run)


def _run_context(request: AuthenticatedHttpRequest, pk: int) -> dict[str, Any]:
    run = run_get(user=request.user, pk=pk)  # none are visible to KAMs and analysts: 404
    return {"run": run, "files": run_files(user=request.user, run=run) if run.is_finished else []}


@login_required
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render(request, "management/consumption_run.html", _run_context(request, pk))


@login_required
def run_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The live part of the run page, polled while the run is going."""
    return render(request, "management/_consumption_progress.html", _run_context(request, pk))


@login_required
def run_file(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> FileResponse:
    """One stored file of a run the user may see, of an account the user may see."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    row = report_file_get(user=request.user, pk=pk)
    stored = getattr(row, fmt)
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{row.name}.{fmt}")
