"""The follow-up sequence after a proposal is sent (DOMAIN.md): one open step at a time, each a
task on the author's home page; closing one (done or skipped) opens the next."""

from __future__ import annotations

from accounts.models import User

from ..models import FollowUpStep


def follow_up_close(*, step: FollowUpStep, by: User, skipped: bool = False) -> FollowUpStep:
    """Close the open step as done (or skipped), recorded as closed by `by`; opens the next step."""
    raise NotImplementedError
