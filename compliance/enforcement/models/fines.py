"""Fines for missed deadlines, their payments and appeals (Arts. 15-18).

A fine is a legal act: one row per violation and step (the nth missed deadline), made
unique by the database, so however many sweeps run, each missed deadline is fined once.
It keeps the rule-book version and the schedule it was priced with.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from compliance.choices import AppealStatus, FineStatus, PaymentStatus
from compliance.registry.querysets import RegistryQuerySet
from portal.models.decisions import Decision


class FineQuerySet(RegistryQuerySet):
    business_path = "violation__premises__business"
    supplier_path = "violation__supplier"

    def editable_by(self, user):
        if user is None or not user.is_authenticated or not user.is_administrator:
            return self.none()
        return self

    def outstanding(self):
        """Fines still to be paid: issued, neither paid nor revoked."""
        return self.filter(status=FineStatus.ISSUED)


class Fine(models.Model):
    """The nth fine of a violation: amount, the deadline it punishes and the next one."""

    violation = models.ForeignKey(
        "compliance.Violation",
        on_delete=models.PROTECT,
        related_name="fines",
        verbose_name=_("violation"),
    )
    step = models.PositiveSmallIntegerField(_("nth fine"))
    penalty_article = models.CharField(_("penalty article"), max_length=4)
    amount_ntd = models.PositiveIntegerField(_("amount decided (NT$)"))
    amount_due_ntd = models.PositiveIntegerField(_("amount due (NT$)"))
    missed_deadline = models.DateField(
        _("missed deadline"), null=True, blank=True, help_text=_("Empty for Art. 17.")
    )
    offence_on = models.DateField(
        _("offence on"), help_text=_("The day the deadline was missed (or entry refused).")
    )
    issued_on = models.DateField(_("issued on"))
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    appeal_until = models.DateField(_("appeal until"))
    rulebook_version = models.ForeignKey(
        "compliance.RuleBookVersion",
        on_delete=models.PROTECT,
        related_name="fines",
        verbose_name=_("rule book version"),
    )
    schedule = models.JSONField(_("penalty schedule applied (NT$)"))
    status = models.CharField(
        _("status"), max_length=16, choices=FineStatus.choices, default=FineStatus.ISSUED
    )
    document_number = models.CharField(_("decision number"), max_length=40, unique=True)
    sweep = models.ForeignKey(
        "compliance.SweepRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fines",
        verbose_name=_("issued by sweep run"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    actor_label = models.CharField(_("issued by"), max_length=150)
    issued_at = models.DateTimeField(_("issued at"), db_default=Now())

    objects = FineQuerySet.as_manager()

    class Meta:
        verbose_name = _("fine")
        verbose_name_plural = _("fines")
        ordering = ["-issued_on", "-id"]
        constraints = [
            # The exactly-once key: one fine per violation and missed deadline.
            models.UniqueConstraint(fields=["violation", "step"], name="one_fine_per_step"),
            models.CheckConstraint(condition=models.Q(step__gte=1), name="fine_step_from_one"),
            models.CheckConstraint(
                condition=models.Q(amount_due_ntd__lte=models.F("amount_ntd")),
                name="fine_due_at_most_decided",
            ),
        ]
        indexes = [models.Index(fields=["issued_on"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.document_number

    @property
    def owner_business_id(self) -> int:
        return self.violation.premises.business_id

    @property
    def is_outstanding(self) -> bool:
        return self.status == FineStatus.ISSUED


class PaymentQuerySet(RegistryQuerySet):
    business_path = "fine__violation__premises__business"
    supplier_path = "fine__violation__supplier"


class FinePayment(Decision):
    """A payment of a fine reported by the business, confirmed by an administrator."""

    fine = models.ForeignKey(
        Fine, on_delete=models.PROTECT, related_name="payments", verbose_name=_("fine")
    )
    amount_ntd = models.PositiveIntegerField(_("amount paid (NT$)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(
        _("payment reference"), max_length=60, help_text=_("e.g. the receipt or transfer number")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.REPORTED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("fine payment")
        verbose_name_plural = _("fine payments")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["fine", "reference"], name="one_payment_per_reference"),
            models.CheckConstraint(
                condition=models.Q(amount_ntd__gte=1), name="payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fine} {self.reference}"

    @property
    def owner_business_id(self) -> int:
        return self.fine.violation.premises.business_id


class AppealQuerySet(RegistryQuerySet):
    business_path = "fine__violation__premises__business"
    supplier_path = "fine__violation__supplier"


class Appeal(Decision):
    """An appeal against a penalty decision, filed in time, decided by an administrator."""

    fine = models.OneToOneField(
        Fine, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("fine")
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.FILED
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    amended_amount_ntd = models.PositiveIntegerField(
        _("amended amount (NT$)"), null=True, blank=True
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.fine} ({self.get_status_display()})"

    @property
    def owner_business_id(self) -> int:
        return self.fine.violation.premises.business_id
