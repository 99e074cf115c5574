"""Every write to proposals: keyword-only `<entity>_<verb>` functions, each in one transaction."""

from .expiry import proposals_expire_overdue
from .follow_up import follow_up_close
from .lines import line_create, line_delete, line_update
from .proposals import (
    argument_create,
    argument_delete,
    argument_update,
    proposal_copy,
    proposal_create,
    proposal_update,
)
from .references import success_story_create, success_story_delete, success_story_update
from .workflow import TransitionRefused, proposal_transition

__all__ = [
    "TransitionRefused",
    "argument_create",
    "argument_delete",
    "argument_update",
    "follow_up_close",
    "line_create",
    "line_delete",
    "line_update",
    "proposal_copy",
    "proposal_create",
    "proposal_transition",
    "proposal_update",
    "proposals_expire_overdue",
    "success_story_create",
    "success_story_delete",
    "success_story_update",
]
