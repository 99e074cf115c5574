from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ImportBatch, ProductLine, SalesLine, SalesPlan


@admin.register(ProductLine)
class ProductLineAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "file_name",
        "source",
        "status",
        "created_at",
        "rows",
        "inserted",
        "duplicates",
        "rejected",
    )
    list_filter = ("status", "source")
    search_fields = ("file_name", "sha256")
    actions = ["roll_back"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Roll back the selected imports (their lines leave the ledger)"))
    def roll_back(self, request, queryset):
        for batch in queryset:
            try:
                services.import_batch_rollback(batch=batch, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"#{batch.pk}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, gettext("Import #%(number)s rolled back.") % {"number": batch.pk})


@admin.register(SalesLine)
class SalesLineAdmin(admin.ModelAdmin):
    list_display = ("date", "account", "amount", "product_line", "external_id", "batch")
    list_filter = ("product_line",)
    search_fields = ("external_id", "account__external_id", "account__name")
    raw_id_fields = ("account", "batch")
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in SalesLine._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SalesPlan)
class SalesPlanAdmin(admin.ModelAdmin):
    list_display = ("__str__", "period_kind", "period_start", "product_line", "amount")
    list_filter = ("period_kind", "department")
    raw_id_fields = ("account", "kam", "department", "product_line")
