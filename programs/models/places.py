"""Economies, countries and cities, named in their original language and in English."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import bounds
from programs.models.programmes import Programme
from programs.models.records import ProgrammeRecord


class Country(ProgrammeRecord):
    """A country or APEC member economy (APEC counts economies, e.g. Taiwan, not countries)."""

    name_en = models.CharField(_("name in English"), max_length=100, unique=True)
    name_ja = models.CharField(_("name in Japanese"), max_length=100, blank=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("country or economy")
        verbose_name_plural = _("countries and economies")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en


class City(ProgrammeRecord):
    """A city or other local government that takes part in programmes.

    ``name_original`` is the name as the source writes it (often Japanese katakana);
    the same city in several programmes is one row, so its page shows them all.
    """

    published_parents = ("country",)

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="cities", verbose_name=_("country")
    )
    name_original = models.CharField(_("name as written in the source"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["country__name_en", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name_original"], name="programs_one_city_per_name_and_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.country})" if self.country_id else self.name_en


class PartnerCountry(ProgrammeRecord):
    """A partner country of a programme, e.g. the JCM's (jcm_partner_countries.csv).

    ``joint_committee_listed`` is None when the source does not list the country among
    those that held a joint committee.
    """

    published_parents = ("programme", "country")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="partner_countries",
        verbose_name=_("programme"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("country")
    )
    list_order = models.PositiveSmallIntegerField(
        _("order in the source"),
        null=True,
        blank=True,
        validators=bounds.up_to(bounds.SMALLINT_MAX),
    )
    bilateral_document_signed = models.BooleanField(
        _("bilateral document signed"), null=True, blank=True
    )
    joint_committee_listed = models.BooleanField(
        _("joint committee held (listed)"), null=True, blank=True
    )
    as_of = models.CharField(_("as of"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("partner country")
        verbose_name_plural = _("partner countries")
        ordering = ["programme", "list_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "country"], name="programs_one_partnership_per_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.country}"
