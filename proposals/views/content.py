"""Editing a draft's content on its page: the lines inline (htmx swaps only the table), and the
arguments per audience. Each write sends the proposal's `version`, the optimistic lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import StaleEditError
from common.forms import add_service_errors, saved
from common.views import AuthenticatedHttpRequest, form_page

from .. import selectors, services
from ..forms import ArgumentForm, LineForm
from ..models import Proposal, ProposalArgument, ProposalLine
from ._common import (
    detail_url,
    is_htmx,
    posted_version,
    refuse_unless_draft,
    user_of,
    writable_proposal,
    writable_row,
)
from .parts import NEW_LINE, line_form, product_lines, render_lines, render_page

# --- lines --------------------------------------------------------------------------------------


def _answer(
    request: AuthenticatedHttpRequest, pk: int, *, ok: bool, message: str = "", **parts: Any
) -> HttpResponse:
    """After a line write: the table (htmx; with the workflow box when something changed), or,
    without htmx, back to the page (done) or the page with the row's errors (400)."""
    proposal = selectors.proposal_get(user=user_of(request), pk=pk)  # re-read: totals and version moved
    if is_htmx(request):
        return render_lines(request, proposal, status=200 if ok else 400, changed=ok, **parts)
    if ok:
        messages.success(request, message)
        return redirect(detail_url(proposal, "lines"))
    return render_page(request, proposal, status=400, lines=parts)


def _write(form: LineForm, save: Callable[[dict[str, Any], int | None], Any]) -> tuple[bool, str | None]:
    """Run the line service on a valid form: (done, the message to show above the table)."""
    if not form.is_valid():
        return False, None
    try:
        save(form.data_for_service(), form.cleaned_data.get("version"))
    except StaleEditError as error:
        return False, " ".join(error.message_dict["version"])
    except ValidationError as error:
        add_service_errors(form, error)
        return False, " ".join(str(text) for text in form.non_field_errors()) or None
    return True, None


@login_required
def lines(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the lines table as it stands (an edit cancelled). POST: a new line at the end."""
    if request.method != "POST":
        proposal = selectors.proposal_get(user=user_of(request), pk=pk)
        return (
            render_lines(request, proposal) if is_htmx(request) else redirect(detail_url(proposal, "lines"))
        )
    proposal = writable_proposal(request, pk)
    form = LineForm(request.POST, form_id=NEW_LINE, product_lines=product_lines())
    ok, error = _write(
        form, lambda data, version: services.line_create(proposal=proposal, expected_version=version, **data)
    )
    return _answer(
        request, pk, ok=ok, message=_("Line added."), **({} if ok else {"add_form": form, "error": error})
    )


def _line(request: AuthenticatedHttpRequest, pk: int) -> ProposalLine:
    return writable_row(request, ProposalLine.objects.visible_to(user_of(request)), pk)


@login_required
def line_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the table with this line's row as inputs. POST: save the row."""
    line = _line(request, pk)
    if request.method != "POST":
        proposal = selectors.proposal_get(user=user_of(request), pk=line.proposal_id)
        edit_form = line_form(line) if proposal.is_editable else None
        if is_htmx(request):
            return render_lines(request, proposal, edit_form=edit_form)
        return render_page(request, proposal, lines={"edit_form": edit_form})
    form = line_form(line, request.POST)
    ok, error = _write(
        form, lambda data, version: services.line_update(line=line, expected_version=version, **data)
    )
    return _answer(
        request,
        line.proposal_id,
        ok=ok,
        message=_("Line saved."),
        **({} if ok else {"edit_form": form, "error": error}),
    )


@login_required
@require_POST
def line_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    error = None
    try:
        services.line_delete(line=line, expected_version=posted_version(request))
    except StaleEditError as stale:
        error = " ".join(stale.message_dict["version"])
    except ValidationError as refused:
        error = " ".join(refused.messages)
    return _answer(
        request,
        line.proposal_id,
        ok=error is None,
        message=_("Line deleted."),
        **({"error": error} if error else {}),
    )


# --- arguments per audience ---------------------------------------------------------------------


@login_required
@require_POST
def argument_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = writable_proposal(request, pk)
    form = ArgumentForm(
        request.POST, contacts=list(proposal.account.contacts.all()), version=proposal.version
    )

    def save(data: dict[str, Any]) -> ProposalArgument:
        version = form.cleaned_data.get("version")
        return services.argument_create(proposal=proposal, expected_version=version, **data)

    if saved(request, form, save, message=_("Argument added.")):
        return redirect(detail_url(proposal, "arguments"))
    return render_page(
        request, selectors.proposal_get(user=user_of(request), pk=pk), status=400, argument_form=form
    )


def _argument(request: AuthenticatedHttpRequest, pk: int) -> ProposalArgument:
    return writable_row(request, ProposalArgument.objects.filter(proposal__in=_visible(request)), pk)


def _visible(request: AuthenticatedHttpRequest) -> Any:
    return Proposal.objects.visible_to(user_of(request))


@login_required
def argument_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    argument = _argument(request, pk)
    proposal = argument.proposal
    if refused_edit := refuse_unless_draft(request, proposal):
        return refused_edit
    form = ArgumentForm(
        request.POST or None,
        instance=argument,
        contacts=list(proposal.account.contacts.all()),
        version=proposal.version,
    )

    def save(data: dict[str, Any]) -> ProposalArgument:
        version = form.cleaned_data.get("version")
        return services.argument_update(argument=argument, expected_version=version, **data)

    if saved(request, form, save, message=_("Argument saved.")):
        return redirect(detail_url(proposal, "arguments"))
    title = _("Argument of %(number)s for the %(audience)s") % {
        "number": proposal.number,
        "audience": argument.get_audience_display().lower(),
    }
    return form_page(request, form, title=title, cancel=detail_url(proposal, "arguments"))


@login_required
@require_POST
def argument_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    argument = _argument(request, pk)
    try:
        services.argument_delete(argument=argument, expected_version=posted_version(request))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Argument removed."))
    return redirect(detail_url(argument.proposal, "arguments"))
