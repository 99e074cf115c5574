"""The contact page's personal-data actions: download everything held, erase the person."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from accounts import selectors
from accounts.models import Contact, PersonalDataAccess
from accounts.permissions import can_manage_personal_data
from common.views import AuthenticatedHttpRequest

from .erasure import erasure_preview, personal_data_erase
from .export import as_json, personal_data_export


def _manageable(request: AuthenticatedHttpRequest, pk: int) -> Contact:
    """A contact the user sees (else 404) and may export or erase (else 403)."""
    contact = selectors.contact_get(user=request.user, pk=pk)
    if not can_manage_personal_data(request.user):
        raise PermissionDenied
    return contact


@login_required
def export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Everything held about the contact, as a JSON download (logged as an export)."""
    contact = _manageable(request, pk)
    document = personal_data_export(contact=contact, by=request.user, channel=PersonalDataAccess.Channel.PAGE)
    response = HttpResponse(as_json(document), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-contact-{contact.pk}-{stamp}.json"'
    )
    return response


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the personal data of this contact is erased for good."),
    )


@login_required
def erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The confirmation page (what will happen), and the erasure itself."""
    contact = _manageable(request, pk)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erasure = personal_data_erase(contact=contact, by=request.user)
        flagged = erasure.flags.count()
        messages.success(
            request,
            ngettext(
                "The personal data is erased; %(count)d text elsewhere is flagged for review.",
                "The personal data is erased; %(count)d texts elsewhere are flagged for review.",
                flagged,
            )
            % {"count": flagged},
        )
        return redirect(contact.get_absolute_url())
    context = {
        "contact": contact,
        "account": contact.account,
        "form": form,
        "preview": erasure_preview(contact),
    }
    return render(request, "management/personal_data_erase.html", context, status=400 if form.errors else 200)
