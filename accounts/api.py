"""API v1 for accounts, contacts, departments and users; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied

from common.api import VisibleToUserMixin, limit_choices

from . import permissions, selectors, services
from .filters import AccountFilter, ContactFilter
from .models import Account, AccountTeamMember, Contact, Department, PersonalDataAccess, User
from .standing import standing_of, with_standing


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountTeamMember
        fields = ["user", "team_role"]


class AccountSerializer(serializers.ModelSerializer):
    team = TeamMemberSerializer(source="team_members", many=True, read_only=True)
    contact_count = serializers.IntegerField(read_only=True)
    subsidiary_count = serializers.IntegerField(read_only=True)
    revenue_12m = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        help_text="Our own revenue from the account over the last twelve months (the sales ledger); "
        "`annual_revenue` is the client's own turnover.",
    )
    strategic = serializers.SerializerMethodField(help_text="Marked strategic by its assessment.")
    privileges = serializers.SerializerMethodField(
        help_text="The privileges granted to a strategic account (keys of the assessment's privileges)."
    )
    version = serializers.IntegerField(
        required=False, help_text="Send the version you read to have a stale update refused (409)."
    )

    class Meta:
        model = Account
        fields = [
            "id",
            "external_id",
            "name",
            "legal_name",
            "industry",
            "country",
            "region",
            "website",
            "headcount",
            "annual_revenue",
            "status",
            "key_client_type",
            "owner",
            "department",
            "lead_source",
            "parent",
            "team",
            "contact_count",
            "subsidiary_count",
            "revenue_12m",
            "strategic",
            "privileges",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []  # uniqueness and scope are checked by the service

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "parent", Account.objects.visible_to(request.user))
        self.fields["external_id"].validators = []

    def get_strategic(self, instance: Account) -> bool:
        return standing_of(instance).strategic

    def get_privileges(self, instance: Account) -> list[str]:
        return [privilege.key for privilege in standing_of(instance).privileges]

    def to_representation(self, instance: Account) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not getattr(instance, "parent_visible", True):
            data["parent"] = None  # a group the caller may not see does not exist for them
        return data


PERSONAL_FIELDS = (*Contact.PERSONAL_FIELDS, "consent_given", "consent_date")


class ContactSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(
        required=False, help_text="Send the version you read to have a stale update refused (409)."
    )

    class Meta:
        model = Contact
        # The writable fields are exactly those the contact services take.
        fields = [
            "id",
            "account",
            *services.CONTACT_FIELDS,
            "consent_withdrawn_on",
            "version",
            "created_at",
            "updated_at",
        ]
        # Consent is recorded in the consent register (the contact page), not written here.
        read_only_fields = ["created_at", "updated_at", "consent_given", "consent_date"]
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "account", Account.objects.visible_to(request.user))
            limit_choices(self, "reports_to", Contact.objects.visible_to(request.user))
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True

    def to_representation(self, instance: Contact) -> dict[str, Any]:
        data = super().to_representation(instance)
        user = self.context["request"].user
        if permissions.may_show_personal_data(user, instance):
            revealed = self.context.get("revealed")
            if revealed is not None:  # the viewset logs these contacts as shown
                revealed.append(instance)
        else:
            for name in PERSONAL_FIELDS:
                data.pop(name, None)
        return data


class AccountViewSet(VisibleToUserMixin, viewsets.ModelViewSet):
    """Key accounts the caller may see. A KAM's new account is owned by them."""

    serializer_class = AccountSerializer
    filterset_class = AccountFilter
    queryset = Account.objects.none()

    def visible_queryset(self, user: User):
        # The rows as the serializer writes them: ids of owner, department and parent, no joined rows.
        rows = with_standing(selectors.account_queryset(user=user).select_related(None))
        return rows.prefetch_related("team_members").order_by("name", "pk")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        account = services.account_create(by=self.request.user, **data)
        serializer.instance = self.visible_queryset(self.request.user).get(pk=account.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:  # UpdateModelMixin always hands over the row
            raise NotFound
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if serializer.instance.parent_id and not serializer.instance.parent_visible:
            data.pop("parent", None)  # shown as null; the caller cannot move it out of its group
        account = services.account_update(
            account=serializer.instance, by=self.request.user, version=version, **data
        )
        # A head who files the account elsewhere no longer sees it: answer with what they saved.
        serializer.instance = (
            self.visible_queryset(self.request.user).filter(pk=account.pk).first() or account
        )

    def perform_destroy(self, instance: Account) -> None:
        if not permissions.can_delete_account(self.request.user, instance):
            raise PermissionDenied(_("Only department heads and admins delete accounts."))
        services.account_delete(account=instance)


class ContactViewSet(VisibleToUserMixin, viewsets.ModelViewSet):
    """Members of the buying centres of visible accounts. Personal fields only for those allowed;
    every response that shows them is written to the personal-data access log."""

    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    queryset = Contact.objects.none()

    def visible_queryset(self, user: User):
        return selectors.contact_queryset(user=user).order_by("account_id", "last_name", "pk")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        revealed = getattr(self, "_revealed", None)
        if revealed and response.status_code < 400:
            services.personal_data_access_log(
                user=request.user, contacts=revealed, channel=PersonalDataAccess.Channel.API
            )
        return response

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        self._revealed: list[Contact] = []
        context["revealed"] = self._revealed
        return context

    def _personal(self, account: Account) -> bool:
        return permissions.can_see_personal_data(self.request.user, account)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        account = data.pop("account")
        serializer.instance = services.contact_create(
            account=account, personal=self._personal(account), **data
        )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:  # UpdateModelMixin always hands over the row
            raise NotFound
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        contact = serializer.instance
        serializer.instance = services.contact_update(
            contact=contact,
            personal=permissions.may_show_personal_data(self.request.user, contact),
            version=version,
            **data,
        )

    def perform_destroy(self, instance: Contact) -> None:
        services.contact_delete(contact=instance)


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "code"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    queryset = Department.objects.all()


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "role"]


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Active users, to pick owners and team members."""

    serializer_class = UserSerializer
    queryset = User.objects.filter(is_active=True).order_by("username")
