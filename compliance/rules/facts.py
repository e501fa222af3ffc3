"""The facts the engine judges: declared registry data, logs, inspection results, grants.

Each type mirrors what ``compliance.models`` holds (values are the same strings as
``compliance/choices.py``); ``compliance/rulebook/bridge.py`` builds them from rows. Every
attribute that can be missing is optional: a rule that needs a missing value answers
UNKNOWN, never COMPLIANT or NON_COMPLIANT by default.

``declared_on`` is the day an item was first entered in the registry. Where no
installation date is recorded (entrances, lighting groups and signboards have none),
it is the earliest day the item is known to have existed: Art. 19 uses it to tell
equipment that existed on the effective date, and Arts. 5-3 and 8-2 require records
from then on at the latest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class PremisesFacts:
    """A factory, business premises or office (Arts. 5, 6, 9, 10)."""

    kind: str | None = None
    category: str | None = None
    has_arcade: bool | None = None
    floor_area_m2: Decimal | None = None


@dataclass(frozen=True)
class AirConditionerFacts:
    """Art. 5-4: an air-conditioning unit."""

    tag: str
    installed_on: date | None = None
    declared_on: date | None = None
    ac_type: str | None = None
    cooling_capacity_kw: Decimal | None = None
    efficiency_metric: str | None = None
    efficiency_value: Decimal | None = None


@dataclass(frozen=True)
class AcLogFacts:
    """Art. 5-3: one monthly record of central air conditioning.

    ``month`` is any day of the month logged. Cooling-tower readings are optional
    because air-cooled chillers have no cooling tower.
    """

    month: date
    ac_electricity_kwh: Decimal | None = None
    maintenance_done: bool | None = None
    chiller_inlet_temp_c: Decimal | None = None
    chiller_outlet_temp_c: Decimal | None = None
    chiller_flow_m3h: Decimal | None = None
    tower_inlet_temp_c: Decimal | None = None
    tower_outlet_temp_c: Decimal | None = None
    tower_flow_m3h: Decimal | None = None

    @property
    def is_complete(self) -> bool:
        """Return whether the record counts for its month: use recorded, maintenance done."""
        return self.ac_electricity_kwh is not None and self.maintenance_done is True


@dataclass(frozen=True)
class ChillerFacts:
    """Art. 5-3: a chiller of a central air-conditioning system, with its monthly logs."""

    tag: str
    installed_on: date | None = None
    declared_on: date | None = None
    capacity_hp: Decimal | None = None
    is_production_use: bool | None = None
    has_separate_meter: bool | None = None
    energy_manager: str | None = None
    logs: tuple[AcLogFacts, ...] = ()


@dataclass(frozen=True)
class EntranceFacts:
    """Art. 5-1: an entrance and what stops cooled air escaping through it."""

    tag: str
    installed_on: date | None = None
    declared_on: date | None = None
    air_barrier: str | None = None


@dataclass(frozen=True)
class LightingFacts:
    """Arts. 6-2, 6-3: a lighting group."""

    tag: str
    installed_on: date | None = None
    declared_on: date | None = None
    space_type: str | None = None
    lamp_type: str | None = None
    lamp_count: int | None = None
    lamp_wattage_w: Decimal | None = None


@dataclass(frozen=True)
class SignboardFacts:
    """Art. 7: an advertising signboard."""

    tag: str
    installed_on: date | None = None
    declared_on: date | None = None
    lamp_type: str | None = None
    lamp_count: int | None = None


@dataclass(frozen=True)
class BoilerLogFacts:
    """Art. 8-2: one periodic check of a running boiler by the energy manager."""

    month: date
    air_volume_m3h: Decimal | None = None
    exhaust_temp_c: Decimal | None = None
    furnace_wall_temp_c: Decimal | None = None
    exhaust_co2_pct: Decimal | None = None
    combustion_complete: bool | None = None

    @property
    def is_complete(self) -> bool:
        """Return whether the check recorded every reading Art. 8-2 names."""
        return None not in (
            self.air_volume_m3h,
            self.exhaust_temp_c,
            self.furnace_wall_temp_c,
            self.exhaust_co2_pct,
            self.combustion_complete,
        )


@dataclass(frozen=True)
class BoilerFacts:
    """Arts. 8-1, 8-2: a boiler, with its periodic logs."""

    tag: str
    installed_on: date | None = None
    declared_on: date | None = None
    steam_evaporation_tph: Decimal | None = None
    heat_input_kcal_h: int | None = None
    fuel: str | None = None
    is_standby: bool | None = None
    logs: tuple[BoilerLogFacts, ...] = ()


@dataclass(frozen=True)
class ArcadeMeasurement:
    """Art. 6-1: illuminance at one point 18 cm above the arcade floor."""

    point: str
    lights_on: bool | None = None
    daylight_lux: Decimal | None = None
    lit_lux: Decimal | None = None


@dataclass(frozen=True)
class IlluminanceMeasurement:
    """Art. 6-2: indoor illuminance at one measuring point of a space type."""

    point: str
    space_type: str | None = None
    illuminance_lux: Decimal | None = None


@dataclass(frozen=True)
class InspectionFacts:
    """Art. 10: what the latest inspection found.

    ``refused``: whether the visit was evaded, obstructed or refused (10-1).
    ``indoor_temperatures_c``: points measured with the air conditioning on (5-5).
    ``obstruction_found``: cooling towers or AC inlets/outlets blocked (5-2).
    ``after_hours_equipment_on``: non-essential equipment left on after hours (9).
    None means not recorded; an empty tuple means nothing was measured.
    """

    inspected_on: date
    refused: bool | None = None
    indoor_temperatures_c: tuple[Decimal, ...] = ()
    arcade: tuple[ArcadeMeasurement, ...] = ()
    illuminance: tuple[IlluminanceMeasurement, ...] = ()
    obstruction_found: bool | None = None
    after_hours_equipment_on: bool | None = None


@dataclass(frozen=True)
class ExemptionGrant:
    """An individual exemption an administrator approved (e.g. Art. 8-1 gas supply).

    It covers one article for one equipment item (``equipment_tag``) or for the whole
    premises (None), on every day from ``valid_from`` to ``valid_until`` inclusive
    (None: no end) and before ``revoked_on``. ``reason`` is a code such as
    "gas_supply_insufficient"; ``reference`` identifies the grant for the record.
    ``decided_on`` is the day it was granted (Asia/Taipei), which decides whether it
    can excuse a deadline already running.
    """

    article: str
    valid_from: date
    valid_until: date | None = None
    revoked_on: date | None = None
    equipment_tag: str | None = None
    reason: str = ""
    reference: str = ""
    decided_on: date | None = None


@dataclass(frozen=True)
class Facts:
    """Everything known about one premises that the obligations judge."""

    premises: PremisesFacts
    air_conditioners: tuple[AirConditionerFacts, ...] = ()
    chillers: tuple[ChillerFacts, ...] = ()
    entrances: tuple[EntranceFacts, ...] = ()
    lighting: tuple[LightingFacts, ...] = ()
    signboards: tuple[SignboardFacts, ...] = ()
    boilers: tuple[BoilerFacts, ...] = ()
    inspection: InspectionFacts | None = None
    grants: tuple[ExemptionGrant, ...] = ()

    def inspection_on(self, on: date) -> InspectionFacts | None:
        """Return the inspection if it took place on or before ``on``."""
        if self.inspection is None or self.inspection.inspected_on > on:
            return None
        return self.inspection
