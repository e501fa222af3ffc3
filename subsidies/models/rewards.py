"""Rewards for excellent performance (Art. 14 categories 1, 2, 5): criteria, scores, awards.

A reward scheme is a call: administrators set its criteria with weights (summing to
100); reviewers score each application under review per criterion (0-100); the ranking
is the weighted score averaged over the reviewers; administrators publish the awarded
list once, and it stays as published.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from subsidies.models.schemes import Application, Scheme


class RewardCriterion(models.Model):
    """One criterion of a reward call and its weight (the weights of a call sum to 100)."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("scheme")
    )
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))

    class Meta:
        verbose_name = _("reward criterion")
        verbose_name_plural = _("reward criteria")
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="one_criterion_code_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.weight} %)"


class ReviewScore(models.Model):
    """A reviewer's score of an application on one criterion (0-100)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scores", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    criterion = models.ForeignKey(
        RewardCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    scored_at = models.DateTimeField(_("scored"), auto_now=True)

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "criterion"],
                name="one_score_per_reviewer_and_criterion",
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.score}"


class AwardPublication(models.Model):
    """The published ranking and awarded list of a reward call (once)."""

    scheme = models.OneToOneField(
        Scheme, on_delete=models.PROTECT, related_name="award_publication", verbose_name=_("scheme")
    )
    ranking = models.JSONField(_("ranking"), default=list)
    awarded = models.JSONField(_("awarded applications"), default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("award publication")
        verbose_name_plural = _("award publications")

    def __str__(self) -> str:
        return str(self.scheme)
