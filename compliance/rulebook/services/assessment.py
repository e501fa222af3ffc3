"""Compliance decisions: assess premises under the rule book and keep their status.

A decision stores the rule-book version it was made under (published versions are
frozen, so their parameters are read from the version, not copied), so it can be
explained and reproduced after thresholds change. Assessing is set-based: facts for a
chunk of premises are loaded in a fixed number of queries and results written in bulk.
A premises whose inputs fingerprint (its facts, the published rule book and where the
day falls for the engine, :func:`compliance.rules.day_signature`) equals its current
decision's is confirmed without running the engine: the same inputs give the same result.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import rules
from compliance.choices import ComplianceOutcome
from compliance.models import (
    ArticleStatus,
    ComplianceAssessment,
    Premises,
    PremisesStatus,
    RuleBookVersion,
)
from compliance.rulebook.bridge import PublishedRuleBook, facts_for, parameters_of
from portal import audit, queueing
from portal.bulk_insert import insert_rows
from portal.choices import AuditAction

CHUNK = 500


@dataclass(frozen=True)
class Result:
    """The engine's answer for one premises, ready to store or compare."""

    premises_id: int
    outcome: str
    article_outcomes: dict[str, str | None]
    findings: list[dict]
    in_force: bool
    review_on: datetime.date | None


def result_of(premises_id: int, assessment: rules.Assessment) -> Result:
    return Result(
        premises_id=premises_id,
        outcome=str(assessment.outcome),
        article_outcomes={
            result.article: (str(result.outcome) if result.outcome is not None else None)
            for result in assessment.articles
        },
        findings=[rules.finding_to_dict(f) for f in assessment.findings],
        in_force=assessment.in_force,
        review_on=assessment.review_on,
    )


def evaluate(
    premises: Iterable[Premises],
    day: datetime.date,
    params: rules.RuleParameters,
    rulebook: PublishedRuleBook | None = None,
) -> dict[int, Result]:
    """Assess premises on ``day`` under ``params`` without storing anything."""
    rulebook = rulebook or PublishedRuleBook.load()
    facts = facts_for(premises, day)
    return {
        pk: result_of(pk, rules.assess(item, params, day, at_installation=rulebook.parameters_on))
        for pk, item in facts.items()
    }


def fingerprint(
    facts: rules.Facts,
    params: rules.RuleParameters,
    day: datetime.date,
    rulebook: PublishedRuleBook,
) -> str:
    """Identify everything :func:`rules.assess` reads for one premises on ``day``.

    The facts, every published version (the version in force and those ``at_installation``
    looks up; published versions are frozen, so their ids and dates name them) and the
    engine's signature of the day. Equal fingerprints give equal results.
    """
    versions = tuple((v.pk, v.effective_from) for v in rulebook.versions)
    signature = rules.day_signature(facts, params, day)
    return hashlib.sha256(repr((facts, versions, signature)).encode()).hexdigest()


def _current_fingerprints(premises_ids: list[int]) -> dict[int, tuple[int, int | None, str]]:
    """Return each premises' current decision: (assessment id, version id, fingerprint)."""
    rows = PremisesStatus.objects.filter(premises_id__in=premises_ids).values_list(
        "premises_id",
        "assessment_id",
        "assessment__rulebook_version_id",
        "assessment__inputs_fingerprint",
    )
    return {
        pk: (assessment_id, version_id, print_) for pk, assessment_id, version_id, print_ in rows
    }


def _chunks(queryset, size: int = CHUNK) -> Iterator[list[Premises]]:
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def assess_premises(
    premises_ids: Iterable[int] | None = None,
    *,
    day: datetime.date | None = None,
    trigger: str = "",
) -> int:
    """Assess premises (all when ``premises_ids`` is None) on ``day`` and store the results.

    A premises whose result is unchanged only has its decision confirmed for the day; a
    changed result writes a new decision and replaces the current status. Returns the
    number of premises whose result changed.
    """
    day = day or timezone.localdate()
    rulebook = PublishedRuleBook.load()
    version = rulebook.version_on(day)
    if premises_ids is None:
        chunks = _chunks(Premises.objects.all())
    else:
        # Each chunk asks for its own ids only, not the whole list again.
        ids = sorted(set(premises_ids))
        chunks = (
            list(Premises.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("pk"))
            for start in range(0, len(ids), CHUNK)
        )
    changed = 0
    for chunk in chunks:
        if version is None:
            results = {p.pk: _not_in_force(p.pk) for p in chunk}
            changed += store(results, day, version, trigger)
            continue
        params = parameters_of(version)
        facts = facts_for(chunk, day)
        prints = {pk: fingerprint(item, params, day, rulebook) for pk, item in facts.items()}
        current = _current_fingerprints(list(prints))
        same = {
            pk: current[pk][0]
            for pk, print_ in prints.items()
            if pk in current and current[pk][1] == version.pk and current[pk][2] == print_
        }
        results = {
            pk: result_of(
                pk, rules.assess(item, params, day, at_installation=rulebook.parameters_on)
            )
            for pk, item in facts.items()
            if pk not in same
        }
        if same:
            ComplianceAssessment.objects.filter(
                pk__in=list(same.values()), confirmed_on__lt=day
            ).update(confirmed_on=day)
        if results:
            changed += store(results, day, version, trigger, fingerprints=prints)
    return changed


def _not_in_force(premises_id: int) -> Result:
    """Before any rule-book version is in force, nothing can be judged."""
    return Result(premises_id, ComplianceOutcome.UNKNOWN, {}, [], False, None)


@transaction.atomic
def store(
    results: dict[int, Result],
    day: datetime.date,
    version: RuleBookVersion | None,
    trigger: str,
    *,
    fingerprints: dict[int, str] | None = None,
) -> int:
    """Write the results: confirm unchanged decisions, add changed ones, move statuses.

    ``fingerprints`` (by premises) are stored with the decisions, new or confirmed, so
    the next assessment with the same inputs skips the engine; without them (facts the
    caller changed, e.g. an inspection's) nothing is fingerprinted.
    """
    fingerprints = fingerprints or {}
    current = {
        status.premises_id: status
        for status in PremisesStatus.objects.select_for_update()
        .filter(premises_id__in=list(results))
        .select_related("assessment")
        .defer("assessment__parameters_copy")
    }
    unchanged, new, refingerprinted = [], [], []
    for pk, result in results.items():
        status = current.get(pk)
        previous = status.assessment if status else None
        if (
            previous is not None
            and previous.rulebook_version_id == (version.pk if version else None)
            and previous.outcome == result.outcome
            and previous.findings == result.findings
        ):
            unchanged.append(previous.pk)
            print_ = fingerprints.get(pk, "")
            if print_ and previous.inputs_fingerprint != print_:
                previous.inputs_fingerprint = print_
                refingerprinted.append(previous)
            continue
        new.append(
            ComplianceAssessment(
                premises_id=pk,
                as_of=day,
                confirmed_on=day,
                rulebook_version=version,
                # A published version is frozen: the decision reads its parameters from it.
                parameters_copy=version.parameters if version and not version.is_published else {},
                inputs_fingerprint=fingerprints.get(pk, ""),
                outcome=result.outcome,
                article_outcomes=result.article_outcomes,
                findings=result.findings,
                in_force=result.in_force,
                review_on=result.review_on,
                trigger=trigger[:200],
            )
        )
    if unchanged:
        ComplianceAssessment.objects.filter(pk__in=unchanged, confirmed_on__lt=day).update(
            confirmed_on=day
        )
    if refingerprinted:
        ComplianceAssessment.objects.bulk_update(refingerprinted, ["inputs_fingerprint"])
    if not new:
        return 0
    _insert(new)
    # A decision as of an earlier day (an inspection recorded late) joins the history but
    # never replaces a newer current status: the status is the latest decision.
    new = [a for a in new if a.premises_id not in current or current[a.premises_id].as_of <= day]
    if not new:
        return 0
    PremisesStatus.objects.bulk_create(
        [
            PremisesStatus(
                premises_id=a.premises_id,
                assessment=a,
                outcome=a.outcome,
                as_of=day,
                review_on=a.review_on,
            )
            for a in new
        ],
        update_conflicts=True,
        unique_fields=["premises"],
        update_fields=["assessment", "outcome", "as_of", "review_on", "updated_at"],
    )
    changed_ids = [a.premises_id for a in new]
    ArticleStatus.objects.filter(premises_id__in=changed_ids).delete()
    insert_rows(
        ArticleStatus,
        [
            ArticleStatus(premises_id=a.premises_id, article=article, outcome=outcome)
            for a in new
            for article, outcome in a.article_outcomes.items()
            if outcome is not None
        ],
        ("premises", "article", "outcome"),
    )
    return len(new)


_COLUMNS = (
    "premises",
    "as_of",
    "confirmed_on",
    "rulebook_version",
    "parameters_copy",
    "outcome",
    "article_outcomes",
    "findings",
    "in_force",
    "review_on",
    "trigger",
    "inputs_fingerprint",
    "assessed_at",
)


def _insert(decisions: list[ComplianceAssessment]) -> None:
    """Insert decisions in one statement and give each its id."""
    now = timezone.now()
    for decision in decisions:
        decision.assessed_at = now
    # One JSON document rather than bulk_create's array literals (portal.bulk_insert): the
    # findings' JSON escaped in Python was most of an assessment's time.
    returned = insert_rows(ComplianceAssessment, decisions, _COLUMNS, returning=("id", "premises"))
    ids = {premises_id: pk for pk, premises_id in returned}
    for decision in decisions:
        decision.pk = ids[decision.premises_id]
        decision._state.adding = False
        decision._state.db = connection.alias


def rollup(outcomes: Iterable[str | None]) -> str:
    """Combine premises outcomes into a business's: any non-compliant, else any unknown."""
    outcomes = list(outcomes)
    if ComplianceOutcome.NON_COMPLIANT in outcomes:
        return ComplianceOutcome.NON_COMPLIANT
    if not outcomes or None in outcomes or ComplianceOutcome.UNKNOWN in outcomes:
        return ComplianceOutcome.UNKNOWN
    return ComplianceOutcome.COMPLIANT


def business_outcomes(business_ids: Iterable[int]) -> dict[int, str]:
    """Return each business's rolled-up status from its premises' current statuses."""
    by_business: dict[int, list[str | None]] = {pk: [] for pk in business_ids}
    rows = Premises.objects.filter(business_id__in=list(by_business)).values_list(
        "business_id", "status__outcome"
    )
    for business_id, outcome in rows:
        by_business[business_id].append(outcome)
    return {pk: rollup(outcomes) for pk, outcomes in by_business.items()}


@dataclass(frozen=True)
class Impact:
    """A premises whose status would change if a draft were in force."""

    premises: Premises
    before: str
    after: str
    articles: list[tuple[str, str | None, str | None]]


def impact_of(draft: RuleBookVersion, day: datetime.date | None = None) -> list[Impact]:
    """List the premises whose status would change under ``draft`` on ``day``.

    Both sides are computed afresh from today's data (not from stored statuses, which
    may be older), so the only difference is the parameters.
    """
    day = day or max(timezone.localdate(), draft.effective_from)
    rulebook = PublishedRuleBook.load()
    current_params = rulebook.parameters_on(day)
    draft_params = parameters_of(draft)
    impacts = []
    for chunk in _chunks(Premises.objects.select_related("business")):
        after = evaluate(chunk, day, draft_params, rulebook)
        before = (
            evaluate(chunk, day, current_params, rulebook)
            if current_params
            else {p.pk: _not_in_force(p.pk) for p in chunk}
        )
        for item in chunk:
            old, new = before[item.pk], after[item.pk]
            if old.outcome != new.outcome:
                articles = sorted(
                    (article, old.article_outcomes.get(article), outcome)
                    for article, outcome in new.article_outcomes.items()
                    if old.article_outcomes.get(article) != outcome
                )
                impacts.append(Impact(item, old.outcome, new.outcome, articles))
    return impacts


def refresh_for_new_day(day: datetime.date) -> int:
    """Re-assess what a new day changes, and only that.

    Everything, when a rule-book version takes effect today or a month begins (new
    monthly logs fall due); otherwise the premises whose exemption or grace ends, and
    those never assessed.
    """
    if day.day == 1 or RuleBookVersion.objects.published().filter(effective_from=day).exists():
        return assess_premises(None, day=day, trigger="nightly: new month or rule book")
    due = PremisesStatus.objects.filter(review_on__lte=day).values_list("premises_id", flat=True)
    never = Premises.objects.filter(status__isnull=True).values_list("pk", flat=True)
    ids = set(due) | set(never)
    if not ids:
        return 0
    return assess_premises(ids, day=day, trigger="nightly: exemption or grace ended")


def schedule(premises_ids: Iterable[int], trigger: str) -> None:
    """Re-assess premises once the current transaction commits (a worker's job)."""
    ids = sorted({pk for pk in premises_ids if pk is not None})
    if ids:
        queueing.delay_on_commit("compliance.tasks.recompute_status", ids, trigger)


def schedule_all(trigger: str, day: datetime.date | None = None) -> None:
    """Re-assess every premises once the current transaction commits."""
    queueing.delay_on_commit(
        "compliance.tasks.recompute_all", trigger, day.isoformat() if day else None
    )


def decision_on(premises_id: int, day: datetime.date) -> ComplianceAssessment | None:
    """Return the decision valid on ``day``: the one with the latest as-of date ≤ day."""
    return (
        ComplianceAssessment.objects.filter(premises_id=premises_id, as_of__lte=day)
        .select_related("rulebook_version")
        .order_by("-as_of", "-id")
        .first()
    )


@transaction.atomic
def reassess(actor, premises: Premises, reason: str) -> PremisesStatus:
    """Assess one premises now on an administrator's request, audited with the reason."""
    fields = ("assessment", "outcome", "as_of", "review_on")
    before_status = PremisesStatus.objects.filter(premises=premises).first()
    before = audit.snapshot(before_status, fields) if before_status else {}
    assess_premises([premises.pk], trigger="requested by an administrator")
    status = PremisesStatus.objects.get(premises=premises)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=status,
        changes=audit.diff(before, audit.snapshot(status, fields)),
        reason=reason or _("Re-assessment requested by an administrator."),
        business_id=premises.business_id,
    )
    return status
