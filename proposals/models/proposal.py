"""The proposal, its lines, arguments per audience, references, workflow history and follow-up.

The status workflow is declared once, here, as django-fsm transitions; `proposals.workflow` reads
these declarations to tell a user which moves are open and why a move is refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from accounts.models import Account, Contact, User
from dossiers.models.base import AccountScopedQuerySet
from sales.models import ProductLine

from .. import rules
from .references import SuccessStory


class ProposalSequence(models.Model):
    """The last number given in a year: proposals are numbered P-<year>-<nnnn>, one sequence a year."""

    year = models.PositiveSmallIntegerField(primary_key=True, verbose_name=_("year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ProposalQuerySet(AccountScopedQuerySet):
    def open(self) -> ProposalQuerySet:
        return self.filter(status__in=Proposal.OPEN_STATUSES)


def _can_approve(proposal: Any, user: Any) -> bool:
    return bool(user.is_head or user.is_admin_role)


def _can_work_on(proposal: Any, user: Any) -> bool:
    return not user.is_analyst


class Proposal(FSMModelMixin, models.Model):
    """A commercial proposal to named people in the client's buying centre (DOMAIN.md)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_APPROVAL = "in_approval", _("In approval")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Receipt confirmed")
        NEGOTIATION = "negotiation", _("Negotiation")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class WonReason(models.TextChoices):
        VALUE = "value", _("Value for the client (savings, ROI)")
        PRICE = "price", _("Price")
        RELATIONSHIP = "relationship", _("Relationship and trust")
        QUALITY = "quality", _("Quality or specification")
        TERMS = "terms", _("Payment or delivery terms")
        REFERENCES = "references", _("References")
        OTHER = "other", _("Other")

    S = Status
    EDITABLE_STATUSES = (S.DRAFT,)
    OPEN_STATUSES = (S.DRAFT, S.IN_APPROVAL, S.APPROVED, S.SENT, S.RECEIVED, S.NEGOTIATION)
    OUT_WITH_CLIENT = (S.SENT, S.RECEIVED, S.NEGOTIATION)
    CLOSED_STATUSES = (S.WON, S.LOST, S.EXPIRED, S.WITHDRAWN)

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("account")
    )
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="authored_proposals", verbose_name=_("author")
    )
    team = models.ManyToManyField(User, blank=True, related_name="proposal_teams", verbose_name=_("our team"))
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="proposals", verbose_name=_("addressed to")
    )
    currency = models.CharField(_("currency"), max_length=3)
    valid_until = models.DateField(_("valid until"))
    payment_terms = models.TextField(_("payment terms"), blank=True)
    delivery_terms = models.TextField(_("delivery terms"), blank=True)
    status = FSMField(_("status"), default=S.DRAFT, choices=Status.choices, protected=True)
    # The value argument (DOMAIN.md): what the client gains, in words and in numbers.
    benefits = models.TextField(_("benefits"), blank=True)
    uniqueness = models.TextField(_("what is unique"), blank=True)
    exclusivity = models.TextField(_("exclusivity"), blank=True)
    annual_savings = models.DecimalField(
        _("client's savings per year"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    annual_extra_margin = models.DecimalField(
        _("client's extra margin per year"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    payback_months = models.DecimalField(
        _("payback (months)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    references = models.ManyToManyField(
        SuccessStory, blank=True, related_name="proposals", verbose_name=_("references")
    )
    # Totals of the lines, kept by the line services so lists need no aggregate.
    gross_amount = models.DecimalField(
        _("before discounts"), default=Decimal(0), editable=False, max_digits=14, decimal_places=2
    )
    total_amount = models.DecimalField(
        _("total"), default=Decimal(0), editable=False, max_digits=14, decimal_places=2
    )
    max_line_discount = models.DecimalField(
        _("largest line discount (%)"), max_digits=5, decimal_places=2, default=Decimal(0), editable=False
    )
    # The workflow's facts, written by the transitions.
    approved_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("approved on"))
    sent_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("sent"))
    received_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("received"))
    decided_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("decided"))
    won_reason = models.CharField(_("why we won"), max_length=20, choices=WonReason.choices, blank=True)
    lost_reason = models.CharField(_("why we lost"), max_length=20, blank=True)  # retention's Reason
    outcome_notes = models.TextField(_("outcome notes"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
        verbose_name=_("copied from"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "-created_at"], name="proposal_account_idx"),
            models.Index(fields=["status", "valid_until"], name="proposal_status_valid_idx"),
            models.Index(fields=["author", "status"], name="proposal_author_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="won") | ~Q(won_reason=""), name="proposal_won_needs_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="lost") | ~Q(lost_reason=""), name="proposal_lost_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.title}"

    # --- derived figures --------------------------------------------------------------------
    @property
    def discount_amount(self) -> Decimal:
        return self.gross_amount - self.total_amount

    @property
    def average_discount(self) -> Decimal:
        """The discount over the whole proposal, in % of the value before discounts."""
        return rules.percent(self.discount_amount, self.gross_amount) or Decimal(0)

    @property
    def is_expired_by_date(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    # --- the workflow: every legal move, declared once ----------------------------------------
    @transition(
        field=status,
        source=S.DRAFT,
        target=S.IN_APPROVAL,
        conditions=[rules.has_lines],
        permission=_can_work_on,
    )
    def submit(self) -> None:
        """Ask the department head to approve it."""

    @transition(field=status, source=S.IN_APPROVAL, target=S.APPROVED, permission=_can_approve)
    def approve(self, *, by: User) -> None:
        self.approved_by, self.approved_at = by, timezone.now()

    @transition(field=status, source=[S.IN_APPROVAL, S.APPROVED], target=S.DRAFT, permission=_can_work_on)
    def return_to_draft(self) -> None:
        """Back to the author for changes: any approval given lapses."""
        self.approved_by, self.approved_at = None, None

    @transition(
        field=status,
        source=[S.DRAFT, S.APPROVED],
        target=S.SENT,
        conditions=[rules.has_lines, rules.not_past_validity, rules.approval_settled],
        permission=_can_work_on,
    )
    def send(self) -> None:
        self.sent_at = timezone.now()

    @transition(field=status, source=S.SENT, target=S.RECEIVED, permission=_can_work_on)
    def confirm_receipt(self) -> None:
        self.received_at = timezone.now()

    @transition(field=status, source=[S.SENT, S.RECEIVED], target=S.NEGOTIATION, permission=_can_work_on)
    def negotiate(self) -> None:
        """The client answered: terms are being discussed."""

    @transition(
        field=status,
        source=list(OUT_WITH_CLIENT),
        target=S.WON,
        conditions=[rules.not_past_validity],
        permission=_can_work_on,
    )
    def win(self, *, reason: str, notes: str = "") -> None:
        self.won_reason, self.outcome_notes, self.decided_at = reason, notes, timezone.now()

    @transition(field=status, source=list(OUT_WITH_CLIENT), target=S.LOST, permission=_can_work_on)
    def lose(self, *, reason: str, notes: str = "") -> None:
        self.lost_reason, self.outcome_notes, self.decided_at = reason, notes, timezone.now()

    @transition(
        field=status,
        source=list(OPEN_STATUSES),
        target=S.EXPIRED,
        conditions=[rules.past_validity],
        permission=_can_work_on,
    )
    def expire(self) -> None:
        """Past its validity date with no decision (the nightly run)."""
        self.decided_at = timezone.now()

    @transition(field=status, source=list(OPEN_STATUSES), target=S.WITHDRAWN, permission=_can_work_on)
    def withdraw(self) -> None:
        self.decided_at = timezone.now()


class LineQuerySet(AccountScopedQuerySet):
    account_lookup = "proposal__account"


class ProposalLine(models.Model):
    """What is offered: quantity x unit price less the line's discount."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="lines", verbose_name=_("proposal")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    product_line = models.ForeignKey(
        ProductLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product line"),
    )
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    description = models.CharField(_("description"), max_length=255)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    unit_price = models.DecimalField(
        _("unit price"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    discount_percent = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    line_total = models.DecimalField(_("line total"), editable=False, max_digits=14, decimal_places=2)

    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="proposal_line_discount_0_to_100",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="proposal_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="proposal_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def gross(self) -> Decimal:
        return rules.money(self.quantity * self.unit_price)


class ProposalArgument(models.Model):
    """What the proposal says to one audience of the buying centre, and to which of its people."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="arguments", verbose_name=_("proposal")
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Contact.DmuRole.choices)
    text = models.TextField(_("argument"))
    contacts = models.ManyToManyField(Contact, blank=True, related_name="+", verbose_name=_("addressed to"))

    class Meta:
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")
        ordering = ["audience", "pk"]

    def __str__(self) -> str:
        return f"{self.get_audience_display()}: {self.text[:40]}"


class ProposalTransition(models.Model):
    """One move of the status: who, when, from → to, and why."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("proposal")
    )
    from_status = models.CharField(
        max_length=20, choices=Proposal.Status.choices, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=20, choices=Proposal.Status.choices, verbose_name=_("to status"))
    by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("when"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["proposal", "-at"], name="proposal_transition_idx")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class FollowUpStepQuerySet(models.QuerySet["FollowUpStep"]):
    def overdue(self, today: dt.date) -> FollowUpStepQuerySet:
        """Open after the day they were due: the query twin of `FollowUpStep.is_overdue`."""
        return self.filter(state=FollowUpStep.State.OPEN, due_on__lt=today)


class FollowUpStep(models.Model):
    """One step of the follow-up after sending; the open one is a task on the author's home page."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="follow_up_steps", verbose_name=_("proposal")
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    key = models.CharField(max_length=40, verbose_name=_("step key"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    working_days = models.PositiveSmallIntegerField(verbose_name=_("working days"))
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.WAITING, verbose_name=_("state")
    )
    due_on = models.DateField(null=True, blank=True, verbose_name=_("due on"))
    task = models.OneToOneField(
        "dossiers.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal_step",
        verbose_name=_("task"),
    )
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed"))
    closed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("closed by")
    )

    objects = FollowUpStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")
        ordering = ["proposal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "position"], name="follow_up_step_position_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        """Open after the day it was due (a waiting step has no date yet)."""
        return self.state == self.State.OPEN and self.due_on is not None and self.due_on < today
