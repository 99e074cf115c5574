"""Entering the answers a contact gave to a survey by phone (the "phone" channel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can_edit_account
from accounts.tabs import account_page_context
from common.forms import add_service_errors
from common.views import AuthenticatedHttpRequest, visible_account

from . import survey_selectors as selectors
from . import survey_services as services
from .models.surveys import ANSWER_MAX_LENGTH
from .survey_forms import PhoneAnswerForm
from .survey_views import SCALE_LABELS


@login_required
def survey_phone(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET `?survey=&contact=` shows the survey's questions; POST records the answers once, on the
    "phone" channel, with the same checks as an answer through a link (nothing written on error)."""
    account = visible_account(request, pk)
    if not can_edit_account(request.user, account):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = PhoneAnswerForm(
        data,
        surveys=selectors.active_surveys(user=request.user),
        contacts=account.contacts.order_by("last_name", "first_name"),
    )
    chosen = form.is_bound and form.is_valid()
    questions = list(form.cleaned_data["survey"].questions.all()) if chosen else []
    fields = [(question, services.answer_field(question)) for question in questions]
    values = {name: request.POST.get(name, "") for _q, name in fields} if request.method == "POST" else {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and chosen:
        try:
            services.survey_answer_by_phone(
                survey=form.cleaned_data["survey"],
                account=account,
                contact=form.cleaned_data["contact"],
                by=request.user,
                answers={q.pk: values[name] for q, name in fields},
            )
        except ValidationError as error:
            errors = error.message_dict
            add_service_errors(form, ValidationError({k: v for k, v in errors.items() if k in form.fields}))
        else:
            messages.success(request, _("Phone answers recorded."))
            return redirect(reverse("retention:account-tab", args=[account.pk]) + "#satisfaction")
    context = account_page_context(user=request.user, account=account, tab="retention")
    context.update(
        form=form,
        rows=[(q, name, values.get(name, ""), errors.get(name, [])) for q, name in fields],
        errors=errors,
        scale=SCALE_LABELS.items(),
        answer_max_length=ANSWER_MAX_LENGTH,
    )
    status = 400 if (request.method == "POST" or (form.is_bound and not chosen)) else 200
    return render(request, "retention/surveys/phone.html", context, status=status)
