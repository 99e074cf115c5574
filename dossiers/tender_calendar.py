"""The tender calendar's reads: what is due when among the visible tenders, as a month grid or a
list of months."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from common.calendar import add_months

from .models import Tender, TenderMilestone
from .selectors import OPEN_TENDER_STATUSES

CALENDAR_MONTHS = 3
OVERDUE_SHOWN = 50


@dataclass
class Day:
    on: dt.date
    in_month: bool
    items: list[dict[str, Any]]


@dataclass
class TenderCalendar:
    first: dt.date
    months: list[tuple[dt.date, list[dict[str, Any]]]]
    weeks: list[list[Day]]
    overdue: list[TenderMilestone]
    status_counts: list[tuple[str, int]]

    @property
    def last(self) -> dt.date:
        return add_months(self.first, CALENDAR_MONTHS) - dt.timedelta(days=1)

    @property
    def weekdays(self) -> list[dt.date]:
        """The grid's first week, for its column headers (named in the user's language)."""
        return [day.on for day in self.weeks[0]]

    @property
    def agenda(self) -> list[Day]:
        """The grid's days of the month that have something on, for narrow screens."""
        return [day for week in self.weeks for day in week if day.in_month and day.items]


def first_weekday() -> int:
    """The locale's first day of the week as Python counts it (Monday 0); Django counts Sunday 0."""
    return (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def _items(tenders: QuerySet[Tender], first: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Milestones due, submissions and decisions in first..end (exclusive), in date order."""
    items: list[dict[str, Any]] = [
        {"on": m.due_on, "what": m.title, "kind": "milestone", "done": m.done, "tender": m.tender}
        for m in TenderMilestone.objects.filter(
            tender__in=tenders, due_on__gte=first, due_on__lt=end
        ).select_related("tender__account")
    ]
    dated = Q(submission_on__gte=first, submission_on__lt=end)
    dated |= Q(decision_on__gte=first, decision_on__lt=end)
    for tender in tenders.filter(dated).select_related("account"):
        for kind, what, on in (
            ("submission", _("Submission"), tender.submission_on),
            ("decision", _("Decision"), tender.decision_on),
        ):
            if on is not None and first <= on < end:
                items.append({"on": on, "what": what, "kind": kind, "tender": tender})
    items.sort(key=lambda item: (item["on"], item["kind"] != "submission", item["tender"].pk))
    return items


def _grid(tenders: QuerySet[Tender], first: dt.date) -> list[list[Day]]:
    """first's month as weeks of days (with the neighbouring months' days that fill its weeks)."""
    weeks = calendar.Calendar(first_weekday()).monthdatescalendar(first.year, first.month)
    items = _items(tenders, weeks[0][0], weeks[-1][-1] + dt.timedelta(days=1))
    by_day: dict[dt.date, list[dict[str, Any]]] = {}
    for item in items:
        by_day.setdefault(item["on"], []).append(item)
    return [
        [Day(on=d, in_month=d.month == first.month, items=by_day.get(d, [])) for d in week] for week in weeks
    ]


def tender_calendar(*, tenders: QuerySet[Tender], first: dt.date, today: dt.date) -> TenderCalendar:
    """`tenders` (visible to the user, already filtered): first's month as a grid and CALENDAR_MONTHS
    months from `first` as lists, with the overdue preparation steps of the open ones and the count
    per status."""
    end = add_months(first, CALENDAR_MONTHS)
    items = _items(tenders, first, end)
    months = []
    for n in range(CALENDAR_MONTHS):
        start, stop = add_months(first, n), add_months(first, n + 1)
        months.append((start, [i for i in items if start <= i["on"] < stop]))
    overdue = (
        TenderMilestone.objects.overdue(today)
        .filter(tender__in=tenders, tender__status__in=OPEN_TENDER_STATUSES)
        .select_related("tender__account")
        .order_by("due_on", "pk")
    )
    by_status = dict(tenders.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return TenderCalendar(
        first=first,
        months=months,
        weeks=_grid(tenders, first),
        overdue=list(overdue[:OVERDUE_SHOWN]),
        status_counts=[(str(label), by_status.get(value, 0)) for value, label in Tender.Status.choices],
    )
