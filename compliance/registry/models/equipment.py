"""Declared energy equipment: one row per item, typed by kind (Arts. 5-1 to 8-2).

One table with a ``kind`` and the attributes each obligation needs keeps the equipment
list, CSV import and API one shape; :data:`KIND_FIELDS` says which attributes a kind
requires and which it may carry, and ``clean()`` enforces it.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.template.defaultfilters import yesno
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import (
    AcType,
    AirBarrier,
    EfficiencyMetric,
    EquipmentKind,
    Fuel,
    LampType,
    SpaceType,
)
from compliance.registry.querysets import EquipmentQuerySet
from portal import bounds

# kind -> (required attributes, optional attributes). Anything else must stay empty.
KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    EquipmentKind.AIR_CONDITIONER: (
        ("ac_type", "cooling_capacity_kw", "efficiency_metric", "efficiency_value", "installed_on"),
        (),
    ),
    EquipmentKind.CHILLER: (
        ("capacity_hp", "is_production_use", "has_separate_meter"),
        ("energy_manager", "installed_on"),
    ),
    EquipmentKind.ENTRANCE: (("air_barrier",), ()),
    EquipmentKind.LIGHTING: (("space_type", "lamp_type", "lamp_count", "lamp_wattage_w"), ()),
    EquipmentKind.SIGNBOARD: (("lamp_type",), ("lamp_count", "lamp_wattage_w")),
    EquipmentKind.BOILER: (
        ("fuel", "is_standby", "installed_on"),
        ("steam_evaporation_tph", "heat_input_kcal_h"),
    ),
}
ATTRIBUTE_FIELDS = (
    "ac_type",
    "cooling_capacity_kw",
    "efficiency_metric",
    "efficiency_value",
    "installed_on",
    "capacity_hp",
    "is_production_use",
    "has_separate_meter",
    "energy_manager",
    "air_barrier",
    "space_type",
    "lamp_type",
    "lamp_count",
    "lamp_wattage_w",
    "steam_evaporation_tph",
    "heat_input_kcal_h",
    "fuel",
    "is_standby",
)
# Plausible efficiency ranges; a value outside is a typing error, not a poor unit.
EFFICIENCY_RANGE = {
    EfficiencyMetric.EER: (Decimal("1.00"), Decimal("8.00")),
    EfficiencyMetric.CSPF: (Decimal("1.00"), Decimal("12.00")),
}

tag_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,39}$",
    _("Use letters, digits and . _ - / only (up to 40 characters), e.g. AC-01."),
)


def _positive(limit: str):
    return [
        MinValueValidator(Decimal("0.01"), _("Enter a value greater than zero.")),
        MaxValueValidator(Decimal(limit), _("%(limit_value)s is the largest plausible value.")),
    ]


_KIND_VALUES = frozenset(EquipmentKind.values)


def _after_today(day: datetime.date) -> bool:
    """Return whether ``day`` is after today in the portal's time zone.

    A day up to yesterday in UTC never is (no zone is a whole day behind UTC), which
    spares the zone look-up for almost every date (an import checks thousands).
    """
    if day <= timezone.now().date() - datetime.timedelta(days=1):
        return False
    return day > timezone.localdate()


class Equipment(models.Model):
    """An item of energy equipment declared for a premises.

    Air-conditioning units (Art. 5-4), chillers / central AC (Art. 5-3), entrances
    (Art. 5-1), lighting groups (Arts. 6-2, 6-3), signboards (Art. 7), boilers (Art. 8).
    """

    premises = models.ForeignKey(
        "compliance.Premises",
        on_delete=models.CASCADE,
        related_name="equipment",
        verbose_name=_("premises"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EquipmentKind.choices)
    tag = models.CharField(
        _("tag"),
        max_length=40,
        validators=[tag_validator],
        help_text=_("Your own identifier, unique within the premises, e.g. AC-01."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    # Air-conditioning units (5-4) and chillers (5-3).
    ac_type = models.CharField(
        _("air-conditioner type"), max_length=16, choices=AcType.choices, blank=True
    )
    cooling_capacity_kw = models.DecimalField(
        _("cooling capacity (kW)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_positive("2000"),
    )
    efficiency_metric = models.CharField(
        _("efficiency metric"), max_length=8, choices=EfficiencyMetric.choices, blank=True
    )
    efficiency_value = models.DecimalField(
        _("efficiency (EER or CSPF)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.decimal_max(5, 2)),
    )
    installed_on = models.DateField(
        _("installed or replaced on"), null=True, blank=True, validators=bounds.date_validators()
    )
    capacity_hp = models.DecimalField(
        _("chiller capacity (HP)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_positive("20000"),
    )
    is_production_use = models.BooleanField(_("serves production processes"), null=True, blank=True)
    has_separate_meter = models.BooleanField(
        _("separate AC electricity meter installed"), null=True, blank=True
    )
    energy_manager = models.CharField(_("assigned energy manager"), max_length=100, blank=True)

    # Entrances (5-1).
    air_barrier = models.CharField(
        _("air barrier"), max_length=16, choices=AirBarrier.choices, blank=True
    )

    # Lighting groups (6-2, 6-3) and signboards (7).
    space_type = models.CharField(
        _("space type (CNS 12112)"), max_length=32, choices=SpaceType.choices, blank=True
    )
    lamp_type = models.CharField(
        _("lamp type"), max_length=24, choices=LampType.choices, blank=True
    )
    lamp_count = models.PositiveIntegerField(
        _("number of lamps"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("Enter at least one lamp.")),
            MaxValueValidator(100000, _("%(limit_value)s is the largest plausible value.")),
        ],
    )
    lamp_wattage_w = models.DecimalField(
        _("wattage per lamp (W)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_positive("5000"),
    )

    # Boilers (8-1, 8-2).
    steam_evaporation_tph = models.DecimalField(
        _("steam evaporation (t/h)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_positive("1000"),
    )
    heat_input_kcal_h = models.PositiveBigIntegerField(
        _("heat input (kcal/h)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("Enter a value greater than zero.")),
            MaxValueValidator(1_000_000_000, _("%(limit_value)s is the largest plausible value.")),
        ],
    )
    fuel = models.CharField(_("fuel"), max_length=16, choices=Fuel.choices, blank=True)
    is_standby = models.BooleanField(_("emergency standby boiler"), null=True, blank=True)

    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)

    objects = EquipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["premises_id", "kind", "tag"]
        constraints = [
            models.UniqueConstraint(fields=["premises", "tag"], name="unique_equipment_tag"),
            models.CheckConstraint(
                condition=models.Q(cooling_capacity_kw__isnull=True)
                | models.Q(cooling_capacity_kw__gt=0),
                name="equipment_cooling_capacity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity_hp__isnull=True) | models.Q(capacity_hp__gt=0),
                name="equipment_capacity_hp_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(steam_evaporation_tph__isnull=True)
                | models.Q(steam_evaporation_tph__gt=0),
                name="equipment_steam_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["kind"]),
            # The equipment list: a premises' items by kind and tag, under its business.
            models.Index(fields=["premises", "kind", "tag", "id"], name="equipment_premises_kind"),
        ]

    def __str__(self) -> str:
        # The label straight from the choices: ``get_kind_display`` hashes every choice on
        # each call, a third of a millisecond that a 40,000-row import's audit paid per row.
        kind = EquipmentKind(self.kind).label if self.kind in _KIND_VALUES else self.kind
        return f"{self.tag} ({kind})"

    def get_absolute_url(self) -> str:
        return reverse("equipment-detail", args=[self.pk])

    @property
    def owner_business_id(self) -> int:
        return self.premises.business_id

    def attribute_values(self) -> list[tuple[str, object]]:
        """Return (label, display value) of the attributes this kind uses."""
        required, optional = KIND_FIELDS.get(self.kind, ((), ()))
        values = []
        for name in (*required, *optional):
            field = self._meta.get_field(name)
            value = getattr(self, name)
            if value in (None, ""):
                continue
            display = getattr(self, f"get_{name}_display", None)
            if isinstance(value, bool):
                value = yesno(value)
            values.append((field.verbose_name, display() if display else value))
        return values

    def clean(self) -> None:
        """Require the attributes of the kind, refuse the others, check plausibility."""
        if self.kind not in KIND_FIELDS:
            return
        required, optional = KIND_FIELDS[self.kind]
        errors: dict[str, list] = {}
        kind_label = EquipmentKind(self.kind).label
        for name in required:
            if getattr(self, name) in (None, ""):
                errors.setdefault(name, []).append(
                    ValidationError(
                        _("Required for %(kind)s."), code="required", params={"kind": kind_label}
                    )
                )
        for name in ATTRIBUTE_FIELDS:
            if name in required or name in optional:
                continue
            if getattr(self, name) not in (None, ""):
                errors.setdefault(name, []).append(
                    ValidationError(
                        _("Not used for %(kind)s; leave it empty."),
                        code="not_applicable",
                        params={"kind": kind_label},
                    )
                )
        if self.kind == EquipmentKind.BOILER and (
            self.steam_evaporation_tph is None and self.heat_input_kcal_h is None
        ):
            errors.setdefault("steam_evaporation_tph", []).append(
                ValidationError(
                    _("Give the steam evaporation, the heat input, or both."), code="required"
                )
            )
        if self.installed_on is not None and _after_today(self.installed_on):
            # A future date would move the item out of the rules in force today.
            errors.setdefault("installed_on", []).append(
                ValidationError(
                    _("The install date %(day)s is in the future: give the day it was installed."),
                    code="future",
                    params={"day": self.installed_on.isoformat()},
                )
            )
        if self.efficiency_metric and self.efficiency_value is not None:
            low, high = EFFICIENCY_RANGE[self.efficiency_metric]
            if not (low <= self.efficiency_value <= high):
                errors.setdefault("efficiency_value", []).append(
                    ValidationError(
                        _(
                            "A %(metric)s of %(value)s is not plausible: it lies between "
                            "%(low)s and %(high)s."
                        ),
                        code="implausible",
                        params={
                            "metric": EfficiencyMetric(self.efficiency_metric).label,
                            "value": self.efficiency_value,
                            "low": low,
                            "high": high,
                        },
                    )
                )
        if errors:
            raise ValidationError(errors)
