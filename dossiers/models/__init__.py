"""Models of the dossiers app: profile, interactions and tasks, tenders and competitors, plans."""

from .base import AccountScopedQuerySet, RegistryQuerySet
from .commitments import Commitment, overdue_q
from .complaints import ComplaintCase, past_sla_q
from .interactions import VALUED_KINDS, Interaction, Task
from .plans import AccountPlan, PlanAction
from .profile import (
    STRATEGIC_MIN_SCORE,
    AccountProfile,
    ProfileChange,
    ProspectQualification,
    StrategicAssessment,
)
from .referrals import RecommendationLetter, Referral
from .service import ServicePlan
from .tenders import Competitor, CompetitorPresence, MilestoneTemplate, Tender, TenderMilestone

__all__ = [
    "STRATEGIC_MIN_SCORE",
    "VALUED_KINDS",
    "AccountPlan",
    "AccountProfile",
    "AccountScopedQuerySet",
    "Commitment",
    "Competitor",
    "CompetitorPresence",
    "ComplaintCase",
    "Interaction",
    "MilestoneTemplate",
    "PlanAction",
    "ProfileChange",
    "ProspectQualification",
    "RecommendationLetter",
    "Referral",
    "RegistryQuerySet",
    "ServicePlan",
    "StrategicAssessment",
    "Task",
    "Tender",
    "TenderMilestone",
    "overdue_q",
    "past_sla_q",
]
