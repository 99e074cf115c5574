"""The admin site: the policy is saved as a new version, a proposal's status stays read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from proposals.models import ProposalPolicy
from proposals.policy import FOLLOW_UP_STEPS
from proposals.rules import current_rules

pytestmark = pytest.mark.django_db

STEPS = '[{"key": "call", "title": "Call the buyer", "working_days": 2}]'


def policy_form(**changes):
    thresholds = {"line_discount_threshold": "20.00", "average_discount_threshold": "12.00"}
    return {"validity_days": 30, **thresholds, "approval_total": "250000.00", "expiring_soon_days": 7,
            "follow_up_steps": STEPS, **changes}  # fmt: skip


def test_adding_a_policy_starts_from_the_one_in_force(client, admin_user):
    ProposalPolicy.objects.create(validity_days=45, follow_up_steps=list(FOLLOW_UP_STEPS))
    client.force_login(admin_user)
    form = client.get(reverse("admin:proposals_proposalpolicy_add")).context["adminform"].form
    assert form.initial["validity_days"] == 45


def test_each_save_is_a_new_version_in_force(client, admin_user):
    client.force_login(admin_user)
    for days in (40, 50):
        response = client.post(reverse("admin:proposals_proposalpolicy_add"), policy_form(validity_days=days))
        assert response.status_code == 302
    assert list(ProposalPolicy.objects.values_list("validity_days", flat=True)) == [50, 40]
    assert current_rules().validity_days == 50
    assert ProposalPolicy.objects.first().created_by == admin_user


def test_a_saved_version_is_not_changed_in_place(client, admin_user):
    policy = ProposalPolicy.objects.create(validity_days=45)
    client.force_login(admin_user)
    url = reverse("admin:proposals_proposalpolicy_change", args=[policy.pk])
    client.post(url, policy_form(validity_days=10))
    assert ProposalPolicy.objects.get().validity_days == 45


def test_a_proposals_status_is_read_only_in_the_admin(client, admin_user, draft):
    client.force_login(admin_user)
    response = client.get(reverse("admin:proposals_proposal_change", args=[draft.pk]))
    form = response.context["adminform"].form
    assert response.status_code == 200 and "status" not in form.fields and "title" in form.fields
