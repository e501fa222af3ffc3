"""Individual exemptions: a premises or an item excused from one article for a period."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import Article, ExemptionReason, ExemptionStatus
from compliance.registry.querysets import RegistryQuerySet
from portal import bounds
from portal.models.decisions import Decision


class ExemptionQuerySet(RegistryQuerySet):
    business_path = "premises__business"

    def editable_by(self, user):
        """Only administrators decide or revoke; a business changes nothing once asked."""
        if user is None or not user.is_authenticated or not user.is_administrator:
            return self.none()
        return self

    def granted(self):
        """Return approved grants, revoked ones included: they applied until revoked."""
        return self.filter(status__in=[ExemptionStatus.APPROVED, ExemptionStatus.REVOKED])


class Exemption(Decision):
    """An individual exemption from one article (e.g. Art. 8-1 gas supply insufficient).

    A business asks for it, with a reason and evidence; an administrator approves or
    refuses it with a reason. It applies from ``valid_from`` through ``valid_until`` and
    stops the day it is revoked. Announced category exemptions (Art. 5-5) are in the
    rule book instead.
    """

    premises = models.ForeignKey(
        "compliance.Premises",
        on_delete=models.CASCADE,
        related_name="exemptions",
        verbose_name=_("premises"),
    )
    equipment = models.ForeignKey(
        "compliance.Equipment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exemptions",
        verbose_name=_("equipment"),
        help_text=_("Leave empty to exempt the whole premises."),
    )
    article = models.CharField(_("article"), max_length=8, choices=Article.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=ExemptionReason.choices)
    explanation = models.TextField(_("explanation"))
    evidence = models.TextField(
        _("evidence"),
        help_text=_("What supports the request, e.g. the gas company's letter and its date."),
    )
    valid_from = models.DateField(_("valid from"), validators=bounds.date_validators())
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no end date."),
        validators=bounds.date_validators(),
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=ExemptionStatus.choices,
        default=ExemptionStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(pgettext_lazy("when", "requested"), auto_now_add=True)
    revoked_on = models.DateField(
        _("revoked on"), null=True, blank=True, validators=bounds.date_validators()
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="exemption_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        subject = self.equipment.tag if self.equipment_id else self.premises.name
        return f"{self.get_article_display()} · {subject} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("exemption-detail", args=[self.pk])

    @property
    def owner_business_id(self) -> int:
        return self.premises.business_id

    def clean(self) -> None:
        errors = {}
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end date cannot come before the start date.")
        if (
            self.equipment_id
            and self.premises_id
            and self.equipment.premises_id != self.premises_id
        ):
            errors["equipment"] = _("This equipment belongs to another premises.")
        if errors:
            raise ValidationError(errors)
