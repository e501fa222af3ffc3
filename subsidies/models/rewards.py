"""Rewards for excellent performance (Art. 14 categories 1, 2, 5): criteria, scores, awards.

A reward scheme is a call: administrators set its criteria with weights (summing to
100) and name its reviewers; reviewers score each application under review per
criterion (0-100); the ranking is the weighted score averaged over the reviewers;
administrators publish the awarded list once, and it stays as published. A call with a
prize per award commits the prizes from its budget when the list is published (the
same conditional UPDATE as approvals); without one the award is honorary. Each awarded
application gets a certificate (:mod:`subsidies.models.certificates`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds
from subsidies.models.schemes import Application, Scheme


class RewardCriterion(models.Model):
    """One criterion of a reward call and its weight (the weights of a call sum to 100)."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("scheme")
    )
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=bounds.up_to(bounds.SMALLINT_MAX)
    )

    class Meta:
        verbose_name = _("reward criterion")
        verbose_name_plural = _("reward criteria")
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="one_criterion_code_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.weight} %)"


class ReviewScoreQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Scores are for the reviewers' side: administrators and programme officers."""
        from subsidies.models.schemes import is_scheme_officer

        return self if is_scheme_officer(user) else self.none()


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
    score = models.PositiveSmallIntegerField(
        _("score"), validators=bounds.up_to(bounds.SMALLINT_MAX)
    )
    scored_at = models.DateTimeField(_("scored"), auto_now=True)

    objects = ReviewScoreQuerySet.as_manager()

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


class AwardPublicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A published ranking and awarded list is for everyone signed in."""
        if user is None or not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(scheme__in=Scheme.objects.visible_to(user))


class AwardPublication(models.Model):
    """The published ranking and awarded list of a reward call (once), and its prizes."""

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
    published_at = models.DateTimeField(pgettext_lazy("when", "published"), auto_now_add=True)
    award_amount_ntd = models.PositiveBigIntegerField(
        _("prize per award (NT$)"), null=True, blank=True, validators=bounds.up_to(bounds.NTD_MAX)
    )
    committed_ntd = models.PositiveBigIntegerField(
        _("prizes committed from the budget (NT$)"),
        default=0,
        validators=bounds.up_to(bounds.NTD_MAX),
    )

    objects = AwardPublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("award publication")
        verbose_name_plural = _("award publications")

    def __str__(self) -> str:
        return str(self.scheme)
