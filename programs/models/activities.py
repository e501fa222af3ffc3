"""Dated things of the programmes: events and seminars, milestones, contributions, figures."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds
from programs.choices import DatePrecision, EventStatus, MilestoneKind
from programs.models.places import Country
from programs.models.programmes import Fund, Programme
from programs.models.projects import Project
from programs.models.records import ProgrammeRecord


class Event(ProgrammeRecord):
    """A meeting, seminar or workshop (events.csv, asean_esc_hls_editions.csv).

    Dates are kept as written (``2015 (autumn)``) beside the first day of the period they
    name (``start_date``, with its ``date_precision``). Attendance figures are numbers
    where the source gives a plain count; what it writes is kept in the ``*_as_written``
    fields (``70+``, ``8 delegations``).
    """

    published_parents = ("programme",)

    code = models.CharField(
        _("code"), max_length=60, unique=True, help_text=_("The source's id, e.g. ESC-HLS-3.")
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("programme"),
    )
    name_original = models.CharField(_("name in the original language"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300)
    series = models.CharField(_("series"), max_length=100, blank=True)
    edition = models.CharField(_("edition"), max_length=100, blank=True)
    edition_number = models.PositiveSmallIntegerField(
        _("edition number"), null=True, blank=True, validators=bounds.up_to(bounds.SMALLINT_MAX)
    )
    start_as_written = models.CharField(_("start (as written)"), max_length=40, blank=True)
    end_as_written = models.CharField(_("end (as written)"), max_length=40, blank=True)
    start_date = models.DateField(
        _("start"), null=True, blank=True, validators=bounds.date_validators()
    )
    end_date = models.DateField(
        _("end"), null=True, blank=True, validators=bounds.date_validators()
    )
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, blank=True
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"), max_length=8, choices=EventStatus.choices
    )
    status_as_written = models.CharField(_("status (as written)"), max_length=100, blank=True)
    venue_original = models.CharField(_("venue (as written)"), max_length=200, blank=True)
    venue_en = models.CharField(_("venue in English"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("country"),
    )
    country_as_written = models.CharField(_("country (as written)"), max_length=100, blank=True)
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(
        _("participants"), null=True, blank=True, validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    participants_as_written = models.CharField(
        _("participants (as written)"), max_length=200, blank=True
    )
    countries_count = models.PositiveIntegerField(
        _("countries"), null=True, blank=True, validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    countries_as_written = models.CharField(_("countries (as written)"), max_length=200, blank=True)
    local_governments_count = models.PositiveIntegerField(
        _("local governments"), null=True, blank=True, validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    local_governments_as_written = models.CharField(
        _("local governments (as written)"), max_length=200, blank=True
    )
    organisations_count = models.PositiveIntegerField(
        _("organisations"), null=True, blank=True, validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    organisations_as_written = models.CharField(
        _("organisations (as written)"), max_length=200, blank=True
    )
    outcomes_original = models.TextField(_("outcomes in the original language"), blank=True)
    outcomes_en = models.TextField(_("outcomes in English"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date", "code"]

    def __str__(self) -> str:
        return self.name_en


class Milestone(ProgrammeRecord):
    """A dated milestone of a programme or of one of its proposals (apec_lcmt_milestones.csv)."""

    published_parents = ("programme", "project")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="milestones",
        verbose_name=_("programme"),
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("project"),
    )
    date_as_written = models.CharField(_("date (as written)"), max_length=40)
    date = models.DateField(
        pgettext_lazy("calendar date", "date"), validators=bounds.date_validators()
    )
    end_date = models.DateField(
        _("end"), null=True, blank=True, validators=bounds.date_validators()
    )
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices
    )
    title_original = models.TextField(_("milestone in the original language"))
    title_en = models.TextField(_("milestone in English"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=MilestoneKind.choices, default=MilestoneKind.OTHER
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["programme", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date_as_written}: {self.title_en}"


class FundingContribution(ProgrammeRecord):
    """An economy's contribution to a fund in one year (apec_subfund_d_contributions.csv)."""

    published_parents = ("fund", "fund__programme", "economy")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("fund")
    )
    economy = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("economy")
    )
    economy_as_written = models.CharField(_("economy (as written)"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=bounds.up_to(bounds.SMALLINT_MAX))
    amount = models.DecimalField(
        _("amount"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(0), *bounds.up_to(bounds.decimal_max(18, 2))],
    )
    currency = models.CharField(_("currency"), max_length=3)
    total_contributed = models.DecimalField(
        _("total contributed"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), *bounds.up_to(bounds.decimal_max(18, 2))],
    )
    total_currency = models.CharField(_("currency of the total"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("funding contribution")
        verbose_name_plural = _("funding contributions")
        ordering = ["fund", "year", "economy__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "economy", "year"], name="programs_one_contribution_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="programs_contribution_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.economy} {self.year}: {self.amount} {self.currency}"


class KeyFigure(ProgrammeRecord):
    """A figure the documents state (key_figures.csv); ``value_number`` only when plain."""

    published_parents = ("programme",)

    code = models.CharField(_("code"), max_length=20, unique=True)
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_figures",
        verbose_name=_("programme"),
    )
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    metric = models.CharField(pgettext_lazy("programme figure", "metric"), max_length=200)
    value = models.CharField(_("value"), max_length=100, blank=True)
    value_number = models.DecimalField(
        _("value as a number"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.decimal_max(20, 4)),
    )
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    value_as_written = models.TextField(_("value as written"), blank=True)
    period_or_date = models.CharField(_("period or date"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.subject}: {self.metric} = {self.value} {self.unit}"
