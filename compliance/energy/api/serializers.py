"""Serializers of the Art. 12 energy-use API (compliance/energy/api/views.py).

Months are the first day of the month (``2026-03-01``), quantities decimal strings in
the unit given next to them.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.choices import District
from compliance.energy.models.energy_use import (
    ENERGY_USE_BATCH_TTL,
    UNIT_OF,
    EnergyTypeChoice,
    EnergyUnit,
    EnergyUseBatch,
)
from compliance.models import MonthlyEnergyUse, Premises, SupplierAccount
from portal import bounds

QUANTITY = {"max_digits": 14, "decimal_places": 2}


class RegisterEntrySerializer(serializers.Serializer):
    """A premises on the register for one energy type (``compliance.energy.services.register``)."""

    premises = serializers.IntegerField(source="premises.pk")
    premises_name = serializers.CharField(source="premises.name")
    district = serializers.ChoiceField(source="premises.district", choices=District.choices)
    business = serializers.IntegerField(source="premises.business_id")
    business_name = serializers.CharField(source="premises.business.name_zh")
    ubn = serializers.CharField(source="premises.business.ubn")
    industry_code = serializers.CharField(source="premises.business.industry_code")
    energy_type = serializers.ChoiceField(choices=EnergyTypeChoice.choices)
    latest_qualifying_month = bounds.ApiDateField(
        source="month", help_text=_("The latest month whose use reached the threshold.")
    )
    highest_monthly_use = serializers.DecimalField(
        source="quantity", help_text=_("The highest monthly use in the window."), **QUANTITY
    )
    threshold = serializers.DecimalField(
        help_text=_("The threshold in force in the month of the highest use."), **QUANTITY
    )
    unit = serializers.ChoiceField(choices=EnergyUnit.choices)


class MonthlyEnergyUseSerializer(serializers.ModelSerializer):
    """One account's use of its energy type in one month."""

    account_number = serializers.CharField(source="account.account_number", read_only=True)
    energy_type = serializers.ChoiceField(
        source="account.energy_type", choices=EnergyTypeChoice.choices, read_only=True
    )
    supplier = serializers.IntegerField(source="account.supplier_id", read_only=True)
    supplier_name = serializers.CharField(source="account.supplier.__str__", read_only=True)
    premises = serializers.IntegerField(
        source="account.premises_id",
        allow_null=True,
        read_only=True,
        help_text=_("Null while the account is not matched to a premises."),
    )

    class Meta:
        model = MonthlyEnergyUse
        fields = [
            "id",
            "account",
            "account_number",
            "energy_type",
            "supplier",
            "supplier_name",
            "premises",
            "month",
            "quantity",
            "unit",
            "batch",
            "updated_at",
        ]
        read_only_fields = fields


class SupplierAccountSerializer(serializers.ModelSerializer):
    """A supplier's customer account for one energy type, and the premises it supplies."""

    supplier_name = serializers.CharField(source="supplier.__str__", read_only=True)
    unit = serializers.SerializerMethodField()
    premises_name = serializers.CharField(source="premises.name", allow_null=True, read_only=True)

    class Meta:
        model = SupplierAccount
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "account_number",
            "energy_type",
            "unit",
            "premises",
            "premises_name",
            "matched_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=EnergyUnit.choices))
    def get_unit(self, account: SupplierAccount) -> str:
        return UNIT_OF[EnergyTypeChoice(account.energy_type)].value


class AccountMatchSerializer(serializers.Serializer):
    """The premises an administrator matches an account to."""

    premises = serializers.PrimaryKeyRelatedField(
        queryset=Premises.objects.all(),
        error_messages={"does_not_exist": _("There is no premises {pk_value}.")},
        help_text=_("The premises (id) the account supplies."),
    )


class UploadStatus:
    PENDING = "pending"
    IMPORTED = "imported"
    EXPIRED = "expired"
    CHOICES = [
        (PENDING, _("Waiting for confirmation on the upload page")),
        (IMPORTED, pgettext_lazy("when", "Imported")),
        (EXPIRED, _("Expired without confirmation")),
    ]


class EnergyUseUploadSerializer(serializers.ModelSerializer):
    """A supplier's uploaded file of monthly use (its content stays on the server)."""

    supplier_name = serializers.CharField(source="supplier.__str__", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = EnergyUseBatch
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "filename",
            "status",
            "created_at",
            "committed_at",
            "row_count",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=UploadStatus.CHOICES))
    def get_status(self, batch: EnergyUseBatch) -> str:
        if batch.committed_at is not None:
            return UploadStatus.IMPORTED
        if batch.created_at < timezone.now() - ENERGY_USE_BATCH_TTL:
            return UploadStatus.EXPIRED
        return UploadStatus.PENDING


class UploadQuerySerializer(serializers.Serializer):
    """Whether to check the file only (the default) or import it."""

    dry_run = serializers.BooleanField(
        default=True,
        help_text=_("true (default): check the file and save nothing; false: import it."),
    )


class PlannedRowSerializer(serializers.Serializer):
    """A valid row of the file and what importing it does."""

    line = serializers.IntegerField(max_value=bounds.INTEGER_MAX)
    action = serializers.ChoiceField(
        choices=[("create", _("add the month")), ("update", _("replace the month's figure"))]
    )
    account = serializers.CharField(source="account_number")
    energy_type = serializers.ChoiceField(choices=EnergyTypeChoice.choices)
    month = bounds.ApiDateField()
    quantity = serializers.DecimalField(**QUANTITY)
    unit = serializers.ChoiceField(choices=EnergyUnit.choices)
    premises = serializers.IntegerField(
        source="premises_id",
        allow_null=True,
        help_text=_("The premises the account is (or will be) matched to; null: unmatched."),
    )


class UploadSummarySerializer(serializers.Serializer):
    rows = serializers.IntegerField(source="row_count")
    created = serializers.IntegerField(max_value=bounds.INTEGER_MAX)
    updated = serializers.IntegerField(max_value=bounds.INTEGER_MAX)
    new_accounts = serializers.IntegerField(max_value=bounds.INTEGER_MAX)
    unmatched_accounts = serializers.IntegerField(source="unmatched")


class UploadResultSerializer(serializers.Serializer):
    """What a dry run would do (200), or what an import did (201)."""

    dry_run = serializers.BooleanField()
    imported = serializers.BooleanField(source="committed")
    upload = EnergyUseUploadSerializer(allow_null=True)
    summary = UploadSummarySerializer(source="*")
    rows = PlannedRowSerializer(many=True)


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        allow_null=True,
        help_text=_("The line of the file; null: the file as a whole."),
        max_value=bounds.INTEGER_MAX,
    )
    column = serializers.CharField(allow_blank=True, help_text=_("Empty: the whole row."))
    message = serializers.CharField()


@extend_schema_field(OpenApiTypes.OBJECT)
class FieldErrorsField(serializers.DictField):
    """``{"file": ["Line 3, energy_type: …", …]}``."""


class UploadErrorSerializer(serializers.Serializer):
    """A refused file: every bad row, with its line, column and message; nothing saved."""

    detail = serializers.CharField()
    errors = FieldErrorsField(child=serializers.ListField(child=serializers.CharField()))
    row_errors = RowErrorSerializer(many=True)


class UploadFileSerializer(serializers.Serializer):
    """A CSV file sent as a form field (or send it as the body, Content-Type: text/csv)."""

    file = serializers.FileField(help_text=_("The CSV file, UTF-8, in the import format."))
