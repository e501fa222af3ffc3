"""Django admin of the rule book and exemptions: read here, changed through the services."""

from django.contrib import admin

from compliance.models import Exemption, RuleBookVersion
from compliance.rulebook.services import versions as rulebook_services


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
