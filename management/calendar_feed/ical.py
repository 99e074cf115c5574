"""Write feed events as an iCalendar (RFC 5545) document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from .events import FeedEvent

REFRESH = dt.timedelta(hours=1)


def _event(item: FeedEvent, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("summary", item.summary)
    event.add("dtstart", item.start)
    if item.end is not None:
        event.add("dtend", item.end)
    elif isinstance(item.start, dt.date) and not isinstance(item.start, dt.datetime):
        event.add("dtend", item.start + dt.timedelta(days=1))  # an all-day event ends the next day
    event.add("url", item.url)
    event.add("description", f"{item.description}\n{item.url}")
    event.add("last-modified", item.last_modified)
    event.add("transp", "TRANSPARENT")  # a deadline does not make one busy
    return event


def calendar_document(*, name: str, events: Iterable[FeedEvent]) -> bytes:
    """The calendar `name` holding `events`, with hints to refresh it hourly."""
    calendar = Calendar()
    calendar.add("prodid", "-//kam//calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    refresh = vDuration(REFRESH)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", refresh)
    stamp = timezone.now()
    for item in events:
        calendar.add_component(_event(item, stamp))
    return calendar.to_ical()
