from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EVENTS


class SubscriptionForm(forms.Form):
    target_url = forms.URLField(
        label=_("Target URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A public http(s) address that accepts POST requests."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(event, event) for event in EVENTS],
        widget=forms.SelectMultiple(attrs={"size": len(EVENTS)}),
    )
