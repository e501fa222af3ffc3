"""Outbox handlers of enforcement: what follows a fine, a notice, a reminder, a decision.

Registered in ``ComplianceConfig.ready``; each runs in the delivery job's transaction
(``portal.outbox``) and must tolerate running again after a failure. Importing
:mod:`compliance.enforcement.documents.service` registers the handler that renders a document.
"""

from __future__ import annotations

import datetime

from compliance.choices import DocumentKind
from compliance.enforcement.documents import service as _documents  # noqa: F401 - renders documents
from compliance.enforcement.services import appeals, notices, notifications, serving
from compliance.enforcement.services.proposals import FINE_TOPIC
from compliance.enforcement.services.statements import STATEMENT_TOPIC
from compliance.enforcement.services.verification import VERIFIED_TOPIC
from compliance.models import (
    Appeal,
    Fine,
    RectificationEvidence,
    Statement,
    Verification,
    Violation,
)
from compliance.rulebook.explain import explain_finding
from compliance.signals import fine_issued
from portal import outbox


@outbox.handler("enforcement.violation_opened")
def violation_opened(payload: dict) -> None:
    """A violation was opened: the rectification notice, and an email to the business."""
    violation = Violation.objects.select_related("premises__business").get(pk=payload["violation"])
    if violation.deadline is not None:
        notices.request_document(DocumentKind.RECTIFICATION_NOTICE, violation)
    notifications.notify("violation_opened", violation=violation)


@outbox.handler(FINE_TOPIC)
def fine_issued_follow_ups(payload: dict) -> None:
    """An official approved a fine: the penalty decision (PDF) and the e-mail."""
    fine = Fine.objects.select_related("violation__premises__business").get(pk=payload["fine"])
    notices.request_document(DocumentKind.PENALTY_DECISION, fine.violation, fine=fine)
    notifications.notify(
        "fine_issued",
        violation=fine.violation,
        fine=fine,
        electronic=serving.served_electronically(fine),
    )


@outbox.handler(serving.SERVED_TOPIC)
def fine_served_follow_ups(payload: dict) -> None:
    """A decision was served: the e-mail with its periods, and the re-inspection."""
    fine = Fine.objects.select_related("violation__premises__business").get(pk=payload["fine"])
    notifications.notify("fine_served", violation=fine.violation, fine=fine)
    fine_issued.send(sender=Fine, fine=fine)


@outbox.handler("enforcement.deadline_reminder")
def deadline_reminder(payload: dict) -> None:
    violation = Violation.objects.select_related("premises__business").get(pk=payload["violation"])
    if violation.is_active and str(violation.deadline) == payload["deadline"]:
        notifications.notify("deadline_reminder", violation=violation, days=payload["days"])


@outbox.handler("enforcement.deadline_moved")
def deadline_moved(payload: dict) -> None:
    """A declared day off moved the deadline: tell the business (unless it moved again)."""
    violation = Violation.objects.select_related("premises__business").get(pk=payload["violation"])
    if violation.is_active and str(violation.deadline) == payload["deadline"]:
        old = datetime.date.fromisoformat(payload["old_deadline"])
        notifications.notify("deadline_moved", violation=violation, old_deadline=old)


@outbox.handler("enforcement.violation_closed")
def violation_closed(payload: dict) -> None:
    violation = Violation.objects.select_related("premises__business").get(pk=payload["violation"])
    notifications.notify("violation_closed", violation=violation)


@outbox.handler("enforcement.evidence_submitted")
def evidence_submitted(payload: dict) -> None:
    evidence = RectificationEvidence.objects.select_related("violation__premises__business").get(
        pk=payload["evidence"]
    )
    notifications.notify_city("evidence_submitted", violation=evidence.violation, evidence=evidence)


@outbox.handler("enforcement.evidence_reviewed")
def evidence_reviewed(payload: dict) -> None:
    evidence = RectificationEvidence.objects.select_related("violation__premises__business").get(
        pk=payload["evidence"]
    )
    notifications.notify("evidence_reviewed", violation=evidence.violation, evidence=evidence)


def _appeal(payload: dict) -> Appeal:
    return Appeal.objects.select_related("fine__violation__premises__business").get(
        pk=payload["appeal"]
    )


@outbox.handler(appeals.FILED_TOPIC)
def appeal_filed(payload: dict) -> None:
    """An appeal was received: the City's staff review it and forward it in time."""
    appeal = _appeal(payload)
    notifications.notify_city("appeal_filed", violation=appeal.fine.violation, appeal=appeal)


@outbox.handler(appeals.FORWARDED_TOPIC)
def appeal_forwarded(payload: dict) -> None:
    """The appeal was forwarded: the appellant gets a copy of the Department's reply."""
    appeal = _appeal(payload)
    notifications.notify("appeal_forwarded", violation=appeal.fine.violation, appeal=appeal)


@outbox.handler(appeals.DECIDED_TOPIC)
def appeal_decided(payload: dict) -> None:
    """The Department's own review or the appeal body decided: tell the appellant."""
    appeal = _appeal(payload)
    notifications.notify("appeal_decided", violation=appeal.fine.violation, appeal=appeal)


def _what_was_checked(verification: Verification):
    """Return a callable the e-mail calls while rendering, in the recipient's language.

    The finding (the engine's) is explained in each reader's language; without one, the
    explanation recorded in the City's language.
    """

    def text() -> str:
        if verification.finding:
            return explain_finding(verification.finding)
        return verification.explanation

    return text


@outbox.handler(VERIFIED_TOPIC)
def non_rectification_verified(payload: dict) -> None:
    """A missed deadline was verified as not met: tell the business what follows.

    Either the period to state an opinion (until its last day) or that the fine follows.
    Nothing is sent for a violation no longer running (cancelled or closed meanwhile).
    """
    verification = Verification.objects.select_related(
        "violation__premises__business", "violation__supplier"
    ).get(pk=payload["verification"])
    if not verification.violation.is_active:
        return
    notifications.notify(
        "non_rectification_verified",
        violation=verification.violation,
        verification=verification,
        checked=_what_was_checked(verification),
    )


@outbox.handler(STATEMENT_TOPIC)
def statement_submitted(payload: dict) -> None:
    """A statement of opinion was submitted before a fine: tell the City's staff."""
    statement = Statement.objects.select_related(
        "violation__premises__business", "violation__supplier", "verification", "submitted_by"
    ).get(pk=payload["statement"])
    notifications.notify_city(
        "statement_submitted", violation=statement.violation, statement=statement
    )
