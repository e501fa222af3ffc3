"""Fines for missed deadlines, their payments and appeals (Arts. 15-18).

A fine is a legal act (an administrative disposition): the nightly sweep *proposes* it,
one row per violation and step (the nth missed deadline), made unique by the database,
so however many sweeps run, each missed deadline is proposed once. It keeps the
rule-book version and the schedule it was priced with. An official decides it
(:class:`portal.models.decisions.Decision`: who, when, and why when returned): approved,
it is issued with its decision number; it counts from the day it is served (送達), when
the appeal period (AAA Art. 14) and the new rectification deadline (文到N日內) start.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import (
    SET_ASIDE_FINE_STATES,
    AppealStatus,
    FineStatus,
    PaymentStatus,
    ServiceMethod,
)
from compliance.registry.querysets import RegistryQuerySet
from portal import bounds
from portal.models.decisions import Decision

# Fines that are not (yet, or any more) a decision: the City's internal steps.
INTERNAL_FINE_STATES = ("proposed", "returned", "cancelled")


class FineQuerySet(RegistryQuerySet):
    business_path = "violation__premises__business"
    supplier_path = "violation__supplier"

    def visible_to(self, user):
        """Decisions to those who see their case; proposals only to the City's staff."""
        rows = super().visible_to(user)
        return rows if is_city_staff(user) else rows.exclude(status__in=INTERNAL_FINE_STATES)

    def editable_by(self, user):
        if user is None or not user.is_authenticated or not user.is_administrator:
            return self.none()
        return self

    def outstanding(self):
        """Fines still to be paid: issued, neither paid nor revoked."""
        return self.filter(status=FineStatus.ISSUED)

    def proposed(self):
        """Proposals awaiting an official's decision."""
        return self.filter(status=FineStatus.PROPOSED)

    def awaiting_service(self):
        """Decisions issued but not yet served: no period runs."""
        return self.filter(status=FineStatus.ISSUED, served_on__isnull=True)


class Fine(Decision):
    """The nth fine of a violation: amount, the deadline it punishes and the next one.

    ``decided_by``/``decided_at`` are the official who approved, returned or cancelled
    the proposal; ``decision_reason`` why a proposal was returned or cancelled.
    """

    violation = models.ForeignKey(
        "compliance.Violation",
        on_delete=models.PROTECT,
        related_name="fines",
        verbose_name=_("violation"),
    )
    step = models.PositiveSmallIntegerField(
        _("nth fine"), validators=bounds.up_to(bounds.SMALLINT_MAX)
    )
    penalty_article = models.CharField(_("penalty article"), max_length=4)
    amount_ntd = models.PositiveIntegerField(
        _("amount decided (NT$)"), validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    amount_due_ntd = models.PositiveIntegerField(
        _("amount due (NT$)"), validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    missed_deadline = models.DateField(
        _("missed deadline"),
        null=True,
        blank=True,
        help_text=_("Empty for Art. 17."),
        validators=bounds.date_validators(),
    )
    offence_on = models.DateField(
        _("offence on"),
        help_text=_("The day the deadline was missed (or entry refused)."),
        validators=bounds.date_validators(),
    )
    proposed_on = models.DateField(_("proposed on"), validators=bounds.date_validators())
    # The day the official approved it: the date of the decision. Empty while proposed.
    issued_on = models.DateField(
        _("decided on"), null=True, blank=True, validators=bounds.date_validators()
    )
    # 文到N日內: the new deadline is this many days after service (None for Art. 17).
    rectify_within_days = models.PositiveSmallIntegerField(
        _("new period to rectify (days from service)"),
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.SMALLINT_MAX),
    )
    # Both set on service, counted from the day after it (APA Art. 48); empty until then.
    new_deadline = models.DateField(
        _("new deadline"), null=True, blank=True, validators=bounds.date_validators()
    )
    appeal_until = models.DateField(
        _("appeal until"), null=True, blank=True, validators=bounds.date_validators()
    )
    served_on = models.DateField(
        _("served on"), null=True, blank=True, validators=bounds.date_validators()
    )
    service_method = models.CharField(
        _("served by"), max_length=16, choices=ServiceMethod.choices, blank=True
    )
    service_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("service recorded by"),
    )
    service_recorded_at = models.DateTimeField(_("service recorded"), null=True, blank=True)
    rulebook_version = models.ForeignKey(
        "compliance.RuleBookVersion",
        on_delete=models.PROTECT,
        related_name="fines",
        verbose_name=_("rule book version"),
    )
    schedule = models.JSONField(_("penalty schedule applied (NT$)"))
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=FineStatus.choices,
        default=FineStatus.PROPOSED,
    )
    # Given when an official approves it (empty while proposed, returned or cancelled).
    document_number = models.CharField(
        _("decision number"), max_length=40, unique=True, null=True, blank=True
    )
    sweep = models.ForeignKey(
        "compliance.SweepRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fines",
        verbose_name=_("proposed by sweep run"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    actor_label = models.CharField(_("proposed by"), max_length=150)
    issued_at = models.DateTimeField(_("proposed at"), db_default=Now())

    objects = FineQuerySet.as_manager()

    class Meta:
        verbose_name = _("fine")
        verbose_name_plural = _("fines")
        ordering = ["-proposed_on", "-id"]
        permissions = [("decide_fine", _("Can decide proposed fines (approve, return, cancel)"))]
        constraints = [
            # The exactly-once key: one fine per violation and missed deadline; a proposal
            # returned for verification or cancelled gives its step back.
            models.UniqueConstraint(
                fields=["violation", "step"],
                condition=~models.Q(status__in=SET_ASIDE_FINE_STATES),
                name="one_fine_per_step",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["proposed", "returned", "cancelled"])
                | models.Q(document_number__isnull=False, issued_on__isnull=False),
                name="decided_fine_has_number",
            ),
            models.CheckConstraint(condition=models.Q(step__gte=1), name="fine_step_from_one"),
            models.CheckConstraint(
                condition=models.Q(amount_due_ntd__lte=models.F("amount_ntd")),
                name="fine_due_at_most_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["issued_on"]),
            models.Index(fields=["status"]),
            # The officials' queue: proposals by the day proposed.
            models.Index(
                fields=["proposed_on", "id"],
                condition=models.Q(status="proposed"),
                name="fine_proposed",
            ),
        ]

    def __str__(self) -> str:
        # A proposal has no number yet: the audit log names it by its row (staff only).
        return self.document_number or f"#{self.pk}"

    @property
    def owner_business_id(self) -> int:
        return self.violation.premises.business_id

    @property
    def is_outstanding(self) -> bool:
        return self.status == FineStatus.ISSUED

    @property
    def is_proposed(self) -> bool:
        return self.status == FineStatus.PROPOSED

    @property
    def is_decision(self) -> bool:
        """Whether an official approved it: a disposition with a number (issued, paid, revoked)."""
        return self.document_number is not None and self.issued_on is not None

    @property
    def awaits_service(self) -> bool:
        """Issued but not served: neither the appeal period nor the new deadline runs."""
        return self.is_decision and self.served_on is None


def is_city_staff(user) -> bool:
    """Administrators and inspectors: they see proposals (a business sees decisions)."""
    return bool(user.is_authenticated and (user.is_administrator or user.is_inspector))


class PaymentQuerySet(RegistryQuerySet):
    business_path = "fine__violation__premises__business"
    supplier_path = "fine__violation__supplier"


class FinePayment(Decision):
    """A payment of a fine reported by the business, confirmed by an administrator."""

    fine = models.ForeignKey(
        Fine, on_delete=models.PROTECT, related_name="payments", verbose_name=_("fine")
    )
    amount_ntd = models.PositiveIntegerField(
        _("amount paid (NT$)"), validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    paid_on = models.DateField(_("paid on"), validators=bounds.date_validators())
    reference = models.CharField(
        _("payment reference"), max_length=60, help_text=_("e.g. the receipt or transfer number")
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=PaymentStatus.choices,
        default=PaymentStatus.REPORTED,
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
    """An appeal (訴願) against a penalty decision, filed through the Department.

    Counted as filed on the day the Department received it (AAA Art. 14). The Department
    reviews it first (AAA Art. 58): it may revoke or amend its own decision (``decided_*``,
    ``decision_reason``: who, when, why), reported to the appeal body; otherwise it
    forwards the appeal with its reply (答辯書, copied to the appellant) and the case
    file by ``forward_by`` (a City setting). Staff then record the appeal body's decision
    with its document. An appeal does not stop payment being due (AAA Art. 93) unless a
    suspension is recorded.
    """

    fine = models.OneToOneField(
        Fine, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("fine")
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=AppealStatus.choices,
        default=AppealStatus.FILED,
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    received_on = models.DateField(_("received on"), validators=bounds.date_validators())
    forward_by = models.DateField(_("to be forwarded by"), validators=bounds.date_validators())
    # The Department's own review: a new amount (amended), or none (revoked, or nothing).
    amended_amount_ntd = models.PositiveIntegerField(
        _("amended amount (NT$)"),
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.INTEGER_MAX),
    )
    reported_to_body_on = models.DateField(
        _("reported to the appeal body on"),
        null=True,
        blank=True,
        validators=bounds.date_validators(),
    )
    # Forwarding to the City Government with the reply (答辯書).
    reply = models.TextField(_("the Department's reply (答辯書)"), blank=True)
    forwarded_on = models.DateField(
        _("forwarded on"), null=True, blank=True, validators=bounds.date_validators()
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("forwarded by"),
    )
    # The appeal body's decision as staff recorded it.
    body_decision_number = models.CharField(_("appeal decision number"), max_length=60, blank=True)
    body_decided_on = models.DateField(
        _("appeal decided on"), null=True, blank=True, validators=bounds.date_validators()
    )
    body_reason = models.TextField(_("the appeal body's reasons"), blank=True)
    body_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("appeal decision recorded by"),
    )
    body_recorded_at = models.DateTimeField(_("appeal decision recorded"), null=True, blank=True)
    # AAA Art. 93: payment stays due unless a suspension is recorded.
    payment_suspended_on = models.DateField(
        _("payment suspended on"), null=True, blank=True, validators=bounds.date_validators()
    )
    suspension_reason = models.TextField(_("why payment is suspended"), blank=True)

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

    @property
    def payment_suspended(self) -> bool:
        return self.payment_suspended_on is not None

    @property
    def under_review(self) -> bool:
        return self.status == AppealStatus.FILED

    @property
    def with_appeal_body(self) -> bool:
        return self.status == AppealStatus.FORWARDED


class AppealAttachmentKind(models.TextChoices):
    APPELLANT = "appellant", _("From the appellant")
    REPLY = "reply", _("The Department's reply")
    BODY_DECISION = "body_decision", _("The appeal body's decision")


class AppealAttachment(models.Model):
    """A file of an appeal: the appellant's, the reply's, or the appeal body's decision."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AppealAttachmentKind.choices)
    file = models.FileField(_("file"), upload_to="compliance/appeals/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(pgettext_lazy("kind of a thing", "type"), max_length=100)
    size = models.PositiveIntegerField(
        _("size (bytes)"), validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("appeal attachment")
        verbose_name_plural = _("appeal attachments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "kind", "sha256"], name="appeal_attachment_once"
            )
        ]

    def __str__(self) -> str:
        return self.original_name
