"""Page forms of the Dossier tab. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, User
from common.forms import DATE, ServiceForm, form_field

from .models import (
    AccountPlan,
    AccountProfile,
    Competitor,
    CompetitorPresence,
    Interaction,
    PlanAction,
    ServicePlan,
    StrategicAssessment,
    Tender,
)


class UserTextForm(ServiceForm):
    """A dossier form whose text boxes hold what users wrote: browsers must not machine-translate it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea | forms.TextInput):
                field.widget.attrs.setdefault("translate", "no")


class ProfileForm(UserTextForm):
    """The profile sections, with the version the editor loaded (a stale save is refused). Headcount
    and annual revenue are the Account's fields, shown and edited here."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    headcount = Account._meta.get_field("headcount").formfield(min_value=0)
    annual_revenue = Account._meta.get_field("annual_revenue").formfield(min_value=0)
    field_order = AccountProfile.TRACKED_FIELDS

    class Meta:
        model = AccountProfile
        fields = AccountProfile.TRACKED_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in AccountProfile.TRACKED_FIELDS
            if name not in (*AccountProfile.ACCOUNT_FIELDS, "sales_forecast")
        }

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        for name in AccountProfile.ACCOUNT_FIELDS:
            self.initial.setdefault(name, getattr(account, name))

    def data_for_service(self) -> dict[str, Any]:
        """The sections sent; an account fact the request left out keeps its value on the Account."""
        data = super().data_for_service()
        return {k: v for k, v in data.items() if k not in AccountProfile.ACCOUNT_FIELDS or k in self.data}


class InteractionForm(UserTextForm):
    """Record an interaction; contacts offered are the account's, the service checks them again."""

    contacts = forms.ModelMultipleChoiceField(queryset=Contact.objects.none(), required=False)

    class Meta:
        model = Interaction
        fields = (
            "kind", "occurred_at", "value", "contacts", "summary", "outcome", "next_step", "next_step_due",
        )  # fmt: skip
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "next_step_due": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, contacts: list[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any contact id is accepted here so that one of another account reaches the service,
        # which names it in the field error; the choices shown are the account's own.
        field = form_field(self, "contacts", forms.ModelMultipleChoiceField)
        field.queryset = Contact.objects.all()
        field.widget.choices = [(c.pk, str(c)) for c in contacts]
        field.widget.attrs["size"] = min(max(len(contacts), 2), 6)
        field.help_text = _("Type to search; pick as many as you need.")
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))


class TenderForm(UserTextForm):
    """Plan a tender; the service checks the dates and generates the preparation plan."""

    class Meta:
        model = Tender
        fields = ("title", "value", "announced_on", "submission_on", "decision_on", "status", "competitors")
        widgets = {
            "announced_on": forms.DateInput(attrs={"type": "date"}),
            "submission_on": forms.DateInput(attrs={"type": "date"}),
            "decision_on": forms.DateInput(attrs={"type": "date"}),
            "competitors": forms.SelectMultiple(attrs={"size": 4}),
        }


class TenderEditForm(UserTextForm):
    """Edit a tender and record its outcome, with the version the editor loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Tender
        fields = (
            "title", "value", "status", "announced_on", "submission_on", "decision_on", "outcome_reason",
            "outcome_notes", "competitors",
        )  # fmt: skip
        widgets = {
            "announced_on": DATE,
            "submission_on": DATE,
            "decision_on": DATE,
            "outcome_notes": forms.Textarea(attrs={"rows": 2}),
            "competitors": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class AssessmentForm(UserTextForm):
    class Meta:
        model = StrategicAssessment
        fields = (*StrategicAssessment.CRITERIA, *StrategicAssessment.PRIVILEGES)


class CompetitorForm(UserTextForm):
    class Meta:
        model = Competitor
        fields = ("name", "website", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class PresenceForm(UserTextForm):
    class Meta:
        model = CompetitorPresence
        fields = ("competitor", "product_lines", "estimated_share", "pressure", "threat_level", "last_seen")
        widgets = {"product_lines": forms.Textarea(attrs={"rows": 2}), "last_seen": DATE}


class PlanForm(UserTextForm):
    class Meta:
        model = AccountPlan
        fields = ("year", "share_of_wallet_target", "joint_activities")
        widgets = {"joint_activities": forms.Textarea(attrs={"rows": 3})}


class PlanActionForm(UserTextForm):
    """An action of the plan; its owner is someone on the account's team (or the editor)."""

    class Meta:
        model = PlanAction
        fields = ("title", "owner", "due_on", "progress")
        widgets = {"due_on": DATE}

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "owner", forms.ModelChoiceField).queryset = User.objects.filter(
            pk__in=[p.pk for p in people]
        )


class ServicePlanForm(UserTextForm):
    """The year's contact plan, with the version the editor loaded (a stale save is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ServicePlan
        fields = ("visits", "calls", "reviews", "budget", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "visits": _("Visits and meetings with the client this year."),
            "reviews": _("Business reviews with the client (logged as the “Business review” kind)."),
            "budget": _("Gifts, greeting cards and hospitality are logged with their value against it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
