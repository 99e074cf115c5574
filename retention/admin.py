from django.contrib import admin

from .models import (
    CampaignStep,
    CampaignTarget,
    LossRecord,
    Notification,
    Refusal,
    StatusTransition,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    WinBackCampaign,
)


@admin.register(StatusTransition)
class StatusTransitionAdmin(admin.ModelAdmin):
    list_display = ("account", "old_status", "new_status", "on", "run")
    list_filter = ("new_status", "old_status")
    search_fields = ("account__name",)
    raw_id_fields = ("account", "run")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "created_at", "read_at")
    raw_id_fields = ("user", "account")


@admin.register(Refusal)
class RefusalAdmin(admin.ModelAdmin):
    list_display = ("account", "on", "kind", "product_line", "reason")
    list_filter = ("reason", "kind")
    search_fields = ("account__name", "text")
    raw_id_fields = ("account",)


@admin.register(LossRecord)
class LossRecordAdmin(admin.ModelAdmin):
    list_display = ("account", "lost_on", "reason", "product_line", "competitor")
    list_filter = ("reason",)
    raw_id_fields = ("account",)


class TargetInline(admin.TabularInline):
    model = CampaignTarget
    raw_id_fields = ("account",)
    extra = 0


@admin.register(WinBackCampaign)
class WinBackCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "method", "budget", "starts_on", "ends_on")
    inlines = [TargetInline]


@admin.register(CampaignStep)
class CampaignStepAdmin(admin.ModelAdmin):
    list_display = ("target", "on", "action", "by")
    raw_id_fields = ("target",)


class QuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "is_active", "created_at")
    inlines = [QuestionInline]


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ("survey", "account", "contact", "sent_at", "expires_at", "answered_at", "average_score")
    raw_id_fields = ("account", "contact")
    readonly_fields = ("token_hash",)


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ("invitation", "question", "score")
    raw_id_fields = ("invitation",)
