"""Service (送達) of a decision: the day from which it counts (APA Arts. 67-91).

An issued decision takes effect towards the business when it is served: opened by a
member of the business in the portal where the business agreed to electronic service
(APA Art. 86), or on the day of service staff record for registered mail with a return
receipt or delivery in person. Then the appeal period (30 days, AAA Art. 14) and the new
rectification deadline (文到N日內) start the day after, counted as APA Art. 48 counts
them (``compliance.rules.after_service``); until then the case says "awaiting service"
and neither runs. Service is recorded once: a second opening or recording changes nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance import rules
from compliance.choices import FineStatus, ServiceMethod
from compliance.enforcement import permissions  # noqa: F401 (registers the rules asked below)
from compliance.enforcement.services.violations import actor_and_label
from compliance.enforcement.services.working_calendar import calendar_for
from compliance.models import Business, Fine, Violation, ViolationEvent
from portal import audit, outbox
from portal.choices import AuditAction
from portal.permissions import can, require

SERVED_TOPIC = "enforcement.fine_served"
STAFF_METHODS = (ServiceMethod.REGISTERED_MAIL, ServiceMethod.IN_PERSON)
SERVICE_FIELDS = [
    "served_on",
    "service_method",
    "appeal_until",
    "new_deadline",
    "service_recorded_by",
    "service_recorded_at",
]


def appeal_days() -> int:
    return settings.ENFORCEMENT_APPEAL_DAYS


def served_electronically(fine: Fine) -> bool:
    """Whether opening ``fine`` in the portal serves it: its business agreed to it."""
    violation = fine.violation
    return bool(
        violation.premises_id is not None
        and violation.premises.business.electronic_service_since is not None
    )


def record_service(actor, fine: Fine, *, served_on: datetime.date | None, method: str) -> Fine:
    """Staff record the day a decision was served by registered mail or in person."""
    require(actor, "enforcement.record_service")
    errors = {}
    if method not in STAFF_METHODS:
        errors["method"] = _("Choose registered mail or delivery in person.")
    if served_on is None:
        errors["served_on"] = _("Enter the day of service (as the return receipt shows it).")
    elif served_on > timezone.localdate():
        errors["served_on"] = _("The day of service cannot be in the future.")
    elif fine.issued_on is not None and served_on < fine.issued_on:
        errors["served_on"] = _("The day of service cannot be before the decision (%(day)s).") % {
            "day": fine.issued_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    served = _serve(actor, fine, served_on=served_on, method=method)
    if served is None:
        raise ValidationError(_("This decision has been served already."))
    return served


def open_decision(user, fine: Fine) -> Fine | None:
    """Record electronic service when a member of the business opens its decision.

    Only the business's own members (not the City's staff looking at it), only for an
    issued decision not yet served, and only where the business agreed to electronic
    service. Returns the served fine, or None when this opening served nothing.
    """
    if not (user.is_authenticated and user.is_business_user):
        return None
    if not (fine.is_decision and fine.served_on is None and served_electronically(fine)):
        return None
    if not can(user, "enforcement.act_for_business", fine):
        return None
    return _serve(user, fine, served_on=timezone.localdate(), method=ServiceMethod.ELECTRONIC)


def _serve(actor, fine: Fine, *, served_on: datetime.date, method: str) -> Fine | None:
    """Serve ``fine`` on ``served_on``: the periods start; None if it was served already."""
    with transaction.atomic():
        current = Fine.objects.select_for_update().get(pk=fine.pk)
        if not current.is_decision or current.served_on is not None:
            return None
        if current.status == FineStatus.REVOKED:
            return None
        violation = Violation.objects.select_for_update().get(pk=current.violation_id)
        periods = rules.after_service(
            served_on,
            calendar_for(served_on),
            appeal_days=appeal_days(),
            rectify_within_days=current.rectify_within_days,
        )
        before = audit.snapshot(current, SERVICE_FIELDS)
        current.served_on = served_on
        current.service_method = method
        current.appeal_until = periods.appeal_until
        current.new_deadline = periods.new_deadline
        current.service_recorded_by = actor if actor.is_authenticated else None
        current.service_recorded_at = timezone.now()
        current.save(update_fields=SERVICE_FIELDS)
        reason = _served_reason(current)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            changes=audit.diff(before, audit.snapshot(current, SERVICE_FIELDS)),
            reason=reason,
            business_id=violation.owner_business_id,
        )
        _start_new_deadline(actor, violation, current, reason)
        outbox.add(SERVED_TOPIC, {"fine": current.pk})
    current.violation = violation
    return current


def _start_new_deadline(actor, violation: Violation, fine: Fine, reason: str) -> None:
    """Give the case its new deadline if this decision is its latest and it still runs."""
    user, label = actor_and_label(actor)
    runs = (
        fine.new_deadline is not None
        and violation.is_active
        and violation.fines_issued == fine.step
        and violation.deadline is None
    )
    if runs:
        before = audit.snapshot(violation, ["deadline"])
        violation.deadline = fine.new_deadline
        violation.save(update_fields=["deadline"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=violation,
            changes=audit.diff(before, audit.snapshot(violation, ["deadline"])),
            reason=reason,
            business_id=violation.owner_business_id,
        )
    ViolationEvent.objects.create(
        violation=violation,
        from_status=violation.status,
        to_status=violation.status,
        actor=user,
        actor_label=label,
        reason=reason,
    )


def _served_reason(fine: Fine) -> str:
    """What the case file says of the service, in the City's language."""
    values = {
        "number": fine.document_number,
        "day": fine.served_on,
        "appeal": fine.appeal_until,
        "deadline": fine.new_deadline,
    }
    with translation.override(settings.LANGUAGE_CODE):
        values["how"] = str(ServiceMethod(fine.service_method).label)
        if fine.new_deadline is None:
            return (
                _("Decision %(number)s served on %(day)s (%(how)s): appeal until %(appeal)s.")
                % values
            )
        return (
            _(
                "Decision %(number)s served on %(day)s (%(how)s): appeal until %(appeal)s; "
                "new deadline to rectify %(deadline)s."
            )
            % values
        )


def set_electronic_service(actor, business: Business, *, agree: bool) -> Business:
    """A member of the business agrees to electronic service, or withdraws the agreement.

    Decisions issued afterwards count as served on the day a member opens them in the
    portal; a withdrawal applies to decisions not opened yet (served by mail instead).
    """
    require(actor, "enforcement.electronic_service", business)
    with transaction.atomic():
        current = Business.objects.select_for_update().get(pk=business.pk)
        if bool(current.electronic_service_since) == agree:
            return current
        before = audit.snapshot(current, ["electronic_service_since"])
        current.electronic_service_since = timezone.now() if agree else None
        current.save(update_fields=["electronic_service_since"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            changes=audit.diff(before, audit.snapshot(current, ["electronic_service_since"])),
            reason=(
                _("Agreed to electronic service of decisions")
                if agree
                else _("Withdrew the agreement to electronic service")
            ),
            business_id=current.pk,
        )
    return current
