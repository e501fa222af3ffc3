"""Demo routine visits: each demo premises was inspected in the last months.

Compliance's demo loader announces the premises it saved (``compliance.signals.
demo_premises_loaded``); this module records a completed routine visit for each, with
the readings an inspector takes (indoor temperatures, illuminance per space type, the
arcade), so the articles only a visit can judge (5-2, 5-5, 6-1, 6-2, 9) are known. Most
visits find nothing wrong; about one in twelve finds a problem (too cold, too bright, an
obstructed air inlet, arcade lights on in daylight). Seeded: the same seed gives the same
visits. Written in bulk, like the rest of the demo data.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from compliance import rules
from compliance.choices import EquipmentKind
from compliance.models import Equipment
from inspections.choices import InspectionStatus
from inspections.models import (
    ArcadeReading,
    IlluminanceReading,
    Inspection,
    TemperatureReading,
    Visit,
)

PROBLEM_SHARE = 0.08
PROBLEMS = ("cold", "bright", "obstruction", "arcade")


def _dec(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def record_visits(premises, today: datetime.date, seed: int) -> int:
    """Record one completed routine visit per premises without one; return how many."""
    rng = random.Random(seed)
    standards = {row.space_type: row for row in rules.initial_parameters().illuminance_standards}
    spaces: dict[int, list[str]] = {}
    for premises_id, space in Equipment.objects.filter(
        premises__in=premises, kind=EquipmentKind.LIGHTING
    ).values_list("premises_id", "space_type"):
        if space in standards and space not in spaces.setdefault(premises_id, []):
            spaces[premises_id].append(space)
    todo = list(premises.exclude(inspections__isnull=False).order_by("pk"))
    inspections, visits, temperatures, illuminance, arcade = [], [], [], [], []
    for place in todo:
        day = today - datetime.timedelta(days=rng.randint(20, 170))
        problem = rng.choice(PROBLEMS) if rng.random() < PROBLEM_SHARE else None
        inspection = Inspection(
            premises=place, scheduled_for=day, status=InspectionStatus.COMPLETED
        )
        visit = Visit(
            inspection=inspection,
            identification_shown=True,
            present_persons=place.business.contact_name,
            arrived_at=_moment(day, 10),
            departed_at=_moment(day, 11, 30),
            obstruction_found=problem == "obstruction",
            after_hours_equipment_on=False,
            completed_at=_moment(day, 11, 30),
        )
        inspections.append(inspection)
        visits.append(visit)
        low, high = (24.0, 25.4) if problem == "cold" else (26.0, 27.5)
        temperatures += [
            TemperatureReading(visit=visit, point=point, temperature_c=_dec(rng.uniform(low, high)))
            for point in ("A", "B", "C")
        ]
        for index, space in enumerate(spaces.get(place.pk, []), start=1):
            row = standards[space]
            top = float(row.upper_lux)
            lux = top * rng.uniform(1.15, 1.4) if problem == "bright" and index == 1 else None
            lux = lux or rng.uniform(float(row.lower_lux), top)
            illuminance.append(
                IlluminanceReading(
                    visit=visit, point=f"L{index}", space_type=space, illuminance_lux=_dec(lux)
                )
            )
        if place.has_arcade:
            lit_in_daylight = problem == "arcade"
            arcade.append(
                ArcadeReading(
                    visit=visit,
                    point="騎樓 1",
                    lights_on=lit_in_daylight,
                    daylight_lux=_dec(rng.uniform(800, 5000)),
                    lit_lux=_dec(rng.uniform(150, 250)) if lit_in_daylight else None,
                )
            )
    Inspection.objects.bulk_create(inspections)
    for visit in visits:
        visit.inspection_id = visit.inspection.pk
    Visit.objects.bulk_create(visits)
    for model, rows in (
        (TemperatureReading, temperatures),
        (IlluminanceReading, illuminance),
        (ArcadeReading, arcade),
    ):
        for row in rows:
            row.visit_id = row.visit.pk
        model.objects.bulk_create(rows)
    return len(visits)
