"""Reads of proposals, always scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, Contact, User

from .filters import ProposalFilter, SuccessStoryFilter, expiring
from .models import FollowUpStep, Proposal, ProposalArgument, ProposalLine, ProposalTransition, SuccessStory


def proposal_queryset(*, user: User) -> QuerySet[Proposal]:
    """The proposals of the accounts `user` sees, with what a list row shows."""
    return Proposal.objects.visible_to(user).select_related("account", "author")


def proposal_list(*, user: User, filters: Any = None) -> ProposalFilter:
    return ProposalFilter(filters or None, queryset=proposal_queryset(user=user), user=user)


def proposal_full_queryset(*, user: User) -> QuerySet[Proposal]:
    """The proposals `user` sees, with everything a proposal's page or API answer shows."""
    return (
        proposal_queryset(user=user)
        .select_related("approved_by", "account__owner")
        .prefetch_related(
            Prefetch("lines", queryset=ProposalLine.objects.select_related("product_line")),
            Prefetch("arguments", queryset=ProposalArgument.objects.prefetch_related("contacts")),
            Prefetch("transitions", queryset=ProposalTransition.objects.select_related("by")),
            Prefetch("follow_up_steps", queryset=FollowUpStep.objects.select_related("task")),
            "contacts",
            "team",
            "references",
        )
    )


def proposal_get(*, user: User, pk: int) -> Proposal:
    """One proposal the user may see (404 otherwise), with everything its page shows."""
    return get_object_or_404(proposal_full_queryset(user=user), pk=pk)


def account_proposals(*, user: User, account: Account) -> QuerySet[Proposal]:
    return proposal_queryset(user=user).filter(account=account)


def approval_queue(*, user: User) -> QuerySet[Proposal]:
    """Proposals waiting for a department head's approval, oldest first, among those `user` sees."""
    return (
        proposal_queryset(user=user).filter(status=Proposal.Status.IN_APPROVAL).order_by("updated_at", "pk")
    )


def expiring_proposals(*, user: User) -> QuerySet[Proposal]:
    """The user's open proposals (their own, or on accounts they see) expiring within the policy days."""
    return expiring(proposal_queryset(user=user)).order_by("valid_until", "pk")


def success_story_list(*, user: User, filters: Any = None) -> SuccessStoryFilter:
    return SuccessStoryFilter(filters or None, queryset=SuccessStory.objects.visible_to(user), user=user)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    message: str
    ok: bool


AUDIENCE_HINTS = {
    Contact.DmuRole.DECISION_MAKER: gettext_lazy("strategy and risk"),
    Contact.DmuRole.FINANCIAL_APPROVER: gettext_lazy("figures, ROI and payment terms"),
    Contact.DmuRole.TECHNICAL_EXPERT: gettext_lazy("specifications"),
    Contact.DmuRole.USER_INITIATOR: gettext_lazy("ease of use and training"),
    Contact.DmuRole.BUYER: gettext_lazy("price, terms and delivery"),
    Contact.DmuRole.INFLUENCER: gettext_lazy("what they care about, in their words"),
    Contact.DmuRole.GATEKEEPER: gettext_lazy("why the decision maker should see it"),
}


def _role_item(code: str, role: str, label: str, contacts: list[Contact], argued: set[str]) -> ChecklistItem:
    people = [c for c in contacts if c.dmu_role == role]
    if not people:
        return ChecklistItem(code, _("No %(role)s is known in the buying centre.") % {"role": label}, False)
    if role not in argued:
        names = ", ".join(str(c) for c in people)
        return ChecklistItem(
            code,
            _("No argument is addressed to the %(role)s (%(names)s).") % {"role": label, "names": names},
            False,
        )
    return ChecklistItem(code, _("The %(role)s has an argument.") % {"role": label}, True)


def checklist(proposal: Proposal) -> list[ChecklistItem]:
    """What the proposal's arguments leave unaddressed in the account's buying centre (uses the
    prefetched arguments of `proposal_get` and one query for the account's contacts)."""
    contacts = list(proposal.account.contacts.all())
    arguments = list(proposal.arguments.all())
    argued = {a.audience for a in arguments}
    addressed = {c.pk for a in arguments for c in a.contacts.all()}
    items = [
        _role_item("decision_maker", Contact.DmuRole.DECISION_MAKER, _("decision maker"), contacts, argued),
        _role_item(
            "financial_approver",
            Contact.DmuRole.FINANCIAL_APPROVER,
            _("financial approver"),
            contacts,
            argued,
        ),
    ]
    for contact in contacts:
        if contact.attitude == Contact.Attitude.OPPONENT and contact.pk not in addressed:
            items.append(
                ChecklistItem(
                    "opponent",
                    _("%(name)s opposes us and no argument is addressed to them.") % {"name": contact},
                    False,
                )
            )
    return items
