"""The buying centre of an account: contact list, contact card, create/edit/delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.filters import refused
from common.forms import add_service_errors
from common.views import AuthenticatedHttpRequest

from .. import permissions, selectors, services
from ..consent import consent_state
from ..forms import ContactForm
from ..models import Contact, PersonalDataAccess
from ..tabs import account_page_context


@login_required
def contact_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    context = account_page_context(user=request.user, account=account, tab="contacts")
    contacts = selectors.contact_list(user=request.user, filters=request.GET, account=account)
    status = refused(request, contacts)
    context["contacts"] = contacts.rows
    return render(request, "accounts/contacts.html", context, status=status)


@login_required
def contact_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    account = selectors.account_get(user=request.user, pk=contact.account_id)
    personal = permissions.may_show_personal_data(request.user, contact)
    if personal:
        services.personal_data_access_log(
            user=request.user, contacts=[contact], channel=PersonalDataAccess.Channel.PAGE
        )
    context = account_page_context(user=request.user, account=account, tab="contacts")
    context.update(
        contact=contact,
        personal=personal,
        consent=consent_state(contact),
        consents=contact.consents.select_related("recorded_by", "withdrawn_by")
        if permissions.sees_personal_data(request.user)
        else [],
        can_record_consent=permissions.can_record_consent(request.user, account),
        can_manage_personal_data=permissions.can_manage_personal_data(request.user),
        direct_reports=contact.direct_reports.order_by("last_name"),
    )
    return render(request, "accounts/contact_detail.html", context)


def _contact_form_page(request: AuthenticatedHttpRequest, account, contact: Contact | None) -> HttpResponse:
    if not permissions.can_edit_account(request.user, account):
        raise PermissionDenied
    personal = (
        permissions.can_see_personal_data(request.user, account)
        if contact is None
        else permissions.may_show_personal_data(request.user, contact)
    )
    form = ContactForm(request.POST or None, instance=contact, account=account, personal=personal)
    if request.method == "POST" and form.is_valid():
        try:
            if contact is None:
                contact = services.contact_create(
                    account=account, personal=personal, **form.data_for_service()
                )
            else:
                contact = services.contact_update(
                    contact=contact,
                    personal=personal,
                    **form.data_for_service(),
                    version=form.cleaned_data.get("version"),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Contact %(name)s saved.") % {"name": contact})
            return redirect(contact)
    if contact is not None and personal and request.method == "GET":
        services.personal_data_access_log(
            user=request.user, contacts=[contact], channel=PersonalDataAccess.Channel.PAGE, action="edit"
        )
    context = account_page_context(user=request.user, account=account, tab="contacts")
    context.update(form=form, contact=contact)
    return render(request, "accounts/contact_form.html", context)


@login_required
def contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    return _contact_form_page(request, account, None)


@login_required
def contact_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    account = selectors.account_get(user=request.user, pk=contact.account_id)
    return _contact_form_page(request, account, contact)


@login_required
@require_POST
def contact_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    if not permissions.can_edit_account(request.user, contact.account):
        raise PermissionDenied
    services.contact_delete(contact=contact)
    messages.success(request, _("Contact %(name)s deleted.") % {"name": contact})
    return redirect("accounts:contacts", pk=contact.account_id)
