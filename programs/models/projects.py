"""Projects and proposals: LCMT model towns, JCM projects and studies, and their review.

A proposal moves through :mod:`programs.rules.review` (draft → under review → approved or
rejected; an approved JCM project may be registered); each step is a :class:`ReviewStep`
recording who took it, when and why. Imported projects arrive in the state the source
documents (e.g. FY2014 equipment subsidies as adopted: approved).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds
from programs.choices import ProjectKind, ProjectStatus
from programs.models.places import City, Country
from programs.models.programmes import Fund, Organisation, Programme
from programs.models.records import ProgrammeRecord


class Project(ProgrammeRecord):
    """A project, study or proposal of a programme, with its expected reductions.

    ``expected_tco2_per_year`` is empty when the source gives no yearly figure; what the
    source does write is kept in ``expected_reduction_as_written`` (never converted).
    """

    published_parents = ("programme",)

    reference = models.CharField(
        _("reference"),
        max_length=120,
        unique=True,
        help_text=_("A stable key, e.g. jcm-fs-fy2014-03."),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("programme")
    )
    fund = models.ForeignKey(
        Fund,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("fund"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ProjectKind.choices)
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.DRAFT,
    )
    fiscal_year = models.CharField(_("fiscal year"), max_length=40, blank=True)
    number = models.PositiveSmallIntegerField(
        _("number in the source"),
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.SMALLINT_MAX),
    )
    title_original = models.CharField(_("title in the original language"), max_length=500)
    title_en = models.CharField(_("title in English"), max_length=500)
    countries = models.ManyToManyField(
        Country, blank=True, related_name="projects", verbose_name=_("countries")
    )
    region_original = models.CharField(_("region (as written)"), max_length=300, blank=True)
    region_en = models.CharField(_("region in English"), max_length=300, blank=True)
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("city"),
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("lead organisation"),
    )
    lead_organisation_name_original = models.CharField(
        _("lead organisation (as written)"), max_length=300, blank=True
    )
    lead_organisation_name_en = models.CharField(
        _("lead organisation in English"), max_length=300, blank=True
    )
    participants_original = models.TextField(_("participants (as written)"), blank=True)
    participants_en = models.TextField(_("participants in English"), blank=True)
    technology = models.TextField(_("technology"), blank=True)
    expected_tco2_per_year = models.DecimalField(
        _("expected reduction (tCO2 per year)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), *bounds.up_to(bounds.decimal_max(14, 2))],
    )
    expected_reduction_as_written = models.CharField(
        _("expected reduction (as written)"), max_length=300, blank=True
    )
    reference_performance = models.TextField(_("reference performance"), blank=True)
    registration_date = models.DateField(
        _("registration date"), null=True, blank=True, validators=bounds.date_validators()
    )
    registering_body = models.CharField(_("registered by"), max_length=300, blank=True)
    area_as_written = models.CharField(_("area (as written)"), max_length=200, blank=True)
    dimensions = models.CharField(_("dimensions"), max_length=200, blank=True)
    key_facts = models.TextField(_("key facts"), blank=True)
    proponents = models.TextField(_("developers or proponents"), blank=True)
    dates_as_written = models.CharField(_("dates (as written)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["programme", "kind", "number", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_tco2_per_year__isnull=True)
                | models.Q(expected_tco2_per_year__gte=0),
                name="programs_expected_reduction_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en


class ReviewStep(models.Model):
    """One step of a proposal's review: from which state to which, by whom, when and why."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="review_steps", verbose_name=_("project")
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=16, choices=ProjectStatus.choices
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=16, choices=ProjectStatus.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("status change", "by"),
    )
    actor_label = models.CharField(_("by (name)"), max_length=150)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["project", "at", "id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_status} → {self.to_status}"
