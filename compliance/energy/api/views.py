"""API of the Art. 12 energy-use register: the register, monthly use, accounts, uploads.

Who sees what is the pages' own rule:

* ``register/``: city staff and API clients (as the register page); others 403. The
  register of a month (``?month=YYYY-MM``, by default the last complete month) looks back
  twelve months, that month included (``compliance.energy.services.register``).
* ``monthly-use/`` and ``supplier-accounts/``: ``visible_to(user)``: a supplier its own
  accounts, a business its premises' accounts, city staff and API clients all of them.
  Administrators ``match`` an account to a premises; who sees the account but may not
  match it gets 403, who does not see it 404.
* ``energy-use-uploads/``: only energy suppliers upload (others 403). A supplier lists
  its own uploads (the unconfirmed page upload included); city staff and API clients
  list every supplier's imported uploads (an unconfirmed file is not yet data given to
  the City); business users and programme officers list none.

An upload is checked by the import of the upload page (compliance/energy/imports.py):
a dry run (the default) answers 200 with the summary and the planned rows; a real import
(``?dry_run=false``) saves every row or none and answers 201. A refused file answers 400
with every bad row (line, column, message) and nothing is saved.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from compliance.energy.api import serializers as s
from compliance.energy.filtersets import (
    EnergyUseUploadFilterSet,
    MonthlyEnergyUseFilterSet,
    RegisterFilterSet,
    SupplierAccountFilterSet,
)
from compliance.energy.imports import EnergyUseReport
from compliance.energy.models.energy_use import EnergyUseBatch
from compliance.energy.services import register
from compliance.energy.services import uploads as energy_use_uploads
from compliance.models import MonthlyEnergyUse, Premises, SupplierAccount
from compliance.registry.imports.equipment import RowError
from compliance.registry.querysets import READ_ALL_ROLES
from portal.api.pagination import IdCursorPagination
from portal.api.permissions import RolePermission
from portal.api.viewsets import ReadOnlyViewSet
from portal.choices import Role


def _city_staff(user) -> bool:
    return user.is_superuser or user.role in READ_ALL_ROLES


class CityStaffPermission(RolePermission):
    """Let city staff and API clients read the whole city's register; others get 403."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and _city_staff(request.user)


class RegisterPagination(PageNumberPagination):
    """Pages of a register computed in memory (its size is the number of premises on it)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["month"] = self.month.isoformat()
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["month"] = {
            "type": "string",
            "format": "date",
            "description": "The month of the register (its first day).",
        }
        return schema


@extend_schema(
    description=(
        "The Art. 12 register for a month: each premises whose monthly use of an energy "
        "type reached the published threshold in the twelve months up to that month."
    )
)
class EnergyRegisterViewSet(viewsets.GenericViewSet):
    """The energy-use register by district, industry and energy type (city staff)."""

    permission_classes = [CityStaffPermission]
    queryset = Premises.objects.all()
    serializer_class = s.RegisterEntrySerializer
    filterset_class = RegisterFilterSet
    filter_backends = [DjangoFilterBackend]
    pagination_class = RegisterPagination

    def list(self, request: Request) -> Response:
        filterset = DjangoFilterBackend().get_filterset(request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        data = filterset.form.cleaned_data
        month = data.get("month") or register.first_of_month(timezone.localdate(), 1)
        narrowed = data.get("district") or data.get("industry")
        entries = register.register_on(month, filterset.qs if narrowed else None)
        if data.get("energy_type"):
            entries = [entry for entry in entries if entry.energy_type == data["energy_type"]]
        self.paginator.month = month
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MonthlyEnergyUseViewSet(ReadOnlyViewSet):
    """Monthly use per customer account (a supplier its own, a business its premises')."""

    queryset = MonthlyEnergyUse.objects.select_related("account", "account__supplier")
    serializer_class = s.MonthlyEnergyUseSerializer
    filterset_class = MonthlyEnergyUseFilterSet
    ordering_fields = ("id", "month")


class SupplierAccountViewSet(ReadOnlyViewSet):
    """Suppliers' customer accounts and the premises each supplies."""

    queryset = SupplierAccount.objects.select_related("supplier", "premises")
    serializer_class = s.SupplierAccountSerializer
    filterset_class = SupplierAccountFilterSet
    ordering_fields = ("id", "account_number", "created_at")

    @extend_schema(request=s.AccountMatchSerializer, responses=s.SupplierAccountSerializer)
    @action(detail=True, methods=["post"])
    def match(self, request: Request, pk: str | None = None) -> Response:
        """Match the account to the premises it supplies (administrators; audited)."""
        account = self.get_object()  # 404 unless visible, 403 unless editable
        body = s.AccountMatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        account = register.match_account(request.user, account, body.validated_data["premises"])
        return Response(self.get_serializer(account).data)


def uploads_visible_to(queryset: QuerySet, user) -> QuerySet:
    """Return the uploads of ``queryset`` that ``user`` may list (see the module's text)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if _city_staff(user):
        return queryset.filter(committed_at__isnull=False)
    if user.role == Role.ENERGY_SUPPLIER:
        return queryset.filter(supplier=user)
    return queryset.none()


class SuppliersUpload(RolePermission):
    """Everyone signed in lists; only energy suppliers upload."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return view.action != "create" or request.user.role == Role.ENERGY_SUPPLIER


class CsvBodyParser(BaseParser):
    """Read a request body of ``text/csv`` as bytes (at most one byte over the limit)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return stream.read(settings.CSV_IMPORT_MAX_BYTES + 1)


class UploadCursorPagination(IdCursorPagination):
    ordering = "-created_at"


def describe_row_error(error: RowError) -> str:
    """Write one problem of a file as a sentence naming its line and column."""
    if error.line is None:
        return error.message
    if error.column:
        return _("Line %(line)s, column %(column)s: %(message)s") % {
            "line": error.line,
            "column": error.column,
            "message": error.message,
        }
    return _("Line %(line)s: %(message)s") % {"line": error.line, "message": error.message}


def refusal(report: EnergyUseReport) -> dict:
    """Return the 400 body of a refused file: every problem, readable and by line."""
    count = len(report.errors)
    return {
        "detail": ngettext(
            "The file has %(count)s error; nothing was saved.",
            "The file has %(count)s errors; nothing was saved.",
            count,
        )
        % {"count": count},
        "errors": {"file": [describe_row_error(error) for error in report.errors]},
        "row_errors": s.RowErrorSerializer(report.errors, many=True).data,
    }


class EnergyUseUploadViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Suppliers' CSV files of monthly use: checked (dry run) or imported, all or nothing."""

    permission_classes = [SuppliersUpload]
    queryset = EnergyUseBatch.objects.select_related("supplier")
    serializer_class = s.EnergyUseUploadSerializer
    filterset_class = EnergyUseUploadFilterSet
    pagination_class = UploadCursorPagination
    parser_classes = [MultiPartParser, CsvBodyParser]

    def get_queryset(self):
        return uploads_visible_to(super().get_queryset(), self.request.user)

    @extend_schema(
        parameters=[s.UploadQuerySerializer],
        request={"multipart/form-data": s.UploadFileSerializer, "text/csv": OpenApiTypes.STR},
        responses={
            200: OpenApiResponse(s.UploadResultSerializer, description=_("The dry run.")),
            201: OpenApiResponse(s.UploadResultSerializer, description=_("Imported.")),
            400: OpenApiResponse(
                s.UploadErrorSerializer, description=_("Refused: every bad row; nothing saved.")
            ),
        },
    )
    def create(self, request: Request) -> Response:
        """Check (``dry_run=true``, the default) or import (``dry_run=false``) a CSV file."""
        query = s.UploadQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        dry_run = query.validated_data["dry_run"]
        file, filename = self._uploaded_file(request)
        if dry_run:
            batch, report = None, energy_use_uploads.check_upload(request.user, file)
        else:
            batch, report = energy_use_uploads.import_upload(request.user, file, filename)
        if not report.ok:
            return Response(refusal(report), status=status.HTTP_400_BAD_REQUEST)
        result = {
            "dry_run": dry_run,
            "committed": report.committed,
            "upload": batch,
            "rows": report.rows,
            "row_count": len(report.rows),
            "created": report.created,
            "updated": report.updated,
            "new_accounts": report.new_accounts,
            "unmatched": report.unmatched,
        }
        body = s.UploadResultSerializer(result, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if batch else status.HTTP_200_OK)

    def _uploaded_file(self, request: Request) -> tuple[object, str]:
        """Return the file sent as the form field ``file`` or as a text/csv body."""
        how = _(
            "Send the CSV file as the request body with Content-Type: text/csv, or as the "
            "form field “file” with Content-Type: multipart/form-data."
        )
        try:
            data = request.data
        except exceptions.UnsupportedMediaType as exc:
            raise serializers.ValidationError({"file": [how]}) from exc
        if isinstance(data, bytes):
            if data:
                return data, ""
        else:
            upload = request.FILES.get("file")
            if upload is not None:
                return upload, upload.name
        raise serializers.ValidationError({"file": [how]})


ROUTES = (
    ("register", EnergyRegisterViewSet, "energy-register"),
    ("monthly-use", MonthlyEnergyUseViewSet, "monthly-use"),
    ("supplier-accounts", SupplierAccountViewSet, "supplier-account"),
    ("energy-use-uploads", EnergyUseUploadViewSet, "energy-use-upload"),
)
