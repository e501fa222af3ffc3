"""Premises where the ordinance's obligations apply (Arts. 5, 6, 9, 10)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import District, PremisesCategory, PremisesKind
from compliance.registry.querysets import PremisesQuerySet


class Premises(models.Model):
    """A factory, business premises or office of a business (Arts. 5, 6, 9, 10).

    ``category`` is what the rule book's Art. 5-5 exemptions refer to; ``has_arcade``
    brings in the Art. 6-1 arcade lighting rule.
    """

    business = models.ForeignKey(
        "compliance.Business",
        on_delete=models.PROTECT,
        related_name="premises",
        verbose_name=_("business"),
    )
    name = models.CharField(pgettext_lazy("name of a thing", "name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PremisesKind.choices)
    address = models.CharField(_("address"), max_length=255)
    district = models.CharField(_("district"), max_length=16, choices=District.choices)
    category = models.CharField(
        _("premises category"),
        max_length=32,
        choices=PremisesCategory.choices,
        default=PremisesCategory.GENERAL,
    )
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"),
        max_digits=10,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("1"), _("The floor area must be at least 1 m².")),
            MaxValueValidator(
                Decimal("2000000"), _("%(limit_value)s is the largest plausible value.")
            ),
        ],
    )
    has_arcade = models.BooleanField(_("has an arcade (騎樓)"), default=False)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    opening_days = models.CharField(
        _("opening days"), max_length=100, blank=True, help_text=_("e.g. Mon–Sat")
    )
    is_active = models.BooleanField(_("in operation"), default=True)
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)

    objects = PremisesQuerySet.as_manager()

    class Meta:
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        ordering = ["business_id", "name", "id"]
        indexes = [
            models.Index(fields=["district", "kind"]),
            models.Index(fields=["category"]),
            # The premises list: by business name, then name (a business's premises in
            # order under the business index of name_zh).
            models.Index(fields=["business", "name", "id"], name="premises_business_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(floor_area_m2__gt=0), name="premises_floor_area_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("premises-detail", args=[self.pk])

    @property
    def owner_business_id(self) -> int:
        return self.business_id

    def clean(self) -> None:
        if (self.opens_at is None) != (self.closes_at is None):
            raise ValidationError(
                {"closes_at": _("Give both the opening and the closing time, or neither.")}
            )
        if self.opens_at is not None and self.opens_at == self.closes_at:
            raise ValidationError(
                {"closes_at": _("The closing time must differ from the opening time.")}
            )
