"""A digest as an e-mail: subject, text and HTML, in the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import User
from common.locale import in_language_of

from .daily import DailyDigest, daily_digest
from .kinds import DAILY
from .tokens import unsubscribe_url
from .weekly import WeeklyDigest, weekly_digest


@dataclass
class DigestMail:
    kind: str
    subject: str
    text: str
    html: str
    content: DailyDigest | WeeklyDigest

    @property
    def is_empty(self) -> bool:
        return self.content.is_empty

    @property
    def html_body(self) -> str:
        """The HTML part's body, to show the e-mail inside a page."""
        start = self.html.find(">", self.html.find("<body")) + 1
        return self.html[start : self.html.rfind("</body>")]


def digest_content(*, user: User, kind: str, today: dt.date) -> DailyDigest | WeeklyDigest:
    if kind == DAILY:
        return daily_digest(user=user, today=today)
    return weekly_digest(user=user, today=today)


def _subject(content: DailyDigest | WeeklyDigest) -> str:
    day = date_format(content.today, "SHORT_DATE_FORMAT")
    if isinstance(content, DailyDigest):
        return _("Your day in kam, %(day)s") % {"day": day}
    return _("Your week in kam: %(quarter)s, %(day)s") % {"quarter": content.quarter.label, "day": day}


def digest_render(*, user: User, kind: str, today: dt.date) -> DigestMail:
    """The digest of `kind` for `user` on `today`, rendered in the user's language."""
    with in_language_of(user):
        content = digest_content(user=user, kind=kind, today=today)
        context: dict[str, Any] = {
            "digest": content,
            "kind": kind,
            "user": user,
            "base_url": settings.KAM_BASE_URL,
            "language": get_language(),
            "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=kind),
        }
        subject = _subject(content)
        context["subject"] = subject
        return DigestMail(
            kind=kind,
            subject=subject,
            text=render_to_string(f"management/digests/{kind}.txt", context),
            html=render_to_string(f"management/digests/{kind}.html", context),
            content=content,
        )
