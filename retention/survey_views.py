"""Survey pages: the list, a new survey, its results, sending it to an account's contacts; and the
public answer page reached through a private link, without logging in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import Account, User
from accounts.permissions import can_edit_account
from accounts.selectors import account_queryset
from accounts.tabs import account_page_context
from common.filters import form_refused, refused
from common.forms import add_service_errors
from common.numbers import whole_number
from common.views import AuthenticatedHttpRequest

from . import survey_selectors as selectors
from . import survey_services as services
from .models import SurveyInvitation
from .models.surveys import ANSWER_MAX_LENGTH
from .survey_forms import ChannelForm, QuestionFormSet, SendForm, SurveyForm


def _user(request: AuthenticatedHttpRequest) -> User:
    return request.user


def _refuse_analysts(request: AuthenticatedHttpRequest) -> None:
    if _user(request).is_analyst:
        raise PermissionDenied


@login_required
def survey_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    surveys = selectors.survey_filter(user=_user(request), filters=request.GET)
    status = refused(request, surveys)
    rows = selectors.survey_list(user=_user(request), surveys=surveys.rows)
    return render(request, "retention/surveys/list.html", {"rows": rows, "filter": surveys}, status=status)


def _question_rows(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled-in rows for the service, and the row each of them came from (for its errors)."""
    questions, origins = [], []
    for index, form in enumerate(formset.forms):
        if form.has_changed():
            questions.append(form.cleaned_data)
            origins.append(index)
    return questions, origins


def _show_errors(form: SurveyForm, formset: Any, origins: list[int], error: ValidationError) -> None:
    prefix = f"{formset.prefix}-"
    survey_errors: dict[str, list[str]] = {}
    for key, texts in error.message_dict.items():
        index, _sep, field = key.removeprefix(prefix).partition("-")
        row = whole_number(index) if key.startswith(prefix) else None
        if row is not None and row < len(origins):
            formset.forms[origins[row]].add_error(
                field if field in ("text", "kind", "required") else None, texts
            )
        else:
            survey_errors[key] = texts
    if survey_errors:
        add_service_errors(form, ValidationError(survey_errors))


@login_required
def survey_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _refuse_analysts(request)
    form = SurveyForm(request.POST or None)
    formset = QuestionFormSet(request.POST or None, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        questions, origins = _question_rows(formset)
        try:
            survey = services.survey_create(by=_user(request), questions=questions, **form.data_for_service())
        except ValidationError as error:
            _show_errors(form, formset, origins, error)
        else:
            messages.success(request, _("Survey created. Send it from an account's page."))
            return redirect("retention:survey", pk=survey.pk)
    context = {"form": form, "formset": formset, "title": _("New survey")}
    return render(request, "retention/surveys/form.html", context, status=400 if form.is_bound else 200)


@login_required
def survey_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _refuse_analysts(request)
    survey = selectors.survey_get(user=_user(request), pk=pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, **form.data_for_service())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("retention:survey", pk=survey.pk)
    context = {"form": form, "survey": survey, "title": _("Edit survey")}
    return render(request, "retention/surveys/form.html", context, status=400 if form.is_bound else 200)


@login_required
def survey_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=_user(request), pk=pk)
    channels = ChannelForm(request.GET)
    status = form_refused(request, channels)
    channel = channels.cleaned_data.get("channel", "") if status == 200 else ""
    results = selectors.survey_results(user=_user(request), survey=survey, channel=channel)
    chart = {
        "labels": [date_format(month.key, "YEAR_MONTH_FORMAT") for month in results.months],
        "averages": [float(month.average) if month.average is not None else None for month in results.months],
        "answered": [month.answered for month in results.months],
        "label": _("Average"),
    }
    return render(
        request,
        "retention/surveys/results.html",
        {"survey": survey, "results": results, "chart": chart, "can_edit": not _user(request).is_analyst,
         "channels": channels, "channel": channel},
        status=status,
    )  # fmt: skip


# --- sending a survey to an account's contacts ----------------------------------------------------


@dataclass
class SentLink:
    invitation: SurveyInvitation
    link: str
    emailed: bool


def _sendable_account(request: AuthenticatedHttpRequest, pk: int) -> Account:
    account = get_object_or_404(account_queryset(user=_user(request)), pk=pk)
    if not can_edit_account(_user(request), account):
        raise PermissionDenied
    return account


def _send(request: AuthenticatedHttpRequest, account: Account, form: SendForm) -> list[SentLink]:
    with transaction.atomic():  # every contact gets a link, or none does
        created = [
            services.invitation_create(
                survey=form.cleaned_data["survey"],
                account=account,
                contact=contact,
                by=_user(request),
                valid_days=form.cleaned_data["valid_days"],
            )
            for contact in form.cleaned_data["contacts"]
        ]
    sent = []
    for invitation, token in created:
        link = request.build_absolute_uri(services.invitation_path(token))
        sent.append(
            SentLink(
                invitation,
                link,
                services.invitation_send(
                    invitation=invitation, link=link, language=translation.get_language()
                ),
            )
        )
    return sent


@never_cache  # the links are shown once: no copy of this page is kept anywhere
@login_required
def survey_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _sendable_account(request, pk)
    form = SendForm(
        request.POST or None,
        surveys=selectors.active_surveys(user=_user(request)),
        contacts=account.contacts.order_by("last_name", "first_name"),
    )
    context = account_page_context(user=_user(request), account=account, tab="retention")
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            context["sent"] = _send(request, account, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "retention/surveys/sent.html", context)
    return render(request, "retention/surveys/send.html", context, status=400 if form.is_bound else 200)


# --- the public answer page -----------------------------------------------------------------------

SCALE_LABELS = {
    1: _lazy("Very dissatisfied"),
    2: _lazy("Dissatisfied"),
    3: _lazy("Neither"),
    4: _lazy("Satisfied"),
    5: _lazy("Very satisfied"),
}
REFUSED_STATUS = {services.LINK_INVALID: 404, services.LINK_EXPIRED: 410, services.LINK_ANSWERED: 410}


def _public(response: HttpResponse) -> HttpResponse:
    """The link is a secret in the URL: not cached, not indexed, never passed on to another site as a
    referrer. Same-origin, not no-referrer: with no-referrer browsers post the answer with "Origin: null",
    which the CSRF check refuses."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request: HttpRequest, error: services.SurveyLinkRefused) -> HttpResponse:
    status = REFUSED_STATUS.get(error.code or "", 404)
    context = {"message": error.messages[0], "reason": error.code}
    return _public(render(request, "retention/surveys/link_refused.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the questions; POST records the answers once. Nothing but the survey is shown."""
    try:
        invitation = services.open_invitation(token=token)
    except services.SurveyLinkRefused as error:
        return _refused(request, error)
    questions = list(invitation.survey.questions.all())
    fields = [(question, services.answer_field(question)) for question in questions]
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for _q, name in fields}
        try:
            services.survey_answer(token=token, answers={q.pk: values[name] for q, name in fields})
        except services.SurveyLinkRefused as error:
            return _refused(request, error)
        except ValidationError as error:
            errors = error.message_dict
        else:
            return _public(redirect("retention:survey-thanks"))
    rows = [(question, name, values.get(name, ""), errors.get(name, [])) for question, name in fields]
    context = {
        "survey": invitation.survey,
        "rows": rows,
        "scale": SCALE_LABELS.items(),
        "errors": errors,
        "answer_max_length": ANSWER_MAX_LENGTH,
    }
    status = 400 if errors else 200
    return _public(render(request, "retention/surveys/answer.html", context, status=status))


def survey_thanks(request: HttpRequest) -> HttpResponse:
    return _public(render(request, "retention/surveys/thanks.html"))
