"""Planning: batches of inspections of Art. 10-5 targets, and who is assigned (10-2)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspections.choices import AssignmentRole, InspectionPurpose, InspectionStatus
from inspections.querysets import InspectionQuerySet
from portal import bounds


class InspectionBatch(models.Model):
    """A set of inspections created together from the Art. 10-5 target criteria."""

    title = models.CharField(_("title"), max_length=200)
    criteria = models.JSONField(_("selection criteria"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection batch")
        verbose_name_plural = _("inspection batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Inspection(models.Model):
    """A planned inspection of one premises on a day (Art. 10-1).

    Experts and scholars who join (Art. 10-2) need no account: they are named here.
    ``violation_id`` links a re-inspection to the violation whose deadline it checks;
    ``referral_id`` a complaint inspection to the Art. 11 referral it follows up.
    """

    premises = models.ForeignKey(
        "compliance.Premises",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("premises"),
    )
    batch = models.ForeignKey(
        InspectionBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
        verbose_name=_("batch"),
    )
    purpose = models.CharField(
        pgettext_lazy("inspection", "purpose"),
        max_length=16,
        choices=InspectionPurpose.choices,
        default=InspectionPurpose.ROUTINE,
    )
    violation = models.ForeignKey(
        "compliance.Violation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinspections",
        verbose_name=_("violation re-inspected"),
    )
    referral = models.ForeignKey(
        "compliance.SupplierReferral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("Art. 11 referral"),
        help_text=_("The energy supplier's referral this inspection follows up."),
    )
    scheduled_for = models.DateField(
        _("scheduled for"), db_index=True, validators=bounds.date_validators()
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    experts = models.TextField(
        _("experts and scholars"),
        blank=True,
        help_text=_("Art. 10-2: names and affiliations, one per line."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(pgettext_lazy("when", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["scheduled_for", "id"]
        constraints = [
            # One re-inspection per violation and day, however often the sweep runs.
            models.UniqueConstraint(
                fields=["violation", "scheduled_for"],
                condition=models.Q(violation__isnull=False),
                name="one_reinspection_per_violation_and_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.premises} {self.scheduled_for:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("inspection-detail", args=[self.pk])

    @property
    def owner_business_id(self) -> int:
        return self.premises.business_id


class InspectionAssignment(models.Model):
    """An inspector assigned to an inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspection_assignments",
        verbose_name=_("inspector"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="one_assignment_per_user"),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=models.Q(role="lead"),
                name="one_lead_per_inspection",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
