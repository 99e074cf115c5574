from django.contrib import admin

from .models import ManagementPolicy, SalesPlan


@admin.register(SalesPlan)
class SalesPlanAdmin(admin.ModelAdmin):
    list_display = ("__str__", "period_kind", "period_start", "product_line", "amount")
    list_filter = ("period_kind", "department")
    raw_id_fields = ("account", "kam", "department", "product_line")


@admin.register(ManagementPolicy)
class ManagementPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kam_load_target", "neglect_days", "strategic_share_cap", "created_by")
