"""Claim the deadline sweep's rows and write what the rule engine decided about them.

Nothing here decides anything: :mod:`compliance.services.sweep` asks the engine
(``compliance.rules``) about each claimed violation and hands the decisions to a writer.
The claim is the ORM's (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a plain read on
SQLite); fines are written by one set-based statement per chunk on PostgreSQL
(:func:`write_fines_sql`), which receives the engine's decisions as data, or through the
ORM's bulk operations elsewhere (:func:`write_fines_orm`, the demo's SQLite). Both write
the same rows: the fine, the violation's new state, its event, its outbox message and
the fine's audit entry, in the caller's transaction.
"""

from __future__ import annotations

import datetime
import enum
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from compliance import rules
from compliance.choices import FineStatus
from compliance.models import Exemption, Fine, Violation, ViolationEvent
from compliance.rules.lifecycle import ACTIVE_STATES, Action, states_allowing
from portal import audit
from portal.choices import AuditAction
from portal.models import AuditEntry, OutboxMessage

# What the lifecycle table lets the sweep fine, and what the engine fines without a
# deadline (Art. 17): the claim reads them from there, never restates them.
FINEABLE_STATES = tuple(state.value for state in states_allowing(Action.FINE))
FINED_DIRECTLY = tuple(sorted(rules.FINED_WITHOUT_RECTIFICATION))

# The fields of a fine its audit entry records as created: what was decided (the
# entry itself names who and when). Both writers record the same ``changes``
# (:func:`fine_changes`); the set-based one computes them once per decision and adds
# the fields that differ from row to row (:data:`PER_ROW`) in SQL.
FINE_RECORD = (
    "violation",
    "step",
    "penalty_article",
    "amount_ntd",
    "amount_due_ntd",
    "missed_deadline",
    "offence_on",
    "issued_on",
    "new_deadline",
    "appeal_until",
    "rulebook_version",
    "schedule",
    "status",
    "document_number",
    "sweep",
)
PER_ROW = ("violation", "document_number")


class Kind(enum.Enum):
    """The two kinds of rows the sweep claims, each in the order of its index range."""

    # Art. 17 refusals not fined yet (no deadline): by id.
    REFUSALS = "refusals"
    # Running deadlines that passed: by (deadline, id) on ``violation_running_deadline``.
    MISSED = "missed"


@dataclass(frozen=True)
class Claimed:
    """A claimed violation: the engine's facts about it and what its rows need."""

    id: int
    status: str
    case: rules.Overdue
    premises_id: int | None
    business_id: int | None
    # Whether its premises has any exemption for its article (then the grants are read).
    may_be_exempt: bool


@dataclass(frozen=True)
class Issue:
    """One fine as the engine decided it, with the transition the lifecycle table gives."""

    violation_id: int
    business_id: int | None
    version_id: int
    decision: rules.FineDecision
    missed_deadline: datetime.date | None
    from_status: str
    to_status: str
    reason: str


@dataclass(frozen=True)
class Closing:
    """A violation an exemption excused: closed without a fine."""

    violation_id: int
    from_status: str
    to_status: str


@dataclass(frozen=True)
class Issuer:
    """Who writes a chunk and when: the same for every row of it."""

    day: datetime.date
    now: datetime.datetime
    sweep_id: int | None
    user_id: int | None
    label: str
    appeal_until: datetime.date
    number_prefix: str  # the decision number up to its seven-digit serial
    fine_topic: str
    exempt_topic: str
    exempt_reason: str


def claim(
    kind: Kind,
    day: datetime.date,
    *,
    after: tuple[datetime.date | None, int],
    chunk: int,
    only: Sequence[int] | None = None,
) -> list[Claimed]:
    """Lock and return the next ``chunk`` candidates after the key ``after``.

    Rows another sweep holds are skipped, not waited for. A missed deadline is one on or
    before the engine's :func:`~compliance.rules.last_missed_deadline` of ``day``; the
    keyset bound ``deadline >= after`` keeps each chunk an index range scan that starts
    where the last one stopped. ``only`` narrows the claim to given violations.
    """
    rows = Violation.objects.filter(status__in=FINEABLE_STATES)
    if only is not None:
        rows = rows.filter(pk__in=list(only))
    after_deadline, after_id = after
    if kind is Kind.REFUSALS:
        rows = rows.filter(
            deadline__isnull=True,
            penalty_article__in=FINED_DIRECTLY,
            fines_issued=0,
            pk__gt=after_id,
        ).order_by("pk")
    else:
        after_deadline = after_deadline or datetime.date.min
        rows = (
            rows.filter(deadline__lte=rules.last_missed_deadline(day), deadline__gte=after_deadline)
            .filter(Q(deadline__gt=after_deadline) | Q(pk__gt=after_id))
            .order_by("deadline", "pk")
        )
    exemptions = Exemption.objects.filter(
        premises_id=OuterRef("premises_id"), article=OuterRef("article")
    )
    values = (
        rows.select_for_update(skip_locked=True, of=("self",))
        .annotate(business=F("premises__business_id"), may_be_exempt=Exists(exemptions))
        .values_list(
            "pk",
            "status",
            "article",
            "found_on",
            "deadline",
            "fines_issued",
            "subject",
            "premises_id",
            "business",
            "may_be_exempt",
        )[:chunk]
    )
    return [
        Claimed(
            id=pk,
            status=status,
            case=rules.Overdue(
                article=article,
                found_on=found_on,
                deadline=deadline,
                fines_issued=fines_issued,
                subject=subject,
            ),
            premises_id=premises_id,
            business_id=business_id,
            may_be_exempt=bool(may_be_exempt),
        )
        for (
            pk,
            status,
            article,
            found_on,
            deadline,
            fines_issued,
            subject,
            premises_id,
            business_id,
            may_be_exempt,
        ) in values
    ]


def close(closings: Sequence[Closing], issuer: Issuer) -> int:
    """Close the excused violations with their events, outbox rows and audit entries.

    Few rows (exemptions are rare), so bulk ORM statements on every database: one
    UPDATE per target state and one INSERT per table.
    """
    if not closings:
        return 0
    by_target: dict[str, list[int]] = defaultdict(list)
    for row in closings:
        by_target[row.to_status].append(row.violation_id)
    for target, ids in by_target.items():
        Violation.objects.filter(pk__in=ids).update(status=target)
    _write_events(
        issuer,
        [
            (row.violation_id, row.from_status, row.to_status, issuer.exempt_reason)
            for row in closings
        ],
    )
    OutboxMessage.objects.bulk_create(
        OutboxMessage(topic=issuer.exempt_topic, payload={"violation": row.violation_id})
        for row in closings
    )
    closed = Violation.objects.select_related("premises", "supplier").in_bulk(
        [row.violation_id for row in closings]
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_id=issuer.user_id,
            actor_label=issuer.label,
            action=AuditAction.UPDATE,
            object_type=Violation._meta.label_lower,
            object_id=str(row.violation_id),
            object_repr=str(closed[row.violation_id])[:255],
            changes={"status": [row.from_status, row.to_status]},
            reason=issuer.exempt_reason,
            business_id=closed[row.violation_id].owner_business_id,
        )
        for row in closings
    )
    return len(closings)


def fine_of(issue: Issue, issuer: Issuer, *, document_number: str = "") -> Fine:
    """Return the (unsaved) fine of a decided issue."""
    decision = issue.decision
    return Fine(
        violation_id=issue.violation_id,
        step=decision.step,
        penalty_article=decision.penalty_article,
        amount_ntd=decision.amount_ntd,
        amount_due_ntd=decision.amount_ntd,
        missed_deadline=issue.missed_deadline,
        offence_on=decision.offence_on,
        issued_on=issuer.day,
        new_deadline=decision.new_deadline,
        appeal_until=issuer.appeal_until,
        rulebook_version_id=issue.version_id,
        schedule=list(decision.schedule),
        status=FineStatus.ISSUED,
        document_number=document_number,
        sweep_id=issuer.sweep_id,
        issued_by_id=issuer.user_id,
        actor_label=issuer.label,
    )


def fine_changes(fine: Fine) -> dict:
    """Return the audit ``changes`` of a fine just issued: ``{field: [None, value]}``."""
    return audit.diff({}, audit.snapshot(fine, FINE_RECORD))


def _write_events(issuer: Issuer, rows: Sequence[tuple[int, str, str, str]]) -> None:
    """Write one event per (violation, from status, to status, reason), in one INSERT."""
    ViolationEvent.objects.bulk_create(
        ViolationEvent(
            violation_id=violation_id,
            from_status=from_status,
            to_status=to_status,
            actor_id=issuer.user_id,
            actor_label=issuer.label,
            reason=reason,
        )
        for violation_id, from_status, to_status, reason in rows
    )


def _decisions_as_data(issues: Sequence[Issue], issuer: Issuer) -> tuple[str, str, str, str]:
    """Return the distinct decisions as a JSON table and the rows as arrays pointing at it.

    Many rows share one decision (same rule book, step, deadline and transition), so
    the statement receives each decision once, with its audit ``changes`` but for the
    per-row fields, and, per row, its violation, decision number and business.
    """
    per_row = {Fine._meta.get_field(name).attname for name in PER_ROW}
    numbers: dict[tuple, int] = {}
    table: list[dict] = []
    violations, picks, businesses = [], [], []
    for issue in issues:
        decision = issue.decision
        key = (
            issue.version_id,
            decision,
            issue.missed_deadline,
            issue.from_status,
            issue.to_status,
            issue.reason,
        )
        number = numbers.get(key)
        if number is None:
            number = numbers[key] = len(table)
            table.append(
                {
                    "no": number,
                    "step": decision.step,
                    "penalty_article": decision.penalty_article,
                    "amount_ntd": decision.amount_ntd,
                    "schedule": list(decision.schedule),
                    "offence_on": decision.offence_on.isoformat(),
                    "new_deadline": _iso(decision.new_deadline),
                    "missed_deadline": _iso(issue.missed_deadline),
                    "rulebook_version_id": issue.version_id,
                    "from_status": issue.from_status,
                    "to_status": issue.to_status,
                    "reason": issue.reason,
                    "changes": {
                        key: value
                        for key, value in fine_changes(fine_of(issue, issuer)).items()
                        if key not in per_row
                    },
                }
            )
        violations.append(str(issue.violation_id))
        picks.append(str(number))
        businesses.append("NULL" if issue.business_id is None else str(issue.business_id))
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
        offence_on date, new_deadline date, missed_deadline date, rulebook_version_id bigint,
        from_status text, to_status text, reason text, changes jsonb)
),
numbered AS MATERIALIZED (
    SELECT r.violation_id, r.no, r.business_id,
           nextval(pg_get_serial_sequence('compliance_fine', 'id')) AS id
    FROM unnest(%(violations)s::bigint[], %(picks)s::int[], %(businesses)s::bigint[])
         AS r(violation_id, no, business_id)
),
chosen AS MATERIALIZED (
    SELECT n.id, n.violation_id, n.business_id, d.step, d.penalty_article, d.amount_ntd,
           d.amount_ntd AS amount_due_ntd, d.missed_deadline, d.offence_on,
           %(day)s::date AS issued_on, d.new_deadline, %(appeal_until)s::date AS appeal_until,
           d.rulebook_version_id, d.schedule, %(status)s::text AS status,
           %(number_prefix)s || lpad(n.id::text, 7, '0') AS document_number,
           %(sweep)s::bigint AS sweep_id, d.from_status, d.to_status, d.reason, d.changes
    FROM numbered n
    JOIN decided d ON d.no = n.no
),
fined AS (
    INSERT INTO compliance_fine
        (id, violation_id, step, penalty_article, amount_ntd, amount_due_ntd,
         missed_deadline, offence_on, issued_on, new_deadline, appeal_until,
         rulebook_version_id, schedule, status, document_number, sweep_id, issued_by_id,
         actor_label, issued_at)
    SELECT id, violation_id, step, penalty_article, amount_ntd, amount_due_ntd,
           missed_deadline, offence_on, issued_on, new_deadline, appeal_until,
           rulebook_version_id, schedule, status, document_number, sweep_id, %(user)s,
           %(label)s, %(now)s
    FROM chosen
    ON CONFLICT (violation_id, step) DO NOTHING
    RETURNING id
),
done AS MATERIALIZED (
    SELECT c.* FROM chosen c WHERE c.id IN (SELECT id FROM fined)
),
moved AS (
    UPDATE compliance_violation v
       SET status = d.to_status, fines_issued = d.step, deadline = d.new_deadline
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
follow_ups AS (
    INSERT INTO portal_outboxmessage (topic, payload, created_at, available_at, attempts,
                                      last_error)
    SELECT %(fine_topic)s, jsonb_build_object('fine', id), %(now)s, %(now)s, 0, ''
    FROM done
),
audited AS (
    INSERT INTO portal_auditentry
        (timestamp, actor_id, actor_label, action, object_type, object_id, object_repr,
         changes, reason, business_id)
    SELECT %(now)s, %(user)s, %(label)s, %(action)s, %(object_type)s, id::text,
           document_number, changes || {per_row}, reason, business_id
    FROM done
    RETURNING 1
)
SELECT (SELECT count(*) FROM fined), (SELECT count(*) FROM moved),
       (SELECT count(*) FROM audited)
"""
_FINES = _FINES_TEMPLATE.format(
    per_row="jsonb_build_object({})".format(
        ", ".join(
            f"'{attname}', jsonb_build_array(NULL, {attname})"
            for attname in (Fine._meta.get_field(name).attname for name in PER_ROW)
        )
    )
)


def write_fines_sql(issues: Sequence[Issue], issuer: Issuer) -> int:
    """Write the decided fines and all that goes with them in one statement (PostgreSQL).

    Returns how many fines were new; raises if a fine came without its violation moved
    or its audit entry (a broken invariant must not commit).
    """
    if not issues:
        return 0
    decisions, violations, picks, businesses = _decisions_as_data(issues, issuer)
    with connection.cursor() as cursor:
        cursor.execute(
            _FINES,
            {
                "decisions": decisions,
                "violations": violations,
                "picks": picks,
                "businesses": businesses,
                "day": issuer.day,
                "now": issuer.now,
                "appeal_until": issuer.appeal_until,
                "status": FineStatus.ISSUED.value,
                "number_prefix": issuer.number_prefix,
                "sweep": issuer.sweep_id,
                "user": issuer.user_id,
                "label": issuer.label,
                "fine_topic": issuer.fine_topic,
                "action": AuditAction.CREATE.value,
                "object_type": Fine._meta.label_lower,
            },
        )
        fined, moved, audited = cursor.fetchone()
    if not fined == moved == audited:  # pragma: no cover - a broken invariant
        raise RuntimeError(f"{fined} fines but {moved} violations moved, {audited} audited")
    return fined


def write_fines_orm(issues: Sequence[Issue], issuer: Issuer) -> int:
    """Write the decided fines with the ORM's bulk operations (SQLite: the demo).

    The same rows as :func:`write_fines_sql`. A fine that already exists for a
    violation and step is kept and nothing is written for it. Returns how many were new.
    """
    if not issues:
        return 0
    existing = set(
        Fine.objects.filter(violation_id__in=[issue.violation_id for issue in issues]).values_list(
            "violation_id", "step"
        )
    )
    issues = [i for i in issues if (i.violation_id, i.decision.step) not in existing]
    if not issues:
        return 0
    fines = Fine.objects.bulk_create(
        # Numbered below, once the database has given the fine its id.
        fine_of(
            issue, issuer, document_number=f"pending-{issue.violation_id}-{issue.decision.step}"
        )
        for issue in issues
    )
    for fine in fines:
        fine.document_number = f"{issuer.number_prefix}{fine.pk:07d}"
    Fine.objects.bulk_update(fines, ["document_number"])
    Violation.objects.bulk_update(
        [
            Violation(
                pk=issue.violation_id,
                status=issue.to_status,
                fines_issued=issue.decision.step,
                deadline=issue.decision.new_deadline,
            )
            for issue in issues
        ],
        ["status", "fines_issued", "deadline"],
    )
    _write_events(
        issuer,
        [(i.violation_id, i.from_status, i.to_status, i.reason) for i in issues],
    )
    OutboxMessage.objects.bulk_create(
        OutboxMessage(topic=issuer.fine_topic, payload={"fine": fine.pk}) for fine in fines
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_id=issuer.user_id,
            actor_label=issuer.label,
            action=AuditAction.CREATE,
            object_type=Fine._meta.label_lower,
            object_id=str(fine.pk),
            object_repr=str(fine)[:255],
            changes=fine_changes(fine),
            reason=issue.reason,
            business_id=issue.business_id,
        )
        for fine, issue in zip(fines, issues, strict=True)
    )
    return len(fines)


def reminder_buckets(days: Sequence[int]) -> dict[int, int]:
    """Return, for each number of days left, the reminder it falls under.

    A deadline ``n`` days ahead is reminded under the smallest configured number of
    days not below ``n`` (with 7 and 1: 7 for 2-7 days left, 1 for 0-1).
    """
    days = sorted(set(days))
    if not days:
        return {}
    return {left: min(b for b in days if b >= left) for left in range(days[-1] + 1)}


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


def remind_orm(day: datetime.date, buckets: dict[int, int], *, topic: str) -> int:
    """Queue the same reminders with the ORM (SQLite: the demo); return how many are new."""
    due = Violation.objects.active().filter(
        deadline__gte=day, deadline__lte=day + datetime.timedelta(days=max(buckets))
    )
    messages = {}
    for pk, deadline in due.order_by("pk").values_list("pk", "deadline"):
        bucket = buckets[(deadline - day).days]
        key = f"reminder:{pk}:{deadline}:{bucket}"
        payload = {"violation": pk, "deadline": str(deadline), "days": bucket}
        messages[key] = OutboxMessage(topic=topic, payload=payload, dedupe_key=key)
    existing = set(
        OutboxMessage.objects.filter(dedupe_key__in=list(messages)).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [message for key, message in messages.items() if key not in existing]
    OutboxMessage.objects.bulk_create(new)
    return len(new)
