"""The management forms."""

from __future__ import annotations

from django import forms

from .models import ManagementPolicy
from .services import POLICY_FIELDS


class ManagementPolicyForm(forms.ModelForm):
    class Meta:
        model = ManagementPolicy
        fields = POLICY_FIELDS
