"""API of the Art. 14 schemes and applications, with the same permissions as the pages.

Everyone signed in reads the published schemes (officers all of them); a business reads
its own applications and submits new ones with an idempotency key (the same key returns
the same application, never a duplicate); officers, inspectors and API clients read all
applications. Changes go through :mod:`subsidies.services.applications`.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.filters import BACKENDS_ORDERED_BY_LANGUAGE
from portal.api.permissions import RolePermission
from portal.api.viewsets import ReadOnlyViewSet
from portal.permissions import can
from portal.uploads import attachment_response
from subsidies.api.serializers.schemes import (
    ApplicationDocumentSerializer,
    ApplicationSerializer,
    DocumentUploadSerializer,
    SchemeSerializer,
    SubmitSerializer,
)
from subsidies.models import Application, ApplicationDocument, ApplicationEvent, Scheme
from subsidies.services import applications as services


class SchemeViewSet(ReadOnlyViewSet):
    """Art. 14 schemes."""

    permission_classes = [RolePermission]
    queryset = Scheme.objects.all()
    serializer_class = SchemeSerializer
    filter_backends = BACKENDS_ORDERED_BY_LANGUAGE
    ordering_fields = ("id", "title", "title_zh_hant", "title_en")
    ordering_by_language = {"title": ("title_zh_hant", "title_en")}


class ApplicationViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Applications to Art. 14 schemes: business users submit their own."""

    permission_classes = [RolePermission]
    queryset = Application.objects.prefetch_related(
        Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor"))
    )
    serializer_class = ApplicationSerializer
    ordering_fields = ("id", "created_at")

    @extend_schema(request=SubmitSerializer, responses={201: ApplicationSerializer})
    def create(self, request, *args, **kwargs):
        """Submit a new application (business users); the same key returns the same one.

        With ``submit: false`` it stays a draft: upload the scheme's required documents to
        ``documents/``, then ``submit/`` it.
        """
        if not can(request.user, "subsidies.apply"):
            raise PermissionDenied
        body = SubmitSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        start = services.apply if data.pop("submit") else services.start_draft
        application = start(
            request.user,
            data.pop("scheme"),
            data.pop("business"),
            idempotency_key=data.pop("idempotency_key"),
            documents=[(kind, None) for kind in data.pop("documents")],
            **data,
        )
        instance = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            200: ApplicationSerializer,
            400: OpenApiResponse(description="Not a draft, or not eligible (with reasons)."),
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft (its applicant); repeating it returns the submitted application."""
        application = self.get_object()
        services.submit(request.user, application, application.idempotency_key)
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    def _documents_of(self, pk) -> Application:
        """The application whose documents the user may read; 404 for everyone else."""
        return get_object_or_404(
            Application.objects.documents_visible_to(self.request.user).select_related("scheme"),
            pk=pk,
        )

    @extend_schema(
        methods=["get"],
        request=None,
        responses=ApplicationDocumentSerializer(many=True),
    )
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            201: ApplicationDocumentSerializer,
            400: OpenApiResponse(
                description="Field errors: a kind the scheme does not ask for, no file, a "
                "file that is not a JPEG, PNG or PDF, too large, or a PDF with scripts; or "
                "the application is no longer a draft or returned for more information."
            ),
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        """The application's documents (the applying business and the officers); its
        applicant uploads one (multipart: ``kind``, ``file``) while it is a draft or
        returned for more information. The file is checked as on the application page:
        pictures are encoded again from their pixels, PDFs with scripts are refused."""
        application = self._documents_of(pk)
        if request.method == "GET":
            documents = application.documents.all()
            context = self.get_serializer_context()
            return Response(
                ApplicationDocumentSerializer(documents, many=True, context=context).data
            )
        if not Application.objects.editable_by(request.user).filter(pk=application.pk).exists():
            raise PermissionDenied  # officers read the documents; only the applicant adds
        body = DocumentUploadSerializer(data=request.data, context={"application": application})
        body.is_valid(raise_exception=True)
        document = services.add_document(
            request.user,
            application,
            body.validated_data["kind"],
            body.validated_data["file"],
            field="file",
        )
        data = ApplicationDocumentSerializer(document, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "document_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="document id"
            )
        ]
    )
    @extend_schema(
        methods=["get"],
        request=None,
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description=(
            "Download the document's file as an attachment, under the type checked on upload "
            "(its applying business and the officers who review applications)."
        ),
    )
    @extend_schema(
        methods=["delete"],
        request=None,
        responses={204: None},
        description=(
            "Delete the document (its applicant, while the application is a draft or "
            "returned for more information)."
        ),
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"documents/(?P<document_pk>[0-9]+)",
    )
    def document(self, request, pk=None, document_pk=None):
        """Download or delete one document of the application."""
        document = get_object_or_404(
            ApplicationDocument.objects.visible_to(request.user).select_related("application"),
            application_id=pk,
            pk=document_pk,
        )
        if request.method == "GET":
            return attachment_response(document, "document")
        services.delete_document(request.user, document)
        return Response(status=status.HTTP_204_NO_CONTENT)
