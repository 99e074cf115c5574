"""API v1 for proposals and the success-story library: visibility-scoped, writes through the services.

A proposal is never deleted (withdraw it); its status moves only through `transition/`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Contact, User
from common.api import AuthenticatedRequest, VisibleToUserMixin

from . import document, selectors, services
from .api_serializers import (
    MOVE_CONFLICT,
    AudienceSerializer,
    ProposalMoveSerializer,
    ProposalSerializer,
    SuccessStorySerializer,
)
from .filters import ProposalFilter, SuccessStoryFilter
from .models import Proposal, SuccessStory

# Ids in URLs are ASCII digits: `proposals/stats/` (and any other word) is never read as an id.
ID = "[0-9]+"


class PDFRenderer(renderers.BaseRenderer):
    """The bytes of a PDF, as they are."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


@dataclass(frozen=True)
class Children:
    """A proposal's nested list (lines, arguments) and the services that write its items."""

    name: str
    entity: str
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    ordered: bool = False  # items take their place in the list as `position` unless given one


LINES = Children("lines", "line", services.line_create, services.line_update, services.line_delete, True)
ARGUMENTS = Children(
    "arguments", "argument", services.argument_create, services.argument_update, services.argument_delete
)


def replace_children(proposal: Proposal, children: Children, given: list[dict[str, Any]]) -> None:
    """Make the proposal's `children` what `given` lists: an item with the id of an existing one
    changes it, one without an id is added, and those left out are removed (the caller holds the
    transaction, so all of it is written or none)."""
    existing = {child.pk: child for child in getattr(proposal, children.name).all()}
    kept = [item["id"] for item in given if item.get("id") is not None]
    unknown = sorted(set(kept) - set(existing))
    twice = sorted({pk for pk in kept if kept.count(pk) > 1})
    if unknown or twice:
        wrong = f"not of this proposal: {unknown}" if unknown else f"given twice: {twice}"
        raise serializers.ValidationError({children.name: [f"Each id once, of this proposal only; {wrong}."]})
    for pk, child in existing.items():
        if pk not in kept:
            children.delete(**{children.entity: child})
    for place, item in enumerate(given, start=1):
        values = dict(item)
        pk = values.pop("id", None)
        if children.ordered:
            values.setdefault("position", place)
        if pk is None:
            children.create(proposal=proposal, **values)
        else:
            children.update(**{children.entity: existing[pk]}, **values)


def _split(data: dict[str, Any]) -> tuple[int | None, dict[Children, list[dict[str, Any]]]]:
    """Take the version and the nested lists out of a validated body (the rest is the header)."""
    version = data.pop("version", None)
    nested = {children: data.pop(children.name) for children in (LINES, ARGUMENTS) if children.name in data}
    return version, nested


class ProposalViewSet(
    VisibleToUserMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Commercial proposals on the accounts the caller sees. Only a draft can be changed; the status
    moves through `transition/` (withdraw instead of deleting). Filters: those of the list page."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    queryset = Proposal.objects.none()
    lookup_value_regex = ID

    def visible_queryset(self, user: User) -> QuerySet[Proposal]:
        return selectors.proposal_full_queryset(user=user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        _version, nested = _split(data)
        with transaction.atomic():
            proposal = services.proposal_create(account=data.pop("account"), by=self.request.user, **data)
            for children, given in nested.items():
                replace_children(proposal, children, given)
        serializer.instance = self.get_queryset().get(pk=proposal.pk)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:  # UpdateModelMixin always hands over the row
            raise NotFound
        data = dict(serializer.validated_data)
        version, nested = _split(data)
        with transaction.atomic():
            # The header first: it checks the version and that this is a draft, and locks the row.
            proposal = services.proposal_update(
                proposal=serializer.instance, expected_version=version, **data
            )
            for children, given in nested.items():
                replace_children(proposal, children, given)
        serializer.instance = self.get_queryset().get(pk=proposal.pk)

    @extend_schema(request=ProposalMoveSerializer, responses={200: ProposalSerializer, 409: MOVE_CONFLICT})
    @action(detail=True, methods=["post"], serializer_class=ProposalMoveSerializer)
    def transition(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Move the proposal to another status. A move the workflow does not allow (from this status,
        to this user, or not yet: approval, validity) answers 409 with the reason in `detail`."""
        proposal = self.get_object()
        body = ProposalMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        move = body.validated_data
        try:
            moved = services.proposal_transition(
                proposal=proposal,
                to=move["to"],
                by=request.user,
                comment=move["comment"],
                reason=move["reason"],
                expected_version=move.get("version"),
            )
        except services.TransitionRefused as refused:
            return Response(
                {"detail": refused.message, "code": "transition_refused"}, status=status.HTTP_409_CONFLICT
            )
        fresh = self.get_queryset().get(pk=moved.pk)
        return Response(ProposalSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={201: ProposalSerializer})
    @action(detail=True, methods=["post"], serializer_class=ProposalSerializer)
    def copy(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """A new draft with the same content, a new number and a fresh validity: how an expired,
        lost or withdrawn proposal is offered again. The caller is its author."""
        copy = services.proposal_copy(proposal=self.get_object(), by=request.user)
        fresh = self.get_queryset().get(pk=copy.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("audience", str, enum=Contact.DmuRole.values, required=False)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], renderer_classes=[PDFRenderer])
    def pdf(self, request: Request, pk: str | None = None) -> Response:
        """The printable proposal; `audience` keeps only the arguments for that role."""
        proposal = self.get_object()
        query = AudienceSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        content = document.proposal_pdf(proposal, audience=query.validated_data.get("audience"))
        response = Response(content, content_type=PDFRenderer.media_type)
        response["Content-Disposition"] = f'attachment; filename="{proposal.number}.pdf"'
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if self.action == "pdf" and response.status_code >= 400:
            # An error is told in JSON, like everywhere else, whatever the PDF route negotiated.
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class SuccessStoryViewSet(VisibleToUserMixin, viewsets.ModelViewSet):
    """The shared library of references (similar projects, their results, who recommends us) that
    proposals cite. Everyone but analysts keeps it; department heads and admins remove entries."""

    serializer_class = SuccessStorySerializer
    filterset_class = SuccessStoryFilter
    queryset = SuccessStory.objects.none()
    lookup_value_regex = ID

    def visible_queryset(self, user: User) -> QuerySet[SuccessStory]:
        return SuccessStory.objects.visible_to(user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.success_story_create(by=self.request.user, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        if serializer.instance is None:  # UpdateModelMixin always hands over the row
            raise NotFound
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = services.success_story_update(
            story=serializer.instance, expected_version=version, **data
        )

    def perform_destroy(self, instance: SuccessStory) -> None:
        user = self.request.user
        if not (user.is_head or user.is_admin_role):
            raise PermissionDenied(_("Only department heads and admins remove references."))
        services.success_story_delete(story=instance)
