"""What `accounts.standing` shows of the strategic assessment: strategic or not, and the privileges."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Field
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from accounts.standing import PLAIN, Privilege, Standing

from .models import StrategicAssessment

# The privileges as list rows show them (the full label is the badge's tooltip).
SHORT_LABELS = {
    "priority_dispatch": _("dispatch"),
    "no_minimum_order": _("no min. order"),
    "production_priority": _("production"),
    "personalised_invoicing": _("invoicing"),
    "controlled_contact_plan": _("contact plan"),
    "joint_plans_and_promotions": _("joint promotions"),
}


def privilege_label(name: str) -> str:
    field = StrategicAssessment._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


class AssessmentStanding:
    """A strategic account (score ≥ STRATEGIC_MIN_SCORE) and the privileges ticked for it; the
    privileges of an account that is not strategic are not in force and are not shown."""

    join = "strategic_assessment"

    def standing_of(self, account: Account) -> Standing:
        # A missing reverse one-to-one raises DoesNotExist, an AttributeError: no assessment yet.
        assessment = getattr(account, "strategic_assessment", None)
        if assessment is None or not assessment.is_strategic:
            return PLAIN
        granted = tuple(
            Privilege(name, privilege_label(name), str(SHORT_LABELS.get(name, "")))
            for name in StrategicAssessment.PRIVILEGES
            if getattr(assessment, name)
        )
        return Standing(strategic=True, privileges=granted)


# Checks run after an assessment is saved, each returning a warning or None (the management app's
# strategic-share cap registers one from its AppConfig.ready; the dossiers never import it).
AssessmentCheck = Callable[[User, StrategicAssessment], "str | None"]
_CHECKS: list[AssessmentCheck] = []


def register_assessment_check(check: AssessmentCheck) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def assessment_warnings(*, user: User, assessment: StrategicAssessment) -> list[str]:
    """What the registered checks have to say about the assessment just saved."""
    return [warning for check in _CHECKS if (warning := check(user, assessment))]
