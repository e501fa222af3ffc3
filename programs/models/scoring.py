"""Weighted scoring of competing proposals (the programmes themselves never had one).

A scoring scheme names weighted criteria (economic benefit, carbon benefit, ...);
reviewers score proposals 0-100 per criterion; :mod:`programs.rules.scoring` computes the
weighted totals and the ranking as a pure function.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds
from programs.models.programmes import Programme
from programs.models.projects import Project
from programs.models.records import ProgrammeRecord


class ScoringScheme(ProgrammeRecord):
    """A set of weighted criteria for comparing competing proposals of a programme."""

    published_parents = ("programme",)

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="scoring_schemes",
        verbose_name=_("programme"),
    )
    name = models.CharField(pgettext_lazy("name of a thing", "name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    proposals = models.ManyToManyField(
        Project, blank=True, related_name="scoring_schemes", verbose_name=_("proposals")
    )

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["programme", "name", "id"]

    def __str__(self) -> str:
        return self.name


class ScoringCriterion(models.Model):
    """A weighted criterion of a scoring scheme; weights are relative (need not sum to 100)."""

    scheme = models.ForeignKey(
        ScoringScheme, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("scheme")
    )
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), *bounds.up_to(bounds.decimal_max(6, 2))],
    )

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"], name="programs_one_scoring_code_per_scheme"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="programs_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.weight})"


class ProposalScore(models.Model):
    """A reviewer's score (0-100) of a proposal on one criterion of a scheme."""

    criterion = models.ForeignKey(
        ScoringCriterion,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="scores", verbose_name=_("proposal")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    scored_at = models.DateTimeField(_("scored"), auto_now=True)

    class Meta:
        verbose_name = _("proposal score")
        verbose_name_plural = _("proposal scores")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "project", "reviewer"],
                name="programs_one_score_per_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="programs_score_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.criterion.code}: {self.score}"
