"""The deadline sweep: fine every missed deadline exactly once (Arts. 15-18).

Run nightly by Celery beat (Asia/Taipei) and on demand by administrators. For the day
it judges, it

1. closes, without a fine, violations whose missed deadline fell under an exemption
   granted by then (Art. 5-5/8-1 individual exemptions);
2. fines every other violation whose deadline has passed (and every Art. 17 refusal
   not fined yet): the nth fine at the nth step of the penalty schedule in force on the
   day the deadline was missed (the last step repeats), a new deadline counted from the
   day of the fine, the violation moved to *fined*, an event saying who and why, and an
   outbox message that delivers the follow-ups (the penalty decision PDF, the email to
   the business, the re-inspection) after the commit;
3. writes the reminders of deadlines coming up in the configured number of days.

Exactly once comes from PostgreSQL, not from Celery (which may run a task twice or lose
it): ``one_fine_per_step`` is unique per violation and step and the fines are inserted
with ``ON CONFLICT DO NOTHING``; the work is claimed in chunks of rows locked ``FOR UPDATE
SKIP LOCKED``, so two sweeps at once share the rows instead of both taking them; each
chunk is one transaction holding the fines, the violations' new state, the events and
the outbox rows, so a worker killed mid-sweep leaves every chunk whole or absent, and the
next run (or the redelivered task) takes what is left. Everything is set-based SQL: one
statement per chunk (closing, fining, events, outbox), no per-row ``save()``; chunks
follow the partial index ``violation_running_deadline`` in key order, each starting
after the last key of the one before, so a sweep reads each candidate once.

The SQL runs on PostgreSQL only; SQLite (the demo's embedded default) gets the same
rules through :mod:`compliance.services.sweep_portable`, row by row, which is fine for a
demo's size.
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.choices import SweepStatus
from compliance.models import Fine, RuleBookVersion, SweepRun, Violation
from compliance.rulebook import parameters_of
from compliance.services import data_orders
from compliance.services.sweep_runs import alive, start_run
from portal import outbox
from portal.audit import SYSTEM_ACTOR

logger = logging.getLogger(__name__)

DECISION_PREFIX = "TPE-EC-P"
FINE_TOPIC = "enforcement.fine_issued"
REMINDER_TOPIC = "enforcement.deadline_reminder"
EXEMPT_TOPIC = "enforcement.violation_closed"


@dataclass(frozen=True)
class Tariff:
    """The schedules and periods of every published version, as SQL parameters (JSON).

    ``schedules`` is a list of rows (one per version, penalty article and step);
    ``periods`` an object of rectification days by ``"<version id>:<article>"``, looked
    up per violation (a join would be re-scanned for every row of a chunk).
    """

    schedules: str
    periods: str

    @classmethod
    def load(cls) -> Tariff:
        versions = list(RuleBookVersion.objects.published().order_by("effective_from"))
        schedules: list[dict] = []
        periods: dict[str, int] = {}
        for index, version in enumerate(versions):
            until = versions[index + 1].effective_from if index + 1 < len(versions) else None
            params = parameters_of(version)
            for schedule in params.penalty_schedules:
                amounts = list(schedule.amounts_ntd)
                for step, amount in enumerate(amounts, start=1):
                    schedules.append(
                        {
                            "version_id": version.pk,
                            "valid_from": version.effective_from.isoformat(),
                            "valid_until": until.isoformat() if until else None,
                            "penalty_article": schedule.penalty_article,
                            "step": step,
                            "steps": len(amounts),
                            "amount": amount,
                            "amounts": amounts,
                        }
                    )
            for period in params.rectification_periods:
                periods[f"{version.pk}:{period.article}"] = period.days
        return cls(json.dumps(schedules), json.dumps(periods))


def chunk_size() -> int:
    return settings.ENFORCEMENT_SWEEP_CHUNK


def worker_count() -> int:
    return settings.ENFORCEMENT_SWEEP_WORKERS


def appeal_days() -> int:
    return settings.ENFORCEMENT_APPEAL_DAYS


def reminder_days() -> tuple[int, ...]:
    return tuple(sorted(settings.ENFORCEMENT_REMINDER_DAYS))


def fine_reason_templates() -> tuple[str, str]:
    """Return the event reasons (missed deadline, Art. 17 refusal) as ``format()`` strings.

    In the City's language, with positional fields ``%1$s``-``%5$s`` (deadline, step,
    amount, article, new deadline) that PostgreSQL's ``format()`` fills in.
    """
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Deadline %(deadline)s missed: fine no. %(step)s of NT$%(amount)s under "
            "Art. %(article)s; new deadline %(new_deadline)s."
        )
        direct = _("Inspection refused (Art. 10-1): fined NT$%(amount)s under Art. 17.")
    # Escape literal percent signs, then turn the named fields into format()'s positions.
    fields = {
        "deadline": "%1$s",
        "step": "%2$s",
        "amount": "%3$s",
        "article": "%4$s",
        "new_deadline": "%5$s",
    }
    return (text % fields), (direct % fields)


def exempt_reason() -> str:
    """Return the event reason of a violation an exemption closed, in the City's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("An exemption granted by the deadline covers the missed deadline: no fine.")


# The rows the sweep may act on, in two kinds each claimed in its own key order, so
# every chunk continues an index range scan where the last one stopped (keyset), never
# re-reading what is behind it: running deadlines that passed, by (deadline, id) on the
# partial index ``violation_running_deadline``; and Art. 17 cases not fined yet (no
# deadline), by id on the same index's NULL range. ``%(only)s`` narrows a claim to given
# violations (an Art. 17 refusal fined at once when recorded).
_CANDIDATES = "v.status IN ('open', 'fined')"  # the states the lifecycle table lets us fine

_MISSED_DEADLINES = f"""
    {_CANDIDATES}
    AND v.deadline < %(today)s
    AND (v.deadline, v.id) > (%(after_deadline)s::date, %(after)s::bigint)
    AND (%(only)s::bigint[] IS NULL OR v.id = ANY(%(only)s::bigint[]))
    ORDER BY v.deadline, v.id
"""

_UNFINED_REFUSALS = f"""
    {_CANDIDATES}
    AND v.deadline IS NULL
    AND v.penalty_article = '17'
    AND v.fines_issued = 0
    AND v.id > %(after)s
    AND (%(only)s::bigint[] IS NULL OR v.id = ANY(%(only)s::bigint[]))
    ORDER BY v.id
"""

# An exemption covering the violation on the day its deadline was missed, granted on or
# before the deadline (Taipei dates). A premises-wide grant covers every subject.
_EXEMPTED = """
    EXISTS (
        SELECT 1 FROM compliance_exemption e
        LEFT JOIN compliance_equipment q ON q.id = e.equipment_id
        WHERE e.premises_id = c.premises_id
          AND e.article = c.article
          AND e.status IN ('approved', 'revoked')
          AND (e.decided_at AT TIME ZONE %(tz)s)::date <= c.deadline
          AND e.valid_from <= c.deadline + 1
          AND (e.valid_until IS NULL OR e.valid_until >= c.deadline + 1)
          AND (e.revoked_on IS NULL OR e.revoked_on > c.deadline + 1)
          AND (e.equipment_id IS NULL OR q.tag = c.subject)
    )
"""

# One chunk, one statement, one transaction: claim the next rows (locked, skipping rows
# another sweep holds), close those an exemption covers, fine the others at the step the
# schedule in force on the day of the offence gives, move them to *fined* with the new
# deadline, and write the events and the outbox rows. Every data-modifying CTE sees the
# same snapshot, so what they need from each other travels in RETURNING, never by
# re-reading a table; and no join between two CTEs (the planner estimates them at one
# row and would loop over every pair): the old statuses are looked up in one JSON object.
_CHUNK = """
WITH schedules AS (
    SELECT * FROM jsonb_to_recordset(%(schedules)s::jsonb) AS s(
        version_id bigint, valid_from date, valid_until date, penalty_article text,
        step int, steps int, amount int, amounts jsonb)
),
claimed AS MATERIALIZED (
    SELECT v.id, v.premises_id, v.article, v.subject, v.penalty_article, v.deadline,
           v.found_on, v.fines_issued, v.status,
           COALESCE(v.deadline + 1, v.found_on) AS offence_on
    FROM compliance_violation v
    WHERE {candidates}
    LIMIT %(chunk)s
    FOR UPDATE OF v SKIP LOCKED
),
judged AS MATERIALIZED (
    SELECT c.*, (c.deadline IS NOT NULL AND {exempted}) AS exempt FROM claimed c
),
closed AS (
    UPDATE compliance_violation v SET status = 'closed'
      FROM judged x
     WHERE x.exempt AND v.id = x.id
    RETURNING v.id, x.status AS from_status
),
closed_events AS (
    INSERT INTO compliance_violationevent
        (violation_id, from_status, to_status, actor_id, actor_label, at, reason)
    SELECT id, from_status, 'closed', %(user)s, %(label)s, %(now)s, %(exempt_reason)s
    FROM closed
),
closed_notes AS (
    INSERT INTO portal_outboxmessage (topic, payload, created_at, available_at, attempts,
                                      last_error)
    SELECT %(exempt_topic)s, jsonb_build_object('violation', id), %(now)s, %(now)s, 0, ''
    FROM closed
),
priced AS MATERIALIZED (
    SELECT c.id, c.deadline, c.offence_on, c.penalty_article,
           c.fines_issued + 1 AS step, s.version_id, s.amount, s.amounts,
           CASE WHEN c.penalty_article = '17' THEN NULL
                ELSE %(today)s::date + p.days END AS new_deadline,
           nextval(pg_get_serial_sequence('compliance_fine', 'id')) AS fine_id
    FROM judged c
    JOIN schedules s
      ON s.penalty_article = c.penalty_article
     AND s.valid_from <= c.offence_on
     AND (s.valid_until IS NULL OR c.offence_on < s.valid_until)
     AND s.step = LEAST(c.fines_issued + 1, s.steps)
    CROSS JOIN LATERAL (
        SELECT (%(periods)s::jsonb ->> (s.version_id || ':' || c.article))::int AS days
    ) p
    WHERE NOT c.exempt AND (c.penalty_article = '17' OR p.days IS NOT NULL)
),
fined AS (
    INSERT INTO compliance_fine
        (id, violation_id, step, penalty_article, amount_ntd, amount_due_ntd,
         missed_deadline, offence_on, issued_on, new_deadline, appeal_until,
         rulebook_version_id, schedule, status, document_number, sweep_id, issued_by_id,
         actor_label, issued_at)
    SELECT fine_id, id, step, penalty_article, amount, amount,
           deadline, offence_on, %(today)s, new_deadline, %(today)s::date + %(appeal_days)s,
           version_id, amounts, 'issued',
           %(prefix)s || '-' || to_char(%(today)s::date, 'YYYY') || '-'
               || lpad(fine_id::text, 7, '0'),
           %(sweep)s, %(user)s, %(label)s, %(now)s
    FROM priced
    ON CONFLICT (violation_id, step) DO NOTHING
    RETURNING id, violation_id, step, penalty_article, amount_ntd, missed_deadline,
              new_deadline
),
moved AS (
    UPDATE compliance_violation v
       SET status = 'fined', fines_issued = f.step, deadline = f.new_deadline
      FROM fined f
     WHERE v.id = f.violation_id
    RETURNING v.id
),
statuses AS (
    SELECT jsonb_object_agg(id, status) AS by_id FROM judged
),
events AS (
    INSERT INTO compliance_violationevent
        (violation_id, from_status, to_status, actor_id, actor_label, at, reason)
    SELECT f.violation_id, (SELECT by_id FROM statuses) ->> f.violation_id::text, 'fined',
           %(user)s, %(label)s, %(now)s,
           format(CASE WHEN f.penalty_article = '17' THEN %(direct_reason)s
                       ELSE %(fine_reason)s END,
                  f.missed_deadline, f.step, f.amount_ntd, f.penalty_article,
                  f.new_deadline)
    FROM fined f
),
follow_ups AS (
    INSERT INTO portal_outboxmessage (topic, payload, created_at, available_at, attempts,
                                      last_error)
    SELECT %(fine_topic)s, jsonb_build_object('fine', f.id), %(now)s, %(now)s, 0, ''
    FROM fined f
)
SELECT (SELECT count(*) FROM claimed), last.deadline, last.id,
       (SELECT count(*) FROM closed), (SELECT count(*) FROM fined),
       (SELECT count(*) FROM moved),
       (SELECT count(*) FROM judged WHERE NOT exempt) - (SELECT count(*) FROM priced)
FROM (SELECT 1) one
LEFT JOIN LATERAL (
    SELECT deadline, id FROM claimed ORDER BY deadline DESC NULLS LAST, id DESC LIMIT 1
) last ON true
"""

_MISSED_DEADLINES_CHUNK = _CHUNK.format(candidates=_MISSED_DEADLINES, exempted=_EXEMPTED)
_UNFINED_REFUSALS_CHUNK = _CHUNK.format(candidates=_UNFINED_REFUSALS, exempted=_EXEMPTED)

_REMINDERS = """
WITH due AS (
    SELECT v.id, v.deadline, v.deadline - %(today)s::date AS days_left
    FROM compliance_violation v
    WHERE v.status IN ('open', 'fined')
      AND v.deadline >= %(today)s AND v.deadline <= %(today)s::date + %(horizon)s
),
bucketed AS (
    SELECT d.*, (SELECT min(b) FROM unnest(%(days)s::int[]) b WHERE b >= d.days_left) AS bucket
    FROM due d
),
written AS (
    INSERT INTO portal_outboxmessage (topic, payload, dedupe_key, created_at, available_at,
                                      attempts, last_error)
    SELECT %(topic)s,
           jsonb_build_object('violation', id, 'deadline', deadline, 'days', bucket),
           'reminder:' || id || ':' || deadline || ':' || bucket, %(now)s, %(now)s, 0, ''
    FROM bucketed
    ORDER BY id
    ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM written
"""


@dataclass(frozen=True)
class Outcome:
    """What one pass over the candidates did."""

    fines: int = 0
    closed: int = 0
    unpriced: int = 0


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
    chunk = chunk or chunk_size()
    workers = workers or worker_count()
    run = start_run(day, actor)
    try:
        with alive(run):
            # Art. 12-2 orders missed by the day become Art. 18 cases, fined below.
            data_orders.open_missed_cases(day, run=run)
            if connection.vendor == "postgresql":
                outcome = _sweep_sql(run, chunk=chunk, workers=workers)
                reminders = _remind_sql(day)
            else:
                from compliance.services import sweep_portable

                outcome = sweep_portable.sweep(run)
                reminders = sweep_portable.remind(day)
    except Exception as error:
        SweepRun.objects.filter(pk=run.pk).update(
            status=SweepStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    unpriced_note = ""
    if outcome.unpriced:
        unpriced_note = _(
            "%(count)d overdue violation(s) could not be fined: no penalty schedule or "
            "rectification period was in force on the day the deadline was missed."
        ) % {"count": outcome.unpriced}
        logger.error("Deadline sweep %s: %s", run.pk, unpriced_note)
    SweepRun.objects.filter(pk=run.pk).update(
        status=SweepStatus.FINISHED,
        finished_at=timezone.now(),
        fines_issued=outcome.fines,
        violations_closed=outcome.closed,
        reminders_queued=reminders,
        error=unpriced_note,
    )
    if deliver and (outcome.fines or outcome.closed or reminders):
        outbox.wake()
    run.refresh_from_db()
    return run


def _parameters(run: SweepRun, *, only=None, user_id=None, label=None) -> dict:
    tariff = Tariff.load()
    fine_reason, direct_reason = fine_reason_templates()
    return {
        "today": run.day if run else timezone.localdate(),
        # Python's clock, not the database's: the same time base as every other event.
        "now": timezone.now(),
        "after_deadline": datetime.date.min,
        "after": 0,
        "only": only,
        "chunk": chunk_size(),
        "tz": settings.TIME_ZONE,
        "schedules": tariff.schedules,
        "periods": tariff.periods,
        "appeal_days": appeal_days(),
        "prefix": DECISION_PREFIX,
        "sweep": run.pk if run else None,
        "user": user_id if user_id is not None else (run.triggered_by_id if run else None),
        "label": label or (run.actor_label if run else SYSTEM_ACTOR),
        "fine_reason": fine_reason,
        "direct_reason": direct_reason,
        "exempt_reason": exempt_reason(),
        "fine_topic": FINE_TOPIC,
        "exempt_topic": EXEMPT_TOPIC,
    }


def _sweep_sql(run: SweepRun, *, chunk: int, workers: int) -> Outcome:
    """Sweep with ``workers`` connections at once, sharing the rows by ``SKIP LOCKED``.

    Inside a caller's transaction (tests) there is one connection: chunks can only be
    savepoints of that transaction, which another connection would not see.
    """
    params = _parameters(run)
    params["chunk"] = chunk
    if workers <= 1 or connection.in_atomic_block:
        return _claim_until_done(params)
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            outcomes.append(_claim_until_done(dict(params)))
        except BaseException as error:  # raised below, in the caller's thread
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=work, name=f"sweep-{index}") for index in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return Outcome(
        fines=sum(o.fines for o in outcomes),
        closed=sum(o.closed for o in outcomes),
        unpriced=sum(o.unpriced for o in outcomes),
    )


def _claim_until_done(params: dict) -> Outcome:
    """Run chunk after chunk, each one transaction, until no candidate is left to claim."""
    fines = closed = unpriced = 0
    for statement in (_UNFINED_REFUSALS_CHUNK, _MISSED_DEADLINES_CHUNK):
        params["after_deadline"], params["after"] = datetime.date.min, 0
        while True:
            params["now"] = timezone.now()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, params)
                claimed, last_deadline, last, done, fined, moved, skipped = cursor.fetchone()
                if fined != moved:  # pragma: no cover - a broken invariant must not commit
                    raise RuntimeError(f"{fined} fines but {moved} violations moved")
            fines += fined
            closed += done
            unpriced += skipped
            if not claimed:
                break
            params["after_deadline"], params["after"] = last_deadline or datetime.date.min, last
    return Outcome(fines=fines, closed=closed, unpriced=unpriced)


def _remind_sql(day: datetime.date) -> int:
    days = reminder_days()
    if not days:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _REMINDERS,
            {
                "today": day,
                "now": timezone.now(),
                "horizon": max(days),
                "days": list(days),
                "topic": REMINDER_TOPIC,
            },
        )
        return cursor.fetchone()[0]


def fine_directly(violation: Violation, *, actor) -> Fine | None:
    """Fine an Art. 17 refusal at once, in the caller's transaction; return the fine.

    The same statement as the sweep, narrowed to this violation, so the amount comes
    from the schedule in force on the day of the refusal and a second call finds the
    fine already issued (and issues nothing).
    """
    if not violation.fined_directly:
        raise ValueError("Only an Art. 17 case is fined without a deadline.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else SYSTEM_ACTOR
    day = violation.found_on
    if connection.vendor == "postgresql":
        run = None
        params = _parameters(
            run, only=[violation.pk], user_id=user.pk if user else None, label=label
        )
        params["today"] = day
        with connection.cursor() as cursor:
            cursor.execute(_UNFINED_REFUSALS_CHUNK, params)
        if Fine.objects.filter(violation=violation).exists():
            outbox.wake()
    else:
        from compliance.services import sweep_portable

        sweep_portable.fine_violation(violation, day, run=None, user=user, label=label)
    return Fine.objects.filter(violation=violation, step=1).first()
