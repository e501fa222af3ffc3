"""The deadline sweep: propose a fine for every missed deadline exactly once (Arts. 15-18).

Run nightly by Celery beat (Asia/Taipei) and on demand by administrators. For the day
it judges, it

1. closes, without a fine, violations whose missed deadline an exemption granted by
   then excuses (Art. 5-5/8-1 individual exemptions);
2. proposes a fine for every other violation whose deadline has passed and whose
   non-rectification has been verified, once any period to state an opinion has ended
   and within the three-year limit (``compliance.rules.verification``; and every
   Art. 17 refusal not fined yet): the nth fine at the nth step of the penalty schedule
   in force on the day of the offence (the last step repeats) and the new period to
   rectify (counted from service), the violation's deadline cleared until then, an
   event and an audit entry saying who and why. An official decides each proposal
   (:mod:`compliance.enforcement.services.proposals`): approval issues the decision, its
   number and its follow-ups; service starts the appeal period and the new deadline
   (:mod:`compliance.enforcement.services.serving`);
3. writes the reminders of deadlines coming up in the configured number of days.

**The engine decides, the database executes.** Every legal decision above is a call
to the rule engine: :func:`~compliance.rules.is_due` and
:func:`~compliance.rules.last_missed_deadline` (what is overdue),
:func:`~compliance.rules.offence_day` (whose rule book prices it),
:func:`~compliance.rules.next_fine` (step, amount, repeat rule, new deadline) and
:func:`~compliance.rules.covering_grant` (exemption cover); the lifecycle table gives
each transition. :class:`Judge` asks it once per distinct case of a run and caches
the answer. :mod:`compliance.enforcement.services.sweep_rows` claims the rows and writes the
decisions: on PostgreSQL one set-based statement per chunk that receives them as data
(:mod:`compliance.enforcement.services.sweep_sql`), elsewhere (the demo's SQLite) the ORM's bulk
operations.

Exactly once comes from the database, not from Celery (which may run a task twice or
lose it): ``one_fine_per_step`` is unique per violation and step and the fines are
inserted with ``ON CONFLICT DO NOTHING``; the work is claimed in chunks of rows locked
``FOR UPDATE SKIP LOCKED``, so two sweeps at once share the rows instead of both taking
them; each chunk is one transaction holding the fines, the violations' new state, the
events, the audit entries, the outbox rows and the run's counts, so a worker killed
mid-sweep leaves every chunk whole or absent, its run counting exactly what it
committed, and the next run (or the redelivered task) takes what is left.
Chunks follow the partial index ``violation_running_deadline`` in key order, each
starting after the last key of the one before, so a sweep reads each candidate once.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance import rules
from compliance.choices import SET_ASIDE_FINE_STATES, SweepStatus
from compliance.energy.services import data_orders
from compliance.enforcement.services.sweep_rows import (
    Closing,
    Decided,
    Fines,
    Issuer,
    Kind,
    claim,
    close,
    remind_orm,
    reminder_buckets,
    write_fines_orm,
)
from compliance.enforcement.services.sweep_runs import alive, start_run
from compliance.enforcement.services.sweep_sql import remind_sql, write_fines_sql
from compliance.enforcement.services.verification import verify_from_records
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import Fine, SweepRun, Violation
from compliance.rulebook.bridge import PublishedRuleBook, grants_for, parameters_of
from compliance.rules.lifecycle import Action, next_status
from portal import outbox
from portal.audit import SYSTEM_ACTOR

logger = logging.getLogger(__name__)

REMINDER_TOPIC = "enforcement.deadline_reminder"
EXEMPT_TOPIC = "enforcement.violation_closed"


def chunk_size() -> int:
    return settings.ENFORCEMENT_SWEEP_CHUNK


def worker_count() -> int:
    return settings.ENFORCEMENT_SWEEP_WORKERS


def reminder_days() -> tuple[int, ...]:
    return tuple(sorted(settings.ENFORCEMENT_REMINDER_DAYS))


def fine_reason(decision: rules.FineDecision, missed_deadline: datetime.date | None) -> str:
    """Return the event reason of a proposed fine, in the City's language."""
    values = {
        "deadline": missed_deadline,
        "step": decision.step,
        "amount": decision.amount_ntd,
        "article": decision.penalty_article,
    }
    with translation.override(settings.LANGUAGE_CODE):
        if missed_deadline is None:
            return (
                _(
                    "Inspection refused (Art. 10-1): a fine of NT$%(amount)s under Art. 17 is "
                    "proposed for an official's decision."
                )
                % values
            )
        return (
            _(
                "Deadline %(deadline)s missed: fine no. %(step)s of NT$%(amount)s under "
                "Art. %(article)s proposed for an official's decision."
            )
            % values
        )


def exempt_reason() -> str:
    """Return the event reason of a violation an exemption closed, in the City's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("An exemption granted by the deadline covers the missed deadline: no fine.")


@dataclass(frozen=True)
class Outcome:
    """What one pass over the candidates did."""

    fines: int = 0
    closed: int = 0
    unpriced: int = 0

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(
            self.fines + other.fines, self.closed + other.closed, self.unpriced + other.unpriced
        )


@dataclass(frozen=True)
class Plan:
    """What the engine decided about one chunk."""

    fines: Fines
    closings: list[Closing]
    unpriced: int


class Judge:
    """Ask the rule engine about the claimed violations of one day.

    Violations of the same case (article, deadline, fines so far, status) get the same
    answer, so each distinct case is decided once per run, and a chunk's rows are
    grouped by it; the cache is shared by the run's threads (a case decided twice at
    once gets the same answer).
    """

    def __init__(
        self, day: datetime.date, book: PublishedRuleBook, calendar: rules.WorkingCalendar
    ) -> None:
        self.day = day
        self.book = book
        self.calendar = calendar
        self._cases: dict[tuple, tuple[rules.Overdue, Decided | None]] = {}

    def decide(self, row) -> tuple[rules.Overdue, Decided | None]:
        """Return the engine's case of a claimed row and its fine (None: unpriced)."""
        # The refusal's day is its offence day; a missed deadline's does not matter.
        key = (
            row.article,
            row.deadline,
            row.fines_issued,
            row.found_on if row.deadline is None else None,
            row.fine_due_on,
            row.status,
        )
        known = self._cases.get(key)
        if known is not None:
            return known
        case = rules.Overdue(
            row.article,
            row.found_on,
            row.deadline,
            row.fines_issued,
            fine_due_on=row.fine_due_on,
        )
        if not rules.is_due(case, self.day):  # pragma: no cover - the claim ≠ the engine
            raise RuntimeError(f"Violation {row.pk} was claimed but is not due.")
        version = self.book.version_on(rules.offence_day(case))
        params = parameters_of(version) if version else None
        decision = rules.next_fine(case, self.day, params, self.calendar)
        decided = None
        if decision is not None:
            decided = Decided(
                version_id=version.pk,
                decision=decision,
                missed_deadline=case.deadline,
                # Proposing changes no state; the official's approval fines it.
                from_status=row.status,
                to_status=row.status,
                reason=fine_reason(decision, case.deadline),
            )
        self._cases[key] = (case, decided)
        return case, decided

    def plan(self, rows: Sequence) -> Plan:
        """Decide a chunk: close what an exemption excuses, fine the rest if priced."""
        exemptable = {row.premises_id for row in rows if row.may_be_exempt and row.premises_id}
        grants = grants_for(exemptable) if exemptable else {}
        # By the decision's identity: the cache gives each case one object (hashing
        # the decision itself for every row would cost more than the rest of the loop).
        fines: dict[int, tuple[Decided, list[tuple[int, int | None]]]] = {}
        closings: list[Closing] = []
        unpriced = 0
        for row in rows:
            case, decided = self.decide(row)
            if row.may_be_exempt and rules.covering_grant(
                tuple(grants.get(row.premises_id, ())),
                dataclasses.replace(case, subject=row.subject),
            ):
                target = next_status(row.status, Action.EXEMPT)
                closings.append(Closing(row.pk, row.status, target.value))
            elif decided is None:
                unpriced += 1
            else:
                fines.setdefault(id(decided), (decided, []))[1].append((row.pk, row.business))
        return Plan(list(fines.values()), closings, unpriced)


def set_based() -> bool:
    """Return whether fines are written by the set-based statement (PostgreSQL)."""
    return connection.vendor == "postgresql"


def sweep(
    day: datetime.date | None = None,
    *,
    actor=None,
    chunk: int | None = None,
    workers: int | None = None,
    deliver: bool = True,
) -> SweepRun:
    """Run the deadline sweep for ``day`` (today in Taipei); return its finished run row.

    Safe to run twice, at the same time, or after a run that died: each missed deadline
    gets exactly one fine. ``actor`` is the administrator who asked (None: the schedule).
    ``chunk``: violations per transaction (default ``ENFORCEMENT_SWEEP_CHUNK``);
    ``workers``: database connections claiming chunks at once (``ENFORCEMENT_SWEEP_WORKERS``).
    ``deliver=False`` leaves the follow-ups in the outbox without waking their delivery
    (the benchmark); the every-minute delivery job still finds them.
    """
    day = day or timezone.localdate()
    run = start_run(day, actor)
    try:
        with alive(run):
            # Art. 12-2 orders missed by the day become Art. 18 cases (verified from the
            # supplier's data as they open); the record-keeping duties whose deadline
            # passed are verified from the portal's records. Only verified cases are fined.
            data_orders.open_missed_cases(day, run=run)
            data_orders.verify_cases(day, run=run)
            verify_from_records(day, actor=run.triggered_by)
            outcome = fine_missed_deadlines(run, chunk=chunk, workers=workers)
            reminders = remind(day)
    except Exception as error:
        SweepRun.objects.filter(pk=run.pk).update(
            status=SweepStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    finish_run(run, outcome, reminders)
    if deliver and (outcome.fines or outcome.closed or reminders):
        outbox.wake()
    return run


def finish_run(run: SweepRun, outcome: Outcome, reminders: int, *, counted: bool = True) -> None:
    """Record a run as finished with its counts (and what could not be fined, if any).

    ``counted``: the fines and closings were already added to the run chunk by chunk (the
    sweep's own chunks do); otherwise (the benchmark's hand-written baseline) they are
    taken from ``outcome``.
    """
    unpriced_note = ""
    if outcome.unpriced:
        unpriced_note = _(
            "%(count)d overdue violation(s) could not be fined: no penalty schedule or "
            "rectification period was in force on the day the deadline was missed."
        ) % {"count": outcome.unpriced}
        logger.error("Deadline sweep %s: %s", run.pk, unpriced_note)
    counts = {} if counted else {"fines_issued": outcome.fines, "violations_closed": outcome.closed}
    SweepRun.objects.filter(pk=run.pk).update(
        status=SweepStatus.FINISHED,
        finished_at=timezone.now(),
        reminders_queued=reminders,
        error=unpriced_note,
        **counts,
    )
    run.refresh_from_db()


def issuer_of(
    day: datetime.date,
    *,
    run: SweepRun | None,
    user_id: int | None,
    label: str,
    calendar: rules.WorkingCalendar,
) -> Issuer:
    """Return who proposes the fines of ``day`` and their fixed values."""
    return Issuer(
        day=day,
        # Python's clock, not the database's: the same time base as every other event.
        now=timezone.now(),
        sweep_id=run.pk if run else None,
        user_id=user_id,
        label=label,
        exempt_topic=EXEMPT_TOPIC,
        exempt_reason=exempt_reason(),
    )


def fine_missed_deadlines(
    run: SweepRun,
    *,
    chunk: int | None = None,
    workers: int | None = None,
    set_based_writes: bool | None = None,
) -> Outcome:
    """Close, fine or count as unpriced every candidate of ``run.day``, chunk by chunk.

    ``workers`` database connections claim chunks at once on PostgreSQL, sharing the
    rows by ``SKIP LOCKED``; inside a caller's transaction (tests) and on SQLite there
    is one connection. ``set_based_writes`` chooses the writer (None: by database; the
    tests run the ORM's on PostgreSQL too).
    """
    chunk = chunk or chunk_size()
    workers = workers or worker_count()
    writes = set_based() if set_based_writes is None else set_based_writes
    calendar = calendar_for(run.day)
    judge = Judge(run.day, PublishedRuleBook.load(), calendar)
    issuer = issuer_of(
        run.day, run=run, user_id=run.triggered_by_id, label=run.actor_label, calendar=calendar
    )

    def work() -> Outcome:
        return _claim_until_done(judge, issuer, chunk=chunk, set_based_writes=writes)

    if workers <= 1 or not set_based() or connection.in_atomic_block:
        return work()
    return run_in_threads(work, workers)


def run_in_threads(work: Callable[[], Outcome], workers: int) -> Outcome:
    """Run ``work`` on ``workers`` threads, each with its own connection; sum the outcomes."""
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []

    def thread_main() -> None:
        try:
            outcomes.append(work())
        except BaseException as error:  # raised below, in the caller's thread
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [
        threading.Thread(target=thread_main, name=f"sweep-{index}") for index in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(outcomes, Outcome())


def _claim_until_done(
    judge: Judge, issuer: Issuer, *, chunk: int, set_based_writes: bool
) -> Outcome:
    """Run chunk after chunk, each one transaction, until no candidate is left to claim."""
    total = Outcome()
    for kind in (Kind.REFUSALS, Kind.MISSED):
        after: tuple[datetime.date | None, int] = (None, 0)
        while True:
            issuer = dataclasses.replace(issuer, now=timezone.now())
            claimed, outcome = _chunk(
                kind, judge, issuer, after=after, chunk=chunk, set_based_writes=set_based_writes
            )
            total += outcome
            if not claimed:
                break
            last = claimed[-1]
            after = (last.deadline if kind is Kind.REFUSALS else last.fine_due_on, last.pk)
    return total


def _chunk(
    kind: Kind,
    judge: Judge,
    issuer: Issuer,
    *,
    after: tuple[datetime.date | None, int],
    chunk: int,
    set_based_writes: bool,
    only: Sequence[int] | None = None,
) -> tuple[list, Outcome]:
    """Claim, decide and write one chunk in one transaction; return the rows and counts."""
    with transaction.atomic():
        claimed = claim(kind, judge.day, after=after, chunk=chunk, only=only)
        if not claimed:
            return claimed, Outcome()
        plan = judge.plan(claimed)
        closed = close(plan.closings, issuer)
        write = write_fines_sql if set_based_writes else write_fines_orm
        fines = write(plan.fines, issuer)
        if issuer.sweep_id is not None and (fines or closed):
            # In the chunk's own transaction: a run whose worker dies later still counts
            # exactly the fines and closings it committed.
            SweepRun.objects.filter(pk=issuer.sweep_id).update(
                fines_issued=F("fines_issued") + fines,
                violations_closed=F("violations_closed") + closed,
            )
    return claimed, Outcome(fines=fines, closed=closed, unpriced=plan.unpriced)


def remind(day: datetime.date) -> int:
    """Queue the reminders of deadlines coming up from ``day``; return how many are new."""
    buckets = reminder_buckets(reminder_days())
    if not buckets:
        return 0
    with transaction.atomic():
        if set_based():
            return remind_sql(day, buckets, topic=REMINDER_TOPIC, now=timezone.now())
        return remind_orm(day, buckets, topic=REMINDER_TOPIC)


def fine_directly(violation: Violation, *, actor) -> Fine | None:
    """Propose the fine of an Art. 17 refusal at once, in the caller's transaction.

    The sweep's own chunk, narrowed to this violation, so the amount comes from the
    schedule in force on the day of the refusal and a second call finds the proposal
    already made (and proposes nothing). An official decides it like any other.
    """
    if not violation.fined_directly:
        raise ValueError("Only an Art. 17 case is fined without a deadline.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else SYSTEM_ACTOR
    day = violation.found_on
    calendar = calendar_for(day)
    judge = Judge(day, PublishedRuleBook.load(), calendar)
    issuer = issuer_of(
        day, run=None, user_id=user.pk if user else None, label=label, calendar=calendar
    )
    _chunk(
        Kind.REFUSALS,
        judge,
        issuer,
        after=(None, 0),
        chunk=1,
        set_based_writes=set_based(),
        only=[violation.pk],
    )
    return (
        Fine.objects.filter(violation=violation, step=1)
        .exclude(status__in=SET_ASIDE_FINE_STATES)
        .first()
    )
