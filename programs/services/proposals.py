"""The review of proposals: review steps, criterion decisions, weighted scores, ranking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import AuditAction
from portal.permissions import require
from programs.choices import AssessmentDecision
from programs.models import (
    CriterionAssessment,
    Project,
    ProposalScore,
    ReviewStep,
    ScoringCriterion,
    ScoringScheme,
)
from programs.rules import review, scoring

_STEP_ACTIONS = {review.APPROVE: AuditAction.APPROVE, review.REJECT: AuditAction.REJECT}


def _require_staff(actor) -> None:
    require(actor, "programs.keep_records")


@transaction.atomic
def take_review_step(actor, project: Project, step: str, reason: str = "") -> Project:
    """Move a proposal one step through :mod:`programs.rules.review`, recording who, when, why."""
    _require_staff(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if step not in review.STEPS:
        raise ValidationError({"step": _("Unknown review step.")})
    try:
        target = review.next_status(project.status, step)
    except review.StepNotAllowed:
        raise ValidationError(
            {
                "step": _("This step is not possible while the proposal is “%(status)s”.")
                % {"status": project.get_status_display()}
            }
        ) from None
    reason = reason.strip()
    if step in review.REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    before = project.status
    project.status = target
    project.save(update_fields=["status", "updated_at"])
    ReviewStep.objects.create(
        project=project,
        from_status=before,
        to_status=target,
        actor=actor,
        actor_label=actor.get_username(),
        at=timezone.now(),
        reason=reason,
    )
    audit.record(
        actor=actor,
        action=_STEP_ACTIONS.get(step, AuditAction.UPDATE),
        instance=project,
        changes={"status": [before, target]},
        reason=reason,
    )
    return project


@transaction.atomic
def decide_criterion(
    actor, assessment: CriterionAssessment, decision: str, reason: str = "", evidence=None
) -> CriterionAssessment:
    """Record a reviewer's decision on one criterion (and the evidence it rests on)."""
    _require_staff(actor)
    if decision not in AssessmentDecision.values:
        raise ValidationError({"decision": _("Choose met, not met or not decided.")})
    assessment = CriterionAssessment.objects.select_for_update().get(pk=assessment.pk)
    before = audit.snapshot(assessment)
    if evidence is not None:
        assessment.evidence = evidence
    assessment.decision = decision
    assessment.reason = reason.strip()
    if decision == AssessmentDecision.PENDING:
        assessment.clear_decision()
    else:
        assessment.record_decision(actor)
    assessment.full_clean()
    assessment.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=assessment,
        changes=audit.diff(before, audit.snapshot(assessment)),
        reason=reason,
    )
    return assessment


def _as_score(value) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Scores are numbers from 0 to 100.")) from None
    if not score.is_finite() or not Decimal(0) <= score <= scoring.MAX_SCORE:
        raise ValidationError(_("Scores are numbers from 0 to 100."))
    return score


@transaction.atomic
def score_proposal(
    reviewer, scheme: ScoringScheme, project: Project, scores: Mapping[str, object]
) -> None:
    """Save a reviewer's scores of a proposal on every criterion of the scheme (0-100)."""
    _require_staff(reviewer)
    if project.programme_id != scheme.programme_id:
        raise ValidationError(_("The proposal is of another programme than the scheme."))
    criteria = {c.code: c for c in ScoringCriterion.objects.filter(scheme=scheme)}
    if not criteria or set(scores) != set(criteria):
        raise ValidationError(_("Score every criterion of the scheme, and only those."))
    values = {code: _as_score(value) for code, value in scores.items()}
    for code, value in values.items():
        ProposalScore.objects.update_or_create(
            criterion=criteria[code], project=project, reviewer=reviewer, defaults={"score": value}
        )
    scheme.proposals.add(project)
    audit.record(
        actor=reviewer,
        action=AuditAction.UPDATE,
        instance=project,
        changes={"scores": [None, {code: str(value) for code, value in values.items()}]},
        reason=_("Scored under “%(scheme)s”.") % {"scheme": scheme.name},
    )


def ranking(scheme: ScoringScheme) -> scoring.Ranking:
    """Return the scheme's proposals ranked by weighted total (reviewers averaged).

    Keys of the ranking are project ids; proposals not scored on every criterion are
    listed as incomplete. Three queries, however many proposals.
    """
    weights = dict(scheme.criteria.values_list("code", "weight"))
    if not weights:
        return scoring.Ranking([], [])
    reviews: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    rows = ProposalScore.objects.filter(criterion__scheme=scheme).values_list(
        "project_id", "reviewer_id", "criterion__code", "score"
    )
    for project_id, reviewer_id, code, score in rows:
        reviews[project_id][reviewer_id][code] = score
    proposals = {pk: {} for pk in scheme.proposals.order_by("id").values_list("pk", flat=True)}
    for project_id in sorted(reviews):
        proposals[project_id] = scoring.mean_scores(reviews[project_id].values())
    return scoring.rank(weights, proposals)
