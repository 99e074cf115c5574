"""Page forms. They only shape input; the services validate scope, cycles and versions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.forms import ModelForm, form_field
from common.widgets import SearchedSelect

from .models import Account, AccountTeamMember, Contact, ContactConsent, LeadSource, User
from .services import ACCOUNT_FIELDS, CONTACT_FIELDS


class VersionedForm(ModelForm):
    """Carries the version the editor loaded, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        # Model validation (constraints, cycles, scope) is the service's job.
        pass

    def data_for_service(self) -> dict:
        """The model fields the form edits (not the version, which the service takes apart)."""
        return {
            name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data
        }


class HttpsURLField(forms.URLField):
    """A website typed without a scheme is read as https://."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class AccountForm(VersionedForm):
    class Meta:
        model = Account
        fields = ACCOUNT_FIELDS
        field_classes = {"website": HttpsURLField}
        widgets = {"annual_revenue": forms.NumberInput(attrs={"step": "0.01"})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Account.objects.visible_to(user).only("pk", "name").order_by("name")
        if self.instance.pk:
            visible = visible.exclude(path__startswith=self.instance.path)
        parent = form_field(self, "parent", forms.ModelChoiceField)
        parent.widget = SearchedSelect(url_name="accounts:choices")
        parent.queryset = visible  # after the widget: setting the queryset gives the widget its choices
        if self.instance.parent_id and not getattr(self.instance, "parent_visible", True):
            # The group this account belongs to is out of the user's sight: they cannot move it.
            del self.fields["parent"]
        form_field(self, "owner", forms.ModelChoiceField).queryset = User.objects.filter(
            is_active=True, role__in=[User.Role.KAM, User.Role.HEAD]
        )
        if not user.is_admin_role:
            form_field(self, "department", forms.ModelChoiceField).queryset = user.departments.all()
            if not self.instance.pk:
                self.fields["department"].initial = user.departments.first()
        if "parent" in self.fields:
            form_field(self, "parent", forms.ModelChoiceField).empty_label = _("None (a top-level account)")
        form_field(self, "key_client_type", forms.ChoiceField).choices = [
            ("", _("Not a key client yet")),
            *Account.KeyClientType.choices,
        ]
        if "lead_source" in self.fields:
            # Retired sources are not offered, but an account filed under one keeps it.
            offered = Q(is_active=True) | Q(pk=self.instance.lead_source_id)
            form_field(self, "lead_source", forms.ModelChoiceField).queryset = LeadSource.objects.filter(
                offered
            )
        if user.is_kam and not self.instance.pk:
            del self.fields["owner"]
        elif user.is_kam:
            self.fields["owner"].disabled = True
            self.fields["owner"].help_text = _("Your department head hands accounts over.")


# Consent is recorded in the consent register (accounts.consent), not typed on the contact.
CONSENT_FIELDS = ("consent_given", "consent_date")


class ContactForm(VersionedForm):
    class Meta:
        model = Contact
        fields = [name for name in CONTACT_FIELDS if name not in CONSENT_FIELDS]
        widgets = {
            "birthday": forms.DateInput(attrs={"type": "date"}),
            "family": forms.Textarea(attrs={"rows": 2}),
            "hobbies": forms.Textarea(attrs={"rows": 2}),
            "values": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, account: Account, personal: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = account.contacts.order_by("last_name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        form_field(self, "reports_to", forms.ModelChoiceField).queryset = others
        if not personal:
            for name in Contact.PERSONAL_FIELDS:
                del self.fields[name]

    def personal_field_names(self) -> list[str]:
        return [f for f in Contact.PERSONAL_FIELDS if f in self.fields]


class TeamMemberForm(ModelForm):
    class Meta:
        model = AccountTeamMember
        fields = ["user", "team_role"]

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = form_field(self, "user", forms.ModelChoiceField)
        user.queryset = candidates
        user.empty_label = _("Choose a person…")
        form_field(self, "team_role", forms.ChoiceField).choices = [
            ("", _("Team role…")),
            *AccountTeamMember.TeamRole.choices,
        ]


class ConsentForm(ModelForm):
    """A consent to keep the contact's personal fields: when, how, and a note."""

    class Meta:
        model = ContactConsent
        fields = ["given_on", "channel", "note"]
        widgets = {
            "given_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The placeholder of the records carried over from before the register is not offered.
        channel = form_field(self, "channel", forms.ChoiceField)
        offered = [c for c in ContactConsent.Channel.choices if c[0] != ContactConsent.Channel.UNSPECIFIED]
        channel.choices = [("", "---------"), *offered]


class ConsentWithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=forms.DateInput(attrs={"type": "date"}))
