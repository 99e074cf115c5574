"""One timeline per account that merges everything that happened with the client.

Each source returns its newest entries of the wanted types, at most `limit`, in a fixed number of
queries; the timeline merges them by time. Apps built on the dossiers (retention, proposals) add
their own sources with `register` from their AppConfig.ready, so the dossiers never import them.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import Count, Max, Min, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Account, AccountChange
from sales.models import ImportBatch, SalesLine

from .models import Commitment, Interaction, ProfileChange, Tender
from .wording import change_text, profile_change_values, profile_field_label, short_date


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    type: str  # the filter key: an interaction kind, "import", "tender", "status", …
    label: str  # what the type is called on the page
    title: str
    detail: str = ""
    by: str = ""
    url: str = ""
    people: tuple[str, ...] = field(default=())
    amount: Decimal | None = None  # shown as money
    all_day: bool = False  # a date-only event: no time of day shown
    # Ids, file names and the like: (what, value) pairs the page tucks into "technical details".
    technical: tuple[tuple[str, str], ...] = field(default=())


# (types offered in the filter, the source). Wanted: the types asked for, or None for all.
Source = Callable[[Account, "Collection[str] | None", int], list[Entry]]
_SOURCES: list[tuple[tuple[tuple[str, Any], ...], Source]] = []


def register(types: Sequence[tuple[str, Any]], source: Source) -> None:
    """Add a source of timeline entries of the given (value, label) types. It is called only when
    one of its types is wanted; a source of several types narrows to the wanted ones itself."""
    if all(existing is not source for _t, existing in _SOURCES):
        _SOURCES.append((tuple(types), source))


def timeline_types() -> list[tuple[str, str]]:
    """Every type the filter offers, in registration order."""
    return [(value, str(label)) for types, _s in _SOURCES for value, label in types]


def account_timeline(
    *, account: Account, types: Collection[str] | None = None, limit: int = 50
) -> list[Entry]:
    """The newest `limit` entries of the account (of the given types), newest first.

    `account` must already be one the user may see; each source is scoped to it.
    """
    wanted = set(types) if types else None
    streams = []
    for offered, source in _SOURCES:
        if wanted is None or wanted & {value for value, _l in offered}:
            streams.append(source(account, wanted, limit))
    merged = heapq.merge(*streams, key=lambda e: e.at, reverse=True)
    return list(islice(merged, limit))


def start_of_day(day: dt.date) -> dt.datetime:
    """A date-only event, placed at the start of its day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- the dossiers' own sources ------------------------------------------------------------------


def interactions(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    queryset = Interaction.objects.filter(account=account)
    if wanted is not None:
        queryset = queryset.filter(kind__in=wanted)
    entries = []
    for i in queryset.select_related("created_by").prefetch_related("contacts")[:limit]:
        detail = "\n".join(
            part
            for part in (
                i.outcome and _("Outcome: %(outcome)s") % {"outcome": i.outcome},
                i.next_step
                and _("Next step: %(step)s") % {"step": i.next_step}
                + (
                    " " + _("(due %(day)s)") % {"day": short_date(i.next_step_due)} if i.next_step_due else ""
                ),
            )
            if part
        )
        entries.append(
            Entry(
                at=i.occurred_at,
                type=i.kind,
                label=i.get_kind_display(),
                title=i.summary,
                detail=detail,
                by=str(i.created_by or ""),
                people=tuple(str(c) for c in i.contacts.all()),
                amount=i.value,
            )
        )
    return entries


def imports(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    """One entry per import batch that brought lines of this account: how many, what value, which dates."""
    per_batch = list(
        SalesLine.objects.filter(account=account, batch__isnull=False)
        .values("batch_id")
        .annotate(lines=Count("id"), amount=Sum("amount"), first=Min("date"), last=Max("date"))
        .order_by("-batch_id")[:limit]
    )
    batches = ImportBatch.objects.in_bulk([row["batch_id"] for row in per_batch])
    entries = []
    for row in per_batch:
        batch = batches.get(row["batch_id"])
        if batch is None:
            continue
        entries.append(
            Entry(
                at=batch.finished_at or batch.created_at,
                type="import",
                label=_("Sales import"),
                title=ngettext(
                    "%(lines)s sales line imported, %(first)s to %(last)s",
                    "%(lines)s sales lines imported, %(first)s to %(last)s",
                    row["lines"],
                )
                % {
                    "lines": number_format(row["lines"], force_grouping=True),
                    "first": short_date(row["first"]),
                    "last": short_date(row["last"]),
                },
                amount=Decimal(str(row["amount"])).quantize(Decimal("0.01")),
                technical=((_("Import batch"), f"#{batch.pk}"), (_("File"), batch.file_name)),
            )
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)


CLOSED = {Tender.Status.WON, Tender.Status.LOST, Tender.Status.CANCELLED}
SUBMITTED_OR_LATER = CLOSED | {Tender.Status.SUBMITTED}
CLOSED_TITLES: dict[str, Any] = {
    Tender.Status.WON: gettext_lazy("Tender won: %(title)s"),
    Tender.Status.LOST: gettext_lazy("Tender lost: %(title)s"),
    Tender.Status.CANCELLED: gettext_lazy("Tender cancelled: %(title)s"),
}


def tender_events(tender: Tender) -> list[Entry]:
    """A tender appears when it was announced (or planned), submitted and decided."""
    url = reverse("dossiers:tender-detail", args=[tender.pk])
    events = [
        Entry(
            at=start_of_day(tender.announced_on) if tender.announced_on else tender.created_at,
            type="tender",
            label=_("Tender"),
            title=_("Tender announced: %(title)s") % {"title": tender.title},
            amount=tender.value,
            url=url,
            all_day=tender.announced_on is not None,
        )
    ]
    if tender.status in SUBMITTED_OR_LATER and tender.submission_on:
        events.append(
            Entry(
                at=start_of_day(tender.submission_on),
                type="tender",
                label=_("Tender"),
                title=_("Tender submitted: %(title)s") % {"title": tender.title},
                url=url,
                all_day=True,
            )
        )
    if tender.status in CLOSED:
        reason = tender.get_outcome_reason_display() if tender.outcome_reason else ""
        events.append(
            Entry(
                at=start_of_day(tender.decision_on) if tender.decision_on else tender.updated_at,
                type="tender",
                label=_("Tender"),
                title=CLOSED_TITLES[tender.status] % {"title": tender.title},
                detail=" · ".join(part for part in (reason, tender.outcome_notes) if part),
                url=url,
                all_day=tender.decision_on is not None,
            )
        )
    return events


def tenders(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    entries = [
        e for t in Tender.objects.filter(account=account).order_by("-pk")[:limit] for e in tender_events(t)
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]


# A tracked account field → the page an entry of its change links to (e.g. an owner change → the
# handover brief), set by the apps above from their AppConfig.ready.
_CHANGE_LINKS: dict[str, Callable[[Account], str]] = {}


def register_change_link(field_name: str, url_of: Callable[[Account], str]) -> None:
    """Link the timeline's entries of changes of `field_name` to `url_of(account)`."""
    _CHANGE_LINKS[field_name] = url_of


def _account_value_text(name: str, raw: str) -> str:
    """A stored status or key-client type (its label in the language of the day it changed, or its
    code) in the user's language; anything else (an owner's name) as it was stored."""
    try:
        model_field = Account._meta.get_field(name)
    except LookupError:
        return raw
    choices = getattr(model_field, "flatchoices", None) or []
    if not raw or not choices:
        return raw
    with translation.override("en"):
        english = {str(label): label for _value, label in choices}
    return str({str(value): label for value, label in choices}.get(raw) or english.get(raw) or raw)


def status_changes(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    links = {name: url_of(account) for name, url_of in _CHANGE_LINKS.items()}
    labels = {
        "status": _("Status"),
        "owner": _("Account owner"),
        "key_client_type": _("Key-client type"),
    }
    return [
        Entry(
            at=change.changed_at,
            type="status",
            label=_("Status change"),
            title=change_text(
                str(labels.get(change.field, change.field)),
                _account_value_text(change.field, change.old),
                _account_value_text(change.field, change.new),
            ),
            by=str(change.changed_by or ""),
            url=links.get(change.field, ""),
        )
        for change in AccountChange.objects.filter(account=account).select_related("changed_by")[:limit]
    ]


PROFILE_EDIT_GAP = dt.timedelta(minutes=5)


def profile_changes(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    """One entry per profile edit: the fields one person changed within a few minutes."""

    def line(c: ProfileChange) -> str:
        old, new = profile_change_values(c)
        return change_text(profile_field_label(c.field), old[:140], new[:140])

    changes = ProfileChange.objects.filter(profile__account=account).select_related("changed_by")
    edits: list[list[ProfileChange]] = []
    for change in changes[: limit * 4]:
        last = edits[-1][-1] if edits else None
        if (
            last
            and last.changed_by_id == change.changed_by_id
            and last.changed_at - change.changed_at < PROFILE_EDIT_GAP
        ):
            edits[-1].append(change)
        else:
            edits.append([change])
    return [
        Entry(
            at=edit[0].changed_at,
            type="profile",
            label=_("Profile"),
            title=_("Profile updated: %(fields)s")
            % {"fields": ", ".join(dict.fromkeys(profile_field_label(c.field) for c in edit))},
            detail="\n".join(line(c) for c in edit),
            by=str(edit[0].changed_by or ""),
        )
        for edit in edits[:limit]
    ]


def commitments(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    """A promise shows once it is kept or broken (an open one is a to-do, not an event)."""
    closed = (
        Commitment.objects.filter(account=account)
        .exclude(status=Commitment.Status.OPEN)
        .select_related("owner", "contact")
        .order_by("-updated_at", "-pk")[:limit]
    )
    url = reverse("dossiers:account-commitments", args=[account.pk])
    entries = [
        Entry(
            at=start_of_day(c.kept_on or c.broken_on or c.due_on),
            all_day=True,
            type="commitment",
            label=_("Commitment"),
            title=(_("Promise kept: %(what)s") if c.kept_on else _("Promise broken: %(what)s"))
            % {"what": c.what},
            detail=" · ".join(
                part for part in (_("due %(day)s") % {"day": short_date(c.due_on)}, c.note) if part
            ),
            by=str(c.owner),
            people=(str(c.contact),) if c.contact else (),
            url=url,
        )
        for c in closed
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)


register(Interaction.Kind.choices, interactions)
register([("import", gettext_lazy("Sales imports"))], imports)
register([("tender", gettext_lazy("Tenders"))], tenders)
register([("status", gettext_lazy("Status changes"))], status_changes)
register([("profile", gettext_lazy("Profile changes"))], profile_changes)
register([("commitment", gettext_lazy("Commitments kept or broken"))], commitments)
