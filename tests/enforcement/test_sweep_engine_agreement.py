"""The sweep writes what the rule engine decides: every penalty article, step and boundary.

For each penalty article (15, 16, 17, 18), every step from the first to one past the
end of the longer schedule, deadlines around the sweep's day and a rule-book version
taking effect on the boundary, the proposed fines, steps, amounts and new periods to
rectify the sweep's statement writes (PostgreSQL, set-based) equal what ``compliance.rules``
returns; so do
the ORM's writes (the demo's SQLite path), and the exemption closings. Only verified
cases are due: each passed deadline comes unverified, verified with its fine due before,
on and after the sweep's day (a period to state an opinion still running). New deadlines
are counted from service (``tests/compliance/rules/test_fining.py``). Every proposal comes
with its audit entry; both approval writers number decisions alike.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools

import pytest
from django.db import connection
from django.utils import timezone

from compliance import rules
from compliance.choices import ExemptionReason, FineStatus, ViolationStatus
from compliance.enforcement.services import proposals, sweep, sweep_runs
from compliance.enforcement.services.sweep_rows import fine_changes
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import Exemption, Fine, RuleBookVersion, Violation
from compliance.rulebook.bridge import PublishedRuleBook, grants_for, parameters_of
from portal.choices import AuditAction
from portal.models import AuditEntry
from tests.deciding import at_noon, official
from tests.factories import ensure_rulebook, make_premises

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)  # the day the sweep judges
CHANGE = DAY - datetime.timedelta(days=1)  # a rule-book version takes effect that day


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# Deadlines around the sweep's day: still running, the last day to rectify, missed the
# day before (offence on the sweep's day), two days before (offence on the change day:
# the new version) and three days before (offence the day before the change: the old).
DEADLINES = [DAY + days(1), DAY, DAY - days(1), DAY - days(2), DAY - days(3)]
# Refusals (Art. 17) found before, on and after the change day.
REFUSALS_FOUND = [CHANGE - days(1), CHANGE, DAY]
# The obligations whose penalty article has a deadline: Arts. 15, 16 and 18.
WITH_DEADLINES = {"15": "5-5", "16": "5-3", "18": "12"}

NEW_SCHEDULES = {
    "15": (12_000, 18_000, 24_000, 30_000),  # longer than the old one
    "16": (25_000,),  # a single step, repeated from the first fine
    "17": (35_000, 45_000),
    "18": (31_000, 32_000, 33_000),
}
NEW_PERIODS = {"5-5": 10, "5-3": 45, "12": 21}
# Whether and when a passed deadline's fine is due: unverified, due the day before, on
# the sweep's day, and the day after (a statement period still running).
FINE_DUE = [None, DAY - days(1), DAY, DAY + days(1)]


@pytest.fixture
def versions(administrator):
    """The rule book in force before the change day, and the one published for it."""
    ensure_rulebook()
    old = RuleBookVersion.objects.published().order_by("-effective_from").first()
    params = parameters_of(old)
    params = dataclasses.replace(
        params,
        penalty_schedules=tuple(
            rules.PenaltySchedule(article, amounts) for article, amounts in NEW_SCHEDULES.items()
        ),
        rectification_periods=tuple(
            rules.RectificationPeriod(p.article, NEW_PERIODS.get(p.article, p.days))
            for p in params.rectification_periods
        ),
    )
    new = RuleBookVersion.objects.create(
        title="tests: new schedules",
        status="published",
        published_at=timezone.now(),
        published_by=administrator,
        effective_from=CHANGE,
        parameters=rules.params_to_dict(params),
    )
    assert old.effective_from < CHANGE
    return old, new


@pytest.fixture
def cases(versions, premises, supplier):
    """Open and fined violations of every penalty article, step and boundary day."""
    old, _new = versions
    numbers = itertools.count(1)
    longest = max(
        len(parameters_of(v).penalty_schedule_for(p) or ()) for v in versions for p in NEW_SCHEDULES
    )
    made = []

    def make(article, deadline, fines_issued, found_on, fine_due_on=None):
        made.append(
            Violation.objects.create(
                premises=None if article == "12" else premises,
                supplier=supplier if article == "12" else None,
                article=article,
                penalty_article=rules.penalty_article_for(article),
                subject="",
                message_key="test_finding",
                finding={"article": article},
                rulebook_version=old,
                parameters=old.parameters,
                found_on=found_on,
                deadline=deadline,
                fines_issued=fines_issued,
                fine_due_on=fine_due_on,
                status=ViolationStatus.FINED if fines_issued else ViolationStatus.OPEN,
                source_reference=f"agreement-{next(numbers)}",
            )
        )

    for article in WITH_DEADLINES.values():
        for deadline in DEADLINES:
            for fines_issued in range(longest + 1):  # steps 1 ... n + 1
                for due in FINE_DUE if deadline < DAY else [None]:
                    make(article, deadline, fines_issued, deadline - days(30), due)
    for found_on in REFUSALS_FOUND:
        make("10-1", None, 0, found_on)
    make("10-1", None, 1, CHANGE)  # a refusal already fined: nothing more
    return made


def expected_fine(violation: Violation) -> tuple[RuleBookVersion, rules.FineDecision] | None:
    """Return what the engine decides for ``violation`` on DAY (None: no fine)."""
    case = rules.Overdue(
        article=violation.article,
        found_on=violation.found_on,
        deadline=violation.deadline,
        fines_issued=violation.fines_issued,
        subject=violation.subject,
        fine_due_on=violation.fine_due_on,
    )
    if not rules.is_due(case, DAY):
        return None
    version = PublishedRuleBook.load().version_on(rules.offence_day(case))
    return version, rules.next_fine(case, DAY, parameters_of(version), calendar_for(DAY))


def run_sweep(writer: str) -> int:
    """Fine what is due on DAY (the verification steps of a full sweep left out)."""
    set_based = writer == "set-based SQL"
    if set_based and connection.vendor != "postgresql":
        pytest.skip("The set-based statement is PostgreSQL's.")
    run = sweep_runs.start_run(DAY)
    return sweep.fine_missed_deadlines(run, set_based_writes=set_based).fines


WRITERS = ["set-based SQL", "ORM"]


@pytest.mark.parametrize("writer", WRITERS)
def test_every_fine_written_is_the_engines_decision(writer, versions, cases):
    before = {v.pk: (v.status, v.deadline, v.fines_issued, v.fine_due_on) for v in cases}
    expected = {v.pk: expected_fine(v) for v in cases}

    fined = run_sweep(writer)

    assert fined == sum(1 for e in expected.values() if e is not None)
    for violation in cases:
        fines = list(Fine.objects.filter(violation=violation))
        violation.refresh_from_db()
        if expected[violation.pk] is None:
            assert fines == []
            assert (
                violation.status,
                violation.deadline,
                violation.fines_issued,
                violation.fine_due_on,
            ) == before[violation.pk]
            continue
        version, decision = expected[violation.pk]
        (fine,) = fines
        assert (
            fine.step,
            fine.penalty_article,
            fine.amount_ntd,
            fine.amount_due_ntd,
            fine.schedule,
            fine.offence_on,
            fine.rectify_within_days,
            fine.rulebook_version_id,
            fine.missed_deadline,
            fine.proposed_on,
            fine.status,
            fine.document_number,
            fine.issued_on,
            fine.new_deadline,
            fine.appeal_until,
        ) == (
            decision.step,
            decision.penalty_article,
            decision.amount_ntd,
            decision.amount_ntd,
            list(decision.schedule),
            decision.offence_on,
            decision.rectify_within_days,
            version.pk,
            before[violation.pk][1],
            DAY,
            FineStatus.PROPOSED,
            None,
            None,
            None,
            None,
        )
        # Proposed: the state waits for the official; no deadline runs until service.
        assert (
            violation.status,
            violation.deadline,
            violation.fines_issued,
            violation.fine_due_on,
        ) == (before[violation.pk][0], None, decision.step, None)


@pytest.mark.parametrize("writer", WRITERS)
def test_the_boundaries_are_really_crossed(writer, versions, cases):
    """The table above reaches each schedule's repeat and both sides of the change."""
    old, new = versions
    run_sweep(writer)
    fines = Fine.objects.all()
    assert {f.rulebook_version_id for f in fines} == {old.pk, new.pk}
    for penalty, amounts in NEW_SCHEDULES.items():
        of_new = fines.filter(penalty_article=penalty, rulebook_version=new)
        reached = {amounts[0]} if penalty == "17" else set(amounts)  # a refusal: once
        assert set(of_new.values_list("amount_ntd", flat=True)) == reached
    assert fines.filter(penalty_article="15", step=5, amount_ntd=30_000).exists()
    # Offence on the change day: the new version; the day before: the old one.
    on_change = fines.filter(offence_on=CHANGE)
    assert set(on_change.values_list("rulebook_version_id", flat=True)) == {new.pk}
    assert set(on_change.values_list("missed_deadline", flat=True)) == {DAY - days(2), None}
    before_change = fines.filter(offence_on=CHANGE - days(1))
    assert set(before_change.values_list("rulebook_version_id", flat=True)) == {old.pk}
    assert not fines.filter(missed_deadline__gte=DAY).exists()
    # Unverified cases and cases whose statement period still runs are not fined.
    assert (
        not Fine.objects.filter(violation__fine_due_on__isnull=True, step=1)
        .filter(violation__source_reference__in=[])
        .exists()
    )
    assert not Violation.objects.filter(fine_due_on=DAY + days(1), fines__isnull=False).exists()
    assert Violation.objects.filter(fine_due_on=DAY + days(1)).exists()
    # The new period to rectify is the version's of the day of the offence.
    for article, days_new in NEW_PERIODS.items():
        of_article = fines.filter(violation__article=article)
        assert set(
            of_article.filter(rulebook_version=new).values_list("rectify_within_days", flat=True)
        ) == {days_new}
        old_days = parameters_of(old).rectification_days_for(article)
        assert set(
            of_article.filter(rulebook_version=old).values_list("rectify_within_days", flat=True)
        ) == {old_days}
    assert set(
        fines.filter(penalty_article="17").values_list("rectify_within_days", flat=True)
    ) == {None}


@pytest.mark.parametrize("writer", WRITERS)
def test_every_fine_has_its_audit_entry_recording_what_was_decided(writer, versions, cases):
    run_sweep(writer)
    fines = list(Fine.objects.select_related("violation__premises"))
    entries = {
        int(entry.object_id): entry
        for entry in AuditEntry.objects.filter(object_type="compliance.fine")
    }
    assert len(entries) == len(fines) > 0
    for fine in fines:
        entry = entries[fine.pk]
        assert entry.action == AuditAction.CREATE
        assert entry.actor_id is None
        assert entry.actor_label == sweep_runs.SWEEP_ACTOR
        assert entry.object_repr == f"#{fine.pk}"  # a proposal has no number yet
        assert entry.changes == fine_changes(fine)
        assert entry.business_id == fine.violation.owner_business_id
        assert entry.reason == fine.violation.events.order_by("pk").last().reason
        assert f"NT${fine.amount_ntd}" in entry.reason


@pytest.fixture
def exempted(versions, business, administrator):
    """Art. 5-5 violations at a premises with grants decided on, and after, deadlines."""
    premises = make_premises(business)
    made = {}
    for deadline, decided in [
        (DAY - days(1), DAY - days(1)),  # granted on the last day to rectify: excused
        (DAY - days(3), DAY - days(2)),  # granted the day after: not excused
    ]:
        tag = f"AC-{deadline:%d}"
        made[deadline] = Violation.objects.create(
            premises=premises,
            article="5-5",
            penalty_article="15",
            subject=tag,
            message_key="test_finding",
            finding={"article": "5-5"},
            rulebook_version=versions[0],
            parameters=versions[0].parameters,
            found_on=deadline - days(14),
            deadline=deadline,
            fine_due_on=DAY,  # verified: the facts persist
            source_reference=f"agreement-exempted-{tag}",
        )
        Exemption.objects.create(
            premises=premises,
            article="5-5",
            reason=ExemptionReason.OTHER,
            explanation="Medical needs",
            valid_from=deadline - days(20),
            status="approved",
            decided_by=administrator,
            decided_at=timezone.make_aware(datetime.datetime.combine(decided, datetime.time(9))),
        )
    return premises, made


@pytest.mark.parametrize("writer", WRITERS)
def test_exemptions_close_exactly_what_the_engine_says_they_cover(writer, exempted):
    premises, made = exempted
    grants = tuple(grants_for([premises.pk])[premises.pk])
    covered = {
        deadline: rules.covering_grant(
            grants, rules.Overdue("5-5", v.found_on, v.deadline, 0, v.subject)
        )
        is not None
        for deadline, v in made.items()
    }
    assert covered == {DAY - days(1): True, DAY - days(3): False}

    run_sweep(writer)

    for deadline, violation in made.items():
        violation.refresh_from_db()
        if covered[deadline]:
            assert violation.status == ViolationStatus.CLOSED
            assert not violation.fines.exists()
            entry = AuditEntry.objects.get(
                object_type="compliance.violation", object_id=str(violation.pk)
            )
            assert entry.changes == {"status": ["open", "closed"]}
            assert entry.business_id == premises.business_id
        else:
            assert violation.status == ViolationStatus.OPEN  # proposed, not decided yet
            assert violation.fines.get().status == FineStatus.PROPOSED


@pytest.mark.parametrize("writer", WRITERS)
def test_decision_numbers_keep_every_digit_past_seven(writer, versions, premises):
    """Both approval writers number a decision ``{id:07d}``: padded below 10,000,000, whole
    above."""
    if connection.vendor != "postgresql":
        pytest.skip("Sets PostgreSQL's sequence.")
    violation = Violation.objects.create(
        premises=premises,
        article="5-5",
        penalty_article="15",
        message_key="test_finding",
        finding={"article": "5-5"},
        rulebook_version=versions[0],
        parameters=versions[0].parameters,
        found_on=DAY - days(20),
        deadline=DAY - days(1),
        fine_due_on=DAY,
        source_reference="agreement-numbering",
    )
    sequence = "pg_get_serial_sequence('compliance_fine', 'id')"
    with connection.cursor() as cursor:
        # A sequence ignores the test's rollback: put it back as it was afterwards.
        cursor.execute(f"SELECT pg_sequence_last_value({sequence}::regclass)")
        (before,) = cursor.fetchone()  # None: never used
        cursor.execute(
            f"SELECT setval({sequence}, greatest(12345677, (SELECT max(id) FROM compliance_fine)))"
        )
    try:
        run_sweep(writer)
        fine = Fine.objects.get(violation=violation)
        with at_noon(DAY):
            proposals.approve_many(official(), [fine.pk], set_based=writer == "set-based SQL")

        fine.refresh_from_db()
        assert fine.pk >= 12_345_678
        assert fine.document_number == f"TPE-EC-P-2026-{fine.pk:07d}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval({sequence}, %s, %s)", [before or 1, before is not None])
