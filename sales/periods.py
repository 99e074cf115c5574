"""Plan periods (month, quarter, half-year, year): the one place they are named, parsed and bounded."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.calendar import add_months

# kind -> months in the period
MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_PATTERNS = (
    ("year", re.compile(r"^(\d{4})$")),
    ("half", re.compile(r"^(\d{4})H([12])$")),
    ("quarter", re.compile(r"^(\d{4})Q([1-4])$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period: `start` is its first day, `end` its last."""

    kind: str
    start: dt.date

    def __post_init__(self) -> None:
        if self.kind not in MONTHS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if self.start.day != 1 or (self.start.month - 1) % MONTHS[self.kind]:
            raise ValueError(f"{self.start} does not start a {self.kind}")

    @property
    def end(self) -> dt.date:
        return add_months(self.start, MONTHS[self.kind]) - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """ "2026", "2026H1", "2026Q3" or "2026-07": the same text `parse` reads."""
        y, m = self.start.year, self.start.month
        if self.kind == "year":
            return str(y)
        if self.kind == "half":
            return f"{y}H{(m - 1) // 6 + 1}"
        if self.kind == "quarter":
            return f"{y}Q{(m - 1) // 3 + 1}"
        return f"{y}-{m:02d}"

    def shifted(self, periods: int) -> Period:
        """The period `periods` steps later (negative: earlier), of the same kind."""
        return Period(self.kind, add_months(self.start, periods * MONTHS[self.kind]))

    def last_year(self) -> Period:
        return Period(self.kind, self.start.replace(year=self.start.year - 1))

    def __str__(self) -> str:
        return self.label


def parse(text: str) -> Period:
    """ "2026" / "2026H1" / "2026Q3" / "2026-07" -> Period; ValueError with the accepted forms otherwise."""
    value = (text or "").strip().upper()
    for kind, pattern in _PATTERNS:
        if match := pattern.match(value):
            year, *rest = (int(g) for g in match.groups())
            if not 1900 <= year <= 2200:
                break
            part = rest[0] if rest else 1
            if kind == "month" and not 1 <= part <= 12:
                break
            first_month = 1 + (part - 1) * MONTHS[kind] if kind != "month" else part
            return Period(kind, dt.date(year, first_month, 1))
    raise ValueError(_("%(value)r is not a period: use 2026, 2026H1, 2026Q3 or 2026-07.") % {"value": text})


def containing(day: dt.date, kind: str) -> Period:
    """The period of the given kind that holds `day`."""
    size = MONTHS[kind]
    return Period(kind, dt.date(day.year, (day.month - 1) // size * size + 1, 1))
