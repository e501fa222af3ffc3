"""Art. 12: energy suppliers' customer accounts and their monthly use, the register's input.

Energy suppliers (Art. 11) report each customer account's monthly use of one energy type.
An account is matched to a premises (by the supplier's upload or by an administrator);
the use of matched accounts decides which premises enter the energy-use register
(``compliance/energy/services/register.py``).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.registry.querysets import READ_ALL_ROLES
from compliance.rules.vocabulary import EnergyType
from portal import bounds
from portal.choices import Role


class EnergyTypeChoice(models.TextChoices):
    """Art. 4: the energy types of the register (the rule book's ``EnergyType``)."""

    ELECTRICITY = EnergyType.ELECTRICITY.value, _("Electricity")
    NATURAL_GAS = EnergyType.NATURAL_GAS.value, _("Natural gas")
    LPG = EnergyType.LPG.value, _("Liquefied petroleum gas")
    FUEL_OIL = EnergyType.FUEL_OIL.value, _("Fuel oil")


class EnergyUnit(models.TextChoices):
    """The units of the rule book's thresholds."""

    KWH = "kwh", _("kWh")
    M3 = "m3", _("m³")
    KG = "kg", _("kg")
    L = "l", _("litres")


# The unit a supplier reports each energy type in (the one its threshold is published in).
UNIT_OF = {
    EnergyTypeChoice.ELECTRICITY: EnergyUnit.KWH,
    EnergyTypeChoice.NATURAL_GAS: EnergyUnit.M3,
    EnergyTypeChoice.LPG: EnergyUnit.KG,
    EnergyTypeChoice.FUEL_OIL: EnergyUnit.L,
}

# How long an uploaded file waits for its confirmation.
ENERGY_USE_BATCH_TTL = timedelta(hours=2)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class SupplierAccountQuerySet(models.QuerySet):
    """Suppliers see their own accounts, businesses their premises', city staff all."""

    def visible_to(self, user):
        """Return the accounts ``user`` may see."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role in READ_ALL_ROLES:
            return self
        if user.role == Role.ENERGY_SUPPLIER:
            return self.filter(supplier=user)
        if user.role == Role.BUSINESS:
            return self.filter(premises__business__memberships__user=user)
        return self.none()

    def editable_by(self, user):
        """Return the accounts whose premises ``user`` may set (administrators only)."""
        if not _signed_in(user) or not user.is_administrator:
            return self.none()
        return self

    def unmatched(self):
        """Return the accounts not yet matched to a premises."""
        return self.filter(premises__isnull=True)


class SupplierAccount(models.Model):
    """One customer account of an energy supplier for one energy type."""

    supplier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supplier_accounts",
        limit_choices_to={"role": Role.ENERGY_SUPPLIER},
        verbose_name=_("energy supplier"),
    )
    account_number = models.CharField(_("account number"), max_length=40)
    energy_type = models.CharField(
        _("energy type"), max_length=16, choices=EnergyTypeChoice.choices
    )
    premises = models.ForeignKey(
        "compliance.Premises",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supplier_accounts",
        verbose_name=_("premises"),
    )
    matched_at = models.DateTimeField(_("matched"), null=True, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)

    objects = SupplierAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier account")
        verbose_name_plural = _("supplier accounts")
        ordering = ["supplier_id", "account_number", "energy_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "account_number", "energy_type"],
                name="supplier_account_unique",
                violation_error_message=_("This supplier already has this account."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_number} ({self.get_energy_type_display()})"


class EnergyUseBatchQuerySet(models.QuerySet):
    """A batch belongs to the supplier who uploaded it; nobody else reaches it."""

    def pending_for(self, user):
        """Return ``user``'s uploads that still wait for confirmation and have not expired."""
        if not _signed_in(user):
            return self.none()
        return self.filter(
            supplier=user,
            committed_at__isnull=True,
            created_at__gte=timezone.now() - ENERGY_USE_BATCH_TTL,
        )


class EnergyUseBatch(models.Model):
    """A supplier's CSV file of monthly use, from its dry run to its confirmed import."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    supplier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.TextField(_("content"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    committed_at = models.DateTimeField(pgettext_lazy("when", "imported"), null=True, blank=True)
    row_count = models.PositiveIntegerField(
        _("rows"), default=0, validators=bounds.up_to(bounds.INTEGER_MAX)
    )

    objects = EnergyUseBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("energy-use upload")
        verbose_name_plural = _("energy-use uploads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename or self.pk} ({self.created_at:%Y-%m-%d %H:%M})"


class MonthlyEnergyUseQuerySet(models.QuerySet):
    """The same visibility as the accounts the rows belong to."""

    def visible_to(self, user):
        """Return the monthly figures ``user`` may see."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role in READ_ALL_ROLES:
            return self
        if user.role == Role.ENERGY_SUPPLIER:
            return self.filter(account__supplier=user)
        if user.role == Role.BUSINESS:
            return self.filter(account__premises__business__memberships__user=user)
        return self.none()


class MonthlyEnergyUse(models.Model):
    """One account's use of its energy type in one calendar month (Art. 12)."""

    account = models.ForeignKey(
        SupplierAccount,
        on_delete=models.CASCADE,
        related_name="monthly_use",
        verbose_name=_("account"),
    )
    month = models.DateField(
        _("month"), help_text=_("The first day of the month."), validators=bounds.date_validators()
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=2,
        validators=bounds.up_to(bounds.decimal_max(14, 2)),
    )
    unit = models.CharField(_("unit"), max_length=8, choices=EnergyUnit.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    batch = models.ForeignKey(
        EnergyUseBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rows",
        verbose_name=_("upload"),
    )
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)

    objects = MonthlyEnergyUseQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly energy use")
        verbose_name_plural = _("monthly energy use")
        ordering = ["account_id", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month"],
                name="monthly_energy_use_unique",
                violation_error_message=_("This account already has a figure for this month."),
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0),
                name="monthly_energy_use_not_negative",
                violation_error_message=_("Use cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="monthly_energy_use_first_day",
                violation_error_message=_("A month is stored as its first day."),
            ),
        ]
        indexes = [models.Index(fields=["month", "account"])]

    def __str__(self) -> str:
        return f"{self.account} {self.month:%Y-%m}: {self.quantity} {self.unit}"
