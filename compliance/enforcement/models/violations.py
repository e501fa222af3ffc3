"""Violations found at inspections, and every change of their state (Arts. 10-4, 15-19)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import SweepStatus, ViolationArticle, ViolationStatus
from compliance.registry.querysets import RegistryQuerySet
from compliance.rules.lifecycle import ACTIVE_STATES
from compliance.rules.penalties import FINED_WITHOUT_RECTIFICATION
from compliance.rules.verification import RECORD_VERIFIABLE_ARTICLES
from portal import bounds

# The articles whose subject is a premises (every one but the supplier's Art. 12-2).
SUBJECT_PREMISES_ARTICLES = [value for value, _label in ViolationArticle.choices if value != "12"]


class ViolationQuerySet(RegistryQuerySet):
    business_path = "premises__business"
    supplier_path = "supplier"

    def active(self):
        """Violations whose deadline still runs (open or fined)."""
        return self.filter(status__in=list(ACTIVE_STATES))

    def overdue(self, today):
        """Active violations whose deadline passed before ``today`` (not fined yet)."""
        return self.active().filter(deadline__lt=today)

    def editable_by(self, user):
        """Only the City changes a violation's state."""
        if user is None or not user.is_authenticated or not user.is_administrator:
            return self.none()
        return self


class Violation(models.Model):
    """A non-compliant finding with a penalty article, ordered rectified by a deadline.

    Art. 10-4 orders rectification within the rule book's period; Arts. 15, 16 and 18
    fine a missed deadline; Art. 17 (refusing inspection, 10-1) is fined directly, so
    its ``deadline`` is empty. The finding, the rule-book version and a copy of the
    parameters it was made under are kept, so the act can be explained later.
    """

    # The subject: a premises (Arts. 5-10), or an energy supplier that did not provide
    # the Art. 12 data it was ordered to (Art. 18), never both.
    premises = models.ForeignKey(
        "compliance.Premises",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
        verbose_name=_("premises"),
    )
    supplier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supplier_violations",
        verbose_name=_("energy supplier"),
    )
    article = models.CharField(_("article"), max_length=8, choices=ViolationArticle.choices)
    penalty_article = models.CharField(_("penalty article"), max_length=4)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    message_key = models.CharField(_("finding"), max_length=100)
    finding = models.JSONField(_("finding as recorded"))
    rulebook_version = models.ForeignKey(
        "compliance.RuleBookVersion",
        on_delete=models.PROTECT,
        related_name="violations",
        verbose_name=_("rule book version"),
    )
    parameters = models.JSONField(_("parameters used"))
    found_on = models.DateField(_("found on"), validators=bounds.date_validators())
    deadline = models.DateField(
        _("rectification deadline"), null=True, blank=True, validators=bounds.date_validators()
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=ViolationStatus.choices,
        default=ViolationStatus.OPEN,
    )
    # How many fines were proposed (and not set aside) for missed deadlines: the next one
    # is step + 1. While the last one awaits its decision or service, ``deadline`` is empty.
    fines_issued = models.PositiveSmallIntegerField(
        _("fines issued"), default=0, validators=bounds.up_to(bounds.SMALLINT_MAX)
    )
    # Set when non-rectification of the current deadline is verified: the first day its
    # fine may be issued (after any period to state an opinion); cleared by the fine.
    fine_due_on = models.DateField(
        _("fine due from"), null=True, blank=True, validators=bounds.date_validators()
    )
    source_reference = models.CharField(
        _("found at"), max_length=100, help_text=_("e.g. the inspection visit that found it")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-found_on", "-id"]
        constraints = [
            # Completing the same visit again never opens a second violation.
            models.UniqueConstraint(
                fields=["source_reference", "article", "subject"],
                name="one_violation_per_finding",
            ),
            # A case whose fine is proposed or awaits service has no running deadline:
            # the new one is set when the decision is served (文到N日內).
            models.CheckConstraint(
                condition=models.Q(penalty_article="17")
                | models.Q(deadline__isnull=False)
                | models.Q(fines_issued__gte=1),
                name="deadline_unless_fined_directly",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        premises__isnull=False,
                        supplier__isnull=True,
                        article__in=SUBJECT_PREMISES_ARTICLES,
                    )
                    | models.Q(
                        premises__isnull=True,
                        supplier__isnull=False,
                        article=ViolationArticle.A12_2,
                    )
                ),
                name="violation_subject_premises_or_supplier",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            # The violations list pages on these (newest found first, keyset on the id),
            # unfiltered and by status (a rare status is not found by walking the first).
            models.Index(fields=["-found_on", "-id"], name="violation_found"),
            models.Index(fields=["status", "-found_on", "-id"], name="violation_status_found"),
            # What the deadline sweep claims: still running deadlines, by deadline.
            models.Index(
                fields=["deadline", "id"],
                condition=models.Q(status__in=["open", "fined"]),
                name="violation_running_deadline",
            ),
            # What the sweep fines: verified missed deadlines, by the day their fine is due.
            models.Index(
                fields=["fine_due_on", "id"],
                condition=models.Q(status__in=["open", "fined"], fine_due_on__isnull=False),
                name="violation_fine_due",
            ),
            # What the nightly records check looks for: running cases of the duties the
            # portal's records verify (the engine's list), deadline passed, not verified.
            # Near-empty, so every sweep's check is an index scan, not a table scan.
            models.Index(
                fields=["deadline", "id"],
                condition=models.Q(
                    status__in=["open", "fined"],
                    article__in=sorted(RECORD_VERIFIABLE_ARTICLES),
                    fine_due_on__isnull=True,
                ),
                name="violation_records_awaiting",
            ),
        ]

    def __str__(self) -> str:
        subject = f" {self.subject}" if self.subject else ""
        return f"{self.get_article_display()}{subject} @ {self.party}"

    @property
    def owner_business_id(self) -> int | None:
        return self.premises.business_id if self.premises_id else None

    @property
    def concerns_supplier(self) -> bool:
        """Art. 18: the case of an energy supplier that did not provide ordered data."""
        return self.supplier_id is not None

    @property
    def party_name(self) -> str:
        """The premises' name, or the supplier's as its account names it."""
        if self.supplier_id:
            return self.supplier.person_name or str(_("Energy supplier"))
        return self.premises.name

    @property
    def party_business_name(self) -> str:
        """The business's Chinese name, or the supplier's."""
        if self.supplier_id:
            return self.party_name
        return self.premises.business.name_zh

    @property
    def party(self):
        """Who the violation is against: the premises, or the energy supplier."""
        return self.supplier if self.supplier_id else self.premises

    @property
    def fined_directly(self) -> bool:
        """Art. 17: refusing inspection is fined at once, with nothing to rectify."""
        return self.penalty_article in FINED_WITHOUT_RECTIFICATION

    @property
    def is_active(self) -> bool:
        """Whether its deadline still runs (open or fined)."""
        return self.status in ACTIVE_STATES

    def is_overdue(self, today) -> bool:
        """Whether the deadline passed on ``today`` and the sweep has not fined it yet."""
        return self.is_active and self.deadline is not None and self.deadline < today

    def awaits_verification(self, today) -> bool:
        """Whether the deadline passed and nobody has yet established if it was met."""
        return self.is_overdue(today) and self.fine_due_on is None

    def days_left(self, today) -> int | None:
        """Days until the deadline (0: today is the last day), None without one."""
        if not self.is_active or self.deadline is None:
            return None
        return (self.deadline - today).days


class ViolationEvent(models.Model):
    """One change of a violation's state: who or which job made it, when, and why."""

    violation = models.ForeignKey(Violation, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=ViolationStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ViolationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("violation event")
        verbose_name_plural = _("violation events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.violation_id}: {self.from_status} → {self.to_status}"


class SweepRun(models.Model):
    """One run of the deadline sweep: which day it judged, who started it, what it did.

    The fines it issued point here, so each is attributable to the run (a scheduled job
    or an administrator) that made it.
    """

    day = models.DateField(_("day judged"), validators=bounds.date_validators())
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    actor_label = models.CharField(_("started by"), max_length=150)
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=SweepStatus.choices,
        default=SweepStatus.RUNNING,
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    fines_issued = models.PositiveIntegerField(
        _("fines issued"), default=0, validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    violations_closed = models.PositiveIntegerField(
        _("closed by an exemption"), default=0, validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    reminders_queued = models.PositiveIntegerField(
        _("reminders queued"), default=0, validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    error = models.TextField(_("why it failed"), blank=True)

    class Meta:
        verbose_name = _("deadline sweep run")
        verbose_name_plural = _("deadline sweep runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"sweep {self.pk} ({self.day})"
