"""The site visit: identification, presence, checklist by article, measurements, photos.

A visit is sent from a tablet that may lose its connection: ``client_key`` is the
idempotency key the device generates, so re-sending creates no second visit.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import Article, SpaceType
from inspections.choices import CheckResult
from inspections.querysets import VisitPartQuerySet, VisitQuerySet
from portal import bounds

# How far ahead of the server's clock a tablet's clock may run.
CLOCK_SKEW = datetime.timedelta(minutes=10)


def _range(low: str, high: str):
    return [
        MinValueValidator(Decimal(low), _("%(limit_value)s is the smallest plausible value.")),
        MaxValueValidator(Decimal(high), _("%(limit_value)s is the largest plausible value.")),
    ]


class Visit(models.Model):
    """What happened at the premises (Arts. 10-1, 10-3): one visit per inspection."""

    inspection = models.OneToOneField(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        related_name="visit",
        verbose_name=_("inspection"),
    )
    client_key = models.UUIDField(_("device key"), unique=True, default=uuid.uuid4, editable=False)
    # Art. 10-3: identification shown, and who was there.
    identification_shown = models.BooleanField(_("identification shown"), default=False)
    badge_numbers = models.CharField(_("badge numbers"), max_length=200, blank=True)
    present_persons = models.TextField(
        _("present for the business"), blank=True, help_text=_("Names and positions.")
    )
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    departed_at = models.DateTimeField(_("departed"), null=True, blank=True)
    # Art. 10-1: refusal, evasion or obstruction.
    refused = models.BooleanField(_("inspection refused, evaded or obstructed"), default=False)
    refusal_circumstances = models.TextField(_("circumstances of the refusal"), blank=True)
    # Arts. 5-2 and 9: what the inspector observed (None: not checked).
    obstruction_found = models.BooleanField(
        _("cooling towers or AC inlets/outlets blocked"), null=True, blank=True
    )
    after_hours_equipment_on = models.BooleanField(
        _("non-essential equipment left on after hours"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("completed by"),
    )
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.inspection}"

    def get_absolute_url(self) -> str:
        return reverse("visit-detail", args=[self.pk])

    @property
    def owner_business_id(self) -> int:
        return self.inspection.premises.business_id

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def clean(self) -> None:
        errors = self._time_errors()
        if self.arrived_at and self.departed_at and self.departed_at < self.arrived_at:
            errors.setdefault("departed_at", _("The departure cannot come before the arrival."))
        if self.refused and not self.refusal_circumstances.strip():
            errors["refusal_circumstances"] = _("Describe how the inspection was refused.")
        if errors:
            raise ValidationError(errors)

    def _time_errors(self) -> dict:
        """Arrival and departure lie between the inspection's creation and now, near its day.

        A back-dated arrival would back-date an Art. 17 fine or shorten a rectification
        period counted from the visit; a future one would date a fine in the future. The
        tolerance around the planned day is the City's setting. Devices' clocks may run a
        few minutes ahead of the server's.
        """
        from portal.models import CitySettings

        if self.inspection_id is None:
            return {}
        now = timezone.now()
        created = (
            timezone.localdate(self.inspection.created_at) if self.inspection.created_at else None
        )
        planned = self.inspection.scheduled_for
        tolerance = None
        errors = {}
        for name in ("arrived_at", "departed_at"):
            value = getattr(self, name)
            if value is None:
                continue
            day = timezone.localdate(value)
            if value > now + CLOCK_SKEW:
                errors[name] = _("This time is in the future.")
            elif created is not None and day < created:
                errors[name] = _("This is before the inspection was planned (on %(day)s).") % {
                    "day": created.isoformat()
                }
            elif planned is not None:
                if tolerance is None:
                    tolerance = CitySettings.current().visit_tolerance_days
                if abs((day - planned).days) > tolerance:
                    errors[name] = _(
                        "This is more than %(days)s days from the planned day %(day)s; "
                        "reschedule the inspection first."
                    ) % {"days": tolerance, "day": planned.isoformat()}
        return errors


class VisitPart(models.Model):
    """A row recorded during a visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+")
    point = models.CharField(_("measuring point"), max_length=100)

    objects = VisitPartQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.point


class TemperatureReading(VisitPart):
    """Art. 5-5: indoor temperature with the air conditioning on, at one point."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="temperatures")
    temperature_c = models.DecimalField(
        _("temperature (°C)"), max_digits=4, decimal_places=1, validators=_range("5", "45")
    )

    class Meta(VisitPart.Meta):
        verbose_name = _("temperature reading")
        verbose_name_plural = _("temperature readings")


class ArcadeReading(VisitPart):
    """Art. 6-1: arcade illuminance 18 cm above the floor, daylight and lit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="arcade_readings")
    lights_on = models.BooleanField(_("arcade lights on"))
    daylight_lux = models.DecimalField(
        _("daylight illuminance (lx)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range("0", "150000"),
    )
    lit_lux = models.DecimalField(
        _("illuminance with lights on (lx)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_range("0", "150000"),
    )

    class Meta(VisitPart.Meta):
        verbose_name = _("arcade reading")
        verbose_name_plural = _("arcade readings")


class IlluminanceReading(VisitPart):
    """Art. 6-2: indoor illuminance of one space type (CNS 12112)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="illuminance_readings")
    space_type = models.CharField(_("space type"), max_length=32, choices=SpaceType.choices)
    illuminance_lux = models.DecimalField(
        _("illuminance (lx)"), max_digits=7, decimal_places=1, validators=_range("0", "150000")
    )

    class Meta(VisitPart.Meta):
        verbose_name = _("illuminance reading")
        verbose_name_plural = _("illuminance readings")


class EquipmentCheck(VisitPart):
    """A checklist item: a declared item seen at the visit, for one article.

    ``result`` says whether the item is as declared; when it differs, the inspector
    corrects the declaration through the registry (audited) before completing.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="equipment_checks")
    equipment = models.ForeignKey(
        "compliance.Equipment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("equipment"),
    )
    article = models.CharField(_("article"), max_length=8, choices=Article.choices)
    result = models.CharField(_("result"), max_length=16, choices=CheckResult.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta(VisitPart.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")


class Photo(VisitPart):
    """A photo taken as evidence: checked as an image, stripped of metadata, stored
    under a random name outside the web root and served only through a permission check."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="inspections/photos/%Y/%m/")
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField(validators=bounds.up_to(bounds.INTEGER_MAX))
    height = models.PositiveIntegerField(validators=bounds.up_to(bounds.INTEGER_MAX))
    size_bytes = models.PositiveIntegerField(validators=bounds.up_to(bounds.INTEGER_MAX))
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    article = models.CharField(_("article"), max_length=8, choices=Article.choices, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta(VisitPart.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.UniqueConstraint(fields=["visit", "sha256"], name="one_copy_of_a_photo")
        ]
