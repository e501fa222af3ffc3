"""Programmes, the organisations behind them and their funds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.languages import Named, in_language
from programs.choices import ProgrammeKind
from programs.models.records import ProgrammeRecord


class Organisation(ProgrammeRecord):
    """An organisation named in the sources (organisations.csv): body, company, network."""

    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("The source's id, e.g. ORG001.")
    )
    name_original = models.CharField(_("name in the original language"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    org_type = models.CharField(
        pgettext_lazy("kind of a thing", "type"), max_length=100, blank=True
    )
    country_or_scope = models.CharField(_("country or scope"), max_length=100, blank=True)
    role_in_sources = models.TextField(_("role in the sources"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.acronym})" if self.acronym else self.name_en


class Programme(ProgrammeRecord):
    """An international low-carbon programme: APEC LCMT, ASEAN ESC model cities, JCM, ..."""

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Short stable name, e.g. asean-esc.")
    )
    name_en = models.CharField(_("name in English"), max_length=200)
    name_zh_hant = models.CharField(
        _("name in Traditional Chinese"),
        max_length=200,
        blank=True,
        help_text=_("As the Chinese pages show it; empty: the English name is shown."),
    )
    name_ja = models.CharField(_("name in Japanese"), max_length=200, blank=True)
    name_original = models.CharField(_("name in the original language"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    description = models.TextField(_("description"), blank=True)
    organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="programmes", verbose_name=_("organisers")
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> Named:
        """The name in the reader's language, else the English one (marked with its ``lang``).

        The names in Japanese and as the sources write them are quotations, never shown in
        its place."""
        return in_language(self.name_zh_hant, self.name_en)


class Fund(ProgrammeRecord):
    """A fund or funding scheme (funding_schemes.csv): APEC sub-fund D, JAIF, the JCM's three.

    Amounts, caps and periods are kept as written: the sources state them in words.
    """

    published_parents = ("programme",)

    code = models.CharField(
        _("code"), max_length=40, unique=True, help_text=_("The source's id, e.g. JCM-EQUIP.")
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
        verbose_name=_("programme"),
    )
    name_original = models.CharField(_("name in the original language"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300)
    administering_body = models.CharField(_("administering body"), max_length=300, blank=True)
    funding_source = models.TextField(_("funding source"), blank=True)
    eligible_recipients = models.TextField(_("eligible recipients"), blank=True)
    support_rate_cap = models.CharField(_("support rate cap"), max_length=200, blank=True)
    max_per_project = models.CharField(_("maximum per project"), max_length=200, blank=True)
    annual_budget = models.CharField(_("annual budget"), max_length=200, blank=True)
    period_as_written = models.CharField(_("period as written"), max_length=100, blank=True)
    period = models.CharField(pgettext_lazy("span of time", "period"), max_length=100, blank=True)
    supported_activities = models.TextField(_("supported activities"), blank=True)
    recipient_obligations = models.TextField(_("recipient obligations"), blank=True)
    selection_or_review = models.TextField(_("selection or review"), blank=True)
    results_reported = models.TextField(_("results reported"), blank=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_en
