"""Builders and fixtures of the visit tests: inspections, visits, real image files."""

from __future__ import annotations

import datetime
import io
import uuid
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from inspections.choices import AssignmentRole
from inspections.models import Inspection, InspectionAssignment, Visit

TAIPEI = ZoneInfo("Asia/Taipei")
VISIT_DAY = datetime.date(2026, 11, 20)


def at(hour: int, minute: int = 0, day: datetime.date = VISIT_DAY) -> datetime.datetime:
    """Return a time of the visit day in Taipei."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TAIPEI)


def planned_before(inspection, days: int = 7) -> None:
    """Date the inspection's creation ``days`` before its planned day (as planning does).

    A visit's times may not lie before its inspection was created; these tests record
    visits on fixed past days, so the inspection is created before them.
    """
    created = datetime.datetime.combine(
        inspection.scheduled_for - datetime.timedelta(days=days), datetime.time(9), TAIPEI
    )
    type(inspection).objects.filter(pk=inspection.pk).update(created_at=created)
    inspection.created_at = created


def make_inspection(premises, *, lead=None, others=(), day: datetime.date = VISIT_DAY):
    """Create an inspection of ``premises`` led by ``lead`` with ``others`` assigned."""
    inspection = Inspection.objects.create(premises=premises, scheduled_for=day)
    planned_before(inspection)
    if lead is not None:
        InspectionAssignment.objects.create(
            inspection=inspection, user=lead, role=AssignmentRole.LEAD
        )
    for user in others:
        InspectionAssignment.objects.create(
            inspection=inspection, user=user, role=AssignmentRole.INSPECTOR
        )
    return inspection


def make_visit(inspection, *, ready: bool = True, **fields) -> Visit:
    """Create a visit; ``ready`` records identification and the times completing needs."""
    values = {"client_key": uuid.uuid4()}
    if ready:
        values.update(
            identification_shown=True,
            badge_numbers="TPE-0042",
            arrived_at=at(10),
            departed_at=at(11, 30),
        )
    values.update(fields)
    return Visit.objects.create(inspection=inspection, **values)


def image_bytes(
    image_format: str = "JPEG", size: tuple[int, int] = (64, 48), *, exif=None, color=(200, 30, 30)
) -> bytes:
    """Return a real image file of ``image_format`` (with ``exif`` if given)."""
    mode = "RGBA" if image_format == "PNG" else "RGB"
    image = Image.new(mode, size, color)
    output = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(output, format=image_format, **options)
    return output.getvalue()


def gps_exif() -> Image.Exif:
    """Return EXIF with a GPS position (Taipei 101), a camera make and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "TabletCam"  # Make
    exif[0x9286] = "secret comment"  # UserComment (in the IFD0 for simplicity)
    gps = {
        1: "N",  # GPSLatitudeRef
        2: (25.0, 2.0, 0.0),  # GPSLatitude
        3: "E",  # GPSLongitudeRef
        4: (121.0, 33.0, 0.0),  # GPSLongitude
    }
    exif[0x8825] = gps  # GPSInfo IFD
    return exif


@pytest.fixture(name="inspection")
def inspection_fixture(premises, inspector):
    """An inspection of ``premises`` led by the persona ``inspector``."""
    return make_inspection(premises, lead=inspector)


@pytest.fixture(name="visit")
def visit_fixture(inspection):
    """A visit of ``inspection`` with identification and times recorded."""
    return make_visit(inspection)


@pytest.fixture(name="unassigned_inspector")
def unassigned_inspector_fixture(make_user):
    from portal.choices import Role

    return make_user("inspector9", Role.INSPECTOR)


@pytest.fixture(name="media_root")
def media_root_fixture(settings, tmp_path):
    """Keep uploaded files in a temporary MEDIA_ROOT, apart from STATIC_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    return settings.MEDIA_ROOT


def matrix_objects(premises, inspector) -> dict[str, int]:
    """Return a visit ready to complete and a stored photo of it, for the permission matrix."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inspections.services.visits import add_photo

    visit = make_visit(make_inspection(premises, lead=inspector))
    photo = add_photo(
        inspector, visit, SimpleUploadedFile("m.jpg", image_bytes(), content_type="image/jpeg")
    )
    return {"visit": visit.pk, "photo": photo.pk}
