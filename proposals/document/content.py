"""What the printable proposal says, read in a fixed number of queries before anything is drawn.

Only what the client may read goes in: names, positions and business e-mails, never the personal
details kept on the buying centre.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember, Contact, User

from ..models import Proposal, ProposalArgument, ProposalLine, SuccessStory

S = Proposal.Status
AUDIENCES = Contact.DmuRole


@dataclass(frozen=True)
class TeamMember:
    name: str
    role: str
    email: str


@dataclass(frozen=True)
class ArgumentGroup:
    audience: str
    arguments: list[ProposalArgument]


@dataclass(frozen=True)
class ProposalContent:
    proposal: Proposal
    company: str
    issued: dt.date
    mark: str
    team: list[TeamMember]
    contacts: list[Contact]
    lines: list[ProposalLine]
    references: list[SuccessStory]
    argument_groups: list[ArgumentGroup]


def checked_audience(audience: str | None) -> str | None:
    """The audience if it is a buying-centre role; empty means every audience; else ValueError."""
    if not audience:
        return None
    if audience not in AUDIENCES.values:
        raise ValueError(_("Unknown audience %(audience)r.") % {"audience": audience})
    return audience


def status_mark(proposal: Proposal) -> str:
    """The word stamped across the pages of a proposal that must not be taken as a valid offer."""
    if proposal.status == S.EXPIRED or (
        proposal.status in Proposal.OPEN_STATUSES and proposal.is_expired_by_date
    ):
        return _("EXPIRED")
    if proposal.status == S.WITHDRAWN:
        return _("WITHDRAWN")
    if proposal.status in (S.DRAFT, S.IN_APPROVAL):
        return _("DRAFT")
    return ""


def issue_date(proposal: Proposal) -> dt.date:
    """The date the client reads: when it was sent, or for one not sent yet, when it was written."""
    return timezone.localtime(proposal.sent_at or proposal.created_at).date()


def our_team(proposal: Proposal) -> list[TeamMember]:
    """The author first, then the team; each with their role on this account's team if they have one."""
    members = [proposal.author] + [user for user in proposal.team.all() if user.pk != proposal.author_id]
    roles = dict(
        AccountTeamMember.objects.filter(account=proposal.account_id, user__in=members).values_list(
            "user_id", "team_role"
        )
    )

    def role(user: User) -> str:
        if user.pk in roles:
            return str(AccountTeamMember.TeamRole(roles[user.pk]).label)
        return user.get_role_display()

    return [TeamMember(user.get_full_name() or user.username, role(user), user.email) for user in members]


def argument_groups(proposal: Proposal, audience: str | None) -> list[ArgumentGroup]:
    """The arguments grouped by audience, in the order the buying-centre roles are declared."""
    arguments = proposal.arguments.prefetch_related("contacts")
    if audience:
        arguments = arguments.filter(audience=audience)
    by_audience: dict[str, list[ProposalArgument]] = {}
    for argument in arguments:
        by_audience.setdefault(argument.audience, []).append(argument)
    return [
        ArgumentGroup(str(role.label), by_audience[role.value])
        for role in AUDIENCES
        if role.value in by_audience
    ]


def proposal_content(proposal: Proposal, audience: str | None = None) -> ProposalContent:
    audience = checked_audience(audience)
    proposal = Proposal.objects.select_related("account", "author").get(pk=proposal.pk)
    return ProposalContent(
        proposal=proposal,
        company=settings.KAM_COMPANY_NAME,
        issued=issue_date(proposal),
        mark=status_mark(proposal),
        team=our_team(proposal),
        contacts=list(proposal.contacts.all()),
        lines=list(proposal.lines.select_related("product_line")),
        references=list(proposal.references.all()),
        argument_groups=argument_groups(proposal, audience),
    )
