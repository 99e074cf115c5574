"""API v1 for referrals and recommendation letters (CRUD, scoped like the pages, optimistic locking)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import parsers, serializers

from accounts.models import Contact, User
from common.account_api import VERSION_HELP, AccountScopedSerializer, AccountScopedViewSet
from common.api import limit_choices

from . import services
from .models import Interaction, RecommendationLetter, Referral
from .referrals import LetterFilter, ReferralFilter, letter_queryset, referral_queryset


class ReferralSerializer(AccountScopedSerializer):
    """`account` is the prospect referred; `referrer` a contact of a customer the caller sees."""

    referrer_account = serializers.IntegerField(source="referrer.account_id", read_only=True)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "referrer", Contact.objects.visible_to(request.user))

    class Meta:
        model = Referral
        fields = [
            "id",
            "account",
            "referrer",
            "referrer_account",
            "referred_on",
            "referrer_called",
            "called_on",
            "outcome",
            "note",
            "version",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]


class ReferralViewSet(AccountScopedViewSet):
    """Referrals of the prospects the caller sees; creating one files the prospect under "referral"."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    queryset = Referral.objects.none()
    entity = "referral"
    create_service = services.referral_create
    update_service = services.referral_update
    delete_service = services.referral_delete

    def visible_queryset(self, user: User):
        return referral_queryset(user=user).order_by("-referred_on", "-pk")

    def _update_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"version": data.pop("version", None)}


class LetterSerializer(AccountScopedSerializer):
    """`file`: a PDF, PNG or JPEG of at most 10 MB (multipart); `delivery`: a delivery interaction."""

    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    # Uploads are not served from MEDIA: the scan is downloaded through a scoped page.
    file = serializers.FileField(write_only=True, required=False)
    has_file = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "contact", Contact.objects.visible_to(request.user))
            deliveries = Interaction.objects.visible_to(request.user).filter(kind=Interaction.Kind.DELIVERY)
            limit_choices(self, "delivery", deliveries)

    class Meta:
        model = RecommendationLetter
        fields = [
            "id",
            "account",
            "contact",
            "delivery",
            "received_on",
            "file",
            "has_file",
            "download_url",
            "note",
            "version",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]

    def get_has_file(self, letter: RecommendationLetter) -> bool:
        return bool(letter.file)

    def get_download_url(self, letter: RecommendationLetter) -> str | None:
        return reverse("dossiers:letter-file", args=[letter.pk]) if letter.file else None


class LetterViewSet(AccountScopedViewSet):
    """Recommendation letters received from the accounts the caller sees."""

    serializer_class = LetterSerializer
    filterset_class = LetterFilter
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]
    queryset = RecommendationLetter.objects.none()
    entity = "letter"
    create_service = services.letter_create
    update_service = services.letter_update
    delete_service = services.letter_delete

    def visible_queryset(self, user: User):
        return letter_queryset(user=user).order_by("-received_on", "-pk")

    def _update_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"version": data.pop("version", None)}
