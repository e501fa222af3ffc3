"""API: an administrator makes an Art. 11 referral an inspection target.

``POST /api/v1/referrals/{id}/target/`` plans a complaint inspection of the referral's
premises through :func:`inspections.services.referrals.target_referral` and answers 201
with the inspection. The referral is looked up among those the user may see (404
otherwise); only administrators act (403). Refusals are 400s with field errors.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.models import SupplierReferral
from inspections.api.serializers.planning import InspectionSerializer
from inspections.models import Inspection
from inspections.services.referrals import target_referral
from portal import bounds
from portal.permissions import can


class ReferralTargetSerializer(serializers.Serializer):
    """The day of the inspection and notes for the inspectors."""

    scheduled_for = bounds.ApiDateField(help_text=_("The day of the inspection."))
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ReferralTargetView(APIView):
    """Make a submitted referral with a premises an inspection target (administrators)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=ReferralTargetSerializer,
        responses={
            201: InspectionSerializer,
            400: OpenApiResponse(
                description=_("Invalid fields, a referral not submitted, or one without premises.")
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = SupplierReferral.objects.visible_to(request.user).filter(pk=pk).first()
        if referral is None:
            raise NotFound
        if not can(request.user, "inspections.plan"):
            raise PermissionDenied(_("Only administrators plan inspections."))
        body = ReferralTargetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        inspection = target_referral(
            request.user,
            referral,
            body.validated_data["scheduled_for"],
            body.validated_data["notes"],
        )
        fresh = (
            Inspection.objects.select_related("premises")
            .prefetch_related("assignments__user")
            .get(pk=inspection.pk)
        )
        return Response(
            InspectionSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
