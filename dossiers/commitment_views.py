"""The commitments register: "My commitments", the account's promises, and logging, keeping or
breaking one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.tabs import account_page_context
from common.errors import StaleEditError
from common.filters import refused
from common.forms import add_service_errors, saved
from common.numbers import whole_number
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest, form_page, visible_account, writable, writable_account

from . import commitment_selectors as selectors
from . import services
from .commitment_forms import BrokenForm, CommitmentForm
from .models import Commitment


def _back(commitment: Commitment) -> str:
    return reverse("dossiers:account-commitments", args=[commitment.account_id])


@login_required
def commitments(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My commitments: the user's own promises by default (`owner` picks someone else's on the
    accounts the user sees), filtered, sorted and a page at a time."""
    params = request.GET.copy()
    if "owner" not in params:
        params["owner"] = str(request.user.pk)
    register = selectors.commitment_list(user=request.user, filters=params)
    status = refused(request, register)
    page = paginate(request, register.rows)
    today = timezone.localdate()
    context = {
        "page": page,
        "rows": [(c, c.is_overdue(today)) for c in page.object_list],
        "filter": register,
        "query": querystring_without(request, "page"),
        "can_edit": not request.user.is_analyst,
    }
    return render(request, "dossiers/commitments.html", context, status=status)


@login_required
def account_commitments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The account's promises: open ones first (overdue marked), then those kept or broken."""
    account = visible_account(request, pk)
    today = timezone.localdate()
    rows = selectors.account_commitments(user=request.user, account=account)
    context = account_page_context(user=request.user, account=account, tab="dossier")
    context.update(rows=[(c, c.is_overdue(today)) for c in rows], can_edit=not request.user.is_analyst)
    return render(request, "dossiers/account_commitments.html", context)


@login_required
def commitment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Log a promise on the account, from one of its interactions when `?interaction=` names one."""
    account = writable_account(request, pk)
    raw = request.GET.get("interaction", "")
    interaction = selectors.interaction_for(user=request.user, account=account, pk=whole_number(raw))
    initial: dict[str, Any] = {"owner": request.user.pk}
    if interaction is not None:
        initial.update(interaction=interaction.pk, contact=next(iter(interaction.contacts.all()), None))
    form = CommitmentForm(request.POST or None, account=account, initial=initial)

    def save(data: dict[str, Any]) -> Commitment:
        return services.commitment_create(account=account, by=request.user, **data)

    back = reverse("dossiers:account-commitments", args=[account.pk])
    if saved(request, form, save, message=_("Commitment logged.")):
        return redirect(back)
    return form_page(request, form, title=_("Log a commitment"), cancel=back, account=account)


@login_required
def commitment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    commitment = writable(request, selectors.commitment_queryset(user=request.user), pk)
    form = CommitmentForm(request.POST or None, instance=commitment, account=commitment.account)

    def save(data: dict[str, Any]) -> Commitment:
        version = form.cleaned_data["version"]
        return services.commitment_update(commitment=commitment, by=request.user, version=version, **data)

    if saved(request, form, save, message=_("Commitment saved.")):
        return redirect(_back(commitment))
    return form_page(
        request, form, title=_("Edit a commitment"), cancel=_back(commitment), account=commitment.account
    )


@login_required
@require_POST
def commitment_kept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark the promise kept today."""
    if request.user.is_analyst:
        raise PermissionDenied
    commitment = writable(request, selectors.commitment_queryset(user=request.user), pk)
    version = whole_number(request.POST.get("version", ""))
    try:
        services.commitment_keep(commitment=commitment, by=request.user, version=version)
    except ValidationError as error:
        for texts in error.message_dict.values():
            messages.error(request, " ".join(texts))
    else:
        messages.success(request, _("“%(what)s” kept.") % {"what": commitment.what})
    return redirect(_back(commitment))


@login_required
def commitment_broken(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark the promise broken, saying why."""
    commitment = writable(request, selectors.commitment_queryset(user=request.user), pk)
    form = BrokenForm(request.POST or None, initial={"version": commitment.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_break(
                commitment=commitment,
                by=request.user,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except StaleEditError as error:
            form.add_error(None, error.message_dict["version"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(what)s” marked broken.") % {"what": commitment.what})
            return redirect(_back(commitment))
    title = _("Broken promise: %(what)s") % {"what": commitment.what}
    return form_page(request, form, title=title, cancel=_back(commitment), account=commitment.account)  # type: ignore[arg-type]
