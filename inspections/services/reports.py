"""The Art. 10-4 report's lifecycle: requested, rendered by a worker, ready or failed.

A report is a long job with a status row (design.md): PENDING → RENDERING → READY, or
FAILED with what went wrong. Exactly-once comes from the database, not from locks:
one row per visit and language (a unique constraint), and a worker renders only after
a conditional UPDATE from PENDING/FAILED to RENDERING that hits exactly one row, so two
workers given the same report never both render it. The rendering is queued like every
rendered document's (:mod:`portal.pdf.jobs`): an outbox message written in the
requesting transaction, delivered on the "reports" queue. The document number is allocated
when the row is created and never changes, also when an administrator forces a new
rendering of a ready report.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import permissions  # noqa: F401 (registers the rules asked below)
from inspections.choices import ReportStatus
from inspections.models import InspectionReport, Visit
from inspections.reports.gather import LANGUAGES, report_data
from portal import audit
from portal.choices import AuditAction
from portal.pdf import jobs, numbers
from portal.permissions import can

DEFAULT_LANGUAGE = "zh-hant"


def document_number(report: InspectionReport) -> str:
    """Return the report's document number, e.g. TPE-EC-2026-000123 (unique by its id).

    It begins with the City's prefix in force when the number is allocated.
    """
    year = timezone.localtime(report.requested_at).year
    return numbers.new_number("", year, report.pk, digits=6)


def request_report(
    visit: Visit, language: str = DEFAULT_LANGUAGE, *, actor=None
) -> InspectionReport:
    """Return the report of ``visit`` in ``language``, creating and queueing it if new.

    Idempotent: asking again returns the same row (and queues a still-pending one
    again, which is harmless: only one worker can claim it). Only a completed visit has
    a report. ``actor`` is who asked (None: the system, e.g. on completing the visit).
    """
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Reports are written in Chinese or English.")})
    if actor is not None and not can(actor, "inspections.render_report"):
        raise PermissionDenied
    if visit.completed_at is None:
        raise ValidationError(_("The visit is not completed yet: there is nothing to report."))
    with transaction.atomic():
        report = InspectionReport.objects.filter(visit=visit, language=language).first()
        if report is None:
            report = _create(visit, language, actor)
        if report.status == ReportStatus.PENDING:
            jobs.queue(report)
    return report


def _create(visit: Visit, language: str, actor) -> InspectionReport:
    try:
        with transaction.atomic():
            report = InspectionReport.objects.create(
                visit=visit,
                language=language,
                # A placeholder until the id is known; never seen outside this block.
                document_number=f"pending-{secrets.token_hex(16)}",
            )
            report.document_number = document_number(report)
            report.save(update_fields=["document_number"])
    except IntegrityError:
        # Created meanwhile by a concurrent request for the same visit and language.
        return InspectionReport.objects.get(visit=visit, language=language)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=report,
        changes=audit.diff({}, audit.snapshot(report, ["visit", "language", "document_number"])),
        reason=_("Inspection report requested"),
        business_id=visit.inspection.premises.business_id,
    )
    return report


def retry_report(actor, report: InspectionReport, *, force: bool = False) -> InspectionReport:
    """Render a report again: a FAILED one on request, any other only when forced.

    Inspectors and administrators retry a failed report. A READY report is left as it
    is unless an administrator forces a new rendering (e.g. after correcting a visit);
    it keeps its document number. A report already pending is queued again; forcing
    also releases one stuck in RENDERING (its worker died). Audited.
    """
    if not can(actor, "inspections.force_render" if force else "inspections.render_report"):
        raise PermissionDenied
    allowed = [ReportStatus.FAILED]
    if force:
        allowed += [ReportStatus.READY, ReportStatus.RENDERING]
    with transaction.atomic():
        current = InspectionReport.objects.select_for_update().get(pk=report.pk)
        if current.status == ReportStatus.PENDING:
            jobs.queue(current)
            return current
        if current.status not in allowed:
            return current
        before = audit.snapshot(current, ["status"])
        InspectionReport.objects.filter(pk=current.pk).update(status=ReportStatus.PENDING)
        current.status = ReportStatus.PENDING
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            changes=audit.diff(before, audit.snapshot(current, ["status"])),
            reason=_("Report rendered again on request")
            if not force
            else _("Report rendering forced by an administrator"),
            business_id=current.audit_business_id,
        )
        jobs.queue(current)
    return current


def claim(report_id: int) -> bool:
    """Move a report from PENDING or FAILED to RENDERING; return whether this call did it."""
    return InspectionReport.claim(report_id)


@jobs.renders(InspectionReport)
def pdf_of(report: InspectionReport) -> bytes:
    """Return the report's PDF: its visit's data, laid out by WeasyPrint."""
    # WeasyPrint loads its libraries and stylesheets on import: only where reports render.
    from inspections.reports.render import render_report

    data = report_data(
        report.visit,
        report.language,
        document_number=report.document_number,
        verification_code=report.verification_code,
    )
    return render_report(data)


def render(report_id: int) -> str:
    """Render a claimed report and store it; return the report's status afterwards.

    Does nothing (returns the current status) when the report is not PENDING or FAILED,
    so running it twice leaves the same state as once. A rendering error marks the
    report FAILED with the reason; a transient database error does too and is raised
    again, for the task to retry.
    """
    return jobs.render(InspectionReport, report_id, pdf_of)
