"""The hand-written sweep the benchmark compares the engine-driven sweep against.

A frozen copy of the deadline sweep as it was before the rule engine decided its fines
(before issue 13): one statement per chunk that claims, judges exemptions, prices and
fines in SQL, with the audit entry the sweep now writes added so that both write the
same rows. Brought up to issue 14 by hand, still without the engine: it runs the same
verification steps first, claims only verified missed deadlines whose fine is due
(``fine_due_on`` on or before the day, on the partial index ``violation_fine_due``,
within the three-year limit) and clears ``fine_due_on`` on the violations it fines.
Brought up to issue 15 by hand: it proposes, as the sweep does, and an official decides
(``compliance/enforcement/services/proposals.py``). A proposal has no number and no
dates yet (the appeal period and the new deadline run from service): it records the
day proposed and the article's days to rectify from the rule book in force on the day
of the offence; the violation keeps its state, counts the fine, and its deadline and
due day are cleared; the event (from and to the same state) and the audit entry
(``#<id>``) are the sweep's, and no follow-up is queued. ``manage.py benchmark_sweep``
runs it on the same scratch data in the same minute and prints the ratio. It is a
yardstick, never used to fine anyone: the rules it restates are decided by
``compliance.rules`` (see ``compliance/enforcement/services/sweep.py``).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from compliance import rules
from compliance.choices import SET_ASIDE_FINE_STATES
from compliance.energy.services import data_orders
from compliance.enforcement.services import sweep
from compliance.enforcement.services.sweep_rows import FINE_RECORD
from compliance.enforcement.services.sweep_runs import alive, start_run
from compliance.enforcement.services.verification import verify_from_records
from compliance.models import Fine, RuleBookVersion, SweepRun
from compliance.rulebook.bridge import parameters_of


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


def audit_changes_sql(alias: str) -> str:
    """Return SQL building a fine's audit ``changes`` as :func:`portal.audit.diff` would.

    ``{field: [null, value]}`` for each field of ``FINE_RECORD`` that has a value, read
    from the columns of ``alias``: one ``jsonb_build_object`` less the empty fields.
    """
    pairs, empties = [], []
    for name in FINE_RECORD:
        field = Fine._meta.get_field(name)
        column = f"{alias}.{field.attname}"
        pairs.append(f"'{field.attname}', jsonb_build_array(NULL, {column})")
        if field.null:
            empties.append(f"CASE WHEN {column} IS NULL THEN '{field.attname}' END")
    built = f"jsonb_build_object({', '.join(pairs)})"
    if not empties:
        return built
    return f"({built} - array_remove(ARRAY[{', '.join(empties)}], NULL))"


def _reason_templates() -> tuple[str, str]:
    """Return the sweep's event reasons as PostgreSQL ``format()`` strings (positions 1-4).

    The sweep's own wording (:func:`~compliance.enforcement.services.sweep.fine_reason`,
    in the City's language), with the deadline, step, amount and penalty article as
    positions: the baseline writes the same reasons without the engine.
    """
    marks = {"deadline": "\x01", "step": "\x02", "amount": "\x03", "article": "\x04"}
    decision = _Placeholders(marks["step"], marks["amount"], marks["article"])
    templates = []
    for missed in (marks["deadline"], None):
        text = sweep.fine_reason(decision, missed).replace("%", "%%")
        for position, mark in enumerate(marks.values(), start=1):
            text = text.replace(mark, f"%{position}$s")
        templates.append(text)
    return templates[0], templates[1]


@dataclass(frozen=True)
class _Placeholders:
    """What :func:`sweep.fine_reason` reads of a decision, as marks to replace."""

    step: str
    amount_ntd: str
    penalty_article: str


# The rows the sweep may act on, in two kinds each claimed in its own key order, so
# every chunk continues an index range scan where the last one stopped (keyset), never
# re-reading what is behind it: missed deadlines whose non-rectification was verified
# and whose fine is due, by (fine_due_on, id) on the partial index ``violation_fine_due``
# (within the three-year limit); and Art. 17 cases not fined yet (no deadline), by id on
# the NULL range of ``violation_running_deadline``. ``%(only)s`` narrows a claim to given
# violations (an Art. 17 refusal fined at once when recorded).
_CANDIDATES = "v.status IN ('open', 'fined')"  # the states the lifecycle table lets us fine

_MISSED_DEADLINES = f"""
    {_CANDIDATES}
    AND v.fine_due_on IS NOT NULL
    AND v.fine_due_on <= %(today)s
    AND v.deadline < %(today)s
    AND v.deadline >= %(earliest_deadline)s
    AND (v.fine_due_on, v.id) > (%(after_key)s::date, %(after)s::bigint)
    AND (%(only)s::bigint[] IS NULL OR v.id = ANY(%(only)s::bigint[]))
    ORDER BY v.fine_due_on, v.id
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
# another sweep holds), close those an exemption covers, propose a fine for the others at
# the step the schedule in force on the day of the offence gives, with that rule book's
# days to rectify; count the fine on the violation (its state kept, its deadline and due
# day cleared until the decision is served), and write the events and the audit entries.
# Every data-modifying CTE sees the same snapshot, so what they need from each other
# travels in RETURNING, never by re-reading a table; and no join between two CTEs (the
# planner estimates them at one row and would loop over every pair): the old statuses
# are looked up in one JSON object.
_CHUNK = """
WITH schedules AS (
    SELECT * FROM jsonb_to_recordset(%(schedules)s::jsonb) AS s(
        version_id bigint, valid_from date, valid_until date, penalty_article text,
        step int, steps int, amount int, amounts jsonb)
),
claimed AS MATERIALIZED (
    SELECT v.id, v.premises_id, v.article, v.subject, v.penalty_article, v.deadline,
           v.found_on, v.fines_issued, v.status, {key} AS key_day,
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
           CASE WHEN c.penalty_article = '17' THEN NULL ELSE p.days END
               AS rectify_within_days,
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
         missed_deadline, offence_on, proposed_on, rectify_within_days,
         rulebook_version_id, schedule, status, sweep_id, issued_by_id,
         actor_label, issued_at, decision_reason, service_method)
    SELECT fine_id, id, step, penalty_article, amount, amount,
           deadline, offence_on, %(today)s, rectify_within_days,
           version_id, amounts, 'proposed', %(sweep)s, %(user)s, %(label)s, %(now)s, '', ''
    FROM priced
    ON CONFLICT (violation_id, step) WHERE status NOT IN ({set_aside}) DO NOTHING
    RETURNING *
),
moved AS (
    UPDATE compliance_violation v
       SET fines_issued = f.step, deadline = NULL, fine_due_on = NULL
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
    SELECT f.violation_id, (SELECT by_id FROM statuses) ->> f.violation_id::text,
           (SELECT by_id FROM statuses) ->> f.violation_id::text,
           %(user)s, %(label)s, %(now)s,
           format(CASE WHEN f.penalty_article = '17' THEN %(direct_reason)s
                       ELSE %(fine_reason)s END,
                  f.missed_deadline, f.step, f.amount_ntd, f.penalty_article)
    FROM fined f
),
businesses AS (
    SELECT jsonb_object_agg(c.id, p.business_id) AS by_id
    FROM judged c LEFT JOIN compliance_premises p ON p.id = c.premises_id
),
audited AS (
    INSERT INTO portal_auditentry
        (timestamp, actor_id, actor_label, action, object_type, object_id, object_repr,
         changes, reason, business_id)
    SELECT %(now)s, %(user)s, %(label)s, 'create', 'compliance.fine', f.id::text,
           '#' || f.id, {changes},
           format(CASE WHEN f.penalty_article = '17' THEN %(direct_reason)s
                       ELSE %(fine_reason)s END,
                  f.missed_deadline, f.step, f.amount_ntd, f.penalty_article),
           ((SELECT by_id FROM businesses) ->> f.violation_id::text)::bigint
    FROM fined f
)
SELECT (SELECT count(*) FROM claimed), last.key_day, last.id,
       (SELECT count(*) FROM closed), (SELECT count(*) FROM fined),
       (SELECT count(*) FROM moved),
       (SELECT count(*) FROM judged WHERE NOT exempt) - (SELECT count(*) FROM priced)
FROM (SELECT 1) one
LEFT JOIN LATERAL (
    SELECT key_day, id FROM claimed ORDER BY key_day DESC NULLS LAST, id DESC LIMIT 1
) last ON true
"""

_SET_ASIDE = ", ".join(f"'{state}'" for state in SET_ASIDE_FINE_STATES)
_MISSED_DEADLINES_CHUNK = _CHUNK.format(
    candidates=_MISSED_DEADLINES,
    key="v.fine_due_on",
    exempted=_EXEMPTED,
    changes=audit_changes_sql("f"),
    set_aside=_SET_ASIDE,
)
_UNFINED_REFUSALS_CHUNK = _CHUNK.format(
    candidates=_UNFINED_REFUSALS,
    key="v.deadline",
    exempted=_EXEMPTED,
    changes=audit_changes_sql("f"),
    set_aside=_SET_ASIDE,
)

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


def run(day: datetime.date, *, chunk: int, workers: int) -> SweepRun:
    """Sweep ``day`` with the hand-written statement; return its finished run row."""
    run = start_run(day)
    with alive(run):
        # The same first steps as the sweep: only verified cases are fined.
        data_orders.open_missed_cases(day, run=run)
        data_orders.verify_cases(day, run=run)
        verify_from_records(day, actor=run.triggered_by)
        tariff = Tariff.load()
        fine_reason, direct_reason = _reason_templates()
        params = {
            "today": day,
            "now": timezone.now(),
            "after_key": datetime.date.min,
            "after": 0,
            "earliest_deadline": rules.earliest_fineable_deadline(day),
            "only": None,
            "chunk": chunk,
            "tz": settings.TIME_ZONE,
            "schedules": tariff.schedules,
            "periods": tariff.periods,
            "sweep": run.pk,
            "user": None,
            "label": run.actor_label,
            "fine_reason": fine_reason,
            "direct_reason": direct_reason,
            "exempt_reason": sweep.exempt_reason(),
            "exempt_topic": sweep.EXEMPT_TOPIC,
        }
        outcome = sweep.run_in_threads(lambda: _claim_until_done(dict(params)), workers)
        reminders = _remind(day)
    sweep.finish_run(run, outcome, reminders, counted=False)
    return run


def _claim_until_done(params: dict) -> sweep.Outcome:
    fines = closed = unpriced = 0
    for statement in (_UNFINED_REFUSALS_CHUNK, _MISSED_DEADLINES_CHUNK):
        params["after_key"], params["after"] = datetime.date.min, 0
        while True:
            params["now"] = timezone.now()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, params)
                claimed, last_key, last, done, fined, moved, skipped = cursor.fetchone()
                if fined != moved:  # pragma: no cover - a broken invariant must not commit
                    raise RuntimeError(f"{fined} fines but {moved} violations moved")
            fines += fined
            closed += done
            unpriced += skipped
            if not claimed:
                break
            params["after_key"], params["after"] = last_key or datetime.date.min, last
    return sweep.Outcome(fines=fines, closed=closed, unpriced=unpriced)


def _remind(day: datetime.date) -> int:
    days = sweep.reminder_days()
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
                "topic": sweep.REMINDER_TOPIC,
            },
        )
        return cursor.fetchone()[0]
