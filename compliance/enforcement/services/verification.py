"""Establish whether a missed deadline was met before anyone is fined (APenA Arts. 27, 42).

A deadline that passes unrectified waits for verification (``compliance.rules.verification``):

- a re-inspection after the deadline (:func:`verify_by_inspection`, called when a visit
  is recorded) finds the violation persisting or fixed;
- for the duties the portal checks from its own records (Arts. 5-3 and 8-2 logs; the
  Art. 12 data, in ``compliance.energy.services.data_orders``), the nightly sweep checks
  them (:func:`verify_from_records`) and says what it checked.

The first verification of a missed deadline decides it (one row per violation and
deadline): fixed rectifies the violation, without a fine; persisting sets the day from
which the sweep fines it (after any period to state an opinion). Because the sweep fines
only verified cases, the outcome never depends on whether the sweep or the re-inspection
ran first.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from compliance import rules
from compliance.choices import VerificationMethod, VerificationResult
from compliance.enforcement.services.violations import actor_and_label, rectify
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import Premises, Verification, Violation, ViolationEvent
from compliance.rulebook.bridge import PublishedRuleBook, facts_for, parameters_of
from compliance.rulebook.explain import explain_finding
from portal import audit, outbox
from portal.choices import AuditAction

VERIFIED_TOPIC = "enforcement.non_rectification_verified"
RECORDS_REFERENCE = "records"


def verify(
    violation: Violation,
    *,
    result: str,
    method: str,
    verified_on: datetime.date,
    source_reference: str,
    explanation: str,
    actor,
    finding: dict | None = None,
) -> Verification | None:
    """Record what a verification of ``violation``'s missed deadline found; return it.

    None when there is nothing to verify: the violation no longer runs, or
    ``verified_on`` is not after its deadline (``rules.counts_as_verification``). A
    deadline already verified keeps its first verification, which is returned.
    """
    with transaction.atomic():
        current = Violation.objects.select_for_update().get(pk=violation.pk)
        if not current.is_active or not rules.counts_as_verification(current.deadline, verified_on):
            return None
        # A verification an official returned no longer decides the deadline.
        existing = Verification.objects.filter(
            violation=current, missed_deadline=current.deadline, returned_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        user, label = actor_and_label(actor)
        row = Verification(
            violation=current,
            missed_deadline=current.deadline,
            method=method,
            result=result,
            verified_on=verified_on,
            source_reference=source_reference,
            explanation=explanation,
            finding=finding,
            verified_by=user,
            actor_label=label,
        )
        if result == VerificationResult.PERSISTING:
            _schedule_fine(current, row)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # pragma: no cover - the row lock above serialises this
            return Verification.objects.get(
                violation=current, missed_deadline=current.deadline, returned_at__isnull=True
            )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=row,
            changes=audit.diff(
                {},
                audit.snapshot(
                    row,
                    ["missed_deadline", "method", "result", "verified_on", "statement_until"],
                ),
            ),
            reason=explanation,
            business_id=current.owner_business_id,
        )
        if result == VerificationResult.RECTIFIED:
            rectify(current, actor=actor, reason=_rectified_reason(row))
        else:
            _record_persisting(current, row, actor)
    return row


def _schedule_fine(violation: Violation, row: Verification) -> None:
    """Set the statement period (if the rule book gives one) and the day the fine is due."""
    offence_on = rules.offence_day(
        rules.Overdue(violation.article, violation.found_on, violation.deadline)
    )
    version = PublishedRuleBook.load().version_on(offence_on)
    until = None
    if version is not None:
        until = rules.statement_until(
            violation.article,
            row.verified_on,
            parameters_of(version),
            calendar_for(row.verified_on),
        )
    row.statement_until = until
    row.fine_due_on = rules.fine_due_on(row.verified_on, until)


def _record_persisting(violation: Violation, row: Verification, actor) -> None:
    before = audit.snapshot(violation, ["fine_due_on"])
    violation.fine_due_on = row.fine_due_on
    violation.save(update_fields=["fine_due_on"])
    user, label = actor_and_label(actor)
    reason = _persisting_reason(row)
    ViolationEvent.objects.create(
        violation=violation,
        from_status=violation.status,
        to_status=violation.status,
        actor=user,
        actor_label=label,
        reason=reason,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=violation,
        changes=audit.diff(before, audit.snapshot(violation, ["fine_due_on"])),
        reason=reason,
        business_id=violation.owner_business_id,
    )
    outbox.add(VERIFIED_TOPIC, {"verification": row.pk})


def _persisting_reason(row: Verification) -> str:
    values = {"deadline": row.missed_deadline, "day": row.verified_on, "until": row.statement_until}
    with translation.override(settings.LANGUAGE_CODE):
        if row.statement_until:
            return (
                _(
                    "Not rectified by %(deadline)s, verified on %(day)s. The business may state "
                    "its opinion until %(until)s before the fine."
                )
                % values
            )
        return _("Not rectified by %(deadline)s, verified on %(day)s.") % values


def _rectified_reason(row: Verification) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Found rectified on %(day)s (after the deadline %(deadline)s): no fine.") % {
            "day": row.verified_on,
            "deadline": row.missed_deadline,
        }


def _finding_explanation(method: str, day: datetime.date, finding: rules.Finding) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if method == VerificationMethod.RECORDS:
            prefix = _("Checked the portal's records on %(day)s:") % {"day": day}
        else:
            prefix = _("Re-inspected on %(day)s:") % {"day": day}
        return f"{prefix} {explain_finding(finding)}"


def verify_by_inspection(
    premises: Premises,
    findings: Iterable[rules.Finding],
    *,
    day: datetime.date,
    actor,
    source_reference: str,
) -> dict[int, str]:
    """Record an inspection's result on every case of ``premises`` awaiting verification.

    For each running violation whose deadline passed before ``day``, the findings of its
    article and subject say whether it persists or was fixed; one that the findings do
    not establish is left waiting. Returns {violation id: result} for those recorded.
    """
    findings = list(findings)
    waiting = (
        Violation.objects.active()
        .filter(premises=premises, deadline__lt=day, fine_due_on__isnull=True)
        .exclude(source_reference=source_reference)
        .order_by("pk")
    )
    recorded = {}
    for violation in waiting:
        result = rules.verification.result_of(findings, violation.article, violation.subject)
        if result is None:
            continue
        finding = _finding_for(findings, violation)
        row = verify(
            violation,
            result=result.value,
            method=VerificationMethod.REINSPECTION,
            verified_on=day,
            source_reference=source_reference,
            explanation=_finding_explanation(VerificationMethod.REINSPECTION, day, finding),
            actor=actor,
            finding=rules.finding_to_dict(finding),
        )
        if row is not None and row.missed_deadline == violation.deadline:
            recorded[violation.pk] = row.result
    return recorded


def _finding_for(findings: list[rules.Finding], violation: Violation) -> rules.Finding:
    """The finding that decides the case: a non-compliant one if any, else the first."""
    own = [
        f
        for f in findings
        if f.article == violation.article and (f.subject or "") == violation.subject
    ]
    return next((f for f in own if f.outcome == rules.Outcome.NON_COMPLIANT), own[0])


def awaiting_records_check(day: datetime.date):
    """Premises violations checkable from records whose deadline passed, not yet verified."""
    return (
        Violation.objects.active()
        .filter(
            premises__isnull=False,
            article__in=sorted(rules.RECORD_VERIFIABLE_ARTICLES),
            deadline__lte=rules.last_missed_deadline(day),
            fine_due_on__isnull=True,
        )
        .select_related("premises")
        .order_by("pk")
    )


def verify_from_records(day: datetime.date, *, actor=None) -> int:
    """Check the record-keeping duties whose deadline passed from the portal's records.

    The premises are assessed as of ``day`` from their records alone (no inspection);
    the findings of each case's article and subject verify it. Returns how many cases
    were verified (persisting or rectified); a case the records cannot settle waits for
    a re-inspection.
    """
    waiting = list(awaiting_records_check(day))
    if not waiting:
        return 0
    by_premises: dict[int, list[Violation]] = defaultdict(list)
    for violation in waiting:
        by_premises[violation.premises_id].append(violation)
    premises = {v.premises_id: v.premises for v in waiting}
    book = PublishedRuleBook.load()
    version = book.version_on(day)
    if version is None:
        return 0
    params = parameters_of(version)
    facts = facts_for(premises.values(), day)
    verified = 0
    for premises_id, cases in by_premises.items():
        records_only = dataclasses.replace(facts[premises_id], inspection=None)
        findings = rules.assess(records_only, params, day, at_installation=book.parameters_on)
        findings = list(findings.findings)
        for violation in cases:
            result = rules.verification.result_of(findings, violation.article, violation.subject)
            if result is None:
                continue
            finding = _finding_for(findings, violation)
            row = verify(
                violation,
                result=result.value,
                method=VerificationMethod.RECORDS,
                verified_on=day,
                source_reference=RECORDS_REFERENCE,
                explanation=_finding_explanation(VerificationMethod.RECORDS, day, finding),
                actor=actor,
                finding=rules.finding_to_dict(finding),
            )
            verified += row is not None
    return verified
