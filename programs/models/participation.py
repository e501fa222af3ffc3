"""Cities in programmes: participations by programme year, and city-to-city collaborations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds
from programs.choices import ParticipationStatus
from programs.models.places import City, Country
from programs.models.programmes import Programme
from programs.models.records import ProgrammeRecord


class Participation(ProgrammeRecord):
    """A city in a programme year (asean_esc_model_cities.csv), with its case study if any.

    ``city`` is empty only where the source names no city (ESC year 2, Malaysia:
    "undecided"); ``country`` is always given. The case-study fields come from
    asean_esc_year1_case_studies.csv and keep their own source and note.
    """

    published_parents = ("programme", "city", "country")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("programme"),
    )
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("city"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("country"),
    )
    programme_year = models.PositiveSmallIntegerField(
        _("programme year"),
        null=True,
        blank=True,
        help_text=_("The cohort, e.g. 1 or 2."),
        validators=bounds.up_to(bounds.SMALLINT_MAX),
    )
    period_as_written = models.CharField(_("period as written"), max_length=100, blank=True)
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.SELECTED,
    )
    focus_areas = models.TextField(_("focus areas"), blank=True)
    problem_stated = models.TextField(_("problem stated"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    results = models.TextField(_("results"), blank=True)
    partners_named = models.TextField(_("partners named"), blank=True)
    case_study_source_doc = models.CharField(
        _("case study source document"), max_length=40, blank=True
    )
    case_study_note = models.TextField(_("case study note"), blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["programme", "programme_year", "country__name_en", "city__name_en", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "programme_year", "city"],
                name="programs_one_participation_per_city_and_year",
            ),
            models.UniqueConstraint(
                fields=["programme", "programme_year", "country"],
                condition=models.Q(city__isnull=True),
                name="programs_one_cityless_participation_per_country_and_year",
            ),
        ]

    def __str__(self) -> str:
        place = self.city.name_en if self.city_id else self.country.name_en
        year = f" {self.programme_year}" if self.programme_year else ""
        return f"{self.programme.code}{year}: {place}"

    def uncertainty_notes(self) -> tuple[str, ...]:
        return (self.note, self.case_study_note)

    def clean(self) -> None:
        super().clean()
        if self.city_id and self.country_id and self.city.country_id != self.country_id:
            raise ValidationError({"city": _("The city is not in the participation's country.")})


class CityCollaboration(ProgrammeRecord):
    """A Japanese city's support of a partner city (japan_city_to_city_collaborations.csv).

    ``related_project`` links the feasibility study the source associates with it, when
    it does (some links are the digest's inference: see the note).
    """

    published_parents = ("programme", "partner_city")

    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collaborations",
        verbose_name=_("programme"),
    )
    japan_partner_original = models.CharField(_("Japanese partner (as written)"), max_length=200)
    japan_partner_en = models.CharField(_("Japanese partner in English"), max_length=200)
    partner_city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="collaborations",
        verbose_name=_("partner city"),
    )
    partner_city_name_en = models.CharField(
        _("partner city as named in the source"), max_length=200, blank=True
    )
    cooperation_original = models.TextField(_("cooperation (as written)"), blank=True)
    cooperation_en = models.TextField(_("cooperation in English"), blank=True)
    related_project = models.ForeignKey(
        "programs.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collaborations",
        verbose_name=_("related project"),
    )

    class Meta:
        verbose_name = _("city-to-city collaboration")
        verbose_name_plural = _("city-to-city collaborations")
        ordering = ["japan_partner_en", "partner_city__name_en", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["japan_partner_en", "partner_city"],
                name="programs_one_collaboration_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.japan_partner_en} – {self.partner_city_name_en or self.partner_city}"
