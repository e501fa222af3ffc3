"""The deadline sweep on SQLite (the demo's embedded default): the same rules, row by row.

:mod:`compliance.services.sweep` runs set-based SQL on PostgreSQL; without PostgreSQL it
calls these, which fine, close and remind violation by violation, each in its own
transaction, through the ORM (fine for a demo's size, and single-writer SQLite never has
two sweeps at once).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from compliance import rules
from compliance.choices import ViolationStatus
from compliance.models import Exemption, Fine, SweepRun, Violation
from compliance.rulebook import parameters_of
from compliance.rules.lifecycle import Action, next_status
from compliance.services.sweep import (
    DECISION_PREFIX,
    EXEMPT_TOPIC,
    FINE_TOPIC,
    REMINDER_TOPIC,
    Outcome,
    appeal_days,
    exempt_reason,
    fine_reason_templates,
    reminder_days,
)
from portal import outbox


def sweep(run: SweepRun) -> Outcome:
    """Sweep for ``run.day`` violation by violation, each in its own transaction."""
    fines = closed = unpriced = 0
    candidates = Violation.objects.filter(
        status__in=[ViolationStatus.OPEN, ViolationStatus.FINED]
    ).order_by("pk")
    for violation in candidates:
        with transaction.atomic():
            current = Violation.objects.select_for_update().get(pk=violation.pk)
            if not _is_candidate(current, run.day):
                continue
            if current.deadline is not None and _exempted(current):
                _close_exempted(current, run)
                closed += 1
                continue
            fine = fine_violation(
                current, run.day, run=run, user=run.triggered_by, label=run.actor_label
            )
            if fine is None:
                unpriced += 1
            else:
                fines += 1
    return Outcome(fines=fines, closed=closed, unpriced=unpriced)


def _is_candidate(violation: Violation, day: datetime.date) -> bool:
    if violation.status not in (ViolationStatus.OPEN, ViolationStatus.FINED):
        return False
    if violation.deadline is None:
        return violation.penalty_article == "17" and violation.fines_issued == 0
    return violation.deadline < day


def _exempted(violation: Violation) -> bool:
    offence = violation.deadline + datetime.timedelta(days=1)
    for exemption in (
        Exemption.objects.granted()
        .filter(premises_id=violation.premises_id, article=violation.article)
        .select_related("equipment")
    ):
        if exemption.equipment_id and exemption.equipment.tag != violation.subject:
            continue
        decided = timezone.localdate(exemption.decided_at) if exemption.decided_at else None
        grant = rules.ExemptionGrant(
            article=exemption.article,
            valid_from=exemption.valid_from,
            valid_until=exemption.valid_until,
            revoked_on=exemption.revoked_on,
            equipment_tag=None,
            reason=exemption.reason,
            reference=f"exemption-{exemption.pk}",
        )
        if (
            decided
            and decided <= violation.deadline
            and rules.grant_applies(grant, violation.article, violation.subject, offence)
        ):
            return True
    return False


def _close_exempted(violation: Violation, run: SweepRun) -> None:
    from compliance.models import ViolationEvent

    target = next_status(violation.status, Action.EXEMPT)
    ViolationEvent.objects.create(
        violation=violation,
        from_status=violation.status,
        to_status=target,
        actor=run.triggered_by,
        actor_label=run.actor_label,
        reason=exempt_reason(),
    )
    Violation.objects.filter(pk=violation.pk).update(status=target)
    outbox.add(EXEMPT_TOPIC, {"violation": violation.pk})


def fine_violation(violation, day, *, run, user, label) -> Fine | None:
    """Issue ``violation``'s next fine on ``day``; None when no schedule or period applies."""
    from compliance.models import ViolationEvent
    from compliance.rulebook import PublishedRuleBook

    offence = (
        violation.deadline + datetime.timedelta(days=1)
        if violation.deadline
        else violation.found_on
    )
    version = PublishedRuleBook.load().version_on(offence)
    if version is None:
        return None
    params = parameters_of(version)
    schedule = params.penalty_schedule_for(violation.penalty_article)
    if not schedule:
        return None
    step = violation.fines_issued + 1
    new_deadline = None
    if not violation.fined_directly:
        days = params.rectification_days_for(violation.article)
        if days is None:
            return None
        new_deadline = day + datetime.timedelta(days=days)
    amount = rules.fine_for(violation.article, step, schedule)
    fine, created = Fine.objects.get_or_create(
        violation=violation,
        step=step,
        defaults={
            "penalty_article": violation.penalty_article,
            "amount_ntd": amount,
            "amount_due_ntd": amount,
            "missed_deadline": violation.deadline,
            "offence_on": offence,
            "issued_on": day,
            "new_deadline": new_deadline,
            "appeal_until": day + datetime.timedelta(days=appeal_days()),
            "rulebook_version": version,
            "schedule": list(schedule),
            "document_number": f"pending-{violation.pk}-{step}",
            "sweep": run,
            "issued_by": user,
            "actor_label": label,
        },
    )
    if not created:
        return fine
    fine.document_number = f"{DECISION_PREFIX}-{day:%Y}-{fine.pk:07d}"
    fine.save(update_fields=["document_number"])
    target = next_status(violation.status, Action.FINE)
    fine_reason, direct_reason = fine_reason_templates()
    template = direct_reason if violation.fined_directly else fine_reason
    values = [violation.deadline, step, amount, violation.penalty_article, new_deadline]
    reason = template
    for position, value in enumerate(values, start=1):
        reason = reason.replace(f"%{position}$s", "" if value is None else str(value))
    ViolationEvent.objects.create(
        violation=violation,
        from_status=violation.status,
        to_status=target,
        actor=user,
        actor_label=label,
        reason=reason,
    )
    Violation.objects.filter(pk=violation.pk).update(
        status=target, fines_issued=step, deadline=new_deadline
    )
    outbox.add(FINE_TOPIC, {"fine": fine.pk})
    return fine


def remind(day: datetime.date) -> int:
    """Queue the reminders of deadlines coming up; return how many were new."""
    days = reminder_days()
    if not days:
        return 0
    written = 0
    due = Violation.objects.active().filter(
        deadline__gte=day, deadline__lte=day + datetime.timedelta(days=max(days))
    )
    for violation in due.order_by("pk"):
        left = (violation.deadline - day).days
        bucket = min(b for b in days if b >= left)
        key = f"reminder:{violation.pk}:{violation.deadline}:{bucket}"
        payload = {"violation": violation.pk, "deadline": str(violation.deadline), "days": bucket}
        if outbox.add(REMINDER_TOPIC, payload, dedupe_key=key) is not None:
            written += 1
    return written
