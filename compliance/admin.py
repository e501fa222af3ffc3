"""Django admin for the registry; every change is audited."""

from django.contrib import admin

from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Business,
    BusinessClaim,
    BusinessMembership,
    DataOrder,
    Equipment,
    Exemption,
    Premises,
    SupplierReferral,
)
from compliance.models.rulebook import RuleBookVersion
from compliance.services import rulebook as rulebook_services
from portal.admin import AuditedModelAdmin


class MembershipInline(admin.TabularInline):
    model = BusinessMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Business)
class BusinessAdmin(AuditedModelAdmin):
    list_display = ("ubn", "name_zh", "name_en", "sector", "industry_code", "responsible_person")
    list_filter = ("sector",)
    search_fields = ("ubn", "name_zh", "name_en")
    inlines = [MembershipInline]


@admin.register(Premises)
class PremisesAdmin(AuditedModelAdmin):
    list_display = ("name", "business", "kind", "district", "category", "floor_area_m2")
    list_filter = ("kind", "district", "category", "has_arcade")
    list_select_related = ("business",)
    search_fields = ("name", "address", "business__name_zh", "business__ubn")
    autocomplete_fields = ("business",)


@admin.register(Equipment)
class EquipmentAdmin(AuditedModelAdmin):
    list_display = ("tag", "kind", "premises", "description")
    list_filter = ("kind",)
    list_select_related = ("premises",)
    search_fields = ("tag", "premises__name", "premises__business__ubn")
    autocomplete_fields = ("premises",)


@admin.register(AcMonthlyLog)
class AcMonthlyLogAdmin(AuditedModelAdmin):
    list_display = ("equipment", "month", "ac_electricity_kwh", "maintenance_done")
    list_select_related = ("equipment",)
    autocomplete_fields = ("equipment",)


@admin.register(BoilerMonthlyLog)
class BoilerMonthlyLogAdmin(AuditedModelAdmin):
    list_display = (
        "equipment",
        "month",
        "exhaust_temp_c",
        "exhaust_co2_pct",
        "combustion_complete",
    )
    list_select_related = ("equipment",)
    autocomplete_fields = ("equipment",)


@admin.register(BusinessClaim)
class BusinessClaimAdmin(admin.ModelAdmin):
    """Claims are decided on the claims page (which records the decision); read here."""

    list_display = ("business", "user", "status", "created_at", "decided_by")
    list_filter = ("status",)
    list_select_related = ("business", "user", "decided_by")
    readonly_fields = [f.name for f in BusinessClaim._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    """Exemptions are requested, decided and revoked on their pages (audited); read here."""

    list_display = (
        "article",
        "premises",
        "equipment",
        "reason",
        "status",
        "valid_from",
        "valid_until",
        "requested_by",
        "decided_by",
    )
    list_filter = ("status", "article", "reason")
    list_select_related = ("premises", "equipment", "requested_by", "decided_by")
    search_fields = ("premises__name", "premises__business__ubn", "equipment__tag")
    date_hierarchy = "requested_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleBookVersion)
class RuleBookVersionAdmin(admin.ModelAdmin):
    """Rule-book versions: read here, drafted and published on the portal's rule book pages.

    A published version is frozen (no change, no deletion); a draft's description may be
    changed here, through the audited service, but its parameters only on the portal.
    """

    list_display = ("title", "status", "effective_from", "published_by", "published_at")
    list_filter = ("status",)
    list_select_related = ("published_by",)
    search_fields = ("title", "announcement")
    fields = (
        "title",
        "announcement",
        "effective_from",
        "note",
        "status",
        "based_on",
        "parameters",
        "created_by",
        "created_at",
        "published_by",
        "published_at",
    )
    readonly_fields = (
        "status",
        "based_on",
        "parameters",
        "created_by",
        "created_at",
        "published_by",
        "published_at",
    )
    actions = None

    def has_add_permission(self, request):
        return False  # drafts start on the portal, as a copy of the version in force

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        rulebook_services.update_draft(request.user, obj, **fields)

    def delete_model(self, request, obj):
        rulebook_services.delete_draft(request.user, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows changed only through their pages and services (which record who, when, why)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DataOrder)
class DataOrderAdmin(ReadOnlyAdmin):
    """Art. 12-2 data orders are issued and decided on their pages; read here."""

    list_display = (
        "number",
        "supplier",
        "energy_type",
        "period_from",
        "period_to",
        "deadline",
        "status",
    )
    list_filter = ("status", "energy_type")
    list_select_related = ("supplier",)
    date_hierarchy = "ordered_at"


@admin.register(SupplierReferral)
class SupplierReferralAdmin(ReadOnlyAdmin):
    """Art. 11 referrals are filed and decided on their pages; read here."""

    list_display = (
        "customer_name",
        "supplier",
        "equipment_kind",
        "seen_on",
        "status",
        "decided_by",
    )
    list_filter = ("status", "equipment_kind")
    list_select_related = ("supplier", "decided_by")
    search_fields = ("customer_name", "address")
