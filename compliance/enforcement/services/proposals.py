"""An official decides the fines the sweep proposed: approve, return or cancel (裁處).

A fine is an administrative disposition: the nightly sweep only proposes it (amount,
step, schedule and rule-book version, exactly once per violation and step); an official
with the authority to decide (the ``compliance.decide_fine`` permission, granted to the
person, not to every administrator; never the inspector who verified the case or found
the refusal) approves or returns each proposal, one by one or in bulk from a filtered
list.

* **Approval** issues the decision: its number (the City's prefix, ``P``, the year and
  the fine's id), the day of the decision, who decided and when; the violation is
  fined (``compliance.rules.lifecycle.state_after_decision``), with an event, an audit
  entry and the follow-ups (the decision PDF, the e-mail) in the outbox. Nothing runs
  until the decision is served (:mod:`compliance.enforcement.services.serving`).
* **Returning** sends the case back to verification: the proposal keeps its reason and
  official, the verification it rested on is set aside, the missed deadline awaits a
  new one (and a new re-inspection is planned).
* **Cancelling** withdraws the proposal and the case, with the reason.

Exactly once under concurrency comes from the database: a batch locks the proposals it
approves ``FOR UPDATE SKIP LOCKED`` and moves only rows still *proposed*, so two
officials approving overlapping batches at the same moment issue each decision once.
On PostgreSQL a batch is one set-based statement per chunk (:data:`_APPROVE`); the
demo's SQLite writes the same rows with the ORM.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.choices import FineStatus, ViolationStatus
from compliance.enforcement.permissions import involved
from compliance.enforcement.services.violations import actor_and_label, transition
from compliance.models import Fine, Verification, Violation, ViolationEvent
from compliance.rules.lifecycle import Action, State, state_after_decision
from compliance.signals import proposal_returned
from portal import audit, outbox
from portal.choices import AuditAction
from portal.models import AuditEntry, OutboxMessage
from portal.observability import current_request_id
from portal.pdf import numbers
from portal.permissions import can, require

DECISION_KIND = "P"  # after the City's prefix: TPE-EC-P-2026-0000123
FINE_TOPIC = "enforcement.fine_issued"
CHUNK = 2000
# The states whose proposals may be approved, and what approving makes of each: the
# lifecycle table's answer, passed to the statement as data.
DECIDABLE = {
    state.value: target.value
    for state in State
    if (target := state_after_decision(state)) is not None
}


@dataclass(frozen=True)
class Approval:
    """What a batch did: decisions issued, and proposals left as they were."""

    approved: int = 0
    skipped: int = 0

    def __add__(self, other: Approval) -> Approval:
        return Approval(self.approved + other.approved, self.skipped + other.skipped)


def number_prefix(day: datetime.date) -> str:
    """Return the decision numbers of ``day`` up to their serial, e.g. TPE-EC-P-2026-."""
    return f"{numbers.kind_prefix(DECISION_KIND)}-{day:%Y}-"


def decision_number(prefix: str, pk: int) -> str:
    return f"{prefix}{pk:07d}"


def official_name(user) -> str:
    """The official as the case file names them: title and name, never the user name."""
    return " ".join(part for part in (user.job_title, user.person_name) if part) or str(
        _("an official of the Department")
    )


def decidable_by(user):
    """The proposals ``user`` may decide: proposed, of a case still open to a fine, and
    neither verified nor found by them."""
    verified_by_user = Verification.objects.filter(
        violation_id=OuterRef("violation_id"),
        missed_deadline=OuterRef("missed_deadline"),
        returned_at__isnull=True,
        verified_by=user,
    )
    return (
        Fine.objects.filter(status=FineStatus.PROPOSED, violation__status__in=list(DECIDABLE))
        .exclude(violation__opened_by=user)
        .exclude(Exists(verified_by_user))
    )


def _reason_template(actor) -> str:
    """The approval event's reason in the City's language, positions for step, amount, number."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Fine no. %(step)s of NT$%(amount)s decided by %(official)s: decision %(number)s. "
            "It counts from the day it is served."
        )
        return text % {
            "step": "%1$s",
            "amount": "%2$s",
            "number": "%3$s",
            "official": official_name(actor).replace("%", "%%"),
        }


def _reason(template: str, step: int, amount: int, number: str) -> str:
    return (
        template.replace("%1$s", str(step))
        .replace("%2$s", str(amount))
        .replace("%3$s", number)
        .replace("%%", "%")
    )


def approve(actor, fine: Fine) -> Fine:
    """Approve one proposal: issue its decision; refuse with the reason otherwise."""
    require(actor, "enforcement.decide_fine")
    current = Fine.objects.select_related("violation").get(pk=fine.pk)
    if current.status != FineStatus.PROPOSED:
        raise ValidationError(_("This proposal has been decided already."))
    if involved(actor, current):
        raise ValidationError(
            _("You verified this case or found the refusal: another official decides it.")
        )
    if current.violation.status not in DECIDABLE:
        raise ValidationError(
            _("The case is %(status)s: cancel the proposal instead.")
            % {"status": ViolationStatus(current.violation.status).label}
        )
    done = approve_many(actor, [current.pk])
    if not done.approved:
        raise ValidationError(_("Another official is deciding this proposal right now."))
    current.refresh_from_db()
    return current


def approve_many(
    actor,
    ids: Iterable[int],
    *,
    chunk: int = CHUNK,
    set_based: bool | None = None,
    on: datetime.date | None = None,
) -> Approval:
    """Approve the proposals ``ids`` that ``actor`` may decide, chunk by chunk.

    Each chunk is one transaction; a proposal decided meanwhile, being decided by
    another official (locked), of a closed case or verified by ``actor`` is skipped
    and counted. ``set_based`` chooses the writer (None: by database; the tests run the
    ORM's on PostgreSQL too). ``on`` is the day of the decisions (today; the demo loads
    a history). Returns what was done.
    """
    require(actor, "enforcement.decide_fine")
    ids = sorted(set(ids))
    day = on or timezone.localdate()
    prefix = number_prefix(day)
    template = _reason_template(actor)
    if set_based is None:
        set_based = connection.vendor == "postgresql"
    write = _approve_sql if set_based else _approve_orm
    total = Approval()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        with transaction.atomic():
            approved = write(actor, part, day=day, prefix=prefix, template=template)
        total += Approval(approved, len(part) - approved)
    if total.approved:
        outbox.wake()
    return total


def _approved_changes(number: str, day: datetime.date) -> dict:
    return {
        "status": [FineStatus.PROPOSED.value, FineStatus.ISSUED.value],
        "document_number": [None, number],
        "issued_on": [None, day.isoformat()],
    }


def _approve_orm(actor, ids: Sequence[int], *, day, prefix, template) -> int:
    """Approve with the ORM (SQLite: the demo): the same rows as :data:`_APPROVE`."""
    rows = list(
        decidable_by(actor)
        .filter(pk__in=ids)
        .select_related("violation__premises")
        .select_for_update(skip_locked=True, of=("self", "violation"))
        .order_by("pk")
    )
    if not rows:
        return 0
    now = timezone.now()
    user, label = actor_and_label(actor)
    violations, events, entries = [], [], []
    for fine in rows:
        fine.status = FineStatus.ISSUED
        fine.document_number = decision_number(prefix, fine.pk)
        fine.issued_on = day
        fine.record_decision(actor, at=now)
        violation = fine.violation
        before = violation.status
        violation.status = DECIDABLE[before]
        violations.append(violation)
        events.append(
            ViolationEvent(
                violation=violation,
                from_status=before,
                to_status=violation.status,
                actor=user,
                actor_label=label,
                reason=_reason(template, fine.step, fine.amount_ntd, fine.document_number),
            )
        )
        entries.append(
            audit.entry(
                actor=actor,
                action=AuditAction.APPROVE,
                instance=fine,
                changes=_approved_changes(fine.document_number, day),
                reason=events[-1].reason,
                business_id=violation.owner_business_id,
            )
        )
    Fine.objects.bulk_update(
        rows, ["status", "document_number", "issued_on", "decided_by", "decided_at"]
    )
    Violation.objects.bulk_update(violations, ["status"])
    ViolationEvent.objects.bulk_create(events)
    AuditEntry.objects.bulk_create(entries)
    request_id = current_request_id()  # the approval's request: its follow-ups log under it
    OutboxMessage.objects.bulk_create(
        OutboxMessage(topic=FINE_TOPIC, payload={"fine": fine.pk}, request_id=request_id)
        for fine in rows
    )
    return len(rows)


# One chunk of approvals, one statement. ``picked`` locks the proposals still proposed
# that the official may decide (SKIP LOCKED: another official's batch keeps its rows),
# with their violations; every data-modifying CTE sees the same snapshot, so what they
# need travels in ``picked``. The lifecycle's targets arrive as data (``decidable``).
_APPROVE = """
WITH targets AS (
    SELECT key AS from_status, value AS to_status FROM jsonb_each_text(%(decidable)s::jsonb)
),
picked AS MATERIALIZED (
    SELECT f.id, f.violation_id, f.step, f.amount_ntd, v.status AS from_status,
           t.to_status, p.business_id,
           %(prefix)s || lpad(f.id::text, greatest(7, length(f.id::text)), '0') AS number
    FROM compliance_fine f
    JOIN compliance_violation v ON v.id = f.violation_id
    JOIN targets t ON t.from_status = v.status
    LEFT JOIN compliance_premises p ON p.id = v.premises_id
    WHERE f.id = ANY(%(ids)s::bigint[]) AND f.status = 'proposed'
      AND v.opened_by_id IS DISTINCT FROM %(user)s
      AND NOT EXISTS (
          SELECT 1 FROM compliance_verification r
          WHERE r.violation_id = f.violation_id AND r.missed_deadline = f.missed_deadline
            AND r.returned_at IS NULL AND r.verified_by_id = %(user)s)
    ORDER BY f.id
    FOR UPDATE OF f, v SKIP LOCKED
),
issued AS (
    UPDATE compliance_fine f
       SET status = 'issued', document_number = picked.number, issued_on = %(day)s,
           decided_by_id = %(user)s, decided_at = %(now)s
      FROM picked
     WHERE f.id = picked.id
    RETURNING f.id
),
moved AS (
    UPDATE compliance_violation v
       SET status = picked.to_status
      FROM picked
     WHERE v.id = picked.violation_id
    RETURNING v.id
),
events AS (
    INSERT INTO compliance_violationevent
        (violation_id, from_status, to_status, actor_id, actor_label, at, reason)
    SELECT violation_id, from_status, to_status, %(user)s, %(label)s, %(now)s,
           format(%(template)s, step, amount_ntd, number)
    FROM picked
),
follow_ups AS (
    INSERT INTO portal_outboxmessage (topic, payload, created_at, available_at, attempts,
                                      last_error)
    SELECT %(topic)s, jsonb_build_object('fine', id), %(now)s, %(now)s, 0, ''
    FROM picked
),
audited AS (
    INSERT INTO portal_auditentry
        (timestamp, actor_id, actor_label, action, object_type, object_id, object_repr,
         changes, reason, business_id)
    SELECT %(now)s, %(user)s, %(label)s, %(action)s, %(object_type)s, id::text, number,
           jsonb_build_object('status', jsonb_build_array('proposed', 'issued'),
                              'document_number', jsonb_build_array(NULL, number),
                              'issued_on', jsonb_build_array(NULL, %(day)s::date)),
           format(%(template)s, step, amount_ntd, number), business_id
    FROM picked
    RETURNING 1
)
SELECT (SELECT count(*) FROM issued), (SELECT count(*) FROM moved),
       (SELECT count(*) FROM audited)
"""


def _approve_sql(actor, ids: Sequence[int], *, day, prefix, template) -> int:
    """Approve one chunk in one statement (PostgreSQL); return how many were issued."""
    with connection.cursor() as cursor:
        cursor.execute(
            _APPROVE,
            {
                "decidable": json.dumps(DECIDABLE),
                "ids": list(ids),
                "prefix": prefix,
                "day": day,
                "now": timezone.now(),
                "user": actor.pk,
                "label": actor.get_username(),
                "template": template,
                "topic": FINE_TOPIC,
                "action": AuditAction.APPROVE.value,
                "object_type": Fine._meta.label_lower,
            },
        )
        issued, moved, audited = cursor.fetchone()
    if not issued == moved == audited:  # pragma: no cover - a broken invariant
        raise RuntimeError(f"{issued} decisions but {moved} violations moved, {audited} audited")
    return issued


def _set_aside(actor, fine: Fine, *, status: str, reason: str) -> tuple[Fine, Violation]:
    """Lock a proposal and its case, record the official's decision; return both."""
    require(actor, "enforcement.decide_fine")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal is not approved.")})
    current = Fine.objects.select_for_update().get(pk=fine.pk)
    if current.status != FineStatus.PROPOSED:
        raise ValidationError(_("This proposal has been decided already."))
    violation = Violation.objects.select_for_update().get(pk=current.violation_id)
    current.violation = violation
    if involved(actor, current):
        raise ValidationError(
            _("You verified this case or found the refusal: another official decides it.")
        )
    current.status = status
    fields = current.record_decision(actor, reason.strip())
    current.save(update_fields=["status", *fields])
    audit.record(
        actor=actor,
        action=AuditAction.REJECT,
        instance=current,
        changes={"status": [FineStatus.PROPOSED.value, status]},
        reason=current.decision_reason,
        business_id=violation.owner_business_id,
    )
    return current, violation


def return_for_verification(actor, fine: Fine, *, reason: str) -> Fine:
    """Send a proposal back: its verification is set aside and the case verified again."""
    if fine.missed_deadline is None:
        raise ValidationError(
            _(
                "A refused inspection (Art. 17) has no deadline to verify again: cancel the "
                "proposal if it is not to be fined."
            )
        )
    with transaction.atomic():
        current, violation = _set_aside(actor, fine, status=FineStatus.RETURNED, reason=reason)
        Verification.objects.filter(
            violation=violation, missed_deadline=current.missed_deadline, returned_at__isnull=True
        ).update(returned_at=timezone.now())
        before = audit.snapshot(violation, ["fines_issued", "deadline", "fine_due_on"])
        violation.fines_issued = current.step - 1
        violation.deadline = current.missed_deadline
        violation.fine_due_on = None
        violation.save(update_fields=["fines_issued", "deadline", "fine_due_on"])
        user, label = actor_and_label(actor)
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Proposed fine returned for a new verification: %(reason)s") % {
                "reason": current.decision_reason
            }
        ViolationEvent.objects.create(
            violation=violation,
            from_status=violation.status,
            to_status=violation.status,
            actor=user,
            actor_label=label,
            reason=text,
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=violation,
            changes=audit.diff(
                before, audit.snapshot(violation, ["fines_issued", "deadline", "fine_due_on"])
            ),
            reason=text,
            business_id=violation.owner_business_id,
        )
        transaction.on_commit(
            lambda: proposal_returned.send(sender=Fine, fine=current, violation=violation)
        )
    return current


def cancel_proposal(actor, fine: Fine, *, reason: str) -> Fine:
    """Withdraw a proposal and its case (cancelled, with the reason)."""
    with transaction.atomic():
        current, violation = _set_aside(actor, fine, status=FineStatus.CANCELLED, reason=reason)
        if violation.status not in (ViolationStatus.CLOSED, ViolationStatus.CANCELLED):
            transition(
                violation,
                Action.CANCEL,
                actor=actor,
                reason=_("Proposed fine cancelled: %(reason)s")
                % {"reason": current.decision_reason},
            )
    return current


def repropose(fine: Fine, *, actor, reason: str) -> Fine:
    """Propose again the fine of a revoked decision the appeal body sent back.

    The new proposal takes the revoked decision's step (same violation, missed
    deadline, amount, schedule, rule-book version and new period to rectify) and awaits
    an official's decision like any other. Call inside the caller's transaction.
    """
    if fine.status != FineStatus.REVOKED:
        raise ValidationError(_("Only a revoked decision is proposed again."))
    user, label = actor_and_label(actor)
    with transaction.atomic():
        proposal = Fine.objects.create(
            violation_id=fine.violation_id,
            step=fine.step,
            penalty_article=fine.penalty_article,
            amount_ntd=fine.amount_ntd,
            amount_due_ntd=fine.amount_ntd,
            missed_deadline=fine.missed_deadline,
            offence_on=fine.offence_on,
            proposed_on=timezone.localdate(),
            rectify_within_days=fine.rectify_within_days,
            rulebook_version_id=fine.rulebook_version_id,
            schedule=fine.schedule,
            status=FineStatus.PROPOSED,
            issued_by=user,
            actor_label=label,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=proposal,
            changes={"status": [None, FineStatus.PROPOSED.value], "step": [None, fine.step]},
            reason=reason,
            business_id=fine.violation.owner_business_id,
        )
    return proposal


def awaiting_decision(user):
    """The proposals an official's list shows (all proposed ones, for the City's staff)."""
    if not can(user, "enforcement.see_proposals"):
        return Fine.objects.none()
    return Fine.objects.filter(status=FineStatus.PROPOSED)
