"""Rewards for excellent performance (Art. 14 categories 1, 2, 5): scoring and awarding.

Administrators set a reward call's criteria (weights summing to 100) and its reviewers;
the assigned reviewers (and administrators) score applications under review per
criterion; :func:`ranking` orders the applications by their weighted score averaged
over the reviewers (ties: the earlier application first); :func:`publish_awards`
publishes the ranking and the first ``count`` as awarded, once.

Awarding commits money only when the call pays a prize per award
(``Scheme.award_amount_ntd``): publishing then takes ``prize × awards`` from the call's
budget with the same conditional UPDATE as an approval, so the budget is never
over-committed, and refuses to publish when it does not suffice. Without a prize the
award is honorary. Either way every awarded application gets a certificate, rendered by
the worker (:mod:`subsidies.documents.certificates`). Every change is audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import AuditAction
from portal.permissions import can, require
from subsidies.models import (
    Application,
    ApplicationStatus,
    AwardPublication,
    ReviewScore,
    RewardCriterion,
    Scheme,
)
from subsidies.rules.types import REWARD_CATEGORIES

RANKED_STATES = (
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.APPROVED,
    ApplicationStatus.INSTALLATION_VERIFIED,
    ApplicationStatus.DISBURSED,
)


@dataclass(frozen=True)
class RankedEntry:
    """An application's place in a reward call: weighted score and how many reviewed it."""

    application: Application
    score: Decimal
    reviewers: int


def _is_score(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100


def _require_reward_call(scheme: Scheme, field: str | None = None) -> None:
    if scheme.category not in REWARD_CATEGORIES:
        message = _("This scheme is not a reward call.")
        raise ValidationError({field: message} if field else message, code="not_reward_call")


def may_score(user, scheme: Scheme) -> bool:
    """Return whether ``user`` scores the call's applications: its reviewers, administrators."""
    return can(user, "subsidies.score", scheme)


@transaction.atomic
def save_criteria(actor, scheme: Scheme, criteria: Iterable[tuple[str, str, int]]) -> None:
    """Set a reward call's criteria as (code, label, weight); the weights sum to 100."""
    require(actor, "subsidies.edit_scheme")
    _require_reward_call(scheme)
    criteria = list(criteria)
    codes = [code for code, _label, _weight in criteria]
    if not criteria:
        raise ValidationError(_("Give at least one criterion."))
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Give each criterion once, with its own code."))
    if any(weight <= 0 for _code, _label, weight in criteria):
        raise ValidationError(_("Every weight must be more than 0."))
    if sum(weight for _code, _label, weight in criteria) != 100:
        raise ValidationError(_("The weights must add up to 100."))
    if ReviewScore.objects.filter(criterion__scheme=scheme).exists():
        raise ValidationError(_("The criteria cannot change once applications are scored."))
    before = list(scheme.criteria.values_list("code", "weight"))
    scheme.criteria.all().delete()
    RewardCriterion.objects.bulk_create(
        RewardCriterion(scheme=scheme, code=code, label=label, weight=weight)
        for code, label, weight in criteria
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=scheme,
        changes={"criteria": [before, [[code, weight] for code, _l, weight in criteria]]},
    )


@transaction.atomic
def score_application(reviewer, application: Application, scores: Mapping[str, int]) -> None:
    """A reviewer of the call scores an application under review on every criterion (0-100)."""
    if not may_score(reviewer, application.scheme):
        raise PermissionDenied
    _require_reward_call(application.scheme, "application")
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError({"application": _("Only applications under review are scored.")})
    criteria = {c.code: c for c in RewardCriterion.objects.filter(scheme=application.scheme_id)}
    if not criteria:
        raise ValidationError({"application": _("The call has no criteria to score yet.")})
    if set(scores) != set(criteria):
        raise ValidationError(
            {
                "scores": _("Score every criterion of the call, and only those: %(codes)s.")
                % {"codes": ", ".join(criteria)}
            }
        )
    if any(not _is_score(value) for value in scores.values()):
        raise ValidationError({"scores": _("Scores are whole numbers from 0 to 100.")})
    for code, value in scores.items():
        ReviewScore.objects.update_or_create(
            application=application,
            reviewer=reviewer,
            criterion=criteria[code],
            defaults={"score": value},
        )
    audit.record(
        actor=reviewer,
        action=AuditAction.UPDATE,
        instance=application,
        changes={"scores": [None, dict(scores)]},
        business_id=application.business_id,
    )


def ranking(scheme: Scheme) -> list[RankedEntry]:
    """Return the call's scored applications, best first (two queries for any number)."""
    weights = dict(RewardCriterion.objects.filter(scheme=scheme).values_list("pk", "weight"))
    applications = {
        a.pk: a
        for a in Application.objects.filter(scheme=scheme, status__in=RANKED_STATES)
        .select_related("business")
        .prefetch_related("scores")
    }
    entries = []
    for application in applications.values():
        per_reviewer: dict[int, int] = defaultdict(int)
        for score in application.scores.all():
            per_reviewer[score.reviewer_id] += weights.get(score.criterion_id, 0) * score.score
        if not per_reviewer:
            continue
        total = Decimal(sum(per_reviewer.values())) / Decimal(100 * len(per_reviewer))
        score = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        entries.append(RankedEntry(application, score, len(per_reviewer)))
    entries.sort(key=lambda e: (-e.score, e.application.pk))
    return entries


def publish_awards(actor, scheme: Scheme, count: int) -> AwardPublication:
    """Publish the ranking and the first ``count`` applications as awarded (once).

    A call with a prize per award commits the prizes from its budget in the same
    transaction (refused, and nothing published, when the budget does not suffice);
    every awarded application's certificate is requested and queued for the worker.
    """
    from subsidies.documents.certificates import request_certificate

    require(actor, "subsidies.publish_awards")
    scheme = Scheme.objects.get(pk=scheme.pk)
    _require_reward_call(scheme)
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
        raise ValidationError({"count": _("Award at least one application.")})
    if AwardPublication.objects.filter(scheme=scheme).exists():
        raise ValidationError(_("The awards of this call are already published."), code="published")
    ranked = ranking(scheme)
    if not ranked:
        raise ValidationError(_("No application of this call has been scored."))
    table = [
        {
            "application": entry.application.pk,
            "business": entry.application.business.display_name,
            "score": str(entry.score),
            "reviewers": entry.reviewers,
        }
        for entry in ranked
    ]
    awarded = [entry.application for entry in ranked[:count]]
    prize = scheme.award_amount_ntd
    total = prize * len(awarded) if prize else 0
    try:
        with transaction.atomic():
            if total:
                _commit_prizes(scheme, len(awarded), prize, total)
            publication = AwardPublication.objects.create(
                scheme=scheme,
                ranking=table,
                awarded=[application.pk for application in awarded],
                published_by=actor,
                award_amount_ntd=prize,
                committed_ntd=total,
            )
            changes = {"awarded": [None, publication.awarded]}
            if total:
                changes["committed_ntd"] = [None, total]
            audit.record(
                actor=actor, action=AuditAction.CREATE, instance=publication, changes=changes
            )
            for application in awarded:
                request_certificate(publication, application)
    except IntegrityError as exc:
        raise ValidationError(
            _("The awards of this call are already published."), code="published"
        ) from exc
    return publication


def _commit_prizes(scheme: Scheme, awards: int, prize: int, total: int) -> None:
    """Take ``total`` from the call's budget with one conditional UPDATE (or refuse)."""
    taken = Scheme.objects.filter(pk=scheme.pk, committed_ntd__lte=F("budget_ntd") - total).update(
        committed_ntd=F("committed_ntd") + total
    )
    if taken == 1:
        return
    left = Scheme.objects.filter(pk=scheme.pk).values_list("budget_ntd", "committed_ntd").get()
    raise ValidationError(
        {
            "count": _(
                "The call's budget has NT$%(left)s left: %(awards)s award(s) of "
                "NT$%(prize)s need NT$%(total)s."
            )
            % {
                "left": f"{left[0] - left[1]:,}",
                "awards": awards,
                "prize": f"{prize:,}",
                "total": f"{total:,}",
            }
        },
        code="budget_exhausted",
    )
