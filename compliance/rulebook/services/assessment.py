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
import functools
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
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
from compliance.rulebook.bridge import (
    PREMISES_FACTS,
    PublishedRuleBook,
    facts_for,
    parameters_of,
)
from portal import audit, forked, queueing
from portal.bulk_insert import insert_rows, update_rows
from portal.choices import AuditAction
from portal.ids import among


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
    rows = PremisesStatus.objects.filter(premises_id__in=among(premises_ids)).values_list(
        "premises_id",
        "assessment_id",
        "assessment__rulebook_version_id",
        "assessment__inputs_fingerprint",
    )
    return {
        pk: (assessment_id, version_id, print_) for pk, assessment_id, version_id, print_ in rows
    }


def _chunks(queryset) -> Iterator[list]:
    size, last = settings.ASSESSMENT_CHUNK, 0
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
    processes: int | None = None,
) -> int:
    """Assess premises (all when ``premises_ids`` is None) on ``day`` and store the results.

    A premises whose result is unchanged only has its decision confirmed for the day; a
    changed result writes a new decision and replaces the current status. Returns the
    number of premises whose result changed.

    The premises are assessed in chunks of ``ASSESSMENT_CHUNK``, each one transaction.
    Outside a transaction on PostgreSQL, up to ``processes`` (``ASSESSMENT_PROCESSES``)
    forked processes take the chunks (:mod:`portal.forked`): the chunks are disjoint and
    a status is upserted on its premises, so each premises still gets exactly one
    current decision, made under the rule book loaded here once for every chunk.
    """
    day = day or timezone.localdate()
    if premises_ids is None:
        ids = list(Premises.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(premises_ids))
    size = settings.ASSESSMENT_CHUNK
    chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
    assess = functools.partial(
        _assess_chunk, day=day, trigger=trigger, rulebook=PublishedRuleBook.load()
    )
    processes = settings.ASSESSMENT_PROCESSES if processes is None else processes
    return sum(forked.map_forked(assess, chunks, processes))


def _assess_chunk(
    ids: list[int], *, day: datetime.date, trigger: str, rulebook: PublishedRuleBook
) -> int:
    """Assess one chunk of premises (by id) and store it; return how many changed."""
    version = rulebook.version_on(day)
    # The premises' own facts as plain rows, not model instances.
    chunk = list(
        Premises.objects.values_list(*PREMISES_FACTS, named=True)
        .filter(pk__in=among(ids))
        .order_by("pk")
    )
    if version is None:
        return store({p.pk: _not_in_force(p.pk) for p in chunk}, day, version, trigger)
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
        pk: result_of(pk, rules.assess(item, params, day, at_installation=rulebook.parameters_on))
        for pk, item in facts.items()
        if pk not in same
    }
    if same:
        ComplianceAssessment.objects.filter(
            pk__in=among(same.values()), confirmed_on__lt=day
        ).update(confirmed_on=day)
    if not results:
        return 0
    return store(results, day, version, trigger, fingerprints=prints)


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
    version_id = version.pk if version else None
    current = {
        row.premises_id: row
        for row in PremisesStatus.objects.select_for_update()
        .filter(premises_id__in=among(results))
        .values_list(
            "premises_id",
            "as_of",
            "assessment_id",
            "assessment__rulebook_version_id",
            "assessment__outcome",
            "assessment__findings",
            "assessment__inputs_fingerprint",
            named=True,
        )
    }
    unchanged, refingerprinted, new = [], {}, []
    for pk, result in results.items():
        previous = current.get(pk)
        if (
            previous is not None
            and previous.assessment__rulebook_version_id == version_id
            and previous.assessment__outcome == result.outcome
            and previous.assessment__findings == result.findings
        ):
            unchanged.append(previous.assessment_id)
            print_ = fingerprints.get(pk, "")
            if print_ and previous.assessment__inputs_fingerprint != print_:
                refingerprinted[previous.assessment_id] = print_
            continue
        new.append(result)
    if unchanged:
        ComplianceAssessment.objects.filter(pk__in=among(unchanged), confirmed_on__lt=day).update(
            confirmed_on=day
        )
    if refingerprinted:
        _refingerprint(refingerprinted)
    if not new:
        return 0
    ids = _insert_decisions(new, day, version, trigger, fingerprints)
    # A decision as of an earlier day (an inspection recorded late) joins the history but
    # never replaces a newer current status: the status is the latest decision.
    new = [r for r in new if r.premises_id not in current or current[r.premises_id].as_of <= day]
    if new:
        _replace_statuses(new, ids, day)
    return len(new)


def _refingerprint(prints: dict[int, str]) -> None:
    """Store new fingerprints on decisions (by id) in one statement."""
    update_rows(
        ComplianceAssessment,
        [{"id": pk, "inputs_fingerprint": print_} for pk, print_ in prints.items()],
        ("inputs_fingerprint",),
    )


def _insert_decisions(
    results: list[Result],
    day: datetime.date,
    version: RuleBookVersion | None,
    trigger: str,
    fingerprints: dict[int, str],
) -> dict[int, int]:
    """Insert a decision per result in one statement; return their ids by premises."""
    now = timezone.now()
    # A published version is frozen: the decision reads its parameters from it.
    copy = version.parameters if version and not version.is_published else {}
    rows = [
        {
            "premises_id": r.premises_id,
            "as_of": day,
            "confirmed_on": day,
            "rulebook_version_id": version.pk if version else None,
            "parameters_copy": copy,
            "outcome": r.outcome,
            "article_outcomes": r.article_outcomes,
            "findings": r.findings,
            "in_force": r.in_force,
            "review_on": r.review_on,
            "trigger": trigger[:200],
            "inputs_fingerprint": fingerprints.get(r.premises_id, ""),
            "assessed_at": now,
        }
        for r in results
    ]
    returned = insert_rows(ComplianceAssessment, rows, list(rows[0]), returning=("id", "premises"))
    return {premises_id: pk for pk, premises_id in returned}


def _replace_statuses(results: list[Result], ids: dict[int, int], day: datetime.date) -> None:
    """Point the premises' statuses at their new decisions and replace article statuses."""
    now = timezone.now()
    insert_rows(
        PremisesStatus,
        [
            {
                "premises_id": r.premises_id,
                "assessment_id": ids[r.premises_id],
                "outcome": r.outcome,
                "as_of": day,
                "review_on": r.review_on,
                "updated_at": now,
            }
            for r in results
        ],
        ("premises", "assessment", "outcome", "as_of", "review_on", "updated_at"),
        upsert_on="premises",
    )
    ArticleStatus.objects.filter(premises_id__in=among(r.premises_id for r in results)).delete()
    insert_rows(
        ArticleStatus,
        [
            {"premises_id": r.premises_id, "article": article, "outcome": outcome}
            for r in results
            for article, outcome in r.article_outcomes.items()
            if outcome is not None
        ],
        ("premises", "article", "outcome"),
    )


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
