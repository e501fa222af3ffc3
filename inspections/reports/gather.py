"""Gather what an Art. 10-4 report says about a visit: queries in, a plain dict out.

Everything the renderer needs is read here, in a fixed number of queries, and turned
into strings in the report's language (labels, article wording, the engine's findings
explained), so :mod:`.render` needs neither the ORM nor the rule engine. Photos come as
bytes read from storage.

The findings are the stored decision the visit led to (the ``ComplianceAssessment``
that :func:`compliance.enforcement.services.opening.record_inspection` wrote with the visit's
reference as its trigger); the report never judges anything itself. When that
assessment repeated an earlier, unchanged decision (no new row was written), the
decision in force on the visit day is used, and failing that the findings kept on the
violations the visit opened.

Two hashes, not to be confused:

* ``verification_hash`` (printed on the report) is the sha256 of :func:`canonical_json`
  of this dict: the report's content, independent of how the PDF was produced. The
  same visit data gives the same hash, so the City can check a printed or scanned
  report against its records by gathering the data again.
* ``InspectionReport.sha256`` (stored on the row, not printed) is the sha256 of the PDF
  file's bytes, to prove a downloaded file is the one the portal produced. It cannot
  be printed inside the PDF it hashes.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from compliance import rules
from compliance.articles import ARTICLES, article_label, ordinance_name
from compliance.choices import District, PremisesCategory, SpaceType
from compliance.models import Violation
from compliance.rulebook.bridge import PublishedRuleBook, parameters_of
from compliance.rulebook.explain import explain_finding, outcome_label
from compliance.rules.measurements import shown_average
from inspections import verifications
from inspections.choices import AssignmentRole, CheckResult, InspectionPurpose
from inspections.facts import visit_day
from inspections.models import InspectionAssignment, Visit
from portal import pdf
from portal.models import CitySettings
from portal.models.city import SETTINGS_ROW
from portal.pdf import formats
from portal.pdf.verify import verification_url

logger = logging.getLogger(__name__)

TAIPEI = ZoneInfo("Asia/Taipei")
LANGUAGES = ("zh-hant", "en")
# Keys left out of the verification hash: the hash itself, the verification code and the
# address of its public page (they identify the copy, not what it says of the visit), and
# the photos' raw bytes (a photo is represented by its own sha256).
_UNHASHED_KEYS = ("verification_hash", "verification_code", "verification_url")
_UNHASHED_PHOTO_KEYS = ("data",)


def visit_reference(visit: Visit) -> str:
    """Return the reference an inspection's decision and violations are recorded under."""
    return f"visit-{visit.pk}"


def report_data(
    visit: Visit,
    language: str = "zh-hant",
    *,
    document_number: str = "",
    verification_code: str = "",
) -> dict:
    """Return everything the report of ``visit`` shows, in ``language``, as a plain dict.

    The dict is JSON-safe except for the photos' ``data`` (bytes); its
    ``verification_hash`` is computed over the rest (see the module docstring), without
    the ``verification_code`` and the address of its page (empty without a code).
    """
    if language not in LANGUAGES:
        raise ValueError(f"Reports are written in {', '.join(LANGUAGES)}, not {language!r}.")
    visit = _load(visit.pk)
    with translation.override(language):
        data = _gather(visit, language, document_number)
    data["verification_hash"] = verification_hash(data)
    data["verification_code"] = verification_code
    data["verification_url"] = verification_url(verification_code) if verification_code else ""
    return data


def canonical_json(data: dict) -> bytes:
    """Return the report data as canonical JSON bytes (sorted keys, no photo bytes)."""
    hashed = {key: value for key, value in data.items() if key not in _UNHASHED_KEYS}
    hashed["photos"] = [
        {key: value for key, value in photo.items() if key not in _UNHASHED_PHOTO_KEYS}
        for photo in data.get("photos", [])
    ]
    return pdf.canonical_json(hashed)


def verification_hash(data: dict) -> str:
    """Return the sha256 (hex) of :func:`canonical_json` of the report data."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def _load(pk: int) -> Visit:
    """Fetch the visit with everything the report shows, in a fixed number of queries."""
    return (
        Visit.objects.select_related("inspection__premises__business", "completed_by")
        .prefetch_related(
            Prefetch(
                "inspection__assignments",
                queryset=InspectionAssignment.objects.select_related("user").order_by("id"),
            ),
            "temperatures",
            "arcade_readings",
            "illuminance_readings",
            Prefetch("equipment_checks__equipment"),
            "photos",
        )
        .get(pk=pk)
    )


def _gather(visit: Visit, language: str, document_number: str) -> dict:
    inspection = visit.inspection
    premises = inspection.premises
    business = premises.business
    day = visit_day(visit)
    reference = visit_reference(visit)
    violations = list(
        Violation.objects.filter(source_reference=reference).order_by("article", "subject", "id")
    )
    decision = _decision(premises.pk, reference, day)
    params = _parameters(decision, violations, day)
    findings = decision.findings if decision is not None else [v.finding for v in violations]
    outcome = verifications.outcome_of(visit, violations, findings)
    verified = [_verified_case(case) for case in outcome.cases]
    covered = [_covered(finding) for finding in outcome.covered]
    return {
        "language": language,
        "document_number": document_number,
        "title": _("Inspection report"),
        "legal_basis": _("Art. 10-4 of the {ordinance}").format(ordinance=ordinance_name()),
        "authority": _authority(language),
        "report_date": _date(_local(visit.completed_at).date() if visit.completed_at else day),
        "business": {
            "name_zh": business.name_zh,
            "name_en": business.name_en,
            "ubn": business.ubn,
            "responsible_person": business.responsible_person,
        },
        "premises": {
            "name": premises.name,
            "address": premises.address,
            "district": _label(District, premises.district),
            "category": _label(PremisesCategory, premises.category),
        },
        "visit": _visit_part(visit, day, reference),
        "inspectors": [
            {
                # A document names people, never accounts: without a name, its role only.
                "name": assignment.user.person_name,
                "role": _label(AssignmentRole, assignment.role),
            }
            for assignment in sorted(
                inspection.assignments.all(),
                key=lambda a: (a.role != AssignmentRole.LEAD, a.pk),
            )
        ],
        "experts": _lines(inspection.experts),
        "measurements": _measurements(visit, params),
        "checks": [
            {
                "point": check.point,
                "equipment": check.equipment.tag if check.equipment else "",
                "article": article_label(check.article),
                "result": _label(CheckResult, check.result),
                "note": check.note,
            }
            for check in visit.equipment_checks.all()
        ],
        "findings": _findings(findings, decision),
        "decision": _decision_part(decision),
        "photos": _photos(visit.photos.all()),
        "violations": [_violation(violation) for violation in violations],
        # The cases whose missed deadline this visit verified, with what it established.
        "verified_cases": verified,
        # Non-compliant findings a case already running covers (no new case opened).
        "covered_findings": covered,
        # Whether the report may say that no violation was found (nothing to act on).
        "no_violation": outcome.nothing_found,
        "actions": (
            [_violation(violation)["action"] for violation in violations]
            + [case["action"] for case in verified if case["action"]]
            + [finding["action"] for finding in covered]
        ),
    }


def _authority(language: str) -> str:
    """Name the authority: the City's setting in Chinese, its English name in English."""
    if formats.is_chinese(language):
        city = CitySettings.objects.filter(pk=SETTINGS_ROW).first() or CitySettings()
        return city.authority_name
    return _("Department of Economic Development, Taipei City Government")


def _visit_part(visit: Visit, day: datetime.date, reference: str) -> dict:
    inspection = visit.inspection
    return {
        "reference": reference,
        "date": _date(day),
        "scheduled_for": _date(inspection.scheduled_for),
        "purpose": _label(InspectionPurpose, inspection.purpose),
        "arrived_at": _time(visit.arrived_at),
        "departed_at": _time(visit.departed_at),
        "completed_at": _time(visit.completed_at),
        "time_zone": "Asia/Taipei",
        "identification_shown": _yes_no(visit.identification_shown),
        "badge_numbers": visit.badge_numbers,
        "present_persons": _lines(visit.present_persons),
        "refused": visit.refused,
        "refusal_circumstances": visit.refusal_circumstances,
        "obstruction_found": _yes_no(visit.obstruction_found),
        "after_hours_equipment_on": _yes_no(visit.after_hours_equipment_on),
        "notes": visit.notes,
    }


def _decision(premises_id: int, reference: str, day: datetime.date):
    """Return the stored decision the visit led to, or the one in force that day."""
    return verifications.recorded_decision(premises_id, reference, day)


def _parameters(decision, violations: list[Violation], day: datetime.date):
    """Return the rule-book parameters the decision was made under (None if unknown)."""
    stored = [decision.parameters] if decision is not None else []
    stored += [violation.parameters for violation in violations]
    for parameters in stored:
        if not parameters:
            continue
        try:
            return rules.params_from_dict(parameters)
        except (TypeError, ValueError, KeyError):
            logger.warning("Stored rule-book parameters could not be read; trying the next.")
    version = PublishedRuleBook.load().version_on(day)
    return parameters_of(version) if version is not None else None


def _decision_part(decision) -> dict:
    if decision is None:
        return {"outcome": "", "rulebook": "", "as_of": ""}
    version = decision.rulebook_version
    return {
        "outcome": outcome_label(decision.outcome),
        "rulebook": (
            _("{title} (in force from {day})").format(
                title=version.reference, day=_date(version.effective_from)
            )
            if version is not None
            else ""
        ),
        "as_of": _date(decision.as_of),
    }


def _measurements(visit: Visit, params) -> dict:
    average = shown_average(reading.temperature_c for reading in visit.temperatures.all())
    return {
        "temperature": {
            "points": [
                {"point": reading.point, "value": _number(reading.temperature_c)}
                for reading in visit.temperatures.all()
            ],
            "average": _number(average),
            "floor": _number(params.indoor_temperature_floor_c if params else None),
            "unit": "°C",
        },
        "arcade": {
            "points": [
                {
                    "point": reading.point,
                    "lights_on": _yes_no(reading.lights_on),
                    "daylight_lux": _number(reading.daylight_lux),
                    "lit_lux": _number(reading.lit_lux),
                }
                for reading in visit.arcade_readings.all()
            ],
            "switch_on_lux": _number(params.arcade_switch_on_lux if params else None),
            "band": _range(
                params.arcade_band_low_lux if params else None,
                params.arcade_band_high_lux if params else None,
            ),
            "height_cm": _number(params.arcade_measuring_height_cm if params else None),
            "unit": "lx",
        },
        "illuminance": {
            "points": [
                _illuminance(reading, params) for reading in visit.illuminance_readings.all()
            ],
            "unit": "lx",
        },
    }


def _illuminance(reading, params) -> dict:
    row = params.illuminance_standard_for(reading.space_type) if params else None
    return {
        "point": reading.point,
        "space_type": _label(SpaceType, reading.space_type),
        "value": _number(reading.illuminance_lux),
        "range": _range(row.lower_lux, row.upper_lux) if row else "",
        "upper": _number(row.upper_lux) if row else "",
    }


def _findings(findings: Iterable[dict], decision) -> list[dict]:
    """Return the findings grouped by article, in the ordinance's order, with its wording."""
    by_article: dict[str, list[dict]] = {}
    for finding in findings:
        by_article.setdefault(str(finding.get("article", "")), []).append(finding)
    order = {number: index for index, number in enumerate(rules.ARTICLES)}
    outcomes = decision.article_outcomes if decision is not None else {}
    groups = []
    for number in sorted(by_article, key=lambda n: (order.get(n, len(order)), n)):
        items = by_article[number]
        article = ARTICLES.get(number)
        outcome = outcomes.get(number) or str(
            rules.worst([rules.Outcome(item.get("outcome", "unknown")) for item in items])
        )
        groups.append(
            {
                "article": number,
                "label": article_label(number),
                "title": str(article.title) if article else "",
                "text": article.text() if article else "",
                "outcome": outcome,
                "outcome_label": outcome_label(outcome),
                "advisory": number in rules.ADVISORY_ARTICLES,
                "items": [
                    {
                        "outcome": str(item.get("outcome", "")),
                        "outcome_label": outcome_label(item.get("outcome")),
                        "message": explain_finding(item),
                    }
                    for item in items
                ],
            }
        )
    return groups


def _violation(violation: Violation) -> dict:
    message = explain_finding(violation.finding)
    penalty = article_label(violation.penalty_article)
    if violation.deadline is None:
        action = _(
            "{finding} No rectification period applies: the case goes directly to a fine "
            "under {penalty}."
        ).format(finding=message, penalty=penalty)
    else:
        action = _("Rectify by {deadline}: {finding}").format(
            deadline=_date(violation.deadline), finding=message
        )
    return {
        "article": violation.article,
        "label": article_label(violation.article),
        "penalty_article": violation.penalty_article,
        "penalty_label": penalty,
        "subject": violation.subject,
        "message": message,
        "found_on": _date(violation.found_on),
        "deadline": _date(violation.deadline) if violation.deadline else "",
        "action": action,
    }


def _verified_case(case: verifications.Case) -> dict:
    penalty = case.penalty_label
    values = {"deadline": _date(case.deadline), "finding": case.finding, "penalty": penalty}
    if case.state == verifications.CaseState.PERSISTING:
        action = _(
            "Not rectified by {deadline}: {finding} The fine under {penalty} follows; "
            "the violation must still be rectified."
        ).format(**values)
    else:
        action = ""
    return {
        "article": case.violation.article,
        "label": case.article_label,
        "subject": case.subject,
        "message": case.finding,
        "penalty_label": penalty,
        "deadline": _date(case.deadline),
        "fines": case.fines_count,
        "fines_total_ntd": case.fines_total_ntd,
        "fines_total": formats.amount(case.fines_total_ntd) if case.fines_count else "",
        "result": str(case.state),
        "result_label": case.state_label,
        "statement_until": _date(case.statement_until),
        "planned_for": case.planned_for,
        "action": action,
    }


def _covered(finding: dict) -> dict:
    message = explain_finding(finding)
    return {
        "label": article_label(str(finding.get("article") or "")),
        "subject": str(finding.get("subject") or ""),
        "message": message,
        "action": _("Still to be rectified within the running case's deadline: {finding}").format(
            finding=message
        ),
    }


def _photos(photos: Iterable) -> list[dict]:
    gathered = []
    for photo in photos:
        data = None
        try:
            with photo.file.open("rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            logger.warning("Photo %s of a report could not be read from storage.", photo.pk)
        gathered.append(
            {
                "point": photo.point,
                "caption": photo.caption,
                "article": article_label(photo.article) if photo.article else "",
                "sha256": photo.sha256,
                "content_type": photo.content_type,
                "width": photo.width,
                "height": photo.height,
                "data": data,
            }
        )
    return gathered


def _label(choices, value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("Not checked")
    return _("Yes") if value else _("No")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _local(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(TAIPEI)


def _time(value: datetime.datetime | None) -> str:
    """Return a moment in Taipei as the report's language writes it: 中華民國115年11月20日 14:05."""
    if value is None:
        return ""
    local = _local(value)
    return f"{formats.date(local.date())} {local:%H:%M}"


def _date(value: datetime.date | None) -> str:
    """Return a date as the report's language writes it (the ROC calendar in Chinese)."""
    return formats.date(value) if value else ""


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return str(value)


def _range(low: Any, high: Any) -> str:
    if low is None or high is None:
        return ""
    return f"{low}–{high}"
