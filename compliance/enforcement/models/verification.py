"""Verified non-rectification of a missed deadline, and the business's statement of opinion.

A missed deadline is fined only once the authority has established that the violation
persists (``compliance.rules.verification``): each verification is a row here, one per
violation and missed deadline, saying how (a re-inspection, the portal's records), what
it found, what it checked, who or which job established it, and, where the rule book
gives a period to state an opinion (APenA Art. 42), until when. The business's
statements are kept on the case beside it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import VerificationMethod, VerificationResult
from compliance.registry.querysets import RegistryQuerySet
from portal import bounds


class VerificationQuerySet(RegistryQuerySet):
    business_path = "violation__premises__business"
    supplier_path = "violation__supplier"


class Verification(models.Model):
    """Whether a violation persisted after a missed deadline, as established on a day."""

    violation = models.ForeignKey(
        "compliance.Violation",
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name=_("violation"),
    )
    missed_deadline = models.DateField(_("missed deadline"), validators=bounds.date_validators())
    method = models.CharField(
        _("established by"), max_length=16, choices=VerificationMethod.choices
    )
    result = models.CharField(_("result"), max_length=16, choices=VerificationResult.choices)
    verified_on = models.DateField(_("verified on"), validators=bounds.date_validators())
    # The visit (inspections) or check that established it, e.g. "visit:12" or "records".
    source_reference = models.CharField(_("established at"), max_length=100)
    # What was checked, in the City's language, as the case file shows it; the finding
    # (the engine's, as a dict) is shown in each reader's language.
    explanation = models.TextField(_("what was checked"))
    finding = models.JSONField(_("finding as recorded"), null=True, blank=True)
    statement_until = models.DateField(
        _("opinion may be stated until"), null=True, blank=True, validators=bounds.date_validators()
    )
    fine_due_on = models.DateField(
        _("fine due from"), null=True, blank=True, validators=bounds.date_validators()
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("deadline verification", "verified by"),
    )
    actor_label = models.CharField(
        pgettext_lazy("deadline verification", "verified by"), max_length=150
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # An official returned the fine proposed on it for a new verification: kept on the
    # case file, it no longer decides the deadline.
    returned_at = models.DateTimeField(_("returned for a new verification"), null=True, blank=True)

    objects = VerificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("verification of non-rectification")
        verbose_name_plural = _("verifications of non-rectification")
        ordering = ["-verified_on", "-id"]
        constraints = [
            # The first verification of a missed deadline decides it; a second visit or
            # check of the same deadline changes nothing.
            models.UniqueConstraint(
                fields=["violation", "missed_deadline"],
                condition=models.Q(returned_at__isnull=True),
                name="one_verification_per_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.violation_id} @ {self.missed_deadline}: {self.result}"

    @property
    def persisting(self) -> bool:
        return self.result == VerificationResult.PERSISTING


class StatementQuerySet(RegistryQuerySet):
    business_path = "violation__premises__business"
    supplier_path = "violation__supplier"


class Statement(models.Model):
    """A business's statement of opinion on a verified case before its fine (APenA Art. 42)."""

    violation = models.ForeignKey(
        "compliance.Violation",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("violation"),
    )
    verification = models.ForeignKey(
        Verification,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("verification"),
    )
    text = models.TextField(_("statement of opinion"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(pgettext_lazy("when", "submitted"), auto_now_add=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement of opinion")
        verbose_name_plural = _("statements of opinion")
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.violation_id}: {self.submitted_at:%Y-%m-%d}"
