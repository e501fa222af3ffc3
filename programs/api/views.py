"""Viewsets of the programme records: public lists and details, staff writes, open data.

Every viewset reads ``visible_to(user)`` (published rows for visitors), writes through
:mod:`programs.services` (validated, audited; new records unpublished), and offers
``publish``/``unpublish`` (administrators) and ``export`` (CSV or JSON of the filtered
list, unpaginated).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, renderers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from portal.api.viewsets import VisibleQuerysetMixin
from portal.permissions import can
from programs import services
from programs.api import filters
from programs.api import serializers as s
from programs.api.export import CsvRenderer
from programs.api.permissions import ProgrammeRecordPermission
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

EXPORT_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=_("json (the default) or csv (UTF-8 with a byte-order mark)."),
)


class ProgrammeRecordViewSet(
    VisibleQuerysetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Base of the programme viewsets; subclasses declare queryset, serializer, filters."""

    permission_classes = [ProgrammeRecordPermission]
    m2m_fields: tuple[str, ...] = ()
    export_name = "records"

    def _save(self, serializer, instance) -> None:
        data = dict(serializer.validated_data)
        m2m = {name: data.pop(name) for name in self.m2m_fields if name in data}
        for name, value in data.items():
            setattr(instance, name, value)
        saved = services.save_record(self.request.user, instance, m2m=m2m)
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_create(self, serializer) -> None:
        self._save(serializer, self.get_queryset().model())

    def perform_update(self, serializer) -> None:
        self._save(serializer, serializer.instance)

    def _publication(self, request, publish: bool):
        record = self.get_object()
        if not can(request.user, "programs.publish"):
            raise PermissionDenied(_("Only administrators publish or unpublish records."))
        body = s.PublicationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.publish if publish else services.unpublish
        change(request.user, record, reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(request=s.PublicationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the record (administrators): everyone may read it from now on."""
        return self._publication(request, True)

    @extend_schema(request=s.PublicationSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Withdraw the record from the public (administrators)."""
        return self._publication(request, False)

    @extend_schema(
        parameters=[EXPORT_FORMAT],
        responses={200: OpenApiResponse(description=_("Every matching record, unpaginated."))},
    )
    @action(
        detail=False,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, CsvRenderer],
        pagination_class=None,
    )
    def export(self, request):
        """Download the filtered list as open data: JSON or CSV (``?format=csv``)."""
        queryset = self.filter_queryset(self.get_queryset())
        response = Response(self.get_serializer(queryset, many=True).data)
        extension = request.accepted_renderer.format
        response["Content-Disposition"] = f'attachment; filename="{self.export_name}.{extension}"'
        return response


class ProgrammeViewSet(ProgrammeRecordViewSet):
    """Programmes: APEC LCMT, ASEAN ESC, JCM, LoCARNet and those officers add."""

    queryset = Programme.objects.all()
    serializer_class = s.ProgrammeSerializer
    filterset_class = filters.ProgrammeFilterSet
    m2m_fields = ("organisers",)
    export_name = "programmes"
    ordering_fields = ("id", "code")

    def get_queryset(self):
        organisers = Organisation.objects.visible_to(self.request.user)
        return super().get_queryset().prefetch_related(Prefetch("organisers", organisers))


class OrganisationViewSet(ProgrammeRecordViewSet):
    """Organisations named in the sources."""

    queryset = Organisation.objects.all()
    serializer_class = s.OrganisationSerializer
    export_name = "organisations"
    ordering_fields = ("id", "code")


class FundViewSet(ProgrammeRecordViewSet):
    """Funds and funding schemes."""

    queryset = Fund.objects.select_related("programme")
    serializer_class = s.FundSerializer
    filterset_class = filters.FundFilterSet
    export_name = "funds"
    ordering_fields = ("id", "code")


class CountryViewSet(ProgrammeRecordViewSet):
    """Countries and economies."""

    queryset = Country.objects.all()
    serializer_class = s.CountrySerializer
    export_name = "countries"
    ordering_fields = ("id", "name_en")


class CityViewSet(ProgrammeRecordViewSet):
    """Cities, each with its participations across programmes."""

    queryset = City.objects.select_related("country")
    serializer_class = s.CitySerializer
    filterset_class = filters.CityFilterSet
    export_name = "cities"
    ordering_fields = ("id", "name_en")

    def get_queryset(self):
        participations = (
            Participation.objects.visible_to(self.request.user)
            .select_related("programme")
            .order_by("programme__code", "programme_year", "id")
        )
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("participations", participations, to_attr="visible_participations")
            )
        )


class ParticipationViewSet(ProgrammeRecordViewSet):
    """Cities in programme years, with focus areas and results."""

    queryset = Participation.objects.select_related("programme", "city", "country")
    serializer_class = s.ParticipationSerializer
    filterset_class = filters.ParticipationFilterSet
    export_name = "participations"
    ordering_fields = ("id", "programme_year")


class ProjectViewSet(ProgrammeRecordViewSet):
    """Projects, studies and proposals; their review moves through ``review``."""

    queryset = Project.objects.select_related("programme", "fund")
    serializer_class = s.ProjectSerializer
    filterset_class = filters.ProjectFilterSet
    m2m_fields = ("countries",)
    export_name = "projects"
    ordering_fields = ("id", "expected_tco2_per_year", "registration_date")

    def get_queryset(self):
        countries = Country.objects.visible_to(self.request.user).order_by("name_en")
        return super().get_queryset().prefetch_related(Prefetch("countries", countries))

    @extend_schema(request=s.ReviewStepSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Take a review step: submit, approve, reject (with a reason), return, register."""
        project = self.get_object()  # 404 if invisible, 403 unless programme staff
        body = s.ReviewStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.take_review_step(
            request.user, project, body.validated_data["step"], body.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=project.pk)).data)


class EventViewSet(ProgrammeRecordViewSet):
    """Meetings, seminars and workshops with their attendance."""

    queryset = Event.objects.select_related("programme", "country")
    serializer_class = s.EventSerializer
    filterset_class = filters.EventFilterSet
    export_name = "events"
    ordering_fields = ("id", "start_date")


class ContributionViewSet(ProgrammeRecordViewSet):
    """Contributions of economies to funds, by year."""

    queryset = FundingContribution.objects.select_related("fund", "economy")
    serializer_class = s.ContributionSerializer
    filterset_class = filters.ContributionFilterSet
    export_name = "contributions"
    ordering_fields = ("id", "year")


ROUTES = (
    ("programmes", ProgrammeViewSet, "programme"),
    ("programme-organisations", OrganisationViewSet, "programme-organisation"),
    ("programme-funds", FundViewSet, "programme-fund"),
    ("programme-countries", CountryViewSet, "programme-country"),
    ("programme-cities", CityViewSet, "programme-city"),
    ("programme-participations", ParticipationViewSet, "programme-participation"),
    ("programme-projects", ProjectViewSet, "programme-project"),
    ("programme-events", EventViewSet, "programme-event"),
    ("programme-contributions", ContributionViewSet, "programme-contribution"),
)
