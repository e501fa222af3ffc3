"""API of planning: inspections and batches (Art. 10).

Everyone signed in reads the inspections they may see (``visible_to``: the City's staff
all, a business user its own premises'); only administrators plan, reschedule, reassign
and cancel, through :mod:`inspections.services.planning` (audited). An inspection the
user cannot see is a 404; one they see but may not change is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from inspections.api.serializers.planning import (
    BatchCreateSerializer,
    BatchSerializer,
    BatchSummarySerializer,
    CancelSerializer,
    InspectionCreateSerializer,
    InspectionSerializer,
    InspectionUpdateSerializer,
)
from inspections.filtersets import InspectionFilterSet
from inspections.models import Inspection, InspectionAssignment, InspectionBatch
from inspections.services import planning
from inspections.services.planning import TargetCriteria
from portal.permissions import can


class PlanningPermission(permissions.BasePermission):
    """Signed-in users read what they may see; administrators alone write."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True  # an object write is decided on the object: 404 before 403
        return can(user, "inspections.plan")

    def has_object_permission(self, request, view, obj) -> bool:
        # The role only: a change to an inspection no longer open is the service's 400.
        return request.method in permissions.SAFE_METHODS or can(request.user, "inspections.plan")


def _team_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=InspectionAssignment.objects.select_related("user").order_by("role", "user_id"),
    )


def _inspections():
    return Inspection.objects.select_related("premises").prefetch_related(_team_prefetch())


def _service_call(function, *args, **kwargs):
    """Call a planning service, answering its refusal as a 403 (errors become 400s)."""
    try:
        return function(*args, **kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


@extend_schema_view(
    create=extend_schema(request=InspectionCreateSerializer, responses={201: InspectionSerializer}),
    partial_update=extend_schema(
        request=InspectionUpdateSerializer,
        responses=InspectionSerializer,
        description=_(
            "Reschedule (scheduled_for with a reason), reassign (lead, inspectors), or "
            "change the experts and notes. Other fields are ignored."
        ),
    ),
)
class InspectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Planned inspections (Art. 10-1) with their teams."""

    permission_classes = [PlanningPermission]
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet
    ordering_fields = ("id",)
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Inspection.objects.all()

    def get_queryset(self):
        return _inspections().visible_to(self.request.user)

    def created(self, inspection: Inspection, code: int = status.HTTP_201_CREATED) -> Response:
        fresh = _inspections().get(pk=inspection.pk)
        return Response(
            InspectionSerializer(fresh, context=self.get_serializer_context()).data, code
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = InspectionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inspection = _service_call(
            planning.create_inspection,
            request.user,
            data["premises"],
            data["scheduled_for"],
            data.get("lead"),
            data.get("inspectors", ()),
            purpose=data["purpose"],
            experts=data["experts"],
            notes=data["notes"],
        )
        return self.created(inspection)

    @transaction.atomic
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        inspection = self.get_object()
        serializer = InspectionUpdateSerializer(inspection, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if "experts" in data or "notes" in data:
            _service_call(
                planning.update_details,
                user,
                inspection,
                experts=data.get("experts"),
                notes=data.get("notes"),
            )
        if "lead" in data or "inspectors" in data:
            lead = data.get("lead") or inspection.assignments.get(role="lead").user
            others = data.get(
                "inspectors",
                [a.user for a in inspection.assignments.all() if a.role != "lead"],
            )
            _service_call(planning.assign, user, inspection, lead, others, data.get("reason", ""))
        day = data.get("scheduled_for")
        if day is not None and day != inspection.scheduled_for:
            _service_call(planning.reschedule, user, inspection, day, data["reason"])
        return self.created(inspection, status.HTTP_200_OK)

    @extend_schema(request=CancelSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        """Call off an inspection that has not been made, with the reason (audited)."""
        inspection = self.get_object()
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _service_call(
            planning.cancel, request.user, inspection, serializer.validated_data["reason"]
        )
        return self.created(inspection, status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(responses=BatchSummarySerializer(many=True)),
    create=extend_schema(
        request=BatchCreateSerializer,
        responses={
            201: BatchSerializer,
            400: OpenApiResponse(description=_("Invalid fields, or no premises selected.")),
        },
    ),
)
class InspectionBatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Batches of inspections planned together from the Art. 10-5 criteria."""

    permission_classes = [PlanningPermission]
    serializer_class = BatchSerializer
    ordering_fields = ("id",)
    queryset = InspectionBatch.objects.all()

    def get_queryset(self):
        user = self.request.user
        if not can(user, "inspections.read_all"):
            return InspectionBatch.objects.none()
        if self.action == "list":
            return InspectionBatch.objects.annotate(inspection_count=Count("inspections"))
        return InspectionBatch.objects.prefetch_related(
            Prefetch("inspections", queryset=_inspections().order_by("id"))
        )

    def get_serializer_class(self):
        return BatchSummarySerializer if self.action == "list" else BatchSerializer

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = BatchCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        criteria = TargetCriteria.from_dict(data["criteria"]) if "criteria" in data else None
        if "premises" in data:
            premises_ids = data["premises"]
        elif criteria is not None:
            premises_ids = list(planning.select_targets(criteria).values_list("pk", flat=True))
        else:
            raise serializers.ValidationError(
                {"criteria": [_("Give the criteria or the premises to inspect.")]}
            )
        if not premises_ids:
            raise serializers.ValidationError(
                {"criteria": [_("No premises match these criteria.")]}
            )
        batch = _service_call(
            planning.create_batch,
            request.user,
            data["title"],
            premises_ids,
            data["scheduled_for"],
            [user.pk for user in data["inspectors"]],
            experts=data["experts"],
            criteria=criteria,
        )
        fresh = self.get_queryset().get(pk=batch.pk)
        return Response(BatchSerializer(fresh).data, status=status.HTTP_201_CREATED)
