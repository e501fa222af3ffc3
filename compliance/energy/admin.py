"""Django admin of data orders and referrals: read here, decided on their pages."""

from django.contrib import admin

from compliance.models import DataOrder, SupplierReferral


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
