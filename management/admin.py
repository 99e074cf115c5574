from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .calendar_feed.services import calendar_feed_revoke
from .models import (
    CalendarFeed,
    ConsumptionRun,
    DigestSubscription,
    ErasureReviewFlag,
    ManagementPolicy,
    PersonalDataErasure,
)
from .personal_data.erasure import erasure_flags_resolve


@admin.register(ManagementPolicy)
class ManagementPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kam_load_target",
        "neglect_days",
        "strategic_share_cap",
        "sla_days_critical",
        "access_log_retention_months",
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


class OpenFlagFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("To review")), ("no", _("Reviewed"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(resolved_at__isnull=self.value() == "yes")
        return queryset


class ErasureFlagInline(admin.TabularInline):
    model = ErasureReviewFlag
    extra = 0
    can_delete = False
    fields = ("record_type", "record_id", "field", "resolved_at", "resolved_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataErasure)
class PersonalDataErasureAdmin(admin.ModelAdmin):
    """The record of erasures: who, when, which contact, which fields (never the values). Read-only."""

    list_display = ("erased_at", "contact_ref", "erased_by", "cleared", "open_flags")
    list_filter = (("erased_by", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("=contact_ref",)
    date_hierarchy = "erased_at"
    fields = ("contact", "contact_ref", "erased_by", "erased_at", "cleared_fields")
    readonly_fields = fields
    inlines = [ErasureFlagInline]

    def get_queryset(self, request):
        open_flags = Count("flags", filter=Q(flags__resolved_at__isnull=True))
        return super().get_queryset(request).select_related("erased_by").annotate(open_flags=open_flags)

    @admin.display(description=_("fields cleared"))
    def cleared(self, obj: PersonalDataErasure) -> str:
        return ", ".join(obj.cleared_fields)

    @admin.display(description=_("texts to review"), ordering="open_flags")
    def open_flags(self, obj: PersonalDataErasure) -> int:
        return obj.open_flags  # type: ignore[attr-defined]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureReviewFlag)
class ErasureReviewFlagAdmin(admin.ModelAdmin):
    """Texts that named an erased contact: open the record, rewrite or keep the text, mark it resolved."""

    list_display = ("__str__", "account", "record_link", "erasure", "resolved_at", "resolved_by")
    list_filter = (OpenFlagFilter, "record_type")
    search_fields = ("=erasure__contact_ref", "account__name")
    actions = ["mark_resolved"]
    readonly_fields = (
        "erasure",
        "account",
        "record_type",
        "record_id",
        "field",
        "resolved_at",
        "resolved_by",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account", "erasure", "resolved_by")

    @admin.display(description=_("record"))
    def record_link(self, obj: ErasureReviewFlag) -> str:
        app_label, model_name = obj.record_type.split(".")
        try:
            url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.record_id])
        except NoReverseMatch:
            return f"{obj.record_type} #{obj.record_id}"
        return format_html('<a href="{}">{} #{}</a>', url, obj.record_type, obj.record_id)

    @admin.action(description=_("Mark the selected texts as reviewed"))
    def mark_resolved(self, request, queryset):
        done = erasure_flags_resolve(flags=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d text marked reviewed.", "%(n)d texts marked reviewed.", done) % {"n": done},
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
