from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_filters import AccessedFromFilter, AccessedUntilFilter, ContactSearchFilter
from .models import (
    Account,
    AccountTeamMember,
    Contact,
    ContactConsent,
    Department,
    LeadSource,
    PersonalDataAccess,
    User,
)
from .permissions import consent_allows


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Role and departments"), {"fields": ("role", "departments")}),
        (_("Two-factor sign-in"), {"fields": ("two_factor",)}),
    )
    readonly_fields = ("two_factor",)
    add_fieldsets = (*(BaseUserAdmin.add_fieldsets or ()), (_("Role"), {"fields": ("role",)}))
    list_display = ("username", "first_name", "last_name", "email", "role", "is_active", "two_factor_enabled")
    list_filter = ("role", "is_active", "two_factor_enabled", "departments")
    filter_horizontal = ("departments", "groups", "user_permissions")

    @admin.display(description=_("Second factor"))
    def two_factor(self, user: User) -> str:
        if not user.pk or not user.two_factor_enabled:
            return str(_("Not set up"))
        url = reverse("two-factor-reset", args=[user.pk])
        return format_html('{} <a class="button" href="{}">{}</a>', _("On"), url, _("Reset…"))


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(LeadSource)
class LeadSourceAdmin(admin.ModelAdmin):
    """The list of lead sources is edited here; a source in use cannot be deleted (PROTECT)."""

    list_display = ("name", "code", "position", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name", "code")


class TeamInline(admin.TabularInline):
    model = AccountTeamMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("name", "external_id", "status", "key_client_type", "owner", "department", "parent")
    list_filter = ("status", "key_client_type", "department")
    search_fields = ("name", "legal_name", "external_id")
    autocomplete_fields = ("owner", "parent")
    readonly_fields = ("path", "version", "created_at", "updated_at")
    inlines = [TeamInline]

    def save_model(self, request, obj, form, change):
        # Through the services, so hierarchy paths and cycle checks stay right.
        data = {f: getattr(obj, f) for f in services.ACCOUNT_FIELDS}
        if change:
            services.account_update(account=obj, by=request.user, **data)
        else:
            created = services.account_create(by=request.user, **data)
            obj.pk = created.pk


class ConsentInline(admin.TabularInline):
    """The consent register of the contact, read-only: it is written from the contact page."""

    model = ContactConsent
    extra = 0
    can_delete = False
    fields = ("given_on", "channel", "note", "recorded_by", "recorded_at", "withdrawn_on", "withdrawn_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("__str__", "account", "position", "dmu_role", "influence", "attitude", "is_primary")
    list_filter = ("dmu_role", "attitude")
    search_fields = ("first_name", "last_name", "email", "account__name")
    autocomplete_fields = ("account", "reports_to")
    readonly_fields = (
        "version",
        "consent_given",
        "consent_date",
        "consent_withdrawn_on",
        "created_at",
        "updated_at",
    )
    inlines = [ConsentInline]

    def get_exclude(self, request, obj=None):
        # Consent withdrawn: the personal fields are shown nowhere, the admin site included.
        if obj is not None and not consent_allows(obj):
            return Contact.PERSONAL_FIELDS
        return super().get_exclude(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        contact = self.get_object(request, object_id)
        if contact is not None and request.method == "GET" and consent_allows(contact):
            services.personal_data_access_log(
                user=request.user, contacts=[contact], channel=PersonalDataAccess.Channel.ADMIN
            )
        return response


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The access log, read-only: one row per view, with the contacts it showed."""

    class Media:
        css = {"all": ["css/admin-filters.css"]}

    list_display = ("accessed_at", "user", "channel", "action", "contacts_shown")
    list_filter = (
        ("user", admin.RelatedOnlyFieldListFilter),
        ContactSearchFilter,
        AccessedFromFilter,
        AccessedUntilFilter,
        "channel",
        "action",
    )
    search_fields = ("user__username", "user__last_name", "contacts__last_name")
    date_hierarchy = "accessed_at"
    fields = ("accessed_at", "user", "channel", "action", "contacts")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").annotate(shown=Count("contacts"))

    @admin.display(description=_("contacts shown"), ordering="shown")
    def contacts_shown(self, obj: PersonalDataAccess) -> int:
        return obj.shown  # type: ignore[attr-defined]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
