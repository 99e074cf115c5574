"""Admin of the dossiers app: every model, history rows read-only."""

from django.contrib import admin

from .models import (
    AccountPlan,
    AccountProfile,
    Competitor,
    CompetitorPresence,
    Interaction,
    MilestoneTemplate,
    PlanAction,
    ProfileChange,
    ProspectQualification,
    RecommendationLetter,
    Referral,
    StrategicAssessment,
    Task,
    Tender,
    TenderMilestone,
)


class ProfileChangeInline(admin.TabularInline):
    model = ProfileChange
    extra = 0
    can_delete = False
    readonly_fields = ("field", "old", "new", "changed_by", "changed_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AccountProfile)
class AccountProfileAdmin(admin.ModelAdmin):
    list_display = ("account", "next_review_due", "updated_at")
    search_fields = ("account__name",)
    autocomplete_fields = ("account",)
    readonly_fields = ("version", "updated_at")
    inlines = [ProfileChangeInline]


@admin.register(ProfileChange)
class ProfileChangeAdmin(admin.ModelAdmin):
    """Append-only history: readable, never edited."""

    list_display = ("changed_at", "profile", "field", "changed_by")
    list_filter = ("field",)
    search_fields = ("profile__account__name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StrategicAssessment)
class StrategicAssessmentAdmin(admin.ModelAdmin):
    list_display = ("account", "score", "assessed_by", "updated_at")
    search_fields = ("account__name",)
    autocomplete_fields = ("account",)


@admin.register(ProspectQualification)
class ProspectQualificationAdmin(admin.ModelAdmin):
    list_display = (
        "account",
        "need_confirmed_at",
        "solvency_confirmed_at",
        "authority_confirmed_at",
        "qualified_at",
    )
    search_fields = ("account__name",)
    autocomplete_fields = ("account",)


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "account", "created_by", "next_step_due")
    list_filter = ("kind",)
    search_fields = ("summary", "account__name")
    autocomplete_fields = ("account", "contacts", "users")
    date_hierarchy = "occurred_at"


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "due_on", "done", "account")
    list_filter = ("done",)
    search_fields = ("title", "account__name")
    autocomplete_fields = ("owner", "account")
    raw_id_fields = ("interaction", "tender")


class TenderMilestoneInline(admin.TabularInline):
    model = TenderMilestone
    extra = 0
    fields = ("title", "due_on", "done")


@admin.register(Tender)
class TenderAdmin(admin.ModelAdmin):
    list_display = ("title", "account", "status", "value", "announced_on", "submission_on", "decision_on")
    list_filter = ("status", "outcome_reason")
    search_fields = ("title", "account__name")
    autocomplete_fields = ("account", "competitors")
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = [TenderMilestoneInline]


@admin.register(TenderMilestone)
class TenderMilestoneAdmin(admin.ModelAdmin):
    list_display = ("title", "tender", "due_on", "done")
    list_filter = ("done",)
    raw_id_fields = ("tender",)


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    """The editable tender preparation plan."""

    list_display = ("title", "months_before_submission", "days_before")


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin):
    list_display = ("name", "website")
    search_fields = ("name",)


@admin.register(CompetitorPresence)
class CompetitorPresenceAdmin(admin.ModelAdmin):
    list_display = ("competitor", "account", "pressure", "threat_level", "estimated_share", "last_seen")
    list_filter = ("pressure", "threat_level")
    search_fields = ("competitor__name", "account__name")
    autocomplete_fields = ("account", "competitor")


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 0


@admin.register(AccountPlan)
class AccountPlanAdmin(admin.ModelAdmin):
    list_display = ("account", "year", "share_of_wallet_target")
    list_filter = ("year",)
    search_fields = ("account__name",)
    autocomplete_fields = ("account",)
    inlines = [PlanActionInline]


@admin.register(PlanAction)
class PlanActionAdmin(admin.ModelAdmin):
    list_display = ("title", "plan", "owner", "due_on", "progress")
    raw_id_fields = ("plan",)


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("account", "referrer", "referred_on", "referrer_called", "outcome")
    list_filter = ("outcome", "referrer_called")
    raw_id_fields = ("account", "referrer")


@admin.register(RecommendationLetter)
class RecommendationLetterAdmin(admin.ModelAdmin):
    list_display = ("account", "contact", "received_on")
    raw_id_fields = ("account", "contact", "delivery")
