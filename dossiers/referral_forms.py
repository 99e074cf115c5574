"""The forms of referrals and recommendation letters (the services validate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format

from accounts.models import Account, Contact, User
from common.forms import DATE, ServiceForm, form_field

from .models import Interaction, RecommendationLetter, Referral


class ReferralForm(ServiceForm):
    """The referrer is a contact of a customer the user sees (not of the prospect itself)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Referral
        fields = ("referrer", "referred_on", "referrer_called", "called_on", "outcome", "note")
        widgets = {"referred_on": DATE, "called_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, prospect: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contacts = (
            Contact.objects.visible_to(user)
            .exclude(account=prospect)
            .exclude(account__status=Account.Status.PROSPECT)
            .select_related("account")
            .order_by("account__name", "last_name", "first_name")
        )
        referrer = form_field(self, "referrer", forms.ModelChoiceField)
        referrer.queryset = contacts
        referrer.label_from_instance = lambda c: f"{c.full_name} ({c.account.name})"  # type: ignore[method-assign,assignment]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def data_for_service(self) -> dict[str, Any]:
        data = super().data_for_service()
        if self.instance.pk:
            data["version"] = self.cleaned_data.get("version")
        return data


class LetterForm(ServiceForm):
    """A letter from the account, written by one of its contacts after one of its deliveries."""

    class Meta:
        model = RecommendationLetter
        fields = ("contact", "delivery", "received_on", "file", "note")
        widgets = {"received_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "contact", forms.ModelChoiceField).queryset = account.contacts.order_by(
            "last_name", "first_name"
        )
        deliveries = Interaction.objects.filter(account=account, kind=Interaction.Kind.DELIVERY)
        delivery = form_field(self, "delivery", forms.ModelChoiceField)
        delivery.queryset = deliveries.order_by("-occurred_at")
        delivery.label_from_instance = _delivery_label  # type: ignore[method-assign,assignment]
        self.fields["file"].widget.attrs["accept"] = "application/pdf,image/png,image/jpeg"


def _delivery_label(delivery: Interaction) -> str:
    return f"{date_format(delivery.occurred_at, 'SHORT_DATE_FORMAT')} · {delivery.summary[:60]}"
