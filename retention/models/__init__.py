"""Retention: churn transitions and notifications, refusals and losses, win-back campaigns, surveys."""

from .campaigns import CampaignStep, CampaignTarget, WinBackCampaign
from .churn import ChurnStatus, LossRecord, Notification, Reason, Refusal, StatusTransition
from .surveys import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion

__all__ = [
    "CampaignStep",
    "CampaignTarget",
    "ChurnStatus",
    "LossRecord",
    "Notification",
    "Reason",
    "Refusal",
    "StatusTransition",
    "Survey",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyQuestion",
    "WinBackCampaign",
]
