"""Page forms of the proposals app. They only shape input; the services validate and write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Contact, User
from common.forms import DATE, ServiceForm, form_field
from sales.models import ProductLine

from .models import Proposal, ProposalArgument, ProposalLine, SuccessStory
from .rules import current_rules

TEXT = forms.Textarea(attrs={"rows": 2})
PICK_SEVERAL = _("Type to search; pick as many as you need.")


def _versioned(form: forms.BaseForm, version: int | None) -> None:
    form.fields["version"].initial = version


def _multi_select(form: forms.BaseForm, name: str, choices: Sequence[tuple[Any, str]]) -> None:
    """A plain multi-select with the given choices, as tall as it needs to be (up to 8 rows)."""
    field = form_field(form, name, forms.ModelMultipleChoiceField)
    field.widget.choices = choices
    field.widget.attrs["size"] = min(max(len(choices), 2), 8)
    field.help_text = PICK_SEVERAL


def contact_label(contact: Contact) -> str:
    role = contact.get_dmu_role_display()
    return f"{contact} — {role}" if role else str(contact)


class ProposalForm(ServiceForm):
    """The header of a proposal: addressees and team, validity, terms, the value argument, references.

    The contacts offered are the account's buying centre; a new proposal's validity defaults to
    the policy's number of days and its currency to the house currency.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = (
            "title", "contacts", "team", "currency", "valid_until", "payment_terms", "delivery_terms",
            "benefits", "uniqueness", "exclusivity", "annual_savings", "annual_extra_margin",
            "payback_months", "references",
        )  # fmt: skip
        widgets = {
            "valid_until": DATE,
            "payment_terms": TEXT,
            "delivery_terms": TEXT,
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "uniqueness": TEXT,
            "exclusivity": TEXT,
        }

    def __init__(self, *args: Any, contacts: list[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account_contacts = form_field(self, "contacts", forms.ModelMultipleChoiceField)
        account_contacts.queryset = Contact.objects.filter(pk__in=[c.pk for c in contacts])
        _multi_select(self, "contacts", [(c.pk, contact_label(c)) for c in contacts])
        team = form_field(self, "team", forms.ModelMultipleChoiceField)
        team.queryset = User.objects.filter(is_active=True).exclude(role=User.Role.ANALYST)
        _multi_select(
            self, "team", [(u.pk, str(u)) for u in team.queryset.order_by("first_name", "last_name")]
        )
        stories = list(SuccessStory.objects.all())
        references = form_field(self, "references", forms.ModelMultipleChoiceField)
        references.queryset = SuccessStory.objects.all()
        _multi_select(self, "references", [(s.pk, str(s)) for s in stories])
        references.help_text = _("From the reference library. %(pick)s") % {"pick": PICK_SEVERAL}
        self.fields["currency"].widget.attrs["maxlength"] = 3
        if self.instance.pk:
            _versioned(self, self.instance.version)
        elif not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("valid_until", today + dt.timedelta(days=current_rules().validity_days))
            self.initial.setdefault("currency", settings.KAM_CURRENCY)


class LineForm(ServiceForm):
    """One line of the lines table; its inputs belong to the HTML form `form_id` (a table row
    cannot hold a <form>, so the inputs name theirs). `version` is the proposal's."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProposalLine
        fields = ("product_line", "sku", "description", "quantity", "unit_price", "discount_percent")

    def __init__(self, *args: Any, form_id: str, product_lines: Sequence[ProductLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product_line = form_field(self, "product_line", forms.ModelChoiceField)
        product_line.queryset = ProductLine.objects.all()
        product_line.widget.choices = [("", "—"), *((p.pk, p.name) for p in product_lines)]
        for field in self.fields.values():
            field.widget.attrs.update({"form": form_id, "aria-label": str(field.label)})
        self.fields["discount_percent"].widget.attrs["step"] = "0.01"


class ArgumentForm(ServiceForm):
    """What the proposal says to one audience; addressed by default to the account's people in it.
    `version` is the proposal's."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProposalArgument
        fields = ("audience", "text", "contacts")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, contacts: list[Contact], version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _versioned(self, version)
        field = form_field(self, "contacts", forms.ModelMultipleChoiceField)
        field.queryset = Contact.objects.filter(pk__in=[c.pk for c in contacts])
        _multi_select(self, "contacts", [(c.pk, contact_label(c)) for c in contacts])
        if not self.instance.pk:
            field.help_text = _("None picked: the account's people in this role. %(pick)s") % {
                "pick": PICK_SEVERAL
            }

    def data_for_service(self) -> dict[str, Any]:
        data = super().data_for_service()
        if not self.instance.pk and not data.get("contacts"):
            data.pop("contacts", None)  # the service then addresses the account's people in the role
        return data


class TransitionForm(forms.Form):
    """A move of the workflow: the new status, a comment, the reason for won or lost."""

    to = forms.ChoiceField(choices=Proposal.Status.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=20)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SuccessStoryForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SuccessStory
        fields = (
            "title", "client_name", "industry", "product_line", "year", "project", "result",
            "recommender_name", "recommender_position", "recommender_phone",
        )  # fmt: skip
        widgets = {"project": forms.Textarea(attrs={"rows": 3}), "result": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "product_line", forms.ModelChoiceField).queryset = ProductLine.objects.order_by(
            "name"
        )
        if self.instance.pk:
            _versioned(self, self.instance.version)
