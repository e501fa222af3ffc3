"""Claim the deadline sweep's rows and write what the rule engine decided about them.

Nothing here decides anything: :mod:`compliance.enforcement.services.sweep` asks the engine
(``compliance.rules``) about each claimed violation and hands the decisions to a writer.
The claim is the ORM's (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a plain read on
SQLite); fines are written by one set-based statement per chunk on PostgreSQL
(:func:`compliance.enforcement.services.sweep_sql.write_fines_sql`), which receives the engine's
decisions as data, or through the ORM's bulk operations here (:func:`write_fines_orm`,
the demo's SQLite). Both write the same rows: the fine, the violation's new state, its
event, its outbox message and the fine's audit entry, in the caller's transaction.
Closings (rare) are written here for both.
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from compliance import rules
from compliance.choices import SET_ASIDE_FINE_STATES, FineStatus
from compliance.models import Exemption, Fine, Violation, ViolationEvent
from compliance.rules.lifecycle import Action, states_allowing
from portal import audit
from portal.choices import AuditAction
from portal.models import AuditEntry, OutboxMessage

# What the lifecycle table lets the sweep fine, and what the engine fines without a
# deadline (Art. 17): the claim reads them from there, never restates them.
FINEABLE_STATES = tuple(state.value for state in states_allowing(Action.FINE))
FINED_DIRECTLY = tuple(sorted(rules.FINED_WITHOUT_RECTIFICATION))

# The fields of a fine its audit entry records as created: what was decided. The
# entry itself names the fine (its id and decision number), who and when; the fine
# names its violation. The same for every fine of one decision, so both writers
# compute them once per decision (:func:`fine_changes`).
FINE_RECORD = (
    "step",
    "penalty_article",
    "amount_ntd",
    "amount_due_ntd",
    "missed_deadline",
    "offence_on",
    "proposed_on",
    "rectify_within_days",
    "rulebook_version",
    "schedule",
    "status",
    "sweep",
)
# What the claim reads of each violation (a row of Django's named values).
CLAIMED = (
    "pk",
    "status",
    "article",
    "found_on",
    "deadline",
    "fines_issued",
    "fine_due_on",
    "subject",
    "premises_id",
    "business",
    "may_be_exempt",
)


class Kind(enum.Enum):
    """The two kinds of rows the sweep claims, each in the order of its index range."""

    # Art. 17 refusals not fined yet (no deadline): by id.
    REFUSALS = "refusals"
    # Running deadlines that passed: by (deadline, id) on ``violation_running_deadline``.
    MISSED = "missed"


@dataclass(frozen=True)
class Decided:
    """A fine as the engine decided it, with the transition the lifecycle table gives.

    Shared by every claimed violation of the same case (article, deadline, fines so far,
    status): a chunk's fines are these decisions, each with its rows.
    """

    version_id: int
    decision: rules.FineDecision
    missed_deadline: datetime.date | None
    from_status: str
    to_status: str
    reason: str


# A chunk's fines: each decision with the (violation id, business id) of its rows.
Fines = list[tuple[Decided, list[tuple[int, int | None]]]]


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
    exempt_topic: str
    exempt_reason: str


def claim(
    kind: Kind,
    day: datetime.date,
    *,
    after: tuple[datetime.date | None, int],
    chunk: int,
    only: Sequence[int] | None = None,
) -> list:
    """Lock and return the next ``chunk`` candidates after the key ``after``.

    Each is a named row of the :data:`CLAIMED` fields (``business``: its premises'
    business; ``may_be_exempt``: its premises has an exemption for its article).

    Rows another sweep holds are skipped, not waited for. A missed deadline is claimed
    once its non-rectification is verified and its fine is due (``fine_due_on`` on or
    before ``day``), its deadline on or before the engine's
    :func:`~compliance.rules.last_missed_deadline` of ``day`` and not before its
    :func:`~compliance.rules.earliest_fineable_deadline` (APenA Art. 27); the keyset
    bound ``fine_due_on >= after`` keeps each chunk an index range scan of
    ``violation_fine_due`` that starts where the last one stopped. ``only`` narrows the
    claim to given violations.
    """
    rows = Violation.objects.filter(status__in=FINEABLE_STATES)
    if only is not None:
        rows = rows.filter(pk__in=list(only))
    after_key, after_id = after
    if kind is Kind.REFUSALS:
        rows = rows.filter(
            deadline__isnull=True,
            penalty_article__in=FINED_DIRECTLY,
            fines_issued=0,
            pk__gt=after_id,
        ).order_by("pk")
    else:
        after_key = after_key or datetime.date.min
        rows = (
            rows.filter(
                fine_due_on__lte=day,
                fine_due_on__gte=after_key,
                deadline__lte=rules.last_missed_deadline(day),
                deadline__gte=rules.earliest_fineable_deadline(day),
            )
            .filter(Q(fine_due_on__gt=after_key) | Q(pk__gt=after_id))
            .order_by("fine_due_on", "pk")
        )
    exemptions = Exemption.objects.filter(
        premises_id=OuterRef("premises_id"), article=OuterRef("article")
    )
    return list(
        rows.select_for_update(skip_locked=True, of=("self",))
        .annotate(business=F("premises__business_id"), may_be_exempt=Exists(exemptions))
        .values_list(*CLAIMED, named=True)[:chunk]
    )


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


def fine_of(decided: Decided, violation_id: int | None, issuer: Issuer) -> Fine:
    """Return the (unsaved) proposed fine of a decision for one violation."""
    decision = decided.decision
    return Fine(
        violation_id=violation_id,
        step=decision.step,
        penalty_article=decision.penalty_article,
        amount_ntd=decision.amount_ntd,
        amount_due_ntd=decision.amount_ntd,
        missed_deadline=decided.missed_deadline,
        offence_on=decision.offence_on,
        proposed_on=issuer.day,
        rectify_within_days=decision.rectify_within_days,
        rulebook_version_id=decided.version_id,
        schedule=list(decision.schedule),
        status=FineStatus.PROPOSED,
        sweep_id=issuer.sweep_id,
        issued_by_id=issuer.user_id,
        actor_label=issuer.label,
    )


def fine_changes(fine: Fine) -> dict:
    """Return the audit ``changes`` of a fine just proposed: ``{field: [None, value]}``."""
    return audit.diff({}, audit.snapshot(fine, FINE_RECORD))


def decided_changes(decided: Decided, issuer: Issuer) -> dict:
    """Return the audit ``changes`` of every fine of a decision (the same for each).

    Computed once per decision and run (the caller must not change the dict).
    """
    return _decided_changes(decided, issuer.day, issuer.sweep_id)


@functools.lru_cache(maxsize=1024)
def _decided_changes(decided: Decided, day: datetime.date, sweep_id: int | None) -> dict:
    # Only what FINE_RECORD reads matters here: not who proposes it, nor when.
    issuer = Issuer(
        day=day,
        now=datetime.datetime.min,
        sweep_id=sweep_id,
        user_id=None,
        label="",
        exempt_topic="",
        exempt_reason="",
    )
    return fine_changes(fine_of(decided, None, issuer))


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


def write_fines_orm(fines: Fines, issuer: Issuer) -> int:
    """Write the proposed fines with the ORM's bulk operations (SQLite: the demo).

    The same rows as :func:`compliance.enforcement.services.sweep_sql.write_fines_sql`:
    the proposal, its violation's count of fines with the deadline and the due day
    cleared (nothing runs until the decision is served), an event and an audit entry.
    A fine that already holds a violation's step is kept and nothing is written for
    it. Returns how many were new.
    """
    rows = [(decided, vid, business) for decided, group in fines for vid, business in group]
    if not rows:
        return 0
    existing = set(
        Fine.objects.filter(violation_id__in=[vid for _, vid, _ in rows])
        .exclude(status__in=SET_ASIDE_FINE_STATES)
        .values_list("violation_id", "step")
    )
    rows = [row for row in rows if (row[1], row[0].decision.step) not in existing]
    if not rows:
        return 0
    created = Fine.objects.bulk_create(fine_of(decided, vid, issuer) for decided, vid, _ in rows)
    Violation.objects.bulk_update(
        [
            Violation(
                pk=vid,
                status=decided.to_status,
                fines_issued=decided.decision.step,
                deadline=None,
                fine_due_on=None,
            )
            for decided, vid, _ in rows
        ],
        ["status", "fines_issued", "deadline", "fine_due_on"],
    )
    _write_events(issuer, [(vid, d.from_status, d.to_status, d.reason) for d, vid, _ in rows])
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_id=issuer.user_id,
            actor_label=issuer.label,
            action=AuditAction.CREATE,
            object_type=Fine._meta.label_lower,
            object_id=str(fine.pk),
            object_repr=str(fine)[:255],
            changes=decided_changes(decided, issuer),
            reason=decided.reason,
            business_id=business,
        )
        for fine, (decided, _, business) in zip(created, rows, strict=True)
    )
    return len(created)


def reminder_buckets(days: Sequence[int]) -> dict[int, int]:
    """Return, for each number of days left, the reminder it falls under.

    A deadline ``n`` days ahead is reminded under the smallest configured number of
    days not below ``n`` (with 7 and 1: 7 for 2-7 days left, 1 for 0-1).
    """
    days = sorted(set(days))
    if not days:
        return {}
    return {left: min(b for b in days if b >= left) for left in range(days[-1] + 1)}


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
