"""API of the Art. 14 schemes and applications, with the same permissions as the pages.

Everyone signed in reads the published schemes (officers all of them); a business reads
its own applications and submits new ones with an idempotency key (the same key returns
the same application, never a duplicate); officers, inspectors and API clients read all
applications. Changes go through :mod:`subsidies.services.applications`.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from portal.api.filters import BACKENDS_ORDERED_BY_LANGUAGE
from portal.api.permissions import RolePermission
from portal.api.viewsets import ReadOnlyViewSet
from portal.permissions import can
from subsidies.api.serializers.schemes import (
    ApplicationSerializer,
    SchemeSerializer,
    SubmitSerializer,
)
from subsidies.models import Application, ApplicationEvent, Scheme
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

    @extend_schema(request=SubmitSerializer, responses=ApplicationSerializer)
    def create(self, request, *args, **kwargs):
        """Submit a new application (business users); the same key returns the same one."""
        if not can(request.user, "subsidies.apply"):
            raise PermissionDenied
        body = SubmitSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        application = services.apply(
            request.user,
            data.pop("scheme"),
            data.pop("business"),
            idempotency_key=data.pop("idempotency_key"),
            documents=[(kind, None) for kind in data.pop("documents")],
            **data,
        )
        instance = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)
