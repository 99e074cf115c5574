"""Page forms of the surveys. They only shape input; the survey services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Contact
from common.forms import ServiceForm, form_field

from .models import Survey, SurveyInvitation, SurveyQuestion
from .survey_services import DEFAULT_VALID_DAYS, MAX_VALID_DAYS

QUESTION_ROWS = 8


class SurveyForm(ServiceForm):
    class Meta:
        model = Survey
        fields = ("title", "intro", "is_active")
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"intro": _("Shown above the questions, and in the e-mail.")}


class QuestionForm(forms.Form):
    """One question row; an untouched row is skipped, a half-filled one gets the service's errors."""

    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=SurveyQuestion.Kind.choices, initial=SurveyQuestion.Kind.SCALE
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


QuestionFormSet = forms.formset_factory(QuestionForm, extra=QUESTION_ROWS, max_num=50)


class SendForm(forms.Form):
    """Which survey to send to which of the account's contacts."""

    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.none())
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts"),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each contact gets a personal link that can be answered once."),
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), initial=DEFAULT_VALID_DAYS, min_value=1, max_value=MAX_VALID_DAYS
    )

    def __init__(self, *args: Any, surveys: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "survey", forms.ModelChoiceField).queryset = surveys
        # Only the account's own contacts: an id from elsewhere is "not a valid choice", unnamed.
        form_field(self, "contacts", forms.ModelMultipleChoiceField).queryset = contacts


class PhoneAnswerForm(forms.Form):
    """Which survey a contact of the account answered by phone (the answers are the questions' fields)."""

    survey = forms.ModelChoiceField(label=_("Survey"), queryset=Survey.objects.none())
    contact = forms.ModelChoiceField(label=_("Contact who answered"), queryset=Contact.objects.none())

    def __init__(self, *args: Any, surveys: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "survey", forms.ModelChoiceField).queryset = surveys
        # Only the account's own contacts: an id from elsewhere is "not a valid choice", unnamed.
        form_field(self, "contact", forms.ModelChoiceField).queryset = contacts


class ChannelForm(forms.Form):
    """The results of one channel only (web links or phone), or of both."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("Web and phone")), *SurveyInvitation.Channel.choices],
    )
