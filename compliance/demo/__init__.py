"""Build deterministic, realistic Taipei demo data for the registry.

A pure builder: :func:`generate` takes a seed, the sizes and today's date and yields
unsaved model instances; it reads no clock and touches no database, so the same seed
always gives the same businesses, numbers, names and addresses. ``manage.py demo_data``
saves what it yields in batches, which is how the same code makes city-scale data.

Most premises keep the ordinance: problems gather at about a fifth of them, so that about
one item in ten is built to break an obligation of the ordinance (an air
conditioner below the efficiency minimum (Art. 5-4), an incandescent lamp (6-3, 7), an
entrance without an air barrier (5-1), a recently installed large oil-fired boiler
(8-1), a chiller of 100 HP or more without its own meter (5-3)), so that inspections and
enforcement have something to find. Monthly logs (5-3, 8-2) cover the last twelve months
(the rule book's look-back), with some months missing at the troubled premises.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date

from compliance.choices import EquipmentKind
from compliance.demo.builder import DemoBuilder, allocate
from compliance.demo.catalog import DEMO_EMAIL_DOMAIN
from compliance.models import AcMonthlyLog, BoilerMonthlyLog, Business, Equipment, Premises

__all__ = ["DEMO_EMAIL_DOMAIN", "BusinessBundle", "DemoSize", "generate"]


@dataclass(frozen=True)
class DemoSize:
    """How much to build: by default a small town; the sizes scale to a city."""

    businesses: int = 50
    premises: int = 80
    equipment: int = 500


@dataclass
class BusinessBundle:
    """One business with everything it owns, unsaved, linked by object references."""

    business: Business
    premises: list[Premises] = field(default_factory=list)
    equipment: list[Equipment] = field(default_factory=list)
    ac_logs: list[AcMonthlyLog] = field(default_factory=list)
    boiler_logs: list[BoilerMonthlyLog] = field(default_factory=list)


def generate(
    *, seed: int, today: date, size: DemoSize = DemoSize(), taken_ubns: Collection[str] = ()
) -> Iterator[BusinessBundle]:
    """Yield the demo businesses one at a time, with their premises, equipment and logs.

    ``taken_ubns`` are unified business numbers already in use, which are never drawn.
    """
    if min(size.businesses, size.premises, size.equipment) < 0:
        raise ValueError("Sizes cannot be negative.")
    if (size.premises and not size.businesses) or (size.equipment and not size.premises):
        raise ValueError("Premises need a business, and equipment needs premises.")
    builder = DemoBuilder(seed, today, taken_ubns)
    plan = builder.plan(size.businesses, size.premises)
    weights = [site.weight for _, sites in plan for site in sites]
    # Two items at least (an entrance and its lighting) where the sizes allow.
    equipment_counts = iter(allocate(builder.rng, size.equipment, weights, minimum=2))
    for profile, sites in plan:
        business, brand_zh = builder.business(profile)
        bundle = BusinessBundle(business)
        for site in sites:
            premises = builder.premises(business, brand_zh, site)
            troubled = builder.troubled()
            items = builder.equipment(premises, site, next(equipment_counts), troubled)
            bundle.premises.append(premises)
            bundle.equipment.extend(items)
            for item in items:
                if item.kind == EquipmentKind.CHILLER:
                    bundle.ac_logs.extend(builder.ac_logs(item, site.hours is None, troubled))
                elif item.kind == EquipmentKind.BOILER:
                    bundle.boiler_logs.extend(builder.boiler_logs(item, troubled))
        yield bundle
