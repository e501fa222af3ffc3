"""Builders for the report tests: a completed visit as the services leave it, and reports."""

from __future__ import annotations

import datetime
import hashlib
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from compliance.enforcement.services.opening import record_inspection
from inspections.choices import AssignmentRole, InspectionStatus, ReportStatus
from inspections.facts import facts_of
from inspections.models import (
    Inspection,
    InspectionAssignment,
    InspectionReport,
    Photo,
    TemperatureReading,
    Visit,
)
from inspections.services.reports import document_number
from tests.factories import ensure_rulebook
from tests.inspections.visit_builders import planned_before

TAIPEI = ZoneInfo("Asia/Taipei")
VISIT_DAY = datetime.date(2026, 11, 20)
# Art. 5-5's rectification period in the initial rule book.
DEADLINE = VISIT_DAY + datetime.timedelta(days=14)


def png_bytes(width: int = 64, height: int = 48, colour: str | tuple = "teal") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(output, "PNG")
    return output.getvalue()


def add_photo(visit: Visit, data: bytes, *, caption: str = "冷氣出風口", article: str = "5-5"):
    digest = hashlib.sha256(data).hexdigest()
    name = default_storage.save(f"inspections/photos/test/{digest[:16]}.png", ContentFile(data))
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    return Photo.objects.create(
        visit=visit,
        point="賣場",
        file=name,
        content_type="image/png",
        width=width,
        height=height,
        size_bytes=len(data),
        sha256=digest,
        caption=caption,
        article=article,
    )


def make_completed_visit(
    premises,
    inspector,
    *,
    day: datetime.date = VISIT_DAY,
    temperatures: tuple[str, ...] = ("25.0", "25.6"),
    refused: bool = False,
    photos: int = 0,
    assess: bool = True,
) -> Visit:
    """Return a visit recorded and completed as the visit services do it.

    Its measurements are handed to ``record_inspection`` under the visit's reference,
    which stores the decision and opens the violations (``assess=False`` skips that,
    for tests that need only the rows).
    """
    inspection = Inspection.objects.create(
        premises=premises,
        scheduled_for=day,
        status=InspectionStatus.REFUSED if refused else InspectionStatus.COMPLETED,
        experts="張教授（臺北科技大學）",
    )
    planned_before(inspection)
    InspectionAssignment.objects.create(
        inspection=inspection, user=inspector, role=AssignmentRole.LEAD
    )
    arrived = datetime.datetime.combine(day, datetime.time(14, 5), TAIPEI)
    visit = Visit.objects.create(
        inspection=inspection,
        identification_shown=True,
        badge_numbers="TPE-0042",
        present_persons="陳小姐（店長）",
        arrived_at=arrived,
        departed_at=arrived + datetime.timedelta(hours=1, minutes=5),
        refused=refused,
        refusal_circumstances="負責人拒絕開門。" if refused else "",
        completed_at=arrived + datetime.timedelta(hours=1, minutes=7),
        completed_by=inspector,
    )
    if not refused:
        for n, value in enumerate(temperatures, start=1):
            TemperatureReading.objects.create(
                visit=visit, point=f"測點{n}", temperature_c=Decimal(value)
            )
    for n in range(photos):
        add_photo(visit, png_bytes(colour=(n * 37 % 256, 90, 160)))
    if assess:
        ensure_rulebook()
        record_inspection(
            premises, facts_of(visit), actor=inspector, source_reference=f"visit-{visit.pk}"
        )
    return visit


def make_report(
    visit: Visit,
    *,
    language: str = "zh-hant",
    status: str = ReportStatus.READY,
    content: bytes = b"%PDF-1.7\n% a stand-in for a rendered report\n",
    error: str = "",
) -> InspectionReport:
    """Return a report row in any state (a READY one with a file in storage)."""
    report = InspectionReport.objects.create(
        visit=visit, language=language, document_number=f"tmp-{visit.pk}-{language}"
    )
    report.document_number = document_number(report)
    report.status = status
    report.error = error
    if status == ReportStatus.READY:
        report.file.save("ready.pdf", ContentFile(content), save=False)
        report.sha256 = hashlib.sha256(content).hexdigest()
    report.save()
    return report


def report_objects(premises, inspector) -> dict[str, int]:
    """Return the objects the permission matrix needs for the report pages and endpoints."""
    visit = make_completed_visit(premises, inspector, assess=False)
    return {
        "report_visit": visit.pk,
        "ready_report": make_report(visit).pk,
        "failed_report": make_report(
            visit, language="en", status=ReportStatus.FAILED, error="matrix"
        ).pk,
    }
