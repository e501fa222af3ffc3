"""The cases a visit verifies: before it (the briefing, the form) and after it (the result).

A missed deadline is fined only once non-rectification is established
(``compliance.enforcement.services.verification``): any visit of a premises after a
case's deadline verifies it, and completing the visit records a ``Verification`` per case
under the visit's reference (``visit-<id>``). This module only reads: it tells the
inspector which cases the visit is to verify (every running case of the premises whose
deadline has passed and awaits verification, and the case a re-inspection was planned
for), and afterwards what the visit established on each. A fixed number of queries,
however many inspections or cases.

Read-only like ``facts.py``, and beside it rather than in ``services/``: the pages, the
services and the report gatherer (``reports/gather.py``, which ``services/reports.py``
imports) all read it.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from compliance import rules
from compliance.articles import article_label
from compliance.choices import FineStatus, VerificationResult
from compliance.models import ComplianceAssessment, Fine, Verification, Violation
from compliance.rulebook.explain import explain_finding
from inspections.facts import visit_day
from inspections.models import Inspection, Visit

# The penalty articles whose findings open cases (advice-only findings open none).
ACTIONABLE_ARTICLES = frozenset(rules.PENALTY_ARTICLE_FOR)


class CaseState(enum.StrEnum):
    """Where a case stands with respect to the visit that verifies it."""

    TO_VERIFY = "to_verify"  # deadline passed, awaiting verification: this visit settles it
    NOT_DUE = "not_due"  # the deadline has not passed on the visit day
    ALREADY_VERIFIED = "already_verified"  # non-rectification established before the visit
    NOT_RUNNING = "not_running"  # rectified, closed or cancelled since it was planned
    PERSISTING = "persisting"  # verified at this visit: not rectified
    RECTIFIED = "rectified"  # verified at this visit: rectified
    NOT_ESTABLISHED = "not_established"  # the visit's findings did not settle it


STATE_LABELS = {
    CaseState.TO_VERIFY: _("Deadline passed: this visit verifies whether it was rectified"),
    CaseState.NOT_DUE: _("Deadline not yet passed: this visit cannot verify it"),
    CaseState.ALREADY_VERIFIED: _("Non-rectification already established"),
    CaseState.NOT_RUNNING: _("No longer running"),
    CaseState.PERSISTING: _("Not rectified: the fine follows"),
    CaseState.RECTIFIED: _("Rectified: no fine"),
    CaseState.NOT_ESTABLISHED: _("Not established at this visit: still awaits verification"),
}


@dataclasses.dataclass(frozen=True)
class Case:
    """One case a visit verifies, with what the inspector and the business need to see."""

    violation: Violation
    deadline: datetime.date | None
    state: CaseState
    fines: tuple[Fine, ...] = ()
    verification: Verification | None = None
    planned_for: bool = False

    @property
    def article_label(self) -> str:
        return article_label(self.violation.article)

    @property
    def penalty_label(self) -> str:
        return article_label(self.violation.penalty_article)

    @property
    def subject(self) -> str:
        return self.violation.subject

    @property
    def finding(self) -> str:
        """What was found: at this visit once verified, else when the case was opened."""
        if self.verification is not None and self.verification.finding:
            return explain_finding(self.verification.finding)
        return explain_finding(self.violation.finding)

    @property
    def fines_count(self) -> int:
        return len(self.fines)

    @property
    def fines_total_ntd(self) -> int:
        return sum(fine.amount_ntd for fine in self.fines)

    @property
    def statement_until(self) -> datetime.date | None:
        """The last day to state an opinion before the fine (APenA Art. 42), if given."""
        return self.verification.statement_until if self.verification is not None else None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def persisting(self) -> bool:
        return self.state == CaseState.PERSISTING

    @property
    def verified_here(self) -> bool:
        return self.state in (CaseState.PERSISTING, CaseState.RECTIFIED)


def _fines_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(
        f"{prefix}fines",
        queryset=Fine.objects.exclude(status=FineStatus.REVOKED).order_by("step"),
        to_attr="running_fines",
    )


def _fines_before(violation: Violation, deadline: datetime.date | None) -> tuple[Fine, ...]:
    """The fines of the deadlines missed before ``deadline`` (all of them without one)."""
    fines = getattr(violation, "running_fines", None)
    if fines is None:
        fines = list(violation.fines.exclude(status=FineStatus.REVOKED).order_by("step"))
    return tuple(
        fine
        for fine in fines
        if deadline is None or fine.missed_deadline is None or fine.missed_deadline < deadline
    )


def expected_day(inspection: Inspection, today: datetime.date) -> datetime.date:
    """Return the day a visit not yet made will take place: as planned, or today if later."""
    return max(inspection.scheduled_for, today)


def _pending_state(violation: Violation, day: datetime.date) -> CaseState:
    if not violation.is_active:
        return CaseState.NOT_RUNNING
    if violation.fine_due_on is not None:
        return CaseState.ALREADY_VERIFIED
    if not rules.counts_as_verification(violation.deadline, day):
        return CaseState.NOT_DUE
    return CaseState.TO_VERIFY


def _sorted(cases: Iterable[Case]) -> list[Case]:
    order = {number: index for index, number in enumerate(rules.ARTICLES)}
    return sorted(
        cases,
        key=lambda case: (
            not case.planned_for,
            order.get(case.violation.article, len(order)),
            case.violation.subject,
            case.violation.pk,
        ),
    )


def cases_to_verify(
    inspections: Sequence[Inspection],
    today: datetime.date,
    *,
    days: dict[int, datetime.date] | None = None,
) -> dict[int, list[Case]]:
    """Return, by inspection id, the cases each visit (not yet made) is to verify.

    Every running case of the premises whose deadline has passed by the visit day and
    whose non-rectification is not yet established, and the case a re-inspection was
    planned for (whatever its state, so the inspector sees why it needs no verifying).
    The visit day is ``days[inspection id]`` if given (a visit already under way), else
    the planned day or today if later. Two queries for any number of inspections.
    """
    if not inspections:
        return {}
    days = days or {}
    day_of = {
        inspection.pk: days.get(inspection.pk) or expected_day(inspection, today)
        for inspection in inspections
    }
    latest = max(day_of.values())
    premises_ids = {inspection.premises_id for inspection in inspections}
    planned_ids = {inspection.violation_id for inspection in inspections if inspection.violation_id}
    rows = (
        Violation.objects.filter(
            Q(pk__in=planned_ids)
            | Q(
                pk__in=Violation.objects.active()
                .filter(
                    premises_id__in=premises_ids,
                    deadline__isnull=False,
                    deadline__lt=latest,
                    fine_due_on__isnull=True,
                )
                .values("pk")
            )
        )
        .prefetch_related(_fines_prefetch())
        .order_by("pk")
    )
    by_premises: dict[int, list[Violation]] = defaultdict(list)
    by_id: dict[int, Violation] = {}
    for violation in rows:
        by_id[violation.pk] = violation
        by_premises[violation.premises_id].append(violation)
    result: dict[int, list[Case]] = {}
    for inspection in inspections:
        day = day_of[inspection.pk]
        cases: dict[int, Case] = {}
        planned = by_id.get(inspection.violation_id) if inspection.violation_id else None
        if planned is not None:
            cases[planned.pk] = Case(
                planned,
                planned.deadline,
                _pending_state(planned, day),
                _fines_before(planned, planned.deadline),
                planned_for=True,
            )
        for violation in by_premises.get(inspection.premises_id, ()):
            if violation.pk in cases or _pending_state(violation, day) != CaseState.TO_VERIFY:
                continue
            cases[violation.pk] = Case(
                violation,
                violation.deadline,
                CaseState.TO_VERIFY,
                _fines_before(violation, violation.deadline),
            )
        result[inspection.pk] = _sorted(cases.values())
    return result


def reference_of(visit: Visit) -> str:
    """The reference a visit's decision, violations and verifications are recorded under."""
    return f"visit-{visit.pk}"


def verified_at(visit: Visit) -> list[Case]:
    """Return what a completed visit established on each case it verified.

    The ``Verification`` rows recorded under the visit's reference (persisting or
    rectified), and the case a re-inspection was planned for if the visit did not settle
    it. Unchanging once the visit is completed: the report's hash relies on it. Three
    queries.
    """
    inspection = visit.inspection
    verifications = list(
        Verification.objects.filter(source_reference=reference_of(visit))
        .select_related("violation")
        .prefetch_related(_fines_prefetch("violation__"))
        .order_by("violation_id", "missed_deadline")
    )
    cases = [
        Case(
            row.violation,
            row.missed_deadline,
            CaseState.PERSISTING
            if row.result == VerificationResult.PERSISTING
            else CaseState.RECTIFIED,
            _fines_before(row.violation, row.missed_deadline),
            verification=row,
            planned_for=row.violation_id == inspection.violation_id,
        )
        for row in verifications
    ]
    if inspection.violation_id and not any(case.planned_for for case in cases):
        planned = (
            Violation.objects.prefetch_related(_fines_prefetch())
            .filter(pk=inspection.violation_id)
            .first()
        )
        if planned is not None:
            cases.append(
                Case(
                    planned,
                    planned.deadline,
                    CaseState.NOT_ESTABLISHED,
                    _fines_before(planned, planned.deadline),
                    planned_for=True,
                )
            )
    return _sorted(cases)


def visit_cases(visit: Visit, today: datetime.date) -> list[Case]:
    """Return the cases of a visit: what it established once completed, else what it verifies."""
    if visit.is_completed:
        return verified_at(visit)
    day = visit_day(visit) if visit.arrived_at else expected_day(visit.inspection, today)
    return cases_to_verify([visit.inspection], today, days={visit.inspection_id: day})[
        visit.inspection_id
    ]


def covered_findings(
    findings: Iterable[dict], opened: Iterable[Violation], cases: Iterable[Case]
) -> list[dict]:
    """Return the non-compliant findings that open a case but opened none at this visit.

    A finding of an article and subject that a case already running covers opens no
    second case (``open_violations``); unless this visit verified that case, the report
    says so rather than that no violation was found.
    """
    settled = {(v.article, v.subject or "") for v in opened}
    settled |= {
        (case.violation.article, case.violation.subject or "")
        for case in cases
        if case.verified_here
    }
    covered = []
    for finding in findings:
        article = str(finding.get("article") or "")
        if (
            finding.get("outcome") != rules.Outcome.NON_COMPLIANT
            or finding.get("advisory")
            or article not in ACTIONABLE_ARTICLES
            or (article, str(finding.get("subject") or "")) in settled
        ):
            continue
        covered.append(finding)
    return covered


def recorded_decision(premises_id: int, reference: str, day: datetime.date):
    """Return the stored decision a visit led to, or the one in force that day.

    ``record_inspection`` stores it with the visit's reference in its trigger; a visit
    that confirmed an unchanged decision wrote none, so the one in force on the visit day.
    """
    decisions = ComplianceAssessment.objects.filter(premises_id=premises_id).select_related(
        "rulebook_version"
    )
    recorded = Q(trigger__endswith=f" {reference}") | Q(trigger=reference)
    found = decisions.filter(recorded).order_by("-assessed_at", "-id").first()
    if found is None:
        found = (
            decisions.filter(as_of__lte=day, confirmed_on__gte=day, in_force=True)
            .order_by("-as_of", "-id")
            .first()
        )
    return found


@dataclasses.dataclass(frozen=True)
class VisitOutcome:
    """What a completed visit led to: the cases it opened, verified, and findings covered."""

    opened: list[Violation]
    cases: list[Case]
    covered: list[dict]

    @property
    def persisting(self) -> list[Case]:
        return [case for case in self.cases if case.persisting]

    @property
    def covered_rows(self) -> list[dict[str, str]]:
        """The covered findings as the active language shows them."""
        return [
            {
                "label": article_label(str(finding.get("article") or "")),
                "subject": str(finding.get("subject") or ""),
                "message": explain_finding(finding),
            }
            for finding in self.covered
        ]

    @property
    def nothing_found(self) -> bool:
        """No violation at all: none opened, none persisting, no finding left to act on.

        Only then may a page or the report say that no violation was found.
        """
        return not self.opened and not self.persisting and not self.covered


def outcome_of(
    visit: Visit, opened: list[Violation], findings: Iterable[dict] | None = None
) -> VisitOutcome:
    """Return what completed ``visit`` led to (``findings``: its decision's, if known).

    ``opened``: the violations the visit opened (its reference). The decision's findings
    are read when not given.
    """
    cases = verified_at(visit)
    if findings is None:
        decision = recorded_decision(
            visit.inspection.premises_id, reference_of(visit), visit_day(visit)
        )
        findings = decision.findings if decision is not None else [v.finding for v in opened]
    return VisitOutcome(opened, cases, covered_findings(findings, opened, cases))
