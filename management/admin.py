from django.contrib import admin

from .models import ConsumptionRun, DigestSubscription, ManagementPolicy


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
