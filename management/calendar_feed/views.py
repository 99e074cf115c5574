"""The calendar feed page (issue, regenerate, revoke) and the feed itself, opened by its token."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from common.locale import in_language_of
from common.views import AuthenticatedHttpRequest

from .events import DAYS_AHEAD, DAYS_BACK, calendar_events
from .ical import calendar_document
from .models import CalendarFeed
from .services import calendar_feed_for_token, calendar_feed_issue, calendar_feed_revoke


def feed_url(token: str) -> str:
    return settings.KAM_BASE_URL + reverse("management:calendar-ics", kwargs={"token": token})


@login_required
def calendar_feed_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the feed's state; POST: a new feed URL (the old one stops working), shown once."""
    new_url = None
    if request.method == "POST":
        _feed, token = calendar_feed_issue(user=request.user)
        new_url = feed_url(token)
    context = {
        "feed": CalendarFeed.objects.filter(user=request.user).active().first(),
        "new_url": new_url,
        "days_back": DAYS_BACK,
        "days_ahead": DAYS_AHEAD,
    }
    return render(request, "management/calendar_feed.html", context)


@login_required
@require_POST
def calendar_feed_revoke_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if calendar_feed_revoke(user=request.user):
        messages.success(request, _("Calendar feed turned off: its URL no longer works."))
    return redirect("management:calendar-feed")


@require_safe  # calendar apps may probe with HEAD
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed: no session, the token in the URL is the credential; unknown or revoked is 404."""
    feed = calendar_feed_for_token(token=token)
    if feed is None:
        raise Http404
    user = feed.user
    with in_language_of(user):
        name = _("kam — %(user)s") % {"user": user.get_full_name() or user.username}
        body = calendar_document(name=name, events=calendar_events(user=user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kam.ics"'
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response
