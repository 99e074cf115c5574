from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .calendar_feed.services import calendar_feed_revoke
from .models import CalendarFeed, ConsumptionRun, DigestSubscription, ManagementPolicy


@admin.register(ManagementPolicy)
class ManagementPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kam_load_target",
        "neglect_days",
        "strategic_share_cap",
        "sla_days_critical",
        "created_by",
    )


@admin.register(ConsumptionRun)
class ConsumptionRunAdmin(admin.ModelAdmin):
    list_display = ("half", "status", "scheduled", "started_by", "done", "total", "created_at")
    list_filter = ("status", "scheduled", "half")
    readonly_fields = ("half", "status", "scheduled", "started_by", "done", "total", "message")


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "daily", "weekly", "daily_sent_on", "weekly_sent_on")
    list_filter = ("daily", "weekly")
    readonly_fields = ("daily_sent_on", "weekly_sent_on")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a calendar feed and when it was last read; a feed URL that leaked is revoked here."""

    list_display = ("user", "created_at", "last_fetched_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = ("user", "created_at", "last_fetched_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a feed is issued by its user, who alone sees its URL once

    @admin.action(description=_("Revoke the selected feeds"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[CalendarFeed]) -> None:
        users = {feed.user for feed in queryset.filter(revoked_at__isnull=True).select_related("user")}
        count = sum(calendar_feed_revoke(user=user) for user in users)
        self.message_user(
            request, ngettext("%(count)d feed revoked.", "%(count)d feeds revoked.", count) % {"count": count}
        )
