"""Serializers of the registry API: the models validate, the serializers present.

Every writable serializer runs the model's ``full_clean()`` (through
:class:`portal.api.serializers.ValidatedModelSerializer`), so the API and the forms give
the same answers in the same words. Fields a client may not set (ids, timestamps, a
claim's decision, who made it) are read-only: when posted they are ignored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator

from compliance.api.base import RegistrySerializer
from compliance.choices import ClaimStatus
from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Business,
    BusinessClaim,
    BusinessMembership,
    Equipment,
    Premises,
)
from compliance.registry.models.equipment import ATTRIBUTE_FIELDS
from compliance.validators import validate_ubn
from portal.api.serializers import EditableRelatedField, PlannedRepresentationMixin

TIMESTAMPS = ("created_at", "updated_at")


class BusinessSerializer(RegistrySerializer):
    """A regulated business (Art. 2); its unified business number is fixed once registered."""

    class Meta:
        model = Business
        fields = [
            "id",
            "ubn",
            "name_zh",
            "name_en",
            "sector",
            "industry_code",
            "industry_label",
            "responsible_person",
            "contact_name",
            "contact_phone",
            "contact_email",
            "registered_address",
            *TIMESTAMPS,
        ]
        read_only_fields = ["id", *TIMESTAMPS]
        extra_kwargs = {
            "ubn": {
                "validators": [
                    validate_ubn,
                    UniqueValidator(
                        queryset=Business.objects.all(),
                        message=_(
                            "A business with this number is already registered. If you act "
                            "for it, claim it instead."
                        ),
                    ),
                ]
            }
        }

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, Business):
            # The number identifies the business: it is set when registering, not edited.
            fields["ubn"] = serializers.CharField(read_only=True)
        return fields


class PremisesSerializer(PlannedRepresentationMixin, RegistrySerializer):
    """A factory, business premises or office of a business (Arts. 5, 6, 9, 10)."""

    business = EditableRelatedField(queryset=Business.objects.all())

    class Meta:
        model = Premises
        fields = [
            "id",
            "business",
            "name",
            "kind",
            "address",
            "district",
            "category",
            "floor_area_m2",
            "has_arcade",
            "opens_at",
            "closes_at",
            "opening_days",
            "is_active",
            *TIMESTAMPS,
        ]
        read_only_fields = ["id", *TIMESTAMPS]


class EquipmentSerializer(PlannedRepresentationMixin, RegistrySerializer):
    """An item of energy equipment; which attributes it needs depends on its kind."""

    premises = EditableRelatedField(queryset=Premises.objects.all())
    business = serializers.IntegerField(
        source="premises.business_id", read_only=True, help_text=_("The business (id).")
    )

    class Meta:
        model = Equipment
        fields = [
            "id",
            "premises",
            "business",
            "kind",
            "tag",
            "description",
            *ATTRIBUTE_FIELDS,
            *TIMESTAMPS,
        ]
        read_only_fields = ["id", *TIMESTAMPS]
        validators = [
            UniqueTogetherValidator(
                queryset=Equipment.objects.all(),
                fields=("premises", "tag"),
                message=_("This premises already has equipment with this tag."),
            )
        ]


LOG_UNIQUE_MESSAGE = _("This equipment already has a log for this month; edit that log instead.")


class AcMonthlyLogSerializer(RegistrySerializer):
    """The Art. 5-3 monthly record of a chiller; one per chiller per month."""

    equipment = EditableRelatedField(queryset=Equipment.objects.all())

    class Meta:
        model = AcMonthlyLog
        fields = [
            "id",
            "equipment",
            "month",
            "recorded_by",
            "ac_electricity_kwh",
            "chiller_inlet_temp_c",
            "chiller_outlet_temp_c",
            "chiller_flow_m3h",
            "tower_inlet_temp_c",
            "tower_outlet_temp_c",
            "tower_flow_m3h",
            "maintenance_done",
            "notes",
            *TIMESTAMPS,
        ]
        read_only_fields = ["id", *TIMESTAMPS]
        validators = [
            UniqueTogetherValidator(
                queryset=AcMonthlyLog.objects.all(),
                fields=("equipment", "month"),
                message=LOG_UNIQUE_MESSAGE,
            )
        ]


class BoilerMonthlyLogSerializer(RegistrySerializer):
    """The Art. 8-2 record of a running boiler's combustion check; one per month."""

    equipment = EditableRelatedField(queryset=Equipment.objects.all())

    class Meta:
        model = BoilerMonthlyLog
        fields = [
            "id",
            "equipment",
            "month",
            "recorded_by",
            "air_volume_m3h",
            "exhaust_temp_c",
            "furnace_wall_temp_c",
            "exhaust_co2_pct",
            "combustion_complete",
            "notes",
            *TIMESTAMPS,
        ]
        read_only_fields = ["id", *TIMESTAMPS]
        validators = [
            UniqueTogetherValidator(
                queryset=BoilerMonthlyLog.objects.all(),
                fields=("equipment", "month"),
                message=LOG_UNIQUE_MESSAGE,
            )
        ]


class MembershipSerializer(serializers.ModelSerializer):
    """Who acts for a business (read-only: claims and registration create memberships)."""

    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = BusinessMembership
        fields = ["id", "user", "username", "business", "created_at"]
        read_only_fields = fields


class ClaimSerializer(RegistrySerializer):
    """A business user's claim to act for a registered business.

    The business is named by its id (``business``) or by its unified business number
    (``ubn``), which is what a business user knows. The claimant is the requesting user;
    status and decision are set only by an administrator's decision.
    """

    # Any registered business may be claimed; the browsable API shows an id box, never a
    # drop-down that would list every business to a business user.
    business = serializers.PrimaryKeyRelatedField(
        queryset=Business.objects.all(), required=False, style={"base_template": "input.html"}
    )
    ubn = serializers.CharField(
        write_only=True,
        required=False,
        validators=[validate_ubn],
        label=_("unified business number"),
        help_text=_("Instead of the business id: the business's unified business number."),
    )

    class Meta:
        model = BusinessClaim
        fields = [
            "id",
            "user",
            "business",
            "ubn",
            "evidence",
            "status",
            "decision_reason",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "user",
            "status",
            "decision_reason",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        # The model's constraints are checked in validate(), with clear messages.
        validators = []

    def validate(self, attrs):
        ubn = attrs.pop("ubn", None)
        if ubn is not None:
            business = Business.objects.filter(ubn=ubn).first()
            if business is None:
                raise serializers.ValidationError(
                    {
                        "ubn": _(
                            "No business with this number is registered yet; register it instead."
                        )
                    }
                )
            if attrs.setdefault("business", business) != business:
                raise serializers.ValidationError(
                    {"ubn": _("This number belongs to another business than the one given.")}
                )
        if "business" not in attrs:
            raise serializers.ValidationError(
                {"business": _("Name the business: give its id or its unified business number.")}
            )
        user = self.context["request"].user
        attrs["user"] = user
        if BusinessClaim.objects.filter(
            user=user, business=attrs["business"], status=ClaimStatus.PENDING
        ).exists():
            raise serializers.ValidationError(
                _("Your claim to this business is already waiting for a decision.")
            )
        return super().validate(attrs)


class ClaimDecisionSerializer(serializers.Serializer):
    """An administrator's decision on a pending claim."""

    approve = serializers.BooleanField(help_text=_("True approves the claim, false rejects it."))
    reason = serializers.CharField(
        max_length=2000, help_text=_("The reason for the decision, shown to the claimant.")
    )
