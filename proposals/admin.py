"""Admin of the proposals app. A proposal's status moves only through its workflow (the pages and
the API); the policy is versioned, so saving it adds a new version rather than changing one."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Proposal, ProposalLine, ProposalPolicy, ProposalTransition, SuccessStory
from .rules import current_rules


class LineInline(admin.TabularInline):
    model = ProposalLine
    extra = 0
    fields = ("position", "product_line", "sku", "description", "quantity", "unit_price", "discount_percent",
              "line_total")  # fmt: skip
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TransitionInline(admin.TabularInline):
    model = ProposalTransition
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "comment")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Reading and correcting typos; the status, totals and workflow facts are read-only here."""

    list_display = ("number", "title", "account", "status", "total_amount", "valid_until", "author")
    list_filter = ("status",)
    search_fields = ("number", "title", "account__name")
    raw_id_fields = ("account", "author")
    filter_horizontal = ("team", "references")
    autocomplete_fields = ("contacts",)
    readonly_fields = (
        "number", "status", "gross_amount", "total_amount", "max_line_discount", "approved_by", "approved_at",
        "sent_at", "received_at", "decided_at", "won_reason", "lost_reason", "copied_from", "version",
        "created_at", "updated_at",
    )  # fmt: skip
    inlines = [LineInline, TransitionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a proposal is numbered and created by its service, from the account's page


@admin.register(ProposalPolicy)
class ProposalPolicyAdmin(admin.ModelAdmin):
    """Every version kept: the newest is in force. "Add" starts from the one in force."""

    list_display = ("created_at", "validity_days", "line_discount_threshold", "average_discount_threshold",
                    "approval_total", "expiring_soon_days", "created_by")  # fmt: skip
    readonly_fields = ("created_by", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a saved version is history: a change is a new version

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        rules = current_rules()
        return {
            "validity_days": rules.validity_days,
            "line_discount_threshold": rules.line_discount_threshold,
            "average_discount_threshold": rules.average_discount_threshold,
            "approval_total": rules.approval_total,
            "expiring_soon_days": rules.expiring_soon_days,
            "follow_up_steps": list(rules.follow_up_steps),
        }

    def save_model(self, request: HttpRequest, obj: ProposalPolicy, form: Any, change: bool) -> None:
        obj.pk = None  # always a new version
        obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(SuccessStory)
class SuccessStoryAdmin(admin.ModelAdmin):
    list_display = ("client_name", "title", "industry", "year", "recommender_name")
    search_fields = ("client_name", "title", "result", "industry")
    readonly_fields = ("created_by", "created_at", "version")
