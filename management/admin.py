from django.contrib import admin

from .models import ManagementPolicy


@admin.register(ManagementPolicy)
class ManagementPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kam_load_target", "neglect_days", "strategic_share_cap", "created_by")
