"""A contact's consent register: recording a consent, recording its withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_service_errors
from common.views import AuthenticatedHttpRequest

from .. import permissions, selectors
from ..consent import consent_record, consent_state, consent_withdraw
from ..forms import ConsentForm, ConsentWithdrawalForm
from ..models import Contact
from ..tabs import account_page_context


def _contact_for_consent(request: AuthenticatedHttpRequest, pk: int) -> Contact:
    contact = selectors.contact_get(user=request.user, pk=pk)
    if not permissions.can_record_consent(request.user, contact.account):
        raise PermissionDenied
    return contact


def _page(
    request: AuthenticatedHttpRequest, contact: Contact, form, withdrawal, status: int = 200
) -> HttpResponse:
    context = account_page_context(user=request.user, account=contact.account, tab="contacts")
    context.update(
        contact=contact,
        form=form,
        withdrawal=withdrawal,
        consent=consent_state(contact),
        consents=contact.consents.select_related("recorded_by", "withdrawn_by"),
    )
    return render(request, "accounts/contact_consent.html", context, status=status)


@login_required
def consent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The register of the contact's consents, with a form to record a new one."""
    contact = _contact_for_consent(request, pk)
    today = timezone.localdate()
    form = ConsentForm(request.POST or None, initial={"given_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(contact=contact, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect(contact)
    withdrawal = ConsentWithdrawalForm(initial={"withdrawn_on": today})
    return _page(request, contact, form, withdrawal, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The contact withdrew consent: their personal fields are hidden everywhere from now on."""
    contact = _contact_for_consent(request, pk)
    withdrawal = ConsentWithdrawalForm(request.POST)
    if withdrawal.is_valid():
        try:
            consent_withdraw(contact=contact, by=request.user, **withdrawal.cleaned_data)
        except ValidationError as error:
            add_service_errors(withdrawal, error)
        else:
            messages.success(request, _("The withdrawal is recorded: the personal details are hidden."))
            return redirect(contact)
    form = ConsentForm(initial={"given_on": timezone.localdate()})
    return _page(request, contact, form, withdrawal, status=400)
