"""The retention period of the personal-data access log: entries older than the management policy's
`access_log_retention_months` are deleted every night."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.services import personal_data_access_purge
from common.calendar import months_back

from ..selectors import policy_current


def access_log_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """The moment before which entries go: the same time of day, so many calendar months ago."""
    now = timezone.localtime(now or timezone.now())
    day = months_back(now.date(), policy_current().access_log_retention_months)
    return now.replace(year=day.year, month=day.month, day=day.day)


def access_log_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the access-log entries past the retention period; returns how many went."""
    return personal_data_access_purge(before=access_log_cutoff(now=now))
