"""Compliance decisions: what the rule engine found, under which rule-book version."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import Article, ComplianceOutcome
from compliance.registry.querysets import RegistryQuerySet
from portal import bounds


class AssessmentQuerySet(RegistryQuerySet):
    business_path = "premises__business"


class ComplianceAssessment(models.Model):
    """A decision on a premises as of a date (Arts. 5-10), explainable for good.

    It keeps the rule-book version it was made under, the engine's findings, and what
    prompted it. A new row is written only when the result changes; ``confirmed_on``
    moves forward while it stays the same. The parameter values are read from the
    version (:attr:`parameters`): a published version is frozen, so a reference explains
    the decision as well as a copy did, without 1.7 kB per decision. A copy is stored
    only where the version could still change (none) and in rows made before.
    ``inputs_fingerprint`` identifies what the engine read (facts, rule book, and where
    the day falls among the dates it compares), so an assessment whose inputs are the
    same is confirmed without running the engine again.
    """

    premises = models.ForeignKey(
        "compliance.Premises",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("premises"),
    )
    as_of = models.DateField(_("as of"), validators=bounds.date_validators())
    confirmed_on = models.DateField(_("last confirmed on"), validators=bounds.date_validators())
    rulebook_version = models.ForeignKey(
        "compliance.RuleBookVersion",
        null=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("rule book version"),
    )
    parameters_copy = models.JSONField(
        _("parameters used"), default=dict, blank=True, db_column="parameters"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=ComplianceOutcome.choices)
    article_outcomes = models.JSONField(_("outcome by article"), default=dict)
    findings = models.JSONField(pgettext_lazy("assessment", "findings"), default=list)
    in_force = models.BooleanField(_("ordinance in force"), default=True)
    review_on = models.DateField(
        _("review on"), null=True, blank=True, validators=bounds.date_validators()
    )
    trigger = models.CharField(_("prompted by"), max_length=200, blank=True)
    inputs_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    assessed_at = models.DateTimeField(_("assessed"), auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("compliance assessment")
        verbose_name_plural = _("compliance assessments")
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["premises", "-as_of"])]

    def __str__(self) -> str:
        return f"{self.premises} {self.as_of:%Y-%m-%d}: {self.get_outcome_display()}"

    @property
    def owner_business_id(self) -> int:
        return self.premises.business_id

    @property
    def parameters(self) -> dict:
        """The parameter values the decision was made under (its version's, frozen)."""
        if self.parameters_copy:
            return self.parameters_copy
        return self.rulebook_version.parameters if self.rulebook_version_id else {}

    @parameters.setter
    def parameters(self, value: dict) -> None:
        self.parameters_copy = value


class PremisesStatus(models.Model):
    """The current compliance status of a premises: its latest assessment, denormalised.

    One row per premises, so lists and dashboards filter and count by status, district
    and category without touching the assessments' history.
    """

    premises = models.OneToOneField(
        "compliance.Premises",
        on_delete=models.CASCADE,
        related_name="status",
        verbose_name=_("premises"),
        primary_key=True,
    )
    assessment = models.ForeignKey(ComplianceAssessment, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=ComplianceOutcome.choices)
    as_of = models.DateField(_("as of"), validators=bounds.date_validators())
    review_on = models.DateField(
        _("review on"), null=True, blank=True, db_index=True, validators=bounds.date_validators()
    )
    updated_at = models.DateTimeField(pgettext_lazy("when", "updated"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("premises compliance status")
        verbose_name_plural = _("premises compliance statuses")
        indexes = [models.Index(fields=["outcome"])]

    def __str__(self) -> str:
        return f"{self.premises_id}: {self.outcome}"


class ArticleStatus(models.Model):
    """The current outcome of one article at one premises (for filters and counts)."""

    premises = models.ForeignKey(
        "compliance.Premises", on_delete=models.CASCADE, related_name="article_statuses"
    )
    article = models.CharField(_("article"), max_length=8, choices=Article.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ComplianceOutcome.choices)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("article status")
        verbose_name_plural = _("article statuses")
        constraints = [
            models.UniqueConstraint(fields=["premises", "article"], name="one_status_per_article")
        ]
        indexes = [models.Index(fields=["article", "outcome"])]

    def __str__(self) -> str:
        return f"{self.premises_id} {self.article}: {self.outcome}"
