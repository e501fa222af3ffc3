"""Gather what a per-premises or per-user overview shows, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from compliance.choices import EquipmentKind
from compliance.models import AcMonthlyLog, BoilerMonthlyLog, Business, Equipment, Premises

LOG_MONTHS = 6


def recent_months(today: datetime.date, count: int = LOG_MONTHS) -> list[datetime.date]:
    """Return the first days of the ``count`` months before ``today``'s, newest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(datetime.date(year, month, 1))
    return months


@dataclass
class LoggedEquipment:
    """An item that needs a monthly log, with which recent months are logged."""

    equipment: Equipment
    months: list[tuple[datetime.date, bool]] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(1 for _, logged in self.months if not logged)


@dataclass
class PremisesOverview:
    """Equipment by kind and the state of the monthly logs of one premises."""

    groups: list[tuple[str, list[Equipment]]]
    logged: list[LoggedEquipment]
    months: list[datetime.date]
    equipment_count: int


def premises_overview(premises: Premises, today: datetime.date | None = None) -> PremisesOverview:
    """Return the overview of one premises (three queries whatever its size)."""
    today = today or timezone.localdate()
    months = recent_months(today)
    equipment = list(premises.equipment.order_by("kind", "tag"))
    by_kind: dict[str, list[Equipment]] = {}
    for item in equipment:
        by_kind.setdefault(item.kind, []).append(item)
    groups = [
        (EquipmentKind(kind).label, by_kind[kind])
        for kind in EquipmentKind.values
        if kind in by_kind
    ]
    logged_pairs = set(
        AcMonthlyLog.objects.filter(
            equipment__premises=premises, month__gte=months[-1]
        ).values_list("equipment_id", "month")
    ) | set(
        BoilerMonthlyLog.objects.filter(
            equipment__premises=premises, month__gte=months[-1]
        ).values_list("equipment_id", "month")
    )
    logged = [
        LoggedEquipment(item, [(month, (item.pk, month) in logged_pairs) for month in months])
        for item in equipment
        if item.kind in (EquipmentKind.CHILLER, EquipmentKind.BOILER)
    ]
    return PremisesOverview(groups, logged, months, len(equipment))


def business_user_summary(user) -> list[Business]:
    """Return the user's businesses annotated with premises and equipment counts."""
    return list(
        Business.objects.visible_to(user)
        .annotate(
            premises_count=Count("premises", distinct=True),
            equipment_count=Count("premises__equipment", distinct=True),
        )
        .order_by("name_zh")
    )
