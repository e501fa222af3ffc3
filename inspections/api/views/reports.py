"""API of the Art. 10-4 report: a long job with a status row (202 until it is ready).

* ``GET /api/v1/reports/`` and ``/reports/{id}/``: the reports the user may see
  (``visible_to``: a business only its own premises'). A report still PENDING or
  RENDERING answers 202; READY answers 200 with ``download_url``; FAILED answers 200
  with ``status: failed`` and ``error``.
* ``POST /api/v1/reports/`` ``{visit, language}`` or ``POST /api/v1/visits/{id}/report/``
  ``{language}``: ask for a completed visit's report (inspectors and administrators);
  asking again returns the same report. ``GET /api/v1/visits/{id}/report/?language=``
  reads it.
* ``POST /api/v1/reports/{id}/retry/``: render a failed report again (``force``:
  administrators render a ready one again, keeping its document number).
* ``GET /api/v1/reports/{id}/download/``: the PDF.

A report or visit the user cannot see is a 404; one they see but may not act on a 403.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, permissions, renderers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspections.api.serializers.reports import (
    InspectionReportSerializer,
    ReportLanguageSerializer,
    ReportRequestSerializer,
    ReportRetrySerializer,
)
from inspections.choices import ReportStatus
from inspections.models import InspectionReport, Visit
from inspections.services import reports as services
from portal.api.viewsets import ReadOnlyViewSet
from portal.permissions import can

UNDER_WAY = (ReportStatus.PENDING, ReportStatus.RENDERING)
STATUS_RESPONSES = {
    200: OpenApiResponse(
        InspectionReportSerializer, description=_("Ready (with download_url) or failed.")
    ),
    202: OpenApiResponse(
        InspectionReportSerializer, description=_("Pending or rendering: ask again later.")
    ),
}


class PdfRenderer(renderers.BaseRenderer):
    """Let a client ask for ``application/pdf``; an error body is still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data)


class ReportPermission(permissions.BasePermission):
    """Signed-in users read what they see; inspectors and administrators ask and retry."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True  # an object action is decided on the object: 404 before 403
        return can(user, "inspections.render_report")

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS or can(
            request.user, "inspections.render_report"
        )


def report_response(report: InspectionReport, context: dict) -> Response:
    """Answer with the report: 202 while it is under way, 200 once ready or failed."""
    code = status.HTTP_202_ACCEPTED if report.status in UNDER_WAY else status.HTTP_200_OK
    return Response(InspectionReportSerializer(report, context=context).data, status=code)


def _reports():
    return InspectionReport.objects.select_related("visit__inspection__premises")


@extend_schema_view(
    retrieve=extend_schema(responses=STATUS_RESPONSES),
    create=extend_schema(request=ReportRequestSerializer, responses=STATUS_RESPONSES),
)
class InspectionReportViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Inspection reports (Art. 10-4): PDFs rendered by a worker, with their status."""

    permission_classes = [ReportPermission]
    queryset = _reports()
    serializer_class = InspectionReportSerializer
    filterset_fields = ["visit", "language", "status"]
    ordering_fields = ("id", "requested_at")

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return report_response(self.get_object(), self.get_serializer_context())

    def create(self, request: Request, *args, **kwargs) -> Response:
        asked = ReportRequestSerializer(data=request.data, context=self.get_serializer_context())
        asked.is_valid(raise_exception=True)
        report = services.request_report(
            asked.validated_data["visit"], asked.validated_data["language"], actor=request.user
        )
        return report_response(self.get_queryset().get(pk=report.pk), self.get_serializer_context())

    @extend_schema(request=ReportRetrySerializer, responses=STATUS_RESPONSES)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """Render a failed report again (``force``: administrators, also a ready one)."""
        report = self.get_object()
        asked = ReportRetrySerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        report = services.retry_report(request.user, report, force=asked.validated_data["force"])
        return report_response(self.get_queryset().get(pk=report.pk), self.get_serializer_context())

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description=_("Not visible, or not ready yet.")),
        }
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PdfRenderer])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        """Return the report's PDF (404 until it is ready)."""
        report = self.get_object()
        if report.status != ReportStatus.READY or not report.file:
            raise Http404(_("This report is not ready yet."))
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(
                _("The report's file is missing; ask for it to be rendered again.")
            ) from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{report.document_number}.pdf",
            content_type="application/pdf",
        )


class VisitReportView(generics.GenericAPIView):
    """The report of one visit in one language: read it, or ask for it."""

    permission_classes = [ReportPermission]
    serializer_class = ReportLanguageSerializer
    # Object actions are decided on the visit: 404 (not visible) before 403.
    detail = True

    def get_visit(self) -> Visit:
        visits = Visit.objects.visible_to(self.request.user).select_related("inspection")
        try:
            visit = visits.get(pk=self.kwargs["visit_id"])
        except Visit.DoesNotExist as exc:
            raise Http404 from exc
        self.check_object_permissions(self.request, visit)
        return visit

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "language", str, enum=["zh-hant", "en"], description=_("Default zh-hant.")
            )
        ],
        responses={**STATUS_RESPONSES, 404: OpenApiResponse(description=_("No such report."))},
    )
    def get(self, request: Request, visit_id: int) -> Response:
        """Return the visit's report in ``language`` (202 while it is being rendered)."""
        visit = self.get_visit()
        asked = ReportLanguageSerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        report = _reports().filter(visit=visit, language=asked.validated_data["language"]).first()
        if report is None:
            raise Http404(_("No report has been requested yet."))
        return report_response(report, self.get_serializer_context())

    @extend_schema(request=ReportLanguageSerializer, responses=STATUS_RESPONSES)
    def post(self, request: Request, visit_id: int) -> Response:
        """Ask for the visit's report in ``language``; asking again returns the same one."""
        visit = self.get_visit()
        asked = ReportLanguageSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        report = services.request_report(
            visit, asked.validated_data["language"], actor=request.user
        )
        return report_response(_reports().get(pk=report.pk), self.get_serializer_context())
