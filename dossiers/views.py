"""The account page's Dossier tab, its two forms, and ticking off a task from the home page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Account, Contact, User
from accounts.permissions import can_edit_account
from accounts.selectors import account_queryset
from accounts.tabs import account_page_context
from kam.errors import StaleEditError

from . import selectors, services
from .forms import InteractionForm, ProfileForm, add_service_errors
from .models import AccountProfile, StrategicAssessment


def _account(request: HttpRequest, pk: int) -> Account:
    """A visible account with its profile, assessment and qualification joined (404 otherwise)."""
    queryset = account_queryset(user=request.user).select_related(*selectors.DOSSIER_JOINS)
    return get_object_or_404(queryset, pk=pk)


def _writable_account(request: HttpRequest, pk: int) -> Account:
    account = _account(request, pk)
    if not can_edit_account(request.user, account):
        raise PermissionDenied
    return account


def _tab(
    request: HttpRequest,
    account: Account,
    *,
    profile_form: ProfileForm | None = None,
    interaction_form: InteractionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = selectors.dossier_page(user=user, account=account)
    context = account_page_context(user=user, account=account, tab="dossier")
    context.update(
        page=page,
        profile_form=profile_form or ProfileForm(instance=page.profile or AccountProfile()),
        interaction_form=interaction_form or InteractionForm(contacts=page.contacts),
        profile_open=profile_form is not None,
        attitudes=Contact.Attitude.choices,
        criteria=_ticks(page.assessment, StrategicAssessment.CRITERIA),
        privileges=_ticks(page.assessment, StrategicAssessment.PRIVILEGES),
    )
    return render(request, "dossiers/account_tab.html", context, status=status)


def _ticks(assessment: StrategicAssessment | None, names: tuple[str, ...]) -> list[tuple[str, bool]]:
    """(label, ticked) for each criterion or privilege, in the checklist's order."""
    return [
        (
            str(StrategicAssessment._meta.get_field(name).verbose_name),
            bool(assessment and getattr(assessment, name)),
        )
        for name in names
    ]


@login_required
def account_tab(request: HttpRequest, pk: int) -> HttpResponse:
    return _tab(request, _account(request, pk))


@login_required
@require_POST
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _writable_account(request, pk)
    form = ProfileForm(request.POST, instance=getattr(account, "profile", None) or AccountProfile())
    if form.is_valid():
        try:
            services.profile_update(
                account=account, by=request.user, data=form.changes(), version=form.cleaned_data["version"]
            )
        except StaleEditError as error:
            form.add_error(None, error.message_dict["version"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("dossiers:account-tab", pk=account.pk)
    return _tab(request, account, profile_form=form, status=400)


@login_required
@require_POST
def interaction_create(request: HttpRequest, pk: int) -> HttpResponse:
    account = _writable_account(request, pk)
    contacts = list(account.contacts.all())
    form = InteractionForm(request.POST, contacts=contacts)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in InteractionForm.Meta.fields}
        try:
            services.interaction_create(account=account, by=request.user, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Interaction recorded."))
            return redirect(reverse("dossiers:account-tab", args=[account.pk]) + "#timeline")
    return _tab(request, account, interaction_form=form, status=400)


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick off one of one's own tasks (analysts are read-only, like everywhere else)."""
    if request.user.is_analyst:
        raise PermissionDenied
    task = selectors.own_task_get(user=request.user, pk=pk)
    services.task_complete(task=task, by=request.user)
    messages.success(request, _("Task “%(title)s” done.") % {"title": task.title})
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("home")
