"""Recording a site visit (Arts. 10-1, 10-3, 10-4): start, save, photos, completion.

A tablet may lose its connection and send the same visit again, so every service here
is idempotent: starting twice with the device's key returns the same visit (one visit
per inspection), saving the same readings twice leaves the same state, and completing
twice opens nothing new. Only the inspectors assigned to the inspection and
administrators change a visit (``Visit.objects.editable_by``). Completing hands the
measurements to :func:`compliance.enforcement.services.opening.record_inspection`, which
decides compliance and opens the violations; this module never judges compliance.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.choices import Article
from compliance.enforcement.services.opening import record_inspection
from compliance.models import Equipment, Violation
from inspections.choices import InspectionStatus
from inspections.facts import facts_of
from inspections.models import (
    ArcadeReading,
    EquipmentCheck,
    IlluminanceReading,
    Inspection,
    InspectionReport,
    Photo,
    TemperatureReading,
    Visit,
)
from inspections.photos import clean_image, read_upload
from portal import audit
from portal.choices import AuditAction

logger = logging.getLogger(__name__)

# What the inspector records about the visit itself (Arts. 10-1, 10-3, 5-2, 9).
VISIT_FIELDS: tuple[str, ...] = (
    "identification_shown",
    "badge_numbers",
    "present_persons",
    "arrived_at",
    "departed_at",
    "refused",
    "refusal_circumstances",
    "obstruction_found",
    "after_hours_equipment_on",
    "notes",
)
REPORT_LANGUAGE = "zh-hant"  # Art. 10-4 reports are in Traditional Chinese unless asked


@dataclasses.dataclass(frozen=True)
class ReadingKind:
    """One kind of row recorded during a visit, replaced as a whole on every save."""

    model: type[models.Model]
    fields: tuple[str, ...]
    point_prefix: str


READING_KINDS: dict[str, ReadingKind] = {
    "temperatures": ReadingKind(TemperatureReading, ("point", "temperature_c"), "T"),
    "arcade_readings": ReadingKind(
        ArcadeReading, ("point", "lights_on", "daylight_lux", "lit_lux"), "A"
    ),
    "illuminance_readings": ReadingKind(
        IlluminanceReading, ("point", "space_type", "illuminance_lux"), "L"
    ),
    "equipment_checks": ReadingKind(
        EquipmentCheck, ("point", "equipment", "article", "result", "note"), "C"
    ),
}


class VisitInvalid(ValidationError):
    """Every error of a save at once: the visit's fields, and each kind's rows by index.

    ``errors`` is ``{"arrived_at": [...], "temperatures": [{}, {"temperature_c": [...]}]}``:
    a list per kind with one dict per submitted row (empty for a valid row).
    """

    def __init__(self, errors: dict[str, Any]):
        self.errors = errors
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            if key in READING_KINDS:
                for index, row in enumerate(value):
                    for field, messages in row.items():
                        flat[f"{key}[{index}].{field}"] = messages
            else:
                flat[key] = value
        super().__init__(flat)


class VisitConflict(ValidationError):
    """The visit changed on the server since the entries were made from ``expected``."""

    def __init__(self, visit: Visit):
        self.visit = visit
        super().__init__(
            _("This visit was changed by someone else since these entries were made."),
            code="conflict",
        )


def version_of(visit: Visit) -> str:
    """Return the visit's version: its last change, in microseconds (a device sends it back)."""
    return str(int(visit.updated_at.timestamp() * 1_000_000))


@dataclasses.dataclass(frozen=True)
class Completion:
    """The outcome of completing a visit: the violations its findings opened."""

    visit: Visit
    violations: list[Violation]
    newly_completed: bool
    report: InspectionReport | None


def source_reference_of(visit: Visit) -> str:
    """Return the reference violations found at ``visit`` carry (one set per visit)."""
    return f"visit-{visit.pk}"


def _snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Return ``audit.snapshot`` with UUIDs and files as text (the audit log stores JSON)."""
    values = audit.snapshot(instance, fields)
    for key, value in values.items():
        if isinstance(value, uuid.UUID):
            values[key] = str(value)
        elif isinstance(value, FieldFile):
            values[key] = value.name
    return values


def _business_id(visit: Visit) -> int:
    return visit.inspection.premises.business_id


def _client_key(value) -> uuid.UUID:
    if value in (None, ""):
        return uuid.uuid4()
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationError(
            {
                "client_key": _("The device key must be a UUID, e.g. %(example)s.")
                % {"example": "0f8fad5b-d9cb-469f-a165-70867728950e"}
            },
            code="invalid",
        ) from exc


# The namespace of the device keys of visits begun on the tablet before they were started.
DRAFT_NAMESPACE = uuid.UUID("5b0c6a2e-9f1d-4c3e-8a57-2d7e0f4b9c61")


def draft_key(inspection_id: int, user_id: int) -> uuid.UUID:
    """Return the device key of a visit an inspector begins on the tablet, perhaps offline.

    The form of a visit not yet started is kept by the tablet for the day and filled in
    without a network: its key must be the same however often that page is fetched, so
    that what the device queued under it is found again and the first send starts the
    visit once (:func:`start_visit` is idempotent on the key). One key per inspection and
    inspector.
    """
    return uuid.uuid5(DRAFT_NAMESPACE, f"visit:{inspection_id}:{user_id}")


def _refused_change() -> PermissionDenied:
    return PermissionDenied(
        _("Only the inspectors assigned to this inspection or an administrator may do this.")
    )


def _locked_visit(actor, visit: Visit, *, allow_completed: bool = False) -> Visit:
    """Return ``visit`` locked for the transaction, if ``actor`` may change it."""
    try:
        locked = (
            Visit.objects.editable_by(actor)
            .select_for_update(of=("self",))
            .select_related("inspection__premises")
            .get(pk=visit.pk)
        )
    except Visit.DoesNotExist as exc:
        raise _refused_change() from exc
    if locked.is_completed and not allow_completed:
        raise ValidationError(
            _("This visit has been completed; it can no longer be changed."), code="completed"
        )
    return locked


# --- Starting a visit -------------------------------------------------------------------


def start_visit(actor, inspection: Inspection, client_key=None) -> tuple[Visit, bool]:
    """Return the visit of ``inspection`` and whether it was created now.

    ``client_key`` is the device's idempotency key (a UUID; a new one if empty): the
    same key returns the same visit, and an inspection that already has a visit returns
    it whatever the key, so re-sending never makes a second visit. A key already used
    for another inspection's visit is refused.
    """
    key = _client_key(client_key)
    with transaction.atomic():
        try:
            locked = (
                Inspection.objects.editable_by(actor)
                .select_for_update()
                .select_related("premises")
                .get(pk=inspection.pk)
            )
        except Inspection.DoesNotExist as exc:
            raise _refused_change() from exc
        by_key = Visit.objects.filter(client_key=key).first()
        if by_key is not None:
            if by_key.inspection_id != locked.pk:
                raise ValidationError(
                    {"client_key": _("This device key belongs to another inspection's visit.")},
                    code="key_in_use",
                )
            return by_key, False
        existing = Visit.objects.filter(inspection=locked).first()
        if existing is not None:
            return existing, False
        if locked.status == InspectionStatus.CANCELLED:
            raise ValidationError(
                _("This inspection was cancelled; no visit can be recorded."), code="cancelled"
            )
        try:
            with transaction.atomic():
                visit = Visit.objects.create(inspection=locked, client_key=key)
        except IntegrityError as exc:  # the same key sent for another inspection meanwhile
            raise ValidationError(
                {"client_key": _("This device key belongs to another inspection's visit.")},
                code="key_in_use",
            ) from exc
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=visit,
            changes=audit.diff({}, _snapshot(visit)),
            business_id=locked.premises.business_id,
        )
        if locked.status == InspectionStatus.PLANNED:
            before = audit.snapshot(locked, ["status"])
            locked.status = InspectionStatus.IN_PROGRESS
            locked.save(update_fields=["status", "updated_at"])
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=locked,
                changes=audit.diff(before, audit.snapshot(locked, ["status"])),
                reason=_("Visit started"),
                business_id=locked.premises.business_id,
            )
    return visit, True


# --- Saving what was recorded ------------------------------------------------------------


def _plain_rows(rows: Iterable[models.Model], kind: ReadingKind) -> list[dict[str, Any]]:
    return [audit.snapshot(row, kind.fields) for row in rows]


def _current_rows(visit: Visit) -> dict[str, list[dict[str, Any]]]:
    return {
        name: _plain_rows(kind.model.objects.filter(visit=visit).order_by("id"), kind)
        for name, kind in READING_KINDS.items()
    }


def _build_row(
    kind: ReadingKind, visit: Visit, index: int, row: Mapping[str, Any], equipment_ids: set[int]
) -> tuple[models.Model, dict[str, list[str]]]:
    """Return an unsaved row and its errors (validated by the model's own validators)."""
    values: dict[str, Any] = {}
    for field in kind.fields:
        if field not in row:
            continue
        value = row[field]
        if field == "equipment":
            field = "equipment_id"
            value = getattr(value, "pk", value) or None
        elif value is None and field in ("point", "note", "space_type", "article", "result"):
            value = ""
        values[field] = value
    if not str(values.get("point") or "").strip():
        values["point"] = f"{kind.point_prefix}{index + 1}"
    instance = kind.model(visit=visit, **values)
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=["visit"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    equipment_id = getattr(instance, "equipment_id", None)
    if equipment_id is not None and "equipment" not in errors:
        try:
            known = int(equipment_id) in equipment_ids
        except (TypeError, ValueError):
            known = False
        if not known:
            errors["equipment"] = [_("This equipment is not declared at the inspected premises.")]
    return instance, errors


def save_visit(
    actor,
    visit: Visit,
    data: Mapping[str, Any],
    readings: Mapping[str, list[Mapping[str, Any]]] | None = None,
    *,
    expected_version: str | None = None,
) -> Visit:
    """Save the visit's fields and replace its readings, all or nothing.

    ``data`` holds any of :data:`VISIT_FIELDS`; ``readings`` maps a kind of
    :data:`READING_KINDS` to its complete list of rows (kinds left out keep their rows).
    Every field and row is validated by the models' validators and every error is
    reported at once (:class:`VisitInvalid`); nothing is saved unless all are valid.
    Saving the same values again changes nothing and writes no audit entry.

    ``expected_version`` is the :func:`version_of` the entries were made from (a tablet
    may send them hours later): if the visit changed since and these entries would change
    it again, :class:`VisitConflict` is raised and nothing is saved. Entries the visit
    already holds (a retried send whose answer was lost) are accepted and change nothing.
    """
    readings = readings or {}
    unknown = set(readings) - set(READING_KINDS)
    if unknown:
        raise ValueError(f"Unknown kinds of readings: {sorted(unknown)}")
    with transaction.atomic():
        visit = _locked_visit(actor, visit)
        before = {**audit.snapshot(visit, VISIT_FIELDS), **_current_rows(visit)}
        held = {name: getattr(visit, name) for name in VISIT_FIELDS}
        for name in VISIT_FIELDS:
            if name in data:
                setattr(visit, name, data[name])
        errors: dict[str, Any] = {}
        try:
            visit.full_clean(
                exclude=["inspection", "client_key", "completed_at", "completed_by"],
                validate_unique=False,
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
        premises_id = visit.inspection.premises_id
        equipment_ids = set(
            Equipment.objects.filter(premises_id=premises_id).values_list("pk", flat=True)
        )
        built: dict[str, list[models.Model]] = {}
        for name, rows in readings.items():
            kind = READING_KINDS[name]
            results = [
                _build_row(kind, visit, index, row, equipment_ids) for index, row in enumerate(rows)
            ]
            if any(row_errors for _row, row_errors in results):
                errors[name] = [row_errors for _row, row_errors in results]
            built[name] = [row for row, _row_errors in results]
        if errors:
            raise VisitInvalid(errors)

        after = {**audit.snapshot(visit, VISIT_FIELDS)}
        for name, kind in READING_KINDS.items():
            after[name] = _plain_rows(built[name], kind) if name in built else before[name]
        changes = audit.diff(before, after)
        if not changes:
            return visit
        # Compared by value (the audit's text compares time zones too): entries the visit
        # already holds are no conflict.
        changed = any(getattr(visit, name) != held[name] for name in VISIT_FIELDS) or any(
            after[name] != before[name] for name in built
        )
        if not changed:
            # Only the text of a time differs (its time zone): the same entries sent again.
            return visit
        if expected_version and expected_version != version_of(visit) and changed:
            raise VisitConflict(visit)
        for name, rows in built.items():
            if after[name] != before[name]:
                kind = READING_KINDS[name]
                kind.model.objects.filter(visit=visit).delete()
                kind.model.objects.bulk_create(rows)
        visit.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=visit,
            changes=changes,
            business_id=_business_id(visit),
        )
    return visit


# --- Photos ------------------------------------------------------------------------------


def add_photo(actor, visit: Visit, uploaded_file, caption: str = "", article: str = "") -> Photo:
    """Attach a photo as evidence: a real image, re-encoded without metadata.

    The file is checked by content (JPEG, PNG or WebP), limited in size and pixels,
    stored under a random name in MEDIA_ROOT (never served as a static file), and its
    SHA-256 kept; the same photo twice in one visit is refused.
    """
    caption = (caption or "").strip()
    article = article or ""
    if article and article not in Article.values:
        raise ValidationError({"article": _("Choose an article from the list.")}, code="invalid")
    try:
        clean = clean_image(read_upload(uploaded_file))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}, code="invalid_image") from exc
    duplicate = ValidationError(
        {
            "file": ValidationError(
                _("This photo is already attached to this visit."), code="duplicate"
            )
        }
    )
    with transaction.atomic():
        visit = _locked_visit(actor, visit)
        if Photo.objects.filter(visit=visit, sha256=clean.sha256).exists():
            raise duplicate
        photo = Photo(
            visit=visit,
            point=caption[:100] or _("Photo"),
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
            size_bytes=clean.size_bytes,
            sha256=clean.sha256,
            caption=caption[:200],
            article=article,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        photo.file.save(clean.random_name(), ContentFile(clean.content), save=False)
        try:
            with transaction.atomic():
                photo.save()
        except IntegrityError as exc:
            photo.file.delete(save=False)
            raise duplicate from exc
        except Exception:
            photo.file.delete(save=False)
            raise
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=photo,
            changes=audit.diff({}, _snapshot(photo)),
            business_id=_business_id(visit),
        )
    return photo


# --- Completing the visit ----------------------------------------------------------------


def completion_problems(visit: Visit) -> dict[str, list[str]]:
    """Return what is missing before ``visit`` can be completed, by field (empty: nothing)."""
    errors: dict[str, list[str]] = {}
    if not visit.identification_shown:
        errors["identification_shown"] = [
            _("Record that identification was shown (Art. 10-3) before completing the visit.")
        ]
    if visit.arrived_at is None:
        errors["arrived_at"] = [_("Record the time of arrival before completing the visit.")]
    if visit.departed_at is None:
        errors["departed_at"] = [_("Record the time of departure before completing the visit.")]
    try:
        visit.full_clean(
            exclude=["inspection", "client_key", "completed_at", "completed_by"],
            validate_unique=False,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


def _request_report(actor, visit: Visit, language: str) -> InspectionReport | None:
    """Ask for the Art. 10-4 report once; skipped while the report service is not installed."""
    existing = visit.reports.filter(language=language).first()
    if existing is not None:
        return existing
    try:
        from inspections.services.reports import request_report
    except ImportError:
        logger.info("No report service yet: visit %s completed without a report.", visit.pk)
        return None
    try:
        return request_report(visit, language, actor=actor)
    except Exception:
        # The visit is completed and its violations are open; the report can be asked
        # for again from the visit's page, so a failure here must not undo them.
        logger.exception("Requesting the report of visit %s failed.", visit.pk)
        return None


def complete_visit(actor, visit: Visit, *, language: str = REPORT_LANGUAGE) -> Completion:
    """Complete a visit: assess its measurements, open violations, ask for the report.

    Only the inspectors assigned to the inspection (lead or not) and administrators may
    complete it; identification (Art. 10-3) and the arrival and departure times are
    required. A refusal (Art. 10-1) completes the inspection as refused and goes straight
    to a penalty case (Art. 17, no rectification period). Completing again returns the
    same violations and changes nothing.
    """
    reference = source_reference_of(visit)
    with transaction.atomic():
        visit = _locked_visit(actor, visit, allow_completed=True)
        if visit.is_completed:
            violations = list(Violation.objects.filter(source_reference=reference))
            return Completion(visit, violations, False, visit.reports.first())
        errors = completion_problems(visit)
        if errors:
            raise ValidationError(errors)
        inspection = visit.inspection
        result = record_inspection(
            inspection.premises, facts_of(visit), actor=actor, source_reference=reference
        )
        before = audit.snapshot(visit, ["completed_at", "completed_by"])
        visit.completed_at = timezone.now()
        visit.completed_by = actor
        visit.save(update_fields=["completed_at", "completed_by", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=visit,
            changes=audit.diff(before, audit.snapshot(visit, ["completed_at", "completed_by"])),
            reason=_("Visit completed; %(count)d violation(s) opened under %(version)s.")
            % {"count": len(result.violations), "version": result.version},
            business_id=_business_id(visit),
        )
        before = audit.snapshot(inspection, ["status"])
        inspection.status = (
            InspectionStatus.REFUSED if visit.refused else InspectionStatus.COMPLETED
        )
        inspection.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=inspection,
            changes=audit.diff(before, audit.snapshot(inspection, ["status"])),
            reason=_("Visit completed"),
            business_id=_business_id(visit),
        )
    report = _request_report(actor, visit, language)
    return Completion(visit, result.violations, True, report)
