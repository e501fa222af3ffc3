"""Art. 10-5: whether a premises is among the announced inspection targets."""

from __future__ import annotations

from decimal import Decimal

from compliance.rules.facts import PremisesFacts
from compliance.rules.params import InspectionTargetCriteria


def is_inspection_target(
    premises: PremisesFacts,
    criteria: InspectionTargetCriteria,
    monthly_electricity_kwh: Decimal | None = None,
) -> bool | None:
    """Return whether a premises meets any announced criterion (Art. 10-5).

    Criteria are alternatives: an industry type (premises category) or an energy-use
    scale (floor area, monthly electricity use). None when no criterion matches but
    the data for one that is in use is missing.
    """
    unknown = False
    if criteria.premises_categories:
        if premises.category is None:
            unknown = True
        elif premises.category in criteria.premises_categories:
            return True
    for minimum, value in (
        (criteria.min_floor_area_m2, premises.floor_area_m2),
        (criteria.min_monthly_electricity_kwh, monthly_electricity_kwh),
    ):
        if minimum is None:
            continue
        if value is None:
            unknown = True
        elif value >= minimum:
            return True
    return None if unknown else False
