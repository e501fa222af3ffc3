"""The energy suppliers' duties: data orders (Arts. 12-2, 18) and referrals (Art. 11).

A *data order* is the City ordering a supplier to provide its customers' monthly use of
one energy type for some months by a deadline. The supplier provides it by uploading
those months (CSV or API); a missed deadline becomes an Art. 18 case in the enforcement
lifecycle (``Violation`` with the supplier as subject), fined by the deadline sweep and
given a new deadline each time until the data arrives.

A *referral* is what Art. 11 asks of a supplier who sees non-compliant equipment at a
customer: urge the customer and record it. Administrators turn a referral into an
inspection target or close it with a reason.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import EquipmentKind
from compliance.energy.models.energy_use import EnergyTypeChoice
from compliance.registry.querysets import READ_ALL_ROLES
from portal import bounds
from portal.choices import Role
from portal.models.decisions import Decision


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class SupplierRowsQuerySet(models.QuerySet):
    """City staff see every supplier's rows; a supplier its own; nobody else any."""

    def visible_to(self, user):
        """Return the rows ``user`` may see."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role in READ_ALL_ROLES:
            return self
        if user.role == Role.ENERGY_SUPPLIER:
            return self.filter(supplier=user)
        return self.none()


class DataOrderStatus(models.TextChoices):
    """Where a data order stands."""

    OPEN = "open", _("Open: data due")
    FULFILLED = "fulfilled", _("Fulfilled")
    MISSED = "missed", _("Deadline missed: Art. 18 case opened")
    CANCELLED = "cancelled", _("Cancelled")


class DataOrder(models.Model):
    """Art. 12-2: the City orders a supplier to provide monthly use data by a deadline."""

    supplier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="data_orders",
        limit_choices_to={"role": Role.ENERGY_SUPPLIER},
        verbose_name=_("energy supplier"),
    )
    energy_type = models.CharField(
        _("energy type"), max_length=16, choices=EnergyTypeChoice.choices
    )
    period_from = models.DateField(
        _("from month"),
        help_text=_("The first day of the month."),
        validators=bounds.date_validators(),
    )
    period_to = models.DateField(
        _("to month"),
        help_text=_("The first day of the month."),
        validators=bounds.date_validators(),
    )
    deadline = models.DateField(_("deadline"), validators=bounds.date_validators())
    instructions = models.TextField(
        _("what is ordered"),
        blank=True,
        help_text=_("e.g. every customer account above the register threshold"),
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=DataOrderStatus.choices,
        default=DataOrderStatus.OPEN,
    )
    rulebook_version = models.ForeignKey(
        "compliance.RuleBookVersion",
        on_delete=models.PROTECT,
        related_name="data_orders",
        verbose_name=_("rule book version"),
    )
    violation = models.OneToOneField(
        "compliance.Violation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_order",
        verbose_name=_("Art. 18 case"),
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    ordered_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)

    objects = SupplierRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("data order")
        verbose_name_plural = _("data orders")
        ordering = ["-ordered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__lte=models.F("period_to")),
                name="data_order_period_ordered",
                violation_error_message=_("The first month comes after the last."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_from__day=1) & models.Q(period_to__day=1),
                name="data_order_months",
                violation_error_message=_("A month is stored as its first day."),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return _("Data order %(number)s") % {"number": self.number}

    @property
    def is_active(self) -> bool:
        """Whether the data is still due by the deadline (an open order)."""
        return self.status == DataOrderStatus.OPEN

    def days_left(self, today) -> int | None:
        """Days until the deadline (0: today is the last day), None unless open."""
        return (self.deadline - today).days if self.is_active else None

    @property
    def number(self) -> str:
        return f"DO-{self.ordered_at:%Y}-{self.pk:05d}" if self.pk and self.ordered_at else ""


class DataOrderEvent(models.Model):
    """One change of a data order's state: who or which job made it, when, and why."""

    order = models.ForeignKey(DataOrder, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=DataOrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=DataOrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("data order event")
        verbose_name_plural = _("data order events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class ReferralStatus(models.TextChoices):
    """Where an Art. 11 referral stands."""

    SUBMITTED = "submitted", pgettext_lazy("status", "Submitted")
    TARGETED = "targeted", _("Made an inspection target")
    CLOSED = "closed", pgettext_lazy("status", "Closed")


class SupplierReferral(Decision):
    """Art. 11: non-compliant equipment a supplier saw at a customer, and urged improved."""

    supplier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals",
        limit_choices_to={"role": Role.ENERGY_SUPPLIER},
        verbose_name=_("energy supplier"),
    )
    account = models.ForeignKey(
        "compliance.SupplierAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name=_("customer account"),
    )
    premises = models.ForeignKey(
        "compliance.Premises",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("premises"),
        help_text=_("Set from the account's premises, or by an administrator."),
    )
    customer_name = models.CharField(_("customer"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    equipment_kind = models.CharField(_("equipment"), max_length=32, choices=EquipmentKind.choices)
    description = models.TextField(_("what was seen"))
    seen_on = models.DateField(_("seen on"), validators=bounds.date_validators())
    urged_on = models.DateField(
        _("customer urged on"),
        help_text=_("Art. 11: the day the customer was urged to improve."),
        validators=bounds.date_validators(),
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(pgettext_lazy("when", "submitted"), auto_now_add=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    objects = SupplierRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier referral")
        verbose_name_plural = _("supplier referrals")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(urged_on__gte=models.F("seen_on")),
                name="referral_urged_after_seen",
                violation_error_message=_("The customer cannot be urged before the visit."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="targeted") | models.Q(premises__isnull=False),
                name="referral_target_has_premises",
                violation_error_message=_("An inspection target needs a premises."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(decision_reason=""),
                name="referral_closed_with_reason",
                violation_error_message=_("Say why the referral is closed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_name} ({self.get_equipment_kind_display()}, {self.seen_on})"
