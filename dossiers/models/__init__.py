"""Models of the dossiers app: profile, interactions and tasks, tenders and competitors, plans."""

from .base import AccountScopedQuerySet, RegistryQuerySet
from .interactions import Interaction, Task
from .plans import AccountPlan, PlanAction
from .profile import (
    STRATEGIC_MIN_SCORE,
    AccountProfile,
    ProfileChange,
    ProspectQualification,
    StrategicAssessment,
)
from .tenders import Competitor, CompetitorPresence, MilestoneTemplate, Tender, TenderMilestone

__all__ = [
    "STRATEGIC_MIN_SCORE",
    "AccountPlan",
    "AccountProfile",
    "AccountScopedQuerySet",
    "Competitor",
    "CompetitorPresence",
    "Interaction",
    "MilestoneTemplate",
    "PlanAction",
    "ProfileChange",
    "ProspectQualification",
    "RegistryQuerySet",
    "StrategicAssessment",
    "Task",
    "Tender",
    "TenderMilestone",
]
