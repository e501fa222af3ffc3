"""Builders of valid registry rows for tests (plain functions, no factory library)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from compliance.choices import (
    AcType,
    AirBarrier,
    District,
    EfficiencyMetric,
    EquipmentKind,
    Fuel,
    LampType,
    PremisesCategory,
    PremisesKind,
    Sector,
    SpaceType,
)
from compliance.models import Business, BusinessMembership, Equipment, Premises
from compliance.validators import is_valid_ubn

_counter = itertools.count(1)


def valid_ubns():
    """Yield valid unified business numbers in increasing order."""
    for n in range(10000000, 99999999):
        candidate = f"{n:08d}"
        if is_valid_ubn(candidate):
            yield candidate


_ubns = valid_ubns()


def make_business(*, members=(), **fields) -> Business:
    n = next(_counter)
    defaults = {
        "ubn": next(_ubns),
        "name_zh": f"測試商行{n}",
        "name_en": f"Test Trading {n}",
        "sector": Sector.COMMERCE,
        "industry_code": "4711",
        "responsible_person": "王大明",
    }
    defaults.update(fields)
    business = Business.objects.create(**defaults)
    for user in members:
        BusinessMembership.objects.create(user=user, business=business)
    return business


def make_premises(business: Business, **fields) -> Premises:
    n = next(_counter)
    defaults = {
        "business": business,
        "name": f"門市{n}",
        "kind": PremisesKind.BUSINESS,
        "address": f"臺北市信義區松仁路{n}號",
        "district": District.XINYI,
        "category": PremisesCategory.RETAIL_SHOP,
        "floor_area_m2": Decimal("120.00"),
    }
    defaults.update(fields)
    return Premises.objects.create(**defaults)


EQUIPMENT_DEFAULTS = {
    EquipmentKind.AIR_CONDITIONER: {
        "ac_type": AcType.SPLIT,
        "cooling_capacity_kw": Decimal("7.10"),
        "efficiency_metric": EfficiencyMetric.CSPF,
        "efficiency_value": Decimal("5.20"),
        "installed_on": date(2024, 5, 1),
    },
    EquipmentKind.CHILLER: {
        "capacity_hp": Decimal("150.0"),
        "is_production_use": False,
        "has_separate_meter": True,
        "energy_manager": "陳志明",
    },
    EquipmentKind.ENTRANCE: {"air_barrier": AirBarrier.AUTOMATIC_DOOR},
    EquipmentKind.LIGHTING: {
        "space_type": SpaceType.RETAIL_GENERAL,
        "lamp_type": LampType.LED,
        "lamp_count": 40,
        "lamp_wattage_w": Decimal("18.0"),
    },
    EquipmentKind.SIGNBOARD: {"lamp_type": LampType.LED},
    EquipmentKind.BOILER: {
        "steam_evaporation_tph": Decimal("1.50"),
        "fuel": Fuel.NATURAL_GAS,
        "is_standby": False,
        "installed_on": date(2020, 1, 15),
    },
}


def make_equipment(premises: Premises, kind=EquipmentKind.AIR_CONDITIONER, **fields) -> Equipment:
    n = next(_counter)
    values = {"premises": premises, "kind": kind, "tag": f"EQ-{n}"}
    values.update(EQUIPMENT_DEFAULTS[kind])
    values.update(fields)
    return Equipment.objects.create(**values)


def ensure_rulebook() -> None:
    """Publish the initial rule book if none is (a transactional test's flush removes it).

    The test database's set-up publishes the migrations' draft (tests/conftest.py); after
    a flush there is none, so a version is written here, attributed to the same named
    test administrator.
    """
    from django.utils import timezone

    from compliance.models import RuleBookVersion
    from compliance.rules import initial_parameters, params_to_dict
    from tests.db import rulebook_publisher

    if RuleBookVersion.objects.published().exists():
        return
    RuleBookVersion.objects.create(
        title="tests: initial parameters",
        status="published",
        number=1,
        published_by=rulebook_publisher(),
        published_at=timezone.now(),
        effective_from=date(2000, 1, 1),
        parameters=params_to_dict(initial_parameters()),
    )


def make_violation(premises: Premises, article: str = "5-5", **fields):
    """Return an open violation of ``article`` found at an imaginary visit, with its event.

    ``deadline`` defaults to ``found_on`` plus the initial rule book's period; an Art. 10-1
    refusal (penalty Art. 17) has none.
    """
    from datetime import timedelta

    from compliance import rules
    from compliance.models import RuleBookVersion, Violation, ViolationEvent

    ensure_rulebook()
    version = RuleBookVersion.objects.published().order_by("effective_from").first()
    found_on = fields.pop("found_on", date(2026, 11, 2))
    penalty = rules.penalty_article_for(article)
    if "deadline" not in fields:
        days = rules.initial_parameters().rectification_days_for(article)
        fields["deadline"] = found_on + timedelta(days=days) if penalty != "17" else None
    number = next(_counter)
    violation = Violation.objects.create(
        premises=premises,
        article=article,
        penalty_article=penalty,
        subject=fields.pop("subject", ""),
        message_key=fields.pop("message_key", "test_finding"),
        finding=fields.pop("finding", {"article": article}),
        rulebook_version=version,
        parameters=version.parameters,
        found_on=found_on,
        source_reference=fields.pop("source_reference", f"visit-test-{number}"),
        **fields,
    )
    ViolationEvent.objects.create(
        violation=violation, from_status="", to_status=violation.status, actor_label="test"
    )
    return violation
