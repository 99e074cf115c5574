"""Page forms of the commitments register. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, User
from common.forms import ServiceForm, form_field

from .models import Commitment, Interaction

INTERACTIONS_OFFERED = 30  # the newest interactions of the account a promise may come from


class CommitmentForm(ServiceForm):
    """What, to whom, by when, by whom and from which interaction; the version the editor loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = ("what", "contact", "due_on", "owner", "interaction", "note")
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id reaches the service, which refuses another account's; the choices are the account's.
        contact = form_field(self, "contact", forms.ModelChoiceField)
        contact.queryset = Contact.objects.all()
        contact.widget.choices = [("", "—"), *((c.pk, str(c)) for c in account.contacts.all())]
        interaction = form_field(self, "interaction", forms.ModelChoiceField)
        interaction.queryset = Interaction.objects.all()
        recent = Interaction.objects.filter(account=account).order_by("-occurred_at", "-pk")
        interaction.widget.choices = [("", "—"), *((i.pk, str(i)) for i in recent[:INTERACTIONS_OFFERED])]
        owner = form_field(self, "owner", forms.ModelChoiceField)
        owner.queryset = (
            User.objects.filter(is_active=True)
            .exclude(role=User.Role.ANALYST)
            .order_by("last_name", "first_name", "username")
        )
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0


class BrokenForm(forms.Form):
    """Why the promise was broken, with the version the editor loaded."""

    note = forms.CharField(label=_("Why was it broken?"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
