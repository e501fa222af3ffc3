"""Django admin for inspections: read-only.

Inspections are planned, assigned, visited, completed and reported through their pages
and :mod:`inspections.services`, which check the rules, record who did what and hand the
findings to compliance. An admin form would bypass all of that, so rows are read here
and changed there.
"""

from django.contrib import admin

from inspections.models import (
    ArcadeReading,
    EquipmentCheck,
    IlluminanceReading,
    Inspection,
    InspectionAssignment,
    InspectionBatch,
    InspectionReport,
    Photo,
    TemperatureReading,
    Visit,
)


class ReadOnly:
    """No add, change or delete: the services own every change."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


class AssignmentInline(ReadOnlyInline):
    model = InspectionAssignment


@admin.register(InspectionBatch)
class InspectionBatchAdmin(ReadOnlyAdmin):
    """Batches are planned on the planning pages; read here."""

    list_display = ("title", "created_by", "created_at")
    list_select_related = ("created_by",)
    search_fields = ("title",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    """Inspections are scheduled, assigned and cancelled through the services; read here."""

    list_display = ("id", "premises", "scheduled_for", "purpose", "status", "batch")
    list_filter = ("status", "purpose")
    list_select_related = ("premises", "batch")
    search_fields = ("premises__name", "premises__business__ubn")
    date_hierarchy = "scheduled_for"
    inlines = [AssignmentInline]


class TemperatureInline(ReadOnlyInline):
    model = TemperatureReading


class ArcadeInline(ReadOnlyInline):
    model = ArcadeReading


class IlluminanceInline(ReadOnlyInline):
    model = IlluminanceReading


class EquipmentCheckInline(ReadOnlyInline):
    model = EquipmentCheck


class PhotoInline(ReadOnlyInline):
    model = Photo
    fields = ("article", "caption", "content_type", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    """Visits are recorded on the tablet form and completed by the services; read here."""

    list_display = ("id", "inspection", "arrived_at", "refused", "completed_at", "completed_by")
    list_filter = ("refused",)
    list_select_related = ("inspection__premises", "completed_by")
    inlines = [
        TemperatureInline,
        ArcadeInline,
        IlluminanceInline,
        EquipmentCheckInline,
        PhotoInline,
    ]


@admin.register(InspectionReport)
class InspectionReportAdmin(ReadOnlyAdmin):
    """Reports are requested on their pages and rendered by the worker; read here."""

    list_display = ("document_number", "visit", "language", "status", "requested_at")
    list_filter = ("status", "language")
    list_select_related = ("visit__inspection__premises",)
    search_fields = ("document_number",)
