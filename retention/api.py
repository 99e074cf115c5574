"""API v1 for retention: churn lists and health, refusals, losses, win-back campaigns, notifications."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Account, User
from common.account_api import VERSION_HELP, AccountScopedSerializer, AccountScopedViewSet
from common.api import Pagination, VisibleToUserMixin, limit_choices
from common.api_input import MAX_ID

from . import churn_selectors, selectors, services
from .filters import (
    CHURN_ORDERINGS,
    CampaignFilter,
    CampaignTargetFilter,
    LossRecordFilter,
    NotificationFilter,
    RefusalFilter,
)
from .health import Health, usual_interval_days
from .models import (
    CampaignStep,
    CampaignTarget,
    LossRecord,
    Notification,
    Refusal,
    WinBackCampaign,
)
from .permissions import can_manage_campaign, can_work_target


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]


# --- refusals and losses ------------------------------------------------------------------------


class RefusalSerializer(AccountScopedSerializer):
    class Meta:
        model = Refusal
        fields = (
            "id",
            "account",
            "on",
            "kind",
            "product_line",
            "reason",
            "text",
            "recorded_by",
            "created_at",
        )
        read_only_fields = ("recorded_by", "created_at")


class RefusalViewSet(AccountScopedViewSet):
    """Refusals (an order, a proposal or a product line declined) on the accounts the caller sees."""

    serializer_class = RefusalSerializer
    entity = "refusal"
    create_service = staticmethod(services.refusal_create)
    update_service = staticmethod(services.refusal_update)
    delete_service = staticmethod(services.refusal_delete)
    filterset_class = RefusalFilter

    def visible_queryset(self, user: Any) -> Any:
        return Refusal.objects.visible_to(user).select_related("account", "product_line")


class LossRecordSerializer(AccountScopedSerializer):
    class Meta:
        model = LossRecord
        fields = ("id", "account", "lost_on", "reason", "product_line", "competitor", "notes", "recorded_by")
        read_only_fields = ("recorded_by",)


class LossRecordViewSet(AccountScopedViewSet):
    """Why accounts were lost; recording one marks the account lost."""

    serializer_class = LossRecordSerializer
    entity = "loss"
    create_service = staticmethod(services.loss_record_create)
    update_service = staticmethod(services.loss_record_update)
    delete_service = staticmethod(services.loss_record_delete)
    filterset_class = LossRecordFilter

    def visible_queryset(self, user: Any) -> Any:
        return LossRecord.objects.visible_to(user).select_related("account")


# --- churn lists and health ---------------------------------------------------------------------


def health_data(health: Health) -> dict[str, Any]:
    return {
        "score": health.score,
        "band": health.band,
        "components": [
            {
                "key": c.key,
                "label": c.label,
                "points": None if c.points is None else round(c.points, 2),
                "max_points": c.max_points,
                "why": c.why,
            }
            for c in health.components
        ],
    }


class ChurnRowSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField()
    owner = serializers.IntegerField(allow_null=True)
    churn_status = serializers.ChoiceField(
        choices=Account.Status.choices, help_text="The account's buying status (at risk or lost here)"
    )
    churn_score = serializers.FloatField(allow_null=True)
    value_last_12_months = serializers.DecimalField(max_digits=16, decimal_places=2)
    days_since_last_purchase = serializers.IntegerField(allow_null=True)
    usual_interval_days = serializers.IntegerField(allow_null=True)
    last_purchase = serializers.DateField(allow_null=True)
    abc_class = serializers.CharField()
    xyz_class = serializers.CharField()
    run = serializers.IntegerField()


class ChurnPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ChurnRowSerializer(many=True)
    run = serializers.IntegerField(
        allow_null=True, required=False, help_text="null (and no results) while there is no complete run"
    )


class HealthComponentSerializer(serializers.Serializer):
    # `label` would shadow `Field.label`, hence `get_fields` (a comment: a docstring ends up in the schema).
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "key": serializers.CharField(),
            "label": serializers.CharField(),
            "points": serializers.FloatField(allow_null=True, help_text="null: no evidence, no data"),
            "max_points": serializers.IntegerField(),
            "why": serializers.CharField(),
        }


class HealthSerializer(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True, help_text="0 to 100; null without any evidence")
    band = serializers.CharField()
    components = HealthComponentSerializer(many=True)


class TransitionSerializer(serializers.Serializer):
    """A change of churn status: on, from, to (`from` is a Python keyword, hence `get_fields`)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {"on": serializers.DateField(), "from": serializers.CharField(), "to": serializers.CharField()}


class AccountHealthSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    run = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    churn_status = serializers.ChoiceField(choices=Account.Status.choices, help_text="The buying status")
    churn_score = serializers.FloatField(allow_null=True)
    churn_drivers = serializers.ListField(
        child=serializers.DictField(), help_text="feature, value, contribution, label"
    )
    days_since_last_purchase = serializers.IntegerField(allow_null=True)
    usual_interval_days = serializers.IntegerField(allow_null=True)
    health = HealthSerializer()
    refusals = serializers.IntegerField()
    transitions = TransitionSerializer(many=True)


class ChurnView(APIView):
    """The latest run's at-risk and lost accounts the caller sees, most value at stake first."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=["all", "at_risk", "lost"], description="One status (default: both)"
            ),
            OpenApiParameter(
                "dormant", int, description="Only accounts at least this many days without a purchase"
            ),
            OpenApiParameter("owner", int, description="The owner's user id (an owner of visible accounts)"),
            OpenApiParameter("abc_class", str, enum=["A", "B", "C"]),
            OpenApiParameter("ordering", str, enum=list(CHURN_ORDERINGS), description="Default: value"),
        ],
        responses={200: ChurnPageSerializer},
    )
    def get(self, request: Request) -> Response:
        run = selectors.latest_run()
        churn = churn_selectors.churn_filter(user=_user(request), run=run, filters=request.query_params)
        if churn.errors:
            raise serializers.ValidationError(churn.errors)
        if run is None:
            return Response({"run": None, "count": 0, "next": None, "previous": None, "results": []})
        rows = churn.rows
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        return paginator.get_paginated_response(
            [
                {
                    "account": s.account_id,
                    "name": s.account.name,
                    "external_id": s.account.external_id,
                    "owner": s.account.owner_id,
                    "churn_status": s.account.status,
                    "churn_score": s.churn_score,
                    "value_last_12_months": f"{s.value_12m:.2f}",
                    "days_since_last_purchase": s.days_since_last_purchase,
                    "usual_interval_days": usual_interval_days(s.median_interval_days),
                    "last_purchase": s.last_purchase,
                    "abc_class": s.abc_class,
                    "xyz_class": s.xyz_class,
                    "run": run.pk,
                }
                for s in page
            ]
        )


class AccountHealthView(APIView):
    """One account's churn status, risk score with its drivers, and health score with its components."""

    @extend_schema(responses={200: AccountHealthSerializer})
    def get(self, request: Request, pk: int) -> Response:
        account = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
        data = selectors.account_retention(user=_user(request), account=account)
        segment = data.segment
        return Response(
            {
                "account": account.pk,
                "run": data.run.pk if data.run else None,
                "as_of": data.run.as_of if data.run else None,
                "churn_status": account.status,
                "churn_score": segment.churn_score if segment else None,
                "churn_drivers": data.drivers,
                "days_since_last_purchase": segment.days_since_last_purchase if segment else None,
                "usual_interval_days": data.usual_interval,
                "health": health_data(data.health),
                "refusals": len(data.refusals),
                "transitions": [
                    {"on": t.on, "from": t.old_status, "to": t.new_status} for t in data.transitions
                ],
            }
        )


# --- win-back campaigns -------------------------------------------------------------------------


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignStep
        fields = ("id", "on", "action", "by")
        read_only_fields = ("by",)
        extra_kwargs = {"on": {"required": False}}


class TargetSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = CampaignTarget
        fields = (
            "id", "campaign", "account", "outcome", "outcome_on", "notes", "status_at_start", "value_before",
            "steps", "version",
        )  # fmt: skip
        read_only_fields = ("campaign", "account", "status_at_start", "value_before")


class CampaignSerializer(serializers.ModelSerializer):
    accounts = serializers.PrimaryKeyRelatedField(
        many=True, write_only=True, required=False, queryset=Account.objects.none(),
        help_text="Target accounts (on create)",
    )  # fmt: skip
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = WinBackCampaign
        fields = (
            "id", "name", "goal", "method", "budget", "starts_on", "ends_on", "department", "created_by",
            "created_at", "accounts", "version",
        )  # fmt: skip
        read_only_fields = ("department", "created_by", "created_at")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "accounts", Account.objects.visible_to(request.user))


class AccountsSerializer(serializers.Serializer):
    accounts = serializers.PrimaryKeyRelatedField(many=True, queryset=Account.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "accounts", Account.objects.visible_to(request.user))


class TargetResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=CampaignTarget.Outcome.choices)
    recovered = serializers.DecimalField(max_digits=16, decimal_places=2)
    value_before = serializers.DecimalField(max_digits=16, decimal_places=2)


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    recovered = serializers.DecimalField(max_digits=16, decimal_places=2)
    net = serializers.DecimalField(max_digits=16, decimal_places=2)
    return_on_budget = serializers.FloatField(allow_null=True, help_text="null with no budget")
    value_before = serializers.DecimalField(max_digits=16, decimal_places=2)
    outcomes = serializers.DictField(child=serializers.IntegerField(), help_text="outcome → targets")
    targets = TargetResultSerializer(many=True)


class CampaignViewSet(VisibleToUserMixin, viewsets.ModelViewSet):
    """Win-back campaigns: create with target accounts, add targets, read the results."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def visible_queryset(self, user: Any) -> Any:
        return selectors.campaign_queryset(user=user)

    def _manage(self, campaign: WinBackCampaign) -> None:
        if not can_manage_campaign(_user(self.request), campaign):
            raise PermissionDenied(
                _("Only the campaign's creator, its department's heads and admins change it.")
            )

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        accounts = data.pop("accounts", [])
        created = services.campaign_create(by=_user(self.request), accounts=accounts, **data)
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:  # UpdateModelMixin always hands over the row
            raise NotFound
        self._manage(serializer.instance)
        data = dict(serializer.validated_data)
        data.pop("accounts", None)
        version = data.pop("version", None)
        updated = services.campaign_update(campaign=serializer.instance, **data,
                                           version=version)  # fmt: skip
        serializer.instance = self.get_queryset().get(pk=updated.pk)

    def perform_destroy(self, instance: WinBackCampaign) -> None:
        self._manage(instance)
        instance.delete()

    @extend_schema(request=AccountsSerializer, responses={201: TargetSerializer(many=True)})
    @action(detail=True, methods=["post"], serializer_class=AccountsSerializer)
    def targets(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        self._manage(campaign)
        body = AccountsSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        added = services.campaign_targets_add(campaign=campaign,
                                              accounts=body.validated_data["accounts"])  # fmt: skip
        return Response(TargetSerializer(added, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CampaignResultsSerializer})
    @action(detail=True, methods=["get"], serializer_class=CampaignResultsSerializer)
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Cost vs revenue recovered since the start, per target and in total (targets the caller sees)."""
        results = selectors.campaign_results(user=_user(request), campaign=self.get_object())
        return Response(
            {
                "campaign": results.campaign.pk,
                "budget": f"{results.campaign.budget:.2f}",
                "recovered": f"{results.recovered:.2f}",
                "net": f"{results.net:.2f}",
                "return_on_budget": results.return_on_budget,
                "value_before": f"{results.value_before:.2f}",
                "outcomes": results.outcomes,
                "targets": [
                    {
                        "id": t.pk,
                        "account": t.account_id,
                        "outcome": t.outcome,
                        "recovered": f"{t.recovered:.2f}",
                        "value_before": f"{t.value_before:.2f}",
                    }
                    for t in results.targets
                ],
            }
        )


class CampaignTargetViewSet(
    VisibleToUserMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """A campaign's target accounts: record the outcome (send `version`), add steps."""

    serializer_class = TargetSerializer
    filterset_class = CampaignTargetFilter

    def visible_queryset(self, user: Any) -> Any:
        return (
            CampaignTarget.objects.visible_to(user)
            .filter(campaign__in=selectors.campaign_queryset(user=user))
            .select_related("campaign", "account")
            .prefetch_related("steps")
        )

    def _work(self, target: CampaignTarget) -> None:
        if not can_work_target(_user(self.request), target):
            raise PermissionDenied(_("You may not work on this target."))

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:  # UpdateModelMixin always hands over the row
            raise NotFound
        self._work(serializer.instance)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        updated = services.target_update(target=serializer.instance, **data,
                                         version=version)  # fmt: skip
        serializer.instance = self.get_queryset().get(pk=updated.pk)

    @extend_schema(request=StepSerializer, responses={201: StepSerializer})
    @action(detail=True, methods=["post"], serializer_class=StepSerializer)
    def steps(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        self._work(target)
        body = StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = services.target_step_add(target=target, by=_user(request), **dict(body.validated_data))
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)


# --- notifications ------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "url", "account", "created_at", "read_at")


class ReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, help_text="None: all"
    )


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many unread notifications became read")


class NotificationViewSet(VisibleToUserMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first; `read/` marks some or all read."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    queryset = Notification.objects.none()  # for the schema; requests use their own

    def visible_queryset(self, user: Any) -> Any:
        if not user.is_authenticated:
            return Notification.objects.none()
        return selectors.notifications(user=user)

    def get_permissions(self) -> Sequence[Any]:
        # Marking one's own notifications read changes nothing in the CRM: analysts may too.
        if self.action == "read":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(request=ReadSerializer, responses={200: MarkedReadSerializer})
    @action(detail=False, methods=["post"], serializer_class=ReadSerializer)
    def read(self, request: Request) -> Response:
        body = ReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = services.notifications_mark_read(user=_user(request), ids=body.validated_data.get("ids"))
        return Response({"marked_read": count})
