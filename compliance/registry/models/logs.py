"""Monthly records the ordinance requires businesses to keep (Arts. 5-3, 8-2)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.choices import EquipmentKind
from compliance.registry.querysets import EquipmentLogQuerySet
from portal import bounds


def _range(low: str, high: str):
    return [
        MinValueValidator(Decimal(low), _("%(limit_value)s is the smallest plausible value.")),
        MaxValueValidator(Decimal(high), _("%(limit_value)s is the largest plausible value.")),
    ]


def _temperature(label):
    return models.DecimalField(
        label, max_digits=5, decimal_places=1, null=True, blank=True, validators=_range("-20", "80")
    )


class MonthlyLog(models.Model):
    """Shared shape of a monthly log: one per equipment item per month, never two."""

    EQUIPMENT_KIND: str = ""

    equipment = models.ForeignKey(
        "compliance.Equipment", on_delete=models.CASCADE, verbose_name=_("equipment")
    )
    month = models.DateField(
        _("month"),
        help_text=_("The first day of the month logged."),
        validators=bounds.date_validators(),
    )
    recorded_by = models.CharField(_("recorded by"), max_length=100)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EquipmentLogQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-month", "equipment_id"]
        # The log lists page on this (newest month first, keyset on the id).
        indexes = [models.Index(fields=["-month", "-id"], name="%(class)s_month")]

    def __str__(self) -> str:
        return f"{self.equipment.tag} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("equipment-detail", args=[self.equipment_id])

    @property
    def owner_business_id(self) -> int:
        return self.equipment.premises.business_id

    def clean(self) -> None:
        errors = {}
        if self.month is not None:
            if self.month.day != 1:
                self.month = self.month.replace(day=1)
            if self.month > timezone.localdate().replace(day=1):
                errors["month"] = _("A log cannot be kept for a month that has not begun.")
        if self.equipment_id is not None and self.equipment.kind != self.EQUIPMENT_KIND:
            errors["equipment"] = _("This log is kept for %(kind)s only.") % {
                "kind": EquipmentKind(self.EQUIPMENT_KIND).label
            }
        if errors:
            raise ValidationError(errors)


class AcMonthlyLog(MonthlyLog):
    """Art. 5-3: the monthly record of central air conditioning above the threshold.

    AC electricity use, chiller and cooling-tower inlet/outlet temperatures and flow,
    and the monthly maintenance by the energy manager.
    """

    EQUIPMENT_KIND = EquipmentKind.CHILLER

    ac_electricity_kwh = models.DecimalField(
        _("AC electricity use (kWh)"),
        max_digits=12,
        decimal_places=1,
        validators=_range("0", "100000000"),
    )
    chiller_inlet_temp_c = _temperature(_("chilled water inlet temperature (°C)"))
    chiller_outlet_temp_c = _temperature(_("chilled water outlet temperature (°C)"))
    chiller_flow_m3h = models.DecimalField(
        _("chilled water flow (m³/h)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range("0", "100000"),
    )
    tower_inlet_temp_c = _temperature(_("cooling tower inlet temperature (°C)"))
    tower_outlet_temp_c = _temperature(_("cooling tower outlet temperature (°C)"))
    tower_flow_m3h = models.DecimalField(
        _("cooling water flow (m³/h)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range("0", "100000"),
    )
    maintenance_done = models.BooleanField(_("monthly maintenance done"), default=False)

    class Meta(MonthlyLog.Meta):
        verbose_name = _("air-conditioning monthly log")
        verbose_name_plural = _("air-conditioning monthly logs")
        constraints = [
            models.UniqueConstraint(fields=["equipment", "month"], name="unique_ac_log_month")
        ]


class BoilerMonthlyLog(MonthlyLog):
    """Art. 8-2: the energy manager's periodic check of a running boiler."""

    EQUIPMENT_KIND = EquipmentKind.BOILER

    air_volume_m3h = models.DecimalField(
        _("combustion air volume (m³/h)"),
        max_digits=10,
        decimal_places=1,
        validators=_range("0", "10000000"),
    )
    exhaust_temp_c = models.DecimalField(
        _("exhaust temperature (°C)"),
        max_digits=5,
        decimal_places=1,
        validators=_range("0", "1000"),
    )
    furnace_wall_temp_c = models.DecimalField(
        _("furnace wall temperature (°C)"),
        max_digits=5,
        decimal_places=1,
        validators=_range("0", "1000"),
    )
    exhaust_co2_pct = models.DecimalField(
        _("CO₂ in exhaust (%)"), max_digits=4, decimal_places=1, validators=_range("0", "25")
    )
    combustion_complete = models.BooleanField(_("combustion complete"), default=True)

    class Meta(MonthlyLog.Meta):
        verbose_name = _("boiler monthly log")
        verbose_name_plural = _("boiler monthly logs")
        constraints = [
            models.UniqueConstraint(fields=["equipment", "month"], name="unique_boiler_log_month")
        ]
