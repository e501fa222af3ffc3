"""Framework items of the programmes, the criteria among them and their assessments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds
from portal.models.decisions import Decided
from programs.choices import CRITERION_TYPES, AssessmentDecision, FrameworkItemType
from programs.models.participation import Participation
from programs.models.programmes import Programme
from programs.models.projects import Project
from programs.models.records import ProgrammeRecord, ProgrammeRecordQuerySet, is_programme_staff


class FrameworkItem(ProgrammeRecord):
    """A numbered item of a programme's framework (apec_lcmt_/asean_esc_framework_items.csv).

    The four LCMT project criteria and the ESC model-city criteria are the items a
    proposal or participation is assessed against (:class:`Criterion`); the others
    (task-force responsibilities, benefits, focus areas, ...) are kept for the record.
    """

    published_parents = ("programme",)

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="framework_items",
        verbose_name=_("programme"),
    )
    item_type = models.CharField(
        pgettext_lazy("kind of a thing", "type"), max_length=40, choices=FrameworkItemType.choices
    )
    item_no = models.PositiveSmallIntegerField(
        pgettext_lazy("ordinal number", "number"), validators=bounds.up_to(bounds.SMALLINT_MAX)
    )
    text_original = models.TextField(_("text in the original language"))
    text_en = models.TextField(_("text in English"))

    class Meta:
        verbose_name = _("framework item")
        verbose_name_plural = _("framework items")
        ordering = ["programme", "item_type", "item_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "item_type", "item_no"],
                name="programs_one_framework_item_per_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_type_display()} {self.item_no}: {self.text_en}"

    @property
    def is_criterion(self) -> bool:
        return self.item_type in CRITERION_TYPES


class CriterionManager(models.Manager.from_queryset(ProgrammeRecordQuerySet)):
    """Only the framework items that are criteria."""

    def get_queryset(self):
        return super().get_queryset().filter(item_type__in=CRITERION_TYPES)


class Criterion(FrameworkItem):
    """A criterion a proposal or participation is assessed against (a framework item)."""

    objects = CriterionManager()

    class Meta:
        proxy = True
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")


class CriterionAssessmentQuerySet(ProgrammeRecordQuerySet):
    def visible_to(self, user):
        """Published assessments of published proposals or participations; all for staff."""
        if is_programme_staff(user):
            return self
        return self.filter(published=True).filter(
            Q(project__published=True) | Q(participation__published=True)
        )


class CriterionAssessment(ProgrammeRecord, Decided):
    """A proposal's or participation's assessment against one criterion: evidence, decision.

    Exactly one of ``project`` and ``participation`` is set. The decision, who took it and
    when are written by :func:`programs.services.decide_criterion` only.
    """

    criterion = models.ForeignKey(
        FrameworkItem,
        on_delete=models.PROTECT,
        related_name="assessments",
        limit_choices_to={"item_type__in": CRITERION_TYPES},
        verbose_name=_("criterion"),
    )
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("project"),
    )
    participation = models.ForeignKey(
        Participation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("participation"),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    decision = models.CharField(
        pgettext_lazy("outcome of a review", "decision"),
        max_length=16,
        choices=AssessmentDecision.choices,
        default=AssessmentDecision.PENDING,
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = CriterionAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        ordering = ["criterion__item_no", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, participation__isnull=True)
                | Q(project__isnull=True, participation__isnull=False),
                name="programs_assessment_of_one_subject",
            ),
            models.UniqueConstraint(
                fields=["criterion", "project"], name="programs_one_assessment_per_project"
            ),
            models.UniqueConstraint(
                fields=["criterion", "participation"],
                name="programs_one_assessment_per_participation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project or self.participation}: {self.criterion_id}"

    def clean(self) -> None:
        super().clean()
        if bool(self.project_id) == bool(self.participation_id):
            raise ValidationError(_("Assess either a project or a participation."))
        if self.criterion_id and self.criterion.item_type not in CRITERION_TYPES:
            raise ValidationError({"criterion": _("This framework item is not a criterion.")})
        subject = self.project or self.participation
        if self.criterion_id and subject and subject.programme_id != self.criterion.programme_id:
            raise ValidationError({"criterion": _("The criterion is of another programme.")})
