"""Serializers of the programme records; the models' own validation runs on every write.

Related records are named by what a reader knows: a programme or fund by its code,
countries, cities and organisations by id (with their English name beside, read-only).
``published`` and ``uncertain`` are read-only: administrators publish through the
``publish`` action, and the uncertainty flag follows the note.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import ValidatedModelSerializer
from programs.choices import ParticipationStatus
from programs.models import (
    City,
    Country,
    Event,
    Fund,
    FundingContribution,
    Organisation,
    Participation,
    Programme,
    Project,
)

RECORD_FIELDS = ["source_doc", "note", "uncertain", "published", "created_at", "updated_at"]
RECORD_READ_ONLY = ["uncertain", "published", "created_at", "updated_at"]


class VisibleRelatedMixin:
    """A relation that only accepts records the requesting user may see."""

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(getattr(request, "user", None))


class VisiblePrimaryKeyField(VisibleRelatedMixin, serializers.PrimaryKeyRelatedField):
    pass


class VisibleCodeField(VisibleRelatedMixin, serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)


@extend_schema_field(
    {"type": "string", "description": "One of: " + ", ".join(ParticipationStatus.values)}
)
class ParticipationStatusField(serializers.ChoiceField):
    """A participation's status (values listed, no enum component to collide)."""

    def __init__(self, **kwargs):
        super().__init__(choices=ParticipationStatus.choices, **kwargs)


class RecordSerializer(ValidatedModelSerializer):
    """Base of the programme record serializers."""

    class Meta:
        read_only_fields = RECORD_READ_ONLY


class OrganisationSerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Organisation
        fields = [
            "id",
            "code",
            "name_original",
            "name_en",
            "acronym",
            "org_type",
            "country_or_scope",
            "role_in_sources",
            *RECORD_FIELDS,
        ]


class ProgrammeSerializer(RecordSerializer):
    # Before the name in Traditional Chinese had its own field it was "name_zh": still
    # read and written under that name, the new field winning when both are sent.
    name_zh = serializers.CharField(
        source="name_zh_hant",
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("The same as name_zh_hant (its former name)."),
    )
    organisers = VisiblePrimaryKeyField(
        queryset=Organisation.objects.all(), many=True, required=False
    )

    class Meta(RecordSerializer.Meta):
        model = Programme
        fields = [
            "id",
            "code",
            "name_zh",  # before name_zh_hant: the later one written wins
            "name_zh_hant",
            "name_en",
            "name_ja",
            "name_original",
            "kind",
            "description",
            "organisers",
            *RECORD_FIELDS,
        ]


class FundSerializer(RecordSerializer):
    programme = VisibleCodeField(queryset=Programme.objects.all(), required=False, allow_null=True)

    class Meta(RecordSerializer.Meta):
        model = Fund
        fields = [
            "id",
            "code",
            "programme",
            "name_original",
            "name_en",
            "administering_body",
            "funding_source",
            "eligible_recipients",
            "support_rate_cap",
            "max_per_project",
            "annual_budget",
            "period_as_written",
            "period",
            "supported_activities",
            "recipient_obligations",
            "selection_or_review",
            "results_reported",
            *RECORD_FIELDS,
        ]


class CountrySerializer(RecordSerializer):
    class Meta(RecordSerializer.Meta):
        model = Country
        fields = ["id", "name_en", "name_ja", "name_zh", *RECORD_FIELDS]


class ParticipationSerializer(RecordSerializer):
    """A city in a programme year, with its focus areas and results."""

    programme = VisibleCodeField(queryset=Programme.objects.all())
    city = VisiblePrimaryKeyField(queryset=City.objects.all(), required=False, allow_null=True)
    city_name = serializers.CharField(source="city.name_en", read_only=True, default=None)
    country = VisiblePrimaryKeyField(queryset=Country.objects.all())
    country_name = serializers.CharField(source="country.name_en", read_only=True)
    status = ParticipationStatusField(required=False)

    class Meta(RecordSerializer.Meta):
        model = Participation
        fields = [
            "id",
            "programme",
            "programme_year",
            "city",
            "city_name",
            "country",
            "country_name",
            "period_as_written",
            "status",
            "focus_areas",
            "problem_stated",
            "activities",
            "results",
            "partners_named",
            "case_study_source_doc",
            "case_study_note",
            *RECORD_FIELDS,
        ]


class CityParticipationSerializer(serializers.ModelSerializer):
    """One of a city's participations, as listed with the city."""

    programme = serializers.CharField(source="programme.code", read_only=True)
    programme_name = serializers.CharField(source="programme.name_en", read_only=True)
    status = ParticipationStatusField(read_only=True)
    label = serializers.SerializerMethodField()

    class Meta:
        model = Participation
        fields = ["id", "programme", "programme_name", "programme_year", "status", "label"]
        read_only_fields = fields

    def get_label(self, participation) -> str:
        year = f" {participation.programme_year}" if participation.programme_year else ""
        return f"{participation.programme.code}{year} ({participation.status})"


class CitySerializer(RecordSerializer):
    """A city with its participations in every programme (those the user may see)."""

    country = VisiblePrimaryKeyField(queryset=Country.objects.all())
    country_name = serializers.CharField(source="country.name_en", read_only=True)
    participations = serializers.SerializerMethodField()

    class Meta(RecordSerializer.Meta):
        model = City
        fields = [
            "id",
            "name_original",
            "name_en",
            "country",
            "country_name",
            "participations",
            *RECORD_FIELDS,
        ]

    @extend_schema_field(CityParticipationSerializer(many=True))
    def get_participations(self, city) -> list[dict]:
        """List the city's participations the user may see (prefetched by the viewset)."""
        participations = getattr(city, "visible_participations", None)
        if participations is None:
            request = self.context.get("request")
            participations = (
                city.participations.visible_to(getattr(request, "user", None))
                .select_related("programme")
                .order_by("programme__code", "programme_year")
            )
        return CityParticipationSerializer(participations, many=True).data


class ProjectSerializer(RecordSerializer):
    """A project or proposal; its status moves through the ``review`` action only."""

    programme = VisibleCodeField(queryset=Programme.objects.all())
    fund = VisibleCodeField(queryset=Fund.objects.all(), required=False, allow_null=True)
    countries = VisiblePrimaryKeyField(queryset=Country.objects.all(), many=True, required=False)
    country_names = serializers.SerializerMethodField()
    city = VisiblePrimaryKeyField(queryset=City.objects.all(), required=False, allow_null=True)
    lead_organisation = VisiblePrimaryKeyField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta(RecordSerializer.Meta):
        model = Project
        fields = [
            "id",
            "reference",
            "programme",
            "fund",
            "kind",
            "status",
            "fiscal_year",
            "number",
            "title_original",
            "title_en",
            "countries",
            "country_names",
            "region_original",
            "region_en",
            "city",
            "lead_organisation",
            "lead_organisation_name_original",
            "lead_organisation_name_en",
            "participants_original",
            "participants_en",
            "technology",
            "expected_tco2_per_year",
            "expected_reduction_as_written",
            "reference_performance",
            "registration_date",
            "registering_body",
            "area_as_written",
            "dimensions",
            "key_facts",
            "proponents",
            "dates_as_written",
            *RECORD_FIELDS,
        ]
        read_only_fields = [*RECORD_READ_ONLY, "status"]

    def get_country_names(self, project) -> list[str]:
        return [country.name_en for country in project.countries.all()]


class ReviewStepSerializer(serializers.Serializer):
    """A step of a proposal's review (submit, approve, reject, return, register)."""

    step = serializers.ChoiceField(choices=["submit", "approve", "reject", "return", "register"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PublicationSerializer(serializers.Serializer):
    """Why a record is published or withdrawn (kept in the audit log)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EventSerializer(RecordSerializer):
    programme = VisibleCodeField(queryset=Programme.objects.all(), required=False, allow_null=True)
    country = VisiblePrimaryKeyField(
        queryset=Country.objects.all(), required=False, allow_null=True
    )
    country_name = serializers.CharField(source="country.name_en", read_only=True, default=None)

    class Meta(RecordSerializer.Meta):
        model = Event
        fields = [
            "id",
            "code",
            "programme",
            "name_original",
            "name_en",
            "series",
            "edition",
            "edition_number",
            "start_as_written",
            "end_as_written",
            "start_date",
            "end_date",
            "date_precision",
            "status",
            "status_as_written",
            "venue_original",
            "venue_en",
            "country",
            "country_name",
            "country_as_written",
            "organiser",
            "participants",
            "participants_as_written",
            "countries_count",
            "countries_as_written",
            "local_governments_count",
            "local_governments_as_written",
            "organisations_count",
            "organisations_as_written",
            "outcomes_original",
            "outcomes_en",
            *RECORD_FIELDS,
        ]


class ContributionSerializer(RecordSerializer):
    fund = VisibleCodeField(queryset=Fund.objects.all())
    economy = VisiblePrimaryKeyField(queryset=Country.objects.all())
    economy_name = serializers.CharField(source="economy.name_en", read_only=True)

    class Meta(RecordSerializer.Meta):
        model = FundingContribution
        fields = [
            "id",
            "fund",
            "economy",
            "economy_name",
            "economy_as_written",
            "year",
            "amount",
            "currency",
            "total_contributed",
            "total_currency",
            *RECORD_FIELDS,
        ]
