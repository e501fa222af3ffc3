"""API of site visits: the same rules as the pages, for a tablet or mobile app.

Reads follow ``Visit.objects.visible_to`` (404 for the rest); writes follow
``editable_by`` (the assigned inspectors and administrators; 403 for others who see the
visit). ``POST /visits/`` is idempotent: the device's key (``Idempotency-Key`` header
or ``client_key``) and the one-visit-per-inspection rule return the same visit (200)
instead of creating another (201). Every change goes through
:mod:`inspections.services.visits`.
"""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from inspections.api.serializers.visits import (
    PhotoSerializer,
    PhotoUploadSerializer,
    VisitCompleteSerializer,
    VisitCompletionSerializer,
    VisitSerializer,
    VisitStartSerializer,
)
from inspections.models import Visit
from inspections.services import visits as services
from portal.api.permissions import EditablePermission
from portal.api.viewsets import VisibleQuerysetMixin

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "The device's key of the visit (a UUID). Sending the same key again returns the "
        "same visit with 200."
    ),
)


def _rows_by_index(errors: dict) -> dict:
    """Return a service's errors in DRF's shape: invalid rows keyed by their index."""
    return {
        key: (
            {str(index): row for index, row in enumerate(value) if row}
            if key in services.READING_KINDS
            else value
        )
        for key, value in errors.items()
    }


class VisitViewSet(
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Site visits (Arts. 10-1, 10-3): identification, readings by article, photos."""

    queryset = Visit.objects.select_related("inspection", "completed_by").prefetch_related(
        "temperatures",
        "arcade_readings",
        "illuminance_readings",
        "equipment_checks",
        "photos",
    )
    serializer_class = VisitSerializer
    permission_classes = [EditablePermission]
    filterset_fields = ("inspection",)
    ordering_fields = ("id", "created_at", "updated_at")
    http_method_names = ("get", "post", "put", "patch", "head", "options")

    def _fresh(self, visit: Visit) -> Visit:
        return self.get_queryset().get(pk=visit.pk)

    def _render(self, visit: Visit, status_code: int = status.HTTP_200_OK) -> Response:
        data = VisitSerializer(self._fresh(visit), context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        request=VisitStartSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            200: OpenApiResponse(
                VisitSerializer, description=gettext_lazy("The visit already existed.")
            ),
            201: OpenApiResponse(
                VisitSerializer, description=gettext_lazy("The visit was started.")
            ),
        },
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Start the visit of an inspection, or return it if it was started already."""
        serializer = VisitStartSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        body_key = serializer.validated_data.get("client_key")
        header_key = request.headers.get("Idempotency-Key", "").strip()
        if body_key and header_key and str(body_key) != header_key.lower():
            raise ValidationError(
                {"client_key": [_("The client_key and the Idempotency-Key header differ.")]}
            )
        visit, created = services.start_visit(
            request.user, serializer.validated_data["inspection"], body_key or header_key
        )
        return self._render(visit, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=VisitSerializer, responses={200: VisitSerializer})
    def update(self, request: Request, *args, partial: bool = False, **kwargs) -> Response:
        """Save the visit and replace its readings (PUT: every kind; PATCH: those sent)."""
        visit = self.get_object()
        serializer = VisitSerializer(
            visit, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        readings = serializer.readings()
        if not partial:
            for name in services.READING_KINDS:
                readings.setdefault(name, [])
        try:
            services.save_visit(request.user, visit, serializer.visit_data(), readings)
        except services.VisitInvalid as exc:
            raise ValidationError(_rows_by_index(exc.errors)) from exc
        return self._render(visit)

    @extend_schema(request=VisitSerializer, responses={200: VisitSerializer})
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Save the fields and the kinds of readings sent; the others stay as they are."""
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=VisitCompleteSerializer, responses={200: VisitCompletionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """Complete the visit: assess it and open the violations it implies (idempotent)."""
        visit = self.get_object()
        options = VisitCompleteSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        language = options.validated_data.get("language", services.REPORT_LANGUAGE)
        completion = services.complete_visit(request.user, visit, language=language)
        completion = dataclasses.replace(completion, visit=self._fresh(visit))
        data = VisitCompletionSerializer(completion, context=self.get_serializer_context()).data
        return Response(data)

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: PhotoSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def photos(self, request: Request, pk: str | None = None) -> Response:
        """Attach a photo (JPEG, PNG or WebP, checked by content; metadata removed)."""
        visit = self.get_object()
        upload = PhotoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        photo = services.add_photo(
            request.user,
            visit,
            upload.validated_data["file"],
            upload.validated_data.get("caption", ""),
            upload.validated_data.get("article", ""),
        )
        data = PhotoSerializer(photo, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
