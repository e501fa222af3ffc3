"""Django admin for the programme records: every save audited; publishing via the service.

Administrators may correct any record here (notes and uncertainty flags shown);
publish and unpublish are list actions that go through :mod:`programs.services`.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin import AuditedModelAdmin
from programs import models, services


@admin.action(description=_("Publish the selected records"))
def publish_selected(modeladmin, request, queryset):
    for record in queryset:
        services.publish(request.user, record, reason=str(_("Published in the administration")))
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext("%(count)d record published.", "%(count)d records published.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Unpublish the selected records"))
def unpublish_selected(modeladmin, request, queryset):
    for record in queryset:
        services.unpublish(request.user, record, reason=str(_("Unpublished in the administration")))
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext("%(count)d record unpublished.", "%(count)d records unpublished.", count)
        % {"count": count},
        messages.SUCCESS,
    )


class ProgrammeRecordAdmin(AuditedModelAdmin):
    """Common admin of programme records: provenance read-only, publication by action."""

    actions = [publish_selected, unpublish_selected]
    readonly_fields = ("published", "uncertain", "created_at", "updated_at")
    list_filter = ("published", "uncertain")


@admin.register(models.Programme)
class ProgrammeAdmin(ProgrammeRecordAdmin):
    list_display = ("code", "name_zh_hant", "name_en", "kind", "published")
    search_fields = ("code", "name_zh_hant", "name_en", "name_ja")
    filter_horizontal = ("organisers",)


@admin.register(models.Organisation)
class OrganisationAdmin(ProgrammeRecordAdmin):
    list_display = ("code", "name_en", "acronym", "org_type", "published", "uncertain")
    search_fields = ("code", "name_en", "name_original", "acronym")


@admin.register(models.Fund)
class FundAdmin(ProgrammeRecordAdmin):
    list_display = ("code", "name_en", "programme", "published")
    list_select_related = ("programme",)


@admin.register(models.Country)
class CountryAdmin(ProgrammeRecordAdmin):
    list_display = ("name_en", "name_ja", "name_zh", "published")
    search_fields = ("name_en", "name_ja", "name_zh")


@admin.register(models.City)
class CityAdmin(ProgrammeRecordAdmin):
    list_display = ("name_en", "name_original", "country", "published", "uncertain")
    list_filter = ("country", "published", "uncertain")
    list_select_related = ("country",)
    search_fields = ("name_en", "name_original")


@admin.register(models.Participation)
class ParticipationAdmin(ProgrammeRecordAdmin):
    list_display = ("programme", "programme_year", "city", "country", "status", "uncertain")
    list_filter = ("programme", "programme_year", "status", "published", "uncertain")
    list_select_related = ("programme", "city", "country")


@admin.register(models.Project)
class ProjectAdmin(ProgrammeRecordAdmin):
    list_display = ("reference", "title_en", "kind", "status", "expected_tco2_per_year")
    list_filter = ("programme", "kind", "status", "published", "uncertain")
    list_select_related = ("programme",)
    search_fields = ("reference", "title_en", "title_original")
    filter_horizontal = ("countries",)
    # The status moves through the review (programs.services.take_review_step) only.
    readonly_fields = (*ProgrammeRecordAdmin.readonly_fields, "status")


@admin.register(models.Event)
class EventAdmin(ProgrammeRecordAdmin):
    list_display = ("code", "name_en", "start_date", "status", "participants", "uncertain")
    list_filter = ("programme", "status", "published", "uncertain")
    search_fields = ("code", "name_en", "name_original", "series")


for model in (
    models.PartnerCountry,
    models.CityCollaboration,
    models.FrameworkItem,
    models.Milestone,
    models.FundingContribution,
    models.KeyFigure,
    models.ScoringScheme,
):
    admin.site.register(model, ProgrammeRecordAdmin)
