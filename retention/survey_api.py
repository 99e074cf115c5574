"""API v1 for the satisfaction surveys: the shared questionnaires, their results over the accounts
the caller sees, and private links (the token is in the create response only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import Account, Contact, User
from common.api import AuthenticatedRequest, VisibleToUserMixin, limit_choices

from . import survey_selectors as selectors
from . import survey_services as services
from .filters import InvitationFilter, SurveyFilter
from .models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion
from .survey_forms import ChannelForm


class SurveyQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyQuestion
        fields = ["id", "position", "text", "kind", "required"]
        read_only_fields = ["id", "position"]


class SurveySerializer(serializers.ModelSerializer):
    questions = SurveyQuestionSerializer(many=True, allow_empty=False)

    class Meta:
        model = Survey
        fields = ["id", "title", "intro", "is_active", "questions", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]


def _average() -> serializers.DecimalField:
    """An average score, 1.00 to 5.00 (null without answers)."""
    return serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    answers = serializers.IntegerField()
    average = _average()
    distribution = serializers.DictField(child=serializers.IntegerField(), help_text="score 1..5 → answers")
    texts = serializers.ListField(child=serializers.CharField(), help_text="the latest free-text answers")


class MonthAverageSerializer(serializers.Serializer):
    month = serializers.CharField(source="label")
    answered = serializers.IntegerField()
    average = _average()


class AccountAverageSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="key")
    name = serializers.CharField(source="label")
    answered = serializers.IntegerField()
    average = _average()


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField(source="survey.pk")
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    average = _average()
    questions = QuestionResultSerializer(many=True)
    months = MonthAverageSerializer(many=True)
    accounts = AccountAverageSerializer(many=True)


class SurveyViewSet(
    VisibleToUserMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The survey registry (every logged-in user reads it); create one with its questions, in order."""

    serializer_class = SurveySerializer
    filterset_class = SurveyFilter
    queryset = Survey.objects.none()

    def visible_queryset(self, user: User) -> QuerySet[Survey]:
        return selectors.survey_queryset(user=user).prefetch_related("questions")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        questions = [dict(question) for question in data.pop("questions")]
        survey = services.survey_create(by=self.request.user, questions=questions, **data)
        serializer.instance = self.get_queryset().get(pk=survey.pk)

    @action(detail=True, serializer_class=SurveyResultsSerializer)
    def results(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Per question (answers, average, scores 1 to 5), per month and per account, lowest first;
        only invitations on accounts the caller sees count; `?channel=web|phone` keeps one channel."""
        channels = ChannelForm(request.query_params)
        if not channels.is_valid():
            raise ValidationError(
                {k: [e["message"] for e in v] for k, v in channels.errors.get_json_data().items()}
            )
        channel = channels.cleaned_data.get("channel", "")
        results = selectors.survey_results(user=request.user, survey=self.get_object(), channel=channel)
        return Response(SurveyResultsSerializer(results).data)


class SurveyAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyAnswer
        fields = ["question", "score", "text"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    """`link` is in the create response only: the token behind it is not stored."""

    answers = SurveyAnswerSerializer(many=True, read_only=True)
    valid_days = serializers.IntegerField(
        write_only=True,
        required=False,
        default=services.DEFAULT_VALID_DAYS,
        min_value=1,
        max_value=services.MAX_VALID_DAYS,
    )
    send_email = serializers.BooleanField(
        write_only=True, required=False, default=True, help_text="E-mail the link to the contact."
    )
    link = serializers.SerializerMethodField()
    emailed = serializers.SerializerMethodField()

    class Meta:
        model = SurveyInvitation
        fields = [
            "id",
            "survey",
            "account",
            "contact",
            "valid_days",
            "send_email",
            "link",
            "emailed",
            "sent_by",
            "sent_at",
            "expires_at",
            "answered_at",
            "average_score",
            "channel",
            "answers",
        ]
        read_only_fields = ["sent_by", "sent_at", "expires_at", "answered_at", "average_score", "channel"]
        extra_kwargs = {"contact": {"required": True, "allow_null": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # An account or contact the caller cannot see is "Invalid pk", as if it did not exist.
            limit_choices(self, "account", Account.objects.visible_to(request.user))
            limit_choices(self, "contact", Contact.objects.visible_to(request.user))
            limit_choices(self, "survey", Survey.objects.visible_to(request.user))

    def get_link(self, invitation: SurveyInvitation) -> str | None:
        return self.context.get("links", {}).get(invitation.pk)

    def get_emailed(self, invitation: SurveyInvitation) -> bool | None:
        return self.context.get("emailed", {}).get(invitation.pk)


class PhoneAnswersSerializer(serializers.Serializer):
    """Answers a contact gave by phone: {question id: score 1 to 5, or text}, checked like a link's."""

    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.none())
    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.none())
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.none())
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "account", Account.objects.visible_to(request.user))
            limit_choices(self, "contact", Contact.objects.visible_to(request.user))
            limit_choices(self, "survey", Survey.objects.visible_to(request.user))


class InvitationViewSet(
    VisibleToUserMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Survey links sent to the visible accounts' contacts, newest first, with their answers;
    filter by `survey`, `account`, `contact`. Creating one answers its link, once."""

    serializer_class = InvitationSerializer
    queryset = SurveyInvitation.objects.none()
    filterset_class = InvitationFilter

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The links and e-mail results of this request's new invitations, by invitation id: the
        # serializer shows them in the create response only.
        self.links: dict[int, str] = {}
        self.emailed: dict[int, bool] = {}

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "links": self.links, "emailed": self.emailed}

    def visible_queryset(self, user: User) -> QuerySet[SurveyInvitation]:
        return (
            selectors.invitation_queryset(user=user).prefetch_related("answers").order_by("-sent_at", "-pk")
        )

    @action(detail=False, methods=["post"], serializer_class=PhoneAnswersSerializer)
    def phone(self, request: AuthenticatedRequest) -> Response:
        """Record the answers a contact gave by phone (channel "phone", entered by the caller): 201
        with the answered invitation; a bad answer is a 400 naming its question, nothing written."""
        body = PhoneAnswersSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        invitation = services.survey_answer_by_phone(by=request.user, **body.validated_data)
        created = self.get_queryset().get(pk=invitation.pk)
        return Response(InvitationSerializer(created, context=self.get_serializer_context()).data, status=201)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        invitation, token = services.invitation_create(
            survey=data["survey"],
            account=data["account"],
            contact=data["contact"],
            by=self.request.user,
            valid_days=data["valid_days"],
        )
        link = self.request.build_absolute_uri(services.invitation_path(token))
        emailed = data["send_email"] and services.invitation_send(
            invitation=invitation, link=link, language=translation.get_language()
        )
        self.links[invitation.pk] = link
        self.emailed[invitation.pk] = emailed
        serializer.instance = self.get_queryset().get(pk=invitation.pk)
