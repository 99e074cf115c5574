"""API v1 for the dossiers; every viewset is visibility-scoped and writes through the services."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Account, Contact, User
from common.account_api import VERSION_HELP, AccountScopedSerializer, AccountScopedViewSet
from common.api import AuthenticatedRequest, VisibleToUserMixin, limit_choices
from sales.models import SalesPlan

from . import selectors, services
from .filters import (
    CompetitorFilter,
    InteractionFilter,
    PlanFilter,
    PresenceFilter,
    TaskFilter,
    TenderFilter,
    TimelineForm,
)
from .models import (
    AccountPlan,
    AccountProfile,
    Competitor,
    CompetitorPresence,
    Interaction,
    PlanAction,
    ProspectQualification,
    StrategicAssessment,
    Task,
    Tender,
    TenderMilestone,
)
from .standing import assessment_warnings
from .timeline import account_timeline, timeline_types

# --- Profiles ----------------------------------------------------------------------------------


# A profile or an assessment that was never edited is shown unsaved: no time of update yet.
NEVER_SAVED = "null until first saved"


class ProfileSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text=NEVER_SAVED)

    # The Account's own fields, edited with the profile (one value per fact).
    headcount = serializers.IntegerField(
        source="account.headcount", required=False, allow_null=True, min_value=0
    )
    annual_revenue = serializers.DecimalField(
        source="account.annual_revenue",
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=0,
        help_text="The client's own annual turnover (the account's `annual_revenue`), not our sales.",
    )

    class Meta:
        model = AccountProfile
        fields = ["account", *AccountProfile.TRACKED_FIELDS, "next_review_due", "version", "updated_at"]
        read_only_fields = ["account", "next_review_due", "updated_at"]


class AssessmentSerializer(serializers.ModelSerializer):
    score = serializers.IntegerField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text=NEVER_SAVED)

    class Meta:
        model = StrategicAssessment
        fields = [
            "account",
            *StrategicAssessment.CRITERIA,
            "score",
            *StrategicAssessment.PRIVILEGES,
            "assessed_by",
            "updated_at",
        ]
        read_only_fields = ["account", "assessed_by", "updated_at"]


class QualificationSerializer(serializers.ModelSerializer):
    criterion = serializers.ChoiceField(choices=ProspectQualification.CRITERIA, write_only=True)
    is_qualified = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProspectQualification
        fields = [
            "account",
            "criterion",
            "need_confirmed_by",
            "need_confirmed_at",
            "solvency_confirmed_by",
            "solvency_confirmed_at",
            "authority_confirmed_by",
            "authority_confirmed_at",
            "is_qualified",
            "qualified_at",
        ]
        read_only_fields = [name for name in fields if name != "criterion"]


class ProfileViewSet(
    VisibleToUserMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The profile of a visible account, addressed by the account's id (empty until first edited),
    with the account's strategic assessment and 3P qualification."""

    serializer_class = ProfileSerializer
    queryset = AccountProfile.objects.none()
    lookup_field = "account"
    lookup_value_regex = "[0-9]+"  # an id that is not a number names no account: 404

    def visible_queryset(self, user: User):
        return selectors.profile_queryset(user=user)

    def _account(self) -> Account:
        return get_object_or_404(Account.objects.visible_to(self.request.user), pk=self.kwargs["account"])

    def get_object(self) -> AccountProfile:
        account = self._account()
        return AccountProfile.objects.filter(account=account).first() or AccountProfile(account=account)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:  # UpdateModelMixin always hands over the row
            raise NotFound
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        data.update(data.pop("account", {}))  # headcount and annual revenue, sent flat
        serializer.instance = services.profile_update(
            account=serializer.instance.account, by=self.request.user, version=version, **data
        )

    @action(detail=True, methods=["get", "patch"], serializer_class=AssessmentSerializer)
    def assessment(self, request: AuthenticatedRequest, account: str | None = None) -> Response:
        """The strategic-client checklist (score = ticked criteria) and the privileges granted."""
        client = self._account()
        assessment = StrategicAssessment.objects.filter(account=client).first() or StrategicAssessment(
            account=client
        )
        if request.method == "PATCH":
            serializer = AssessmentSerializer(assessment, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            assessment = services.assessment_update(
                account=client, by=request.user, **serializer.validated_data
            )
            # The strategic share cap, as the page warns of it: in the answer, never a refusal.
            warnings = assessment_warnings(user=request.user, assessment=assessment)
            return Response({**AssessmentSerializer(assessment).data, "warnings": warnings})
        return Response(AssessmentSerializer(assessment).data)

    @action(detail=True, methods=["get", "post"], serializer_class=QualificationSerializer)
    def qualification(self, request: AuthenticatedRequest, account: str | None = None) -> Response:
        """The 3P qualification of a prospect; POST `{"criterion": "need"}` confirms one of the three."""
        client = self._account()
        qualification = ProspectQualification.objects.filter(account=client).first()
        if request.method == "POST":
            serializer = QualificationSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            qualification = services.qualification_confirm(
                account=client, criterion=serializer.validated_data["criterion"], by=request.user
            )
        return Response(QualificationSerializer(qualification or ProspectQualification(account=client)).data)


# --- Interactions and tasks -------------------------------------------------------------------


class InteractionSerializer(AccountScopedSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "contacts", Contact.objects.visible_to(request.user))
            limit_choices(self, "users", User.objects.filter(is_active=True))

    class Meta:
        model = Interaction
        fields = [
            "id",
            "account",
            "kind",
            "occurred_at",
            "value",
            "summary",
            "outcome",
            "contacts",
            "users",
            "next_step",
            "next_step_due",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]


class InteractionViewSet(AccountScopedViewSet):
    """The interaction timeline of the visible accounts, newest first; filter by account and kind."""

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilter
    queryset = Interaction.objects.none()
    entity = "interaction"
    create_service = services.interaction_create
    update_service = services.interaction_update
    delete_service = services.interaction_delete

    def visible_queryset(self, user: User):
        return selectors.interaction_queryset(user=user).order_by("-occurred_at", "-pk")


class TaskSerializer(serializers.ModelSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "account", Account.objects.visible_to(request.user))
            limit_choices(self, "interaction", Interaction.objects.visible_to(request.user))
            limit_choices(self, "tender", Tender.objects.visible_to(request.user))

    class Meta:
        model = Task
        fields = ["id", "owner", "title", "due_on", "done", "done_at", "account", "interaction", "tender"]
        read_only_fields = ["owner", "done", "done_at"]


class TaskViewSet(
    VisibleToUserMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own tasks (the list), or with `?owner=` that user's tasks on the accounts the caller
    sees (a head reviewing a KAM's work); any task on a visible account can be read and marked done."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    queryset = Task.objects.none()

    def visible_queryset(self, user: User):
        if self.action == "list" and "owner" not in self.request.query_params:
            return selectors.own_tasks(user=user)
        return selectors.task_queryset(user=user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.task_create(by=self.request.user, **dict(serializer.validated_data))

    @action(detail=True, methods=["post"])
    def complete(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Mark the task done."""
        task = services.task_complete(task=self.get_object())
        return Response(self.get_serializer(task).data)


# --- Tenders and competitors ------------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = TenderMilestone
        fields = ["id", "title", "due_on", "done"]
        read_only_fields = fields


class TenderSerializer(AccountScopedSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = Tender
        fields = [
            "id",
            "account",
            "title",
            "value",
            "announced_on",
            "submission_on",
            "decision_on",
            "status",
            "outcome_reason",
            "outcome_notes",
            "competitors",
            "milestones",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class TenderViewSet(AccountScopedViewSet):
    """Tenders of the visible accounts with their preparation plan (read-only milestones)."""

    serializer_class = TenderSerializer
    filterset_class = TenderFilter
    queryset = Tender.objects.none()
    entity = "tender"
    create_service = services.tender_create
    update_service = services.tender_update
    delete_service = services.tender_delete

    def visible_queryset(self, user: User):
        return selectors.tender_queryset(user=user).order_by("submission_on", "pk")

    def _update_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"version": data.pop("version", None)}


class CompetitorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competitor
        fields = ["id", "name", "website", "notes"]


class CompetitorViewSet(VisibleToUserMixin, viewsets.ModelViewSet):
    """The shared competitor registry."""

    serializer_class = CompetitorSerializer
    filterset_class = CompetitorFilter
    queryset = Competitor.objects.none()

    def visible_queryset(self, user: User):
        return selectors.competitor_queryset(user=user).order_by("name")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.competitor_create(**serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:  # UpdateModelMixin always hands over the row
            raise NotFound
        serializer.instance = services.competitor_update(
            competitor=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Competitor) -> None:
        services.competitor_delete(competitor=instance)


class PresenceSerializer(AccountScopedSerializer):
    class Meta:
        model = CompetitorPresence
        fields = [
            "id",
            "account",
            "competitor",
            "product_lines",
            "estimated_share",
            "pressure",
            "threat_level",
            "last_seen",
        ]
        validators: list[Any] = []  # once per account and competitor: checked by the service


class CompetitorPresenceViewSet(AccountScopedViewSet):
    """Competitors working on the visible accounts."""

    serializer_class = PresenceSerializer
    filterset_class = PresenceFilter
    queryset = CompetitorPresence.objects.none()
    entity = "presence"
    create_service = services.presence_create
    update_service = services.presence_update
    delete_service = services.presence_delete

    def visible_queryset(self, user: User):
        return selectors.presence_queryset(user=user).order_by("account_id", "-threat_level", "pk")


# --- Account plans ----------------------------------------------------------------------------


class PlanActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanAction
        fields = ["id", "title", "owner", "due_on", "progress"]
        read_only_fields = fields


class AccountPlanSerializer(AccountScopedSerializer):
    actions = PlanActionSerializer(many=True, read_only=True)
    # Kept for readers of the API: the account's yearly sales plan (set it at /api/v1/sales-plans/).
    revenue_target = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True, default=None,
        help_text="Read-only: the account's yearly sales plan (/api/v1/sales-plans/).",
    )  # fmt: skip

    class Meta:
        model = AccountPlan
        fields = [
            "id",
            "account",
            "year",
            "revenue_target",
            "share_of_wallet_target",
            "joint_activities",
            "actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []  # one plan per account and year: checked by the service

    def to_representation(self, instance: AccountPlan) -> dict[str, Any]:
        if not hasattr(instance, "revenue_target"):  # a plan just written: not read through the list
            targets = SalesPlan.objects.filter(
                account_id=instance.account_id, period_kind="year", product_line__isnull=True,
                period_start__year=instance.year,
            )  # fmt: skip
            instance.revenue_target = targets.values_list("amount", flat=True).first()  # type: ignore[attr-defined]
        return super().to_representation(instance)


class AccountPlanViewSet(AccountScopedViewSet):
    """Yearly plans of the visible accounts, with their actions (read-only here)."""

    serializer_class = AccountPlanSerializer
    filterset_class = PlanFilter
    queryset = AccountPlan.objects.none()
    entity = "plan"
    create_service = services.plan_create
    update_service = services.plan_update
    delete_service = services.plan_delete

    def visible_queryset(self, user: User):
        return selectors.plan_queryset(user=user).order_by("account_id", "-year")


class TimelineEntrySerializer(serializers.Serializer):
    # `label` would shadow `Field.label`, hence `get_fields` (a comment: a docstring ends up in the schema).
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "at": serializers.DateTimeField(),
            "all_day": serializers.BooleanField(),
            "type": serializers.CharField(),
            "label": serializers.CharField(),
            "title": serializers.CharField(),
            "detail": serializers.CharField(),
            "by": serializers.CharField(),
            "people": serializers.ListField(child=serializers.CharField()),
            "amount": serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True),
        }


TIMELINE_API_DEFAULT = 50


class AccountTimelineView(APIView):
    """The account's merged timeline, newest first: `?type=` (repeatable) filters, `limit` ≤ 200."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "type", str, many=True, description="Entry types to keep (repeat the parameter)"
            ),
            OpenApiParameter("limit", int, description="How many entries (1 to 200, default 50)"),
        ],
        responses={200: TimelineEntrySerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        account = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
        form = TimelineForm(request.query_params, types=timeline_types())
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: list(map(str, errors)) for name, errors in form.errors.items()}
            )
        wanted = form.cleaned_data["type"]
        limit = form.cleaned_data["limit"] or TIMELINE_API_DEFAULT
        entries = account_timeline(account=account, types=wanted or None, limit=limit)
        return Response(TimelineEntrySerializer(entries, many=True).data)
