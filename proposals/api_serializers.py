"""The API's representation of a proposal, its lines, arguments, history and follow-up, and of the
success-story library. Fields are listed explicitly; writes go through the services (proposals.api)."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from accounts.models import Contact, User
from common.account_api import VERSION_HELP, AccountScopedSerializer
from common.api import limit_choices
from common.api_input import MAX_ID
from retention.models import Reason

from .models import FollowUpStep, Proposal, ProposalArgument, ProposalLine, ProposalTransition, SuccessStory
from .rules import Rules, approval_reasons, current_rules

# Each item is written by its own service call: bounded, so one request cannot hold the row for long.
MAX_LINES, MAX_ARGUMENTS = 500, 50
KEEP_HELP = "The id of an existing {0} to keep (and change); leave it out for a new {0}."


def _child_id(entity: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=KEEP_HELP.format(entity)
    )


class ProposalLineSerializer(serializers.ModelSerializer):
    id = _child_id("line")

    class Meta:
        model = ProposalLine
        fields = [
            "id",
            "position",
            "product_line",
            "sku",
            "description",
            "quantity",
            "unit_price",
            "discount_percent",
            "line_total",
        ]
        read_only_fields = ["line_total"]
        extra_kwargs = {"position": {"help_text": "Default: the line's place in the list (1, 2, …)."}}


class ProposalArgumentSerializer(serializers.ModelSerializer):
    id = _child_id("argument")

    class Meta:
        model = ProposalArgument
        fields = ["id", "audience", "text", "contacts"]
        extra_kwargs = {
            "contacts": {
                "help_text": "Contacts of the proposal's account; left out on a new argument: "
                "the account's contacts in that role."
            }
        }


class ProposalTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalTransition
        fields = ["id", "from_status", "to_status", "by", "at", "comment"]
        read_only_fields = fields


class FollowUpStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpStep
        fields = [
            "id",
            "position",
            "key",
            "title",
            "working_days",
            "state",
            "due_on",
            "task",
            "closed_at",
            "closed_by",
        ]
        read_only_fields = fields


def _amount(help_text: str, *, max_digits: int = 14) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=2, read_only=True, help_text=help_text
    )


class ProposalTotalsSerializer(serializers.Serializer):
    gross_amount = _amount("The lines' value before discounts")
    discount_amount = _amount("Gross less total")
    average_discount = _amount("The discount in % of the gross amount", max_digits=5)
    total_amount = _amount("The lines' value after discounts")
    max_line_discount = _amount("The largest discount of a line, in %", max_digits=5)


class ProposalSerializer(AccountScopedSerializer):
    """A proposal with its lines and arguments (a given list replaces them), its history and follow-up."""

    totals = ProposalTotalsSerializer(source="*", read_only=True)
    approval_required = serializers.SerializerMethodField(
        help_text="Whether the content calls for a department head's approval before sending "
        "(whether or not it was given: see status and approved_by)"
    )
    approval_reasons = serializers.SerializerMethodField(
        help_text="Why approval is required (empty: it is not)"
    )
    lines: serializers.ListSerializer[ProposalLine] = serializers.ListSerializer(
        child=ProposalLineSerializer(),
        required=False,
        max_length=MAX_LINES,
        help_text=f"Given, the list replaces the lines, in its order (at most {MAX_LINES}).",
    )
    arguments: serializers.ListSerializer[ProposalArgument] = serializers.ListSerializer(
        child=ProposalArgumentSerializer(),
        required=False,
        max_length=MAX_ARGUMENTS,
        help_text=f"Given, the list replaces the arguments (at most {MAX_ARGUMENTS}).",
    )
    transitions = ProposalTransitionSerializer(many=True, read_only=True, help_text="Newest first")
    follow_up_steps = FollowUpStepSerializer(many=True, read_only=True)
    # Blank until the proposal is won or lost: the schema's enums must allow "".
    won_reason = serializers.ChoiceField(
        choices=Proposal.WonReason.choices, allow_blank=True, read_only=True, help_text="Why it was won"
    )
    lost_reason = serializers.ChoiceField(
        choices=Reason.choices, allow_blank=True, read_only=True, help_text="Why it was lost"
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "number",
            "account",
            "title",
            "author",
            "team",
            "contacts",
            "currency",
            "valid_until",
            "payment_terms",
            "delivery_terms",
            "benefits",
            "uniqueness",
            "exclusivity",
            "annual_savings",
            "annual_extra_margin",
            "payback_months",
            "references",
            "status",
            "totals",
            "approval_required",
            "approval_reasons",
            "approved_by",
            "approved_at",
            "sent_at",
            "received_at",
            "decided_at",
            "won_reason",
            "lost_reason",
            "outcome_notes",
            "copied_from",
            "lines",
            "arguments",
            "transitions",
            "follow_up_steps",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "author",
            "status",
            "approved_by",
            "approved_at",
            "sent_at",
            "received_at",
            "decided_at",
            "won_reason",
            "lost_reason",
            "outcome_notes",
            "copied_from",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "currency": {"required": False, "help_text": "Default: the company's currency"},
            "valid_until": {"required": False, "help_text": "Default: today + the policy's validity days"},
            "contacts": {"help_text": "The people of the account's buying centre it is addressed to"},
        }
        validators: list[Any] = []  # numbering, scope and the workflow are the services' business

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            contacts = Contact.objects.visible_to(request.user)
            limit_choices(self, "contacts", contacts)
            limit_choices(self, "team", User.objects.filter(is_active=True))
            limit_choices(self, "references", SuccessStory.objects.visible_to(request.user))
            arguments = cast(serializers.ListSerializer, self.fields["arguments"])
            limit_choices(cast(ProposalArgumentSerializer, arguments.child), "contacts", contacts)

    def _rules(self) -> Rules:
        """The policy in force, read once per response (a list shows many proposals)."""
        context = cast(dict[str, Any], self.context)  # the root serializer's own dict
        if "rules" not in context:
            context["rules"] = current_rules()
        rules: Rules = context["rules"]
        return rules

    def get_approval_required(self, proposal: Proposal) -> bool:
        return bool(approval_reasons(proposal, self._rules()))

    def get_approval_reasons(self, proposal: Proposal) -> list[str]:
        return approval_reasons(proposal, self._rules())


WON_REASONS = ", ".join(Proposal.WonReason.values)
LOST_REASONS = ", ".join(Reason.values)


class ProposalMoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Proposal.Status.choices, help_text="The status to move to")
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Kept in the history (and as outcome notes)"
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20,
        help_text=f"Why it was won ({WON_REASONS}) or lost ({LOST_REASONS}); required for those two",
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class TransitionRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the workflow refuses the move, in words")
    code = serializers.ChoiceField(choices=["transition_refused"])


class StaleVersionSerializer(serializers.Serializer):
    version = serializers.ListField(child=serializers.CharField(), help_text="Reload and try again")


MOVE_CONFLICT = PolymorphicProxySerializer(
    component_name="ProposalMoveConflict",
    serializers=[TransitionRefusedSerializer, StaleVersionSerializer],
    resource_type_field_name=None,
)


class AudienceSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(
        choices=Contact.DmuRole.choices,
        required=False,
        help_text="Only the arguments for this role of the buying centre",
    )


class SuccessStorySerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = SuccessStory
        fields = [
            "id",
            "title",
            "client_name",
            "industry",
            "product_line",
            "project",
            "result",
            "recommender_name",
            "recommender_position",
            "recommender_phone",
            "year",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = ["created_by", "created_at"]
