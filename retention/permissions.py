"""Who may do what in retention, beyond seeing the accounts involved."""

from __future__ import annotations

from accounts.models import User
from accounts.permissions import can_edit_account

from .models import CampaignTarget, WinBackCampaign


def can_manage_campaign(user: User, campaign: WinBackCampaign) -> bool:
    """Change a campaign and its target list: its creator, heads of its department, admins."""
    if user.is_analyst:
        return False
    if user.is_admin_role or campaign.created_by_id == user.pk:
        return True
    return bool(
        user.is_head
        and campaign.department_id is not None
        and user.departments.filter(pk=campaign.department_id).exists()
    )


def can_work_target(user: User, target: CampaignTarget) -> bool:
    """Record steps and the outcome: whoever may edit the account, or manage the campaign."""
    if user.is_analyst:
        return False
    return can_edit_account(user, target.account) or can_manage_campaign(user, target.campaign)
