"""Every write to the dossiers: keyword-only `<entity>_<verb>` functions, validated first, transactional."""

from .commitments import (
    commitment_break,
    commitment_create,
    commitment_delete,
    commitment_keep,
    commitment_update,
)
from .competitors import (
    competitor_create,
    competitor_delete,
    competitor_update,
    presence_create,
    presence_delete,
    presence_update,
)
from .complaints import (
    complaint_create,
    complaint_delete,
    complaint_transition,
    complaint_update,
    sla_due_on,
)
from .interactions import (
    interaction_create,
    interaction_delete,
    interaction_update,
    task_complete,
    task_create,
)
from .plans import plan_action_create, plan_action_update, plan_create, plan_delete, plan_update
from .profile import assessment_update, profile_update, qualification_confirm
from .referrals import (
    letter_create,
    letter_delete,
    letter_update,
    referral_create,
    referral_delete,
    referral_update,
)
from .service_plans import service_plan_create, service_plan_delete, service_plan_update
from .tenders import milestone_complete, milestone_due, tender_create, tender_delete, tender_update

__all__ = [
    "assessment_update",
    "commitment_break",
    "commitment_create",
    "commitment_delete",
    "commitment_keep",
    "commitment_update",
    "competitor_create",
    "competitor_delete",
    "competitor_update",
    "complaint_create",
    "complaint_delete",
    "complaint_transition",
    "complaint_update",
    "interaction_create",
    "interaction_delete",
    "interaction_update",
    "letter_create",
    "letter_delete",
    "letter_update",
    "milestone_complete",
    "milestone_due",
    "plan_action_create",
    "plan_action_update",
    "plan_create",
    "plan_delete",
    "plan_update",
    "presence_create",
    "presence_delete",
    "presence_update",
    "profile_update",
    "qualification_confirm",
    "referral_create",
    "referral_delete",
    "referral_update",
    "service_plan_create",
    "service_plan_delete",
    "service_plan_update",
    "sla_due_on",
    "task_complete",
    "task_create",
    "tender_create",
    "tender_delete",
    "tender_update",
]
