"""Django admin of the registry; every change is audited."""

from django.contrib import admin

from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Business,
    BusinessClaim,
    BusinessMembership,
    Equipment,
    Premises,
)
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
