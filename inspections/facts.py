"""What a visit measured, as the rule engine's ``InspectionFacts`` (the bridge to compliance)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from compliance import rules
from inspections.models import Visit


def visit_day(visit: Visit) -> datetime.date:
    """Return the day of a visit in Asia/Taipei (arrival, else the inspection's date)."""
    if visit.arrived_at:
        return timezone.localtime(visit.arrived_at).date()
    return visit.inspection.scheduled_for


def facts_of(visit: Visit) -> rules.InspectionFacts:
    """Return the engine's facts for one visit (its readings prefetched or not)."""
    return rules.InspectionFacts(
        inspected_on=visit_day(visit),
        refused=visit.refused,
        indoor_temperatures_c=tuple(r.temperature_c for r in visit.temperatures.all()),
        arcade=tuple(
            rules.ArcadeMeasurement(
                point=r.point,
                lights_on=r.lights_on,
                daylight_lux=r.daylight_lux,
                lit_lux=r.lit_lux,
            )
            for r in visit.arcade_readings.all()
        ),
        illuminance=tuple(
            rules.IlluminanceMeasurement(
                point=r.point, space_type=r.space_type, illuminance_lux=r.illuminance_lux
            )
            for r in visit.illuminance_readings.all()
        ),
        obstruction_found=visit.obstruction_found,
        after_hours_equipment_on=visit.after_hours_equipment_on,
    )


def latest_inspection_facts(
    premises_ids: list[int], day: datetime.date
) -> dict[int, rules.InspectionFacts]:
    """Return the facts of each premises' latest completed visit on or before ``day``.

    Registered with ``compliance.rulebook.bridge`` at start-up, so every later assessment of a
    premises judges the measurements of its latest visit. Four queries.
    """
    visits = (
        Visit.objects.filter(
            inspection__premises_id__in=premises_ids,
            completed_at__isnull=False,
            inspection__scheduled_for__lte=day,
        )
        .select_related("inspection")
        .prefetch_related(
            Prefetch("temperatures"), Prefetch("arcade_readings"), Prefetch("illuminance_readings")
        )
        .order_by("inspection__premises_id", "-completed_at")
    )
    latest: dict[int, rules.InspectionFacts] = {}
    for visit in visits:
        premises_id = visit.inspection.premises_id
        facts = facts_of(visit)
        if premises_id not in latest and facts.inspected_on <= day:
            latest[premises_id] = facts
    return latest
