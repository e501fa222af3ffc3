"""The deadline sweep's set-based statements (PostgreSQL): they write, never decide.

:func:`write_fines_sql` receives the rule engine's decisions about one chunk as data
and writes the fines, the violations' new states, the events, the outbox messages and
the fines' audit entries in one statement; :func:`remind_sql` queues reminders under
buckets computed in Python. Their ORM counterparts (SQLite: the demo) are in
:mod:`compliance.enforcement.services.sweep_rows`, which writes the same rows.
"""

from __future__ import annotations

import datetime
import functools
import json

from django.db import connection

from compliance.choices import SET_ASIDE_FINE_STATES, FineStatus
from compliance.enforcement.services.sweep_rows import Fines, Issuer, decided_changes
from compliance.models import Fine
from compliance.rules.lifecycle import ACTIVE_STATES
from portal.choices import AuditAction


def _decisions_as_data(fines: Fines, issuer: Issuer) -> tuple[str, str, str, str]:
    """Return the decisions as a JSON table and the rows as arrays pointing at it.

    Many rows share one decision (same rule book, step, deadline and transition), so
    the statement receives each decision once, with its audit ``changes``, and, per
    row, its violation, decision number and business.
    """
    table: list[dict] = []
    violations, picks, businesses = [], [], []
    for number, (decided, rows) in enumerate(fines):
        decision = decided.decision
        table.append(
            {
                "no": number,
                "step": decision.step,
                "penalty_article": decision.penalty_article,
                "amount_ntd": decision.amount_ntd,
                "schedule": list(decision.schedule),
                "offence_on": decision.offence_on.isoformat(),
                "rectify_within_days": decision.rectify_within_days,
                "missed_deadline": _iso(decided.missed_deadline),
                "rulebook_version_id": decided.version_id,
                "from_status": decided.from_status,
                "to_status": decided.to_status,
                "reason": decided.reason,
                "changes": decided_changes(decided, issuer),
            }
        )
        pick = str(number)
        for violation_id, business_id in rows:
            violations.append(str(violation_id))
            picks.append(pick)
            businesses.append("NULL" if business_id is None else str(business_id))
    return (
        json.dumps(table, ensure_ascii=False),
        "{" + ",".join(violations) + "}",
        "{" + ",".join(picks) + "}",
        "{" + ",".join(businesses) + "}",
    )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


# One chunk's fines, one statement: the engine's decisions arrive as a small JSON table
# (``decided``) and, per row, a violation id, a decision number and a business; the
# statement only numbers and writes them. Every data-modifying CTE sees the same
# snapshot, so what they need from each other travels in RETURNING, never by re-reading
# a table. ``ON CONFLICT DO NOTHING`` on ``one_fine_per_step`` keeps a fine that already
# exists: only the fines inserted here move their violation and get their rows.
_FINES_TEMPLATE = """
WITH decided AS (
    SELECT * FROM jsonb_to_recordset(%(decisions)s::jsonb) AS d(
        no int, step int, penalty_article text, amount_ntd int, schedule jsonb,
        offence_on date, rectify_within_days int, missed_deadline date, rulebook_version_id bigint,
        from_status text, to_status text, reason text, changes jsonb)
),
numbered AS MATERIALIZED (
    SELECT r.violation_id, r.no, r.business_id,
           nextval(%(fine_ids)s::regclass) AS id
    FROM unnest(%(violations)s::bigint[], %(picks)s::int[], %(businesses)s::bigint[])
         AS r(violation_id, no, business_id)
),
chosen AS MATERIALIZED (
    SELECT n.id, n.violation_id, n.business_id, d.step, d.penalty_article, d.amount_ntd,
           d.amount_ntd AS amount_due_ntd, d.missed_deadline, d.offence_on,
           %(day)s::date AS proposed_on, d.rectify_within_days,
           d.rulebook_version_id, d.schedule, %(status)s::text AS status,
           %(sweep)s::bigint AS sweep_id, d.from_status, d.to_status, d.reason, d.changes
    FROM numbered n
    JOIN decided d ON d.no = n.no
),
fined AS (
    INSERT INTO compliance_fine
        (id, violation_id, step, penalty_article, amount_ntd, amount_due_ntd,
         missed_deadline, offence_on, proposed_on, rectify_within_days,
         rulebook_version_id, schedule, status, sweep_id, issued_by_id,
         actor_label, issued_at, decision_reason, service_method)
    SELECT id, violation_id, step, penalty_article, amount_ntd, amount_due_ntd,
           missed_deadline, offence_on, proposed_on, rectify_within_days,
           rulebook_version_id, schedule, status, sweep_id, %(user)s,
           %(label)s, %(now)s, '', ''
    FROM chosen
    ON CONFLICT (violation_id, step) WHERE status NOT IN ({set_aside}) DO NOTHING
    RETURNING id
),
done AS MATERIALIZED (
    SELECT c.* FROM chosen c WHERE c.id IN (SELECT id FROM fined)
),
moved AS (
    UPDATE compliance_violation v
       SET status = d.to_status, fines_issued = d.step, deadline = NULL, fine_due_on = NULL
      FROM done d
     WHERE v.id = d.violation_id
    RETURNING v.id
),
events AS (
    INSERT INTO compliance_violationevent
        (violation_id, from_status, to_status, actor_id, actor_label, at, reason)
    SELECT violation_id, from_status, to_status, %(user)s, %(label)s, %(now)s, reason
    FROM done
),
audited AS (
    INSERT INTO portal_auditentry
        (timestamp, actor_id, actor_label, action, object_type, object_id, object_repr,
         changes, reason, business_id)
    SELECT %(now)s, %(user)s, %(label)s, %(action)s, %(object_type)s, id::text,
           '#' || id, changes, reason, business_id
    FROM done
    RETURNING 1
)
SELECT (SELECT count(*) FROM fined), (SELECT count(*) FROM moved),
       (SELECT count(*) FROM audited)
"""


_FINES = _FINES_TEMPLATE.format(
    set_aside=", ".join(f"'{state}'" for state in SET_ASIDE_FINE_STATES)
)


@functools.cache
def _fine_id_sequence() -> str:
    """Return the name of the fines' id sequence (the same in every database migrated).

    Naming it in the statement saves a catalogue lookup per row (``pg_get_serial_sequence``
    in the row's expression: about 5 % of a chunk's statement).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('compliance_fine', 'id')")
        return cursor.fetchone()[0]


def write_fines_sql(fines: Fines, issuer: Issuer) -> int:
    """Write the proposed fines and all that goes with them in one statement (PostgreSQL).

    Returns how many fines were new; raises if a fine came without its violation moved
    or its audit entry (a broken invariant must not commit).
    """
    if not fines:
        return 0
    decisions, violations, picks, businesses = _decisions_as_data(fines, issuer)
    with connection.cursor() as cursor:
        cursor.execute(
            _FINES,
            {
                "decisions": decisions,
                "violations": violations,
                "picks": picks,
                "businesses": businesses,
                "fine_ids": _fine_id_sequence(),
                "day": issuer.day,
                "now": issuer.now,
                "status": FineStatus.PROPOSED.value,
                "sweep": issuer.sweep_id,
                "user": issuer.user_id,
                "label": issuer.label,
                "action": AuditAction.CREATE.value,
                "object_type": Fine._meta.label_lower,
            },
        )
        fined, moved, audited = cursor.fetchone()
    if not fined == moved == audited:  # pragma: no cover - a broken invariant
        raise RuntimeError(f"{fined} fines but {moved} violations moved, {audited} audited")
    return fined


_REMINDERS_TEMPLATE = """
WITH buckets AS (
    SELECT * FROM unnest(%(lefts)s::int[], %(buckets)s::int[]) AS b(days_left, bucket)
),
due AS (
    SELECT v.id, v.deadline, v.deadline - %(today)s::date AS days_left
    FROM compliance_violation v
    WHERE v.status IN ({active})
      AND v.deadline >= %(today)s AND v.deadline <= %(today)s::date + %(horizon)s
),
written AS (
    INSERT INTO portal_outboxmessage (topic, payload, dedupe_key, created_at, available_at,
                                      attempts, last_error)
    SELECT %(topic)s,
           jsonb_build_object('violation', id, 'deadline', deadline, 'days', bucket),
           'reminder:' || id || ':' || deadline || ':' || bucket, %(now)s, %(now)s, 0, ''
    FROM due JOIN buckets USING (days_left)
    ORDER BY id
    ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM written
"""
_REMINDERS = _REMINDERS_TEMPLATE.format(
    active=", ".join(f"'{state.value}'" for state in sorted(ACTIVE_STATES))
)


def remind_sql(
    day: datetime.date, buckets: dict[int, int], *, topic: str, now: datetime.datetime
) -> int:
    """Queue the reminders of deadlines coming up in one statement; return how many are new."""
    with connection.cursor() as cursor:
        cursor.execute(
            _REMINDERS,
            {
                "today": day,
                "now": now,
                "horizon": max(buckets),
                "lefts": list(buckets),
                "buckets": list(buckets.values()),
                "topic": topic,
            },
        )
        return cursor.fetchone()[0]
