"""Enforcement figures of the dashboard, maintained as violations and fines change.

The dashboard showed aggregates over every violation and fine of the city (the top
offenders alone joined premises, violations and fines: 1.8 s at a million violations).
These rows are kept by PostgreSQL statement triggers with transition tables, in the
same transaction as the change and whatever path made it (services, the deadline
sweep's set-based SQL, admin, bulk loads): see
``compliance/migrations/0022_city_scale_figures.py``. Reading them costs a few rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import bounds


class ViolationFigure(models.Model):
    """How many violations are in a status (Arts. 10-4, 15-19)."""

    status = models.CharField(_("status"), max_length=16, unique=True)
    violations = models.BigIntegerField(
        _("violations"), default=0, validators=bounds.up_to(bounds.BIGINT_MAX)
    )

    class Meta:
        verbose_name = _("violation figure")
        verbose_name_plural = _("violation figures")

    def __str__(self) -> str:
        return f"{self.status}: {self.violations}"


class FineFigure(models.Model):
    """Fines (Arts. 15-18) of one district, penalty article, month of issue and status.

    ``district`` is empty for an energy supplier's Art. 18 case (no premises); ``month``
    is empty for a fine not decided yet.
    """

    district = models.CharField(_("district"), max_length=16, blank=True)
    penalty_article = models.CharField(_("penalty article"), max_length=4)
    month = models.DateField(
        _("month of issue"), null=True, blank=True, validators=bounds.date_validators()
    )
    status = models.CharField(_("status"), max_length=16)
    fines = models.BigIntegerField(
        _("fines"), default=0, validators=bounds.up_to(bounds.BIGINT_MAX)
    )
    amount_ntd = models.BigIntegerField(
        _("amount decided (NT$)"), default=0, validators=bounds.up_to(bounds.BIGINT_MAX)
    )
    amount_due_ntd = models.BigIntegerField(
        _("amount due (NT$)"), default=0, validators=bounds.up_to(bounds.BIGINT_MAX)
    )

    class Meta:
        verbose_name = _("fine figure")
        verbose_name_plural = _("fine figures")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "penalty_article", "month", "status"],
                name="one_fine_figure_per_group",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.penalty_article} {self.month} {self.status}: {self.fines}"


class OffenderFigure(models.Model):
    """The fines of one business's premises: the dashboard's repeat offenders (Arts. 15-18)."""

    business = models.OneToOneField(
        "compliance.Business",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="fine_figure",
        verbose_name=_("business"),
    )
    fines = models.BigIntegerField(
        _("fines"), default=0, validators=bounds.up_to(bounds.BIGINT_MAX)
    )
    fines_ntd = models.BigIntegerField(
        _("amount decided (NT$)"), default=0, validators=bounds.up_to(bounds.BIGINT_MAX)
    )
    outstanding_ntd = models.BigIntegerField(
        _("outstanding (NT$)"), default=0, validators=bounds.up_to(bounds.BIGINT_MAX)
    )

    class Meta:
        verbose_name = _("offender figure")
        verbose_name_plural = _("offender figures")
        indexes = [
            models.Index(
                fields=["-fines", "-fines_ntd"],
                condition=models.Q(fines__gt=0),
                name="offender_figure_rank",
            )
        ]

    def __str__(self) -> str:
        return f"{self.business_id}: {self.fines}"


class DeadlineFigure(models.Model):
    """Running violations (open or fined) by rectification deadline, verified or not.

    Overdue and awaiting verification depend on the day: summed over the deadlines before
    today (a row a day), instead of counting every running case (Arts. 10-4, 15-19).
    """

    deadline = models.DateField(_("rectification deadline"))
    unverified = models.BooleanField(_("not verified yet"))
    violations = models.BigIntegerField(_("violations"), default=0)

    class Meta:
        verbose_name = _("deadline figure")
        verbose_name_plural = _("deadline figures")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "unverified"], name="one_deadline_figure_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline} {self.unverified}: {self.violations}"
