"""Import pages (upload → preview → live progress → report) and the account page's Sales tab."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import account_get
from accounts.tabs import account_page_context
from common.filters import refused
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest

from . import permissions, selectors, services
from .forms import ImportOptionsForm, UploadForm
from .models import ImportBatch
from .tasks import run_import


@login_required
def account_sales_tab(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_get(user=request.user, pk=pk)
    context = account_page_context(user=request.user, account=account, tab="sales")
    summary = selectors.account_sales_summary(account=account)
    context.update(
        summary=summary, chart=json.dumps({"labels": summary["labels"], "datasets": summary["datasets"]})
    )
    context["can_see_batches"] = permissions.can_view_imports(request.user)
    return render(request, "sales/account_tab.html", context)


@login_required
def batch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_view_imports(request.user):
        raise PermissionDenied
    batches = selectors.batch_list(user=request.user, filters=request.GET)
    status = refused(request, batches)
    context = {"page": paginate(request, batches.rows), "filter": batches,
               "query": querystring_without(request, "page"),
               "can_import": permissions.can_import(request.user)}  # fmt: skip
    return render(request, "sales/batch_list.html", context, status=status)


@login_required
def batch_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        options = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            batch = services.import_batch_create(
                by=request.user,
                source=ImportBatch.Source.UPLOAD,
                upload=form.cleaned_data["file"],
                options=options,
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect(batch)
    return render(request, "sales/upload.html", {"form": form})


def _get_batch(request: AuthenticatedHttpRequest, pk: int) -> ImportBatch:
    if not permissions.can_view_imports(request.user):
        raise PermissionDenied
    return selectors.batch_get(user=request.user, pk=pk)


@login_required
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    context = {"batch": batch, "can_import": permissions.can_import(request.user),
               "can_rollback": permissions.can_rollback(request.user)}  # fmt: skip
    if batch.status == ImportBatch.Status.PENDING:
        context["preview"] = selectors.batch_preview(batch=batch)
        context["options_form"] = ImportOptionsForm(initial=ImportOptionsForm.initial_from(batch.options))
    elif batch.status == ImportBatch.Status.RUNNING:
        context["progress"] = services.import_progress(batch=batch)
    return render(request, "sales/batch_detail.html", context)


@login_required
def batch_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The live part of the batch page, polled while the import runs; the full page once done."""
    batch = _get_batch(request, pk)
    response = render(request, "sales/_batch_progress.html", {
        "batch": batch, "progress": services.import_progress(batch=batch),
    })  # fmt: skip
    if batch.is_finished:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def batch_options(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    if not permissions.can_import(request.user):
        raise PermissionDenied
    form = ImportOptionsForm(request.POST)
    if batch.status != ImportBatch.Status.PENDING:
        messages.error(request, _("This import has already started; its options cannot change."))
    elif form.is_valid():
        services.import_batch_set_options(batch=batch, options=form.cleaned_data)
        messages.success(request, _("Reading options changed; check the preview again."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(batch)


@login_required
@require_POST
def batch_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    if not permissions.can_import(request.user):
        raise PermissionDenied
    if batch.status == ImportBatch.Status.PENDING:
        transaction.on_commit(lambda: run_import.delay(batch.pk))
    return redirect(batch)


@login_required
@require_POST
def batch_rollback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    if not permissions.can_rollback(request.user):
        raise PermissionDenied
    try:
        services.import_batch_rollback(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Import #%(id)s was rolled back.") % {"id": batch.pk})
    return redirect(batch)


@login_required
def batch_rejects(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    batch = _get_batch(request, pk)
    if not batch.rejects:
        raise Http404
    return FileResponse(
        batch.rejects.open("rb"), as_attachment=True, filename=f"import-{batch.pk}-rejects.csv"
    )
