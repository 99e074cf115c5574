"""Events: queued once the change commits, then fanned out to the subscriptions that may see them.

Each payload is versioned JSON, {"id", "event", "version": 1, "created_at", "data"}, where `data` has
the shape of the API's resource (as its subscriber would read it there) plus the event's details.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.request import Request

from accounts.api import AccountViewSet
from accounts.models import Account, User
from analysis import selectors as analysis_selectors
from analysis.api import AnalysisRunSerializer, SegmentSerializer
from analysis.models import AccountSegment
from dossiers.complaint_api import ComplaintSerializer, ComplaintViewSet
from proposals.api import ProposalSerializer, ProposalViewSet
from sales import selectors as sales_selectors
from sales.api import ImportBatchSerializer

from .models import WebhookSubscription

PAYLOAD_VERSION = 1


@dataclass(frozen=True)
class Resource:
    """How an event's object is read for a user (None: they may not see it) and written."""

    rows: Callable[[User], QuerySet[Any]]
    serializer: type


def _accounts(user: User) -> QuerySet[Any]:
    return AccountViewSet().visible_queryset(user)


def _segments(user: User) -> QuerySet[Any]:
    return AccountSegment.objects.filter(account__in=Account.objects.visible_to(user)).select_related(
        "account"
    )


RESOURCES: dict[str, Resource] = {
    "account.created": Resource(_accounts, AccountViewSet.serializer_class),
    "account.updated": Resource(_accounts, AccountViewSet.serializer_class),
    "account.status_changed": Resource(_accounts, AccountViewSet.serializer_class),
    "segment.changed": Resource(_segments, SegmentSerializer),
    "analysis_run.completed": Resource(lambda user: analysis_selectors.run_queryset(), AnalysisRunSerializer),
    "import.finished": Resource(
        lambda user: sales_selectors.batch_queryset(user=user), ImportBatchSerializer
    ),
    "proposal.status_changed": Resource(ProposalViewSet().visible_queryset, ProposalSerializer),
    "complaint.opened": Resource(ComplaintViewSet().visible_queryset, ComplaintSerializer),
    "complaint.past_sla": Resource(ComplaintViewSet().visible_queryset, ComplaintSerializer),
}


CHUNK = 500  # events per fan-out task: a nightly run may change the status of 100,000 accounts


def wanted(event: str) -> bool:
    """Whether any active subscription wants `event` (else nothing is queued at all)."""
    rows = WebhookSubscription.objects.filter(active=True).values_list("events", flat=True)
    return any(event in events for events in rows)


def envelope(
    event: str, *, object_id: int, account_id: int | None = None, extra: dict[str, Any] | None = None
):
    """One event about the object `object_id` (and the account it concerns, if any)."""
    return {
        "id": str(uuid.uuid4()),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "object_id": object_id,
        "account_id": account_id,
        "extra": extra or {},
    }


def emit(event: str, **fields: Any) -> None:
    """Announce one event (see `envelope` for the fields)."""
    emit_many(event, [fields])


def emit_many(event: str, items: list[dict[str, Any]]) -> None:
    """Announce events queued only once the current transaction commits, so nothing is sent for a
    change that is rolled back; nothing at all when no subscription wants them."""
    from .tasks import fan_out

    if not items or not wanted(event):
        return
    envelopes = [envelope(event, **item) for item in items]
    for start in range(0, len(envelopes), CHUNK):
        transaction.on_commit(partial(fan_out.delay, envelopes[start : start + CHUNK]))


def _request_of(user: User) -> Request:
    """A request as `user` for the serializers (links and scoped choices are built from it)."""
    base = urlsplit(settings.KAM_BASE_URL)
    http = HttpRequest()
    http.META["SERVER_NAME"] = base.hostname or "localhost"
    http.META["SERVER_PORT"] = str(base.port or (443 if base.scheme == "https" else 80))
    if base.scheme == "https":
        http.META["HTTPS"] = "on"
    http.user = user
    request = Request(http)
    request.user = user
    return request


def payload_for(envelope: dict[str, Any], user: User) -> dict[str, Any] | None:
    """The event's payload as `user` may read it, or None when they may not see its object."""
    resource = RESOURCES[envelope["event"]]
    row = resource.rows(user).filter(pk=envelope["object_id"]).first()
    if row is None:
        return None
    data = dict(resource.serializer(row, context={"request": _request_of(user)}).data)
    data.update(envelope.get("extra") or {})
    return {
        "id": envelope["id"],
        "event": envelope["event"],
        "version": PAYLOAD_VERSION,
        "created_at": envelope["created_at"],
        "data": data,
    }
