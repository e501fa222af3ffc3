"""Django admin for the Art. 14 schemes (configured as data); every change is audited.

The committed budget is changed only by approvals and verifications (the services);
applications are read here and changed on their pages.
"""

from django.contrib import admin

from portal.admin import AuditedModelAdmin
from subsidies.models import Application, Scheme


@admin.register(Scheme)
class SchemeAdmin(AuditedModelAdmin):
    list_display = (
        "code",
        "title_zh_hant",
        "title_en",
        "category",
        "opens_on",
        "closes_on",
        "budget_ntd",
    )
    list_filter = ("category", "published")
    search_fields = ("code", "title_zh_hant", "title_en")
    readonly_fields = ("committed_ntd",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("id", "scheme", "business", "status", "approved_amount_ntd")
    list_filter = ("status", "scheme")
    list_select_related = ("scheme", "business")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
