"""The only bridge between database rows and the rule engine's types.

Rule-book versions become :class:`~compliance.rules.RuleParameters`; premises with their
equipment, logs and exemptions become :class:`~compliance.rules.Facts`, loaded in a
fixed number of queries for any number of premises.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from functools import lru_cache

from django.db.models.functions import TruncDate
from django.utils import timezone

from compliance import rules
from compliance.choices import EquipmentKind
from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Equipment,
    Exemption,
    Premises,
    RuleBookVersion,
)
from compliance.registry.models.equipment import ATTRIBUTE_FIELDS
from portal.ids import among

# Facts about what an inspection found, provided by the inspections app (which depends
# on compliance, never the reverse): premises ids and a date → {premises_id: facts}.
InspectionFactsProvider = Callable[[list[int], datetime.date], dict[int, rules.InspectionFacts]]
_inspection_provider: InspectionFactsProvider | None = None


def register_inspection_facts(provider: InspectionFactsProvider) -> None:
    """Let the inspections app supply the latest inspection's measurements."""
    global _inspection_provider  # one registry, set at app start-up
    _inspection_provider = provider


def parameters_of(version: RuleBookVersion) -> rules.RuleParameters:
    """Return the engine parameters of a version (published ones are cached: frozen)."""
    if version.is_published:
        return _published_parameters(version.pk, version.published_at)
    return rules.params_from_dict(version.parameters)


@lru_cache(maxsize=64)
def _published_parameters(pk: int, published_at) -> rules.RuleParameters:
    return rules.params_from_dict(RuleBookVersion.objects.get(pk=pk).parameters)


@dataclass(frozen=True)
class PublishedRuleBook:
    """Every published version, to answer "which parameters were in force on a day"."""

    versions: tuple[RuleBookVersion, ...]  # newest effective_from first

    @classmethod
    def load(cls) -> PublishedRuleBook:
        return cls(tuple(RuleBookVersion.objects.published().order_by("-effective_from")))

    def version_on(self, day: datetime.date) -> RuleBookVersion | None:
        for version in self.versions:
            if version.effective_from <= day:
                return version
        return None

    def parameters_on(self, day: datetime.date) -> rules.RuleParameters | None:
        version = self.version_on(day)
        return parameters_of(version) if version else None


def version_in_force(day: datetime.date | None = None) -> RuleBookVersion | None:
    """Return the published version in force on ``day`` (today in Asia/Taipei by default)."""
    return RuleBookVersion.objects.in_force_on(day or timezone.localdate())


def grant_of(exemption: Exemption) -> rules.ExemptionGrant:
    """Return the engine's grant of an exemption (its equipment loaded with it)."""
    decided = exemption.decided_at
    return rules.ExemptionGrant(
        article=exemption.article,
        valid_from=exemption.valid_from,
        valid_until=exemption.valid_until,
        revoked_on=exemption.revoked_on,
        equipment_tag=exemption.equipment.tag if exemption.equipment_id else None,
        reason=exemption.reason,
        reference=f"exemption-{exemption.pk}",
        decided_on=timezone.localdate(decided) if decided else None,
    )


def grants_for(premises_ids: Iterable[int]) -> dict[int, list[rules.ExemptionGrant]]:
    """Return the exemptions granted (revoked ones included) by premises, in one query."""
    grants: dict[int, list[rules.ExemptionGrant]] = defaultdict(list)
    exemptions = Exemption.objects.granted().filter(premises_id__in=among(premises_ids))
    for exemption in exemptions.select_related("equipment").order_by("pk"):
        grants[exemption.premises_id].append(grant_of(exemption))
    return grants


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


# What facts_for reads of a premises: a Premises or a row with these attributes.
PREMISES_FACTS = ("pk", "kind", "category", "has_arcade", "floor_area_m2")

# The columns the engine reads, loaded as plain tuples (building model instances, and
# reading columns the engine never looks at, was most of the time spent loading facts).
_EQUIPMENT_COLUMNS = ("pk", "premises_id", "kind", "tag", *ATTRIBUTE_FIELDS)


def _equipment_facts(item, logs: dict[int, list]):
    # The day it was declared: its creation's date in the current (Taipei) time zone.
    common = {"tag": item.tag, "declared_on": item.declared_on}
    kind = item.kind
    if kind == EquipmentKind.AIR_CONDITIONER:
        return rules.AirConditionerFacts(
            **common,
            installed_on=item.installed_on,
            ac_type=item.ac_type or None,
            cooling_capacity_kw=item.cooling_capacity_kw,
            efficiency_metric=item.efficiency_metric or None,
            efficiency_value=item.efficiency_value,
        )
    if kind == EquipmentKind.CHILLER:
        return rules.ChillerFacts(
            **common,
            installed_on=item.installed_on,
            capacity_hp=item.capacity_hp,
            is_production_use=item.is_production_use,
            has_separate_meter=item.has_separate_meter,
            energy_manager=item.energy_manager or None,
            logs=tuple(logs.get(item.pk, ())),
        )
    if kind == EquipmentKind.ENTRANCE:
        return rules.EntranceFacts(**common, air_barrier=item.air_barrier or None)
    if kind == EquipmentKind.LIGHTING:
        return rules.LightingFacts(
            **common,
            space_type=item.space_type or None,
            lamp_type=item.lamp_type or None,
            lamp_count=item.lamp_count,
            lamp_wattage_w=item.lamp_wattage_w,
        )
    if kind == EquipmentKind.SIGNBOARD:
        return rules.SignboardFacts(
            **common, lamp_type=item.lamp_type or None, lamp_count=item.lamp_count
        )
    return rules.BoilerFacts(
        **common,
        installed_on=item.installed_on,
        steam_evaporation_tph=item.steam_evaporation_tph,
        heat_input_kcal_h=item.heat_input_kcal_h,
        fuel=item.fuel or None,
        is_standby=item.is_standby,
        logs=tuple(logs.get(item.pk, ())),
    )


_GROUPS = {
    EquipmentKind.AIR_CONDITIONER: "air_conditioners",
    EquipmentKind.CHILLER: "chillers",
    EquipmentKind.ENTRANCE: "entrances",
    EquipmentKind.LIGHTING: "lighting",
    EquipmentKind.SIGNBOARD: "signboards",
    EquipmentKind.BOILER: "boilers",
}


# The equipment whose logs the engine reads: its kind, the log model, the log's facts.
_LOGS = (
    (EquipmentKind.CHILLER, AcMonthlyLog, rules.AcLogFacts),
    (EquipmentKind.BOILER, BoilerMonthlyLog, rules.BoilerLogFacts),
)


def _logs_by_equipment(model, facts_type, equipment_ids, since, day):
    """Return the logs of some equipment from ``since`` to ``day`` as facts, by equipment.

    The log models name their columns as the facts name their fields.
    """
    logs: dict[int, list] = defaultdict(list)
    if not equipment_ids:
        return logs
    rows = (
        model.objects.filter(
            equipment_id__in=among(equipment_ids), month__gte=since, month__lte=day
        )
        .order_by("month")
        .values_list("equipment_id", *(field.name for field in fields(facts_type)))
    )
    for equipment_id, *values in rows:
        logs[equipment_id].append(facts_type(*values))
    return logs


def facts_for(
    premises: Iterable[Premises], day: datetime.date, *, log_lookback_months: int = 24
) -> dict[int, rules.Facts]:
    """Return the engine's facts for each premises as of ``day``, in at most six queries.

    ``premises`` are Premises or rows with their :data:`PREMISES_FACTS`. Logs are
    loaded for ``log_lookback_months`` before ``day``, enough for any
    look-back the rule book sets; an inspection's facts come from the registered
    provider (the inspections app), if any.
    """
    premises = list(premises)
    ids = [p.pk for p in premises]
    if not ids:
        return {}
    equipment = list(
        Equipment.objects.filter(premises_id__in=among(ids))
        .annotate(declared_on=TruncDate("created_at"))
        .order_by("kind", "tag")
        .values_list(*_EQUIPMENT_COLUMNS, "declared_on", named=True)
    )
    since = _months_back(day, log_lookback_months)
    # Only chillers' and boilers' logs are facts: the others' are never loaded.
    logs: dict[int, list] = {}
    for kind, model, facts_type in _LOGS:
        with_logs = [item.pk for item in equipment if item.kind == kind]
        logs.update(_logs_by_equipment(model, facts_type, with_logs, since, day))
    grants = grants_for(ids)
    inspections = _inspection_provider(ids, day) if _inspection_provider else {}
    grouped: dict[int, dict[str, list]] = {pk: defaultdict(list) for pk in ids}
    for item in equipment:
        grouped[item.premises_id][_GROUPS[item.kind]].append(_equipment_facts(item, logs))
    return {
        p.pk: rules.Facts(
            premises=rules.PremisesFacts(
                kind=p.kind,
                category=p.category,
                has_arcade=p.has_arcade,
                floor_area_m2=p.floor_area_m2,
            ),
            **{group: tuple(items) for group, items in grouped[p.pk].items()},
            inspection=inspections.get(p.pk),
            grants=tuple(grants.get(p.pk, ())),
        )
        for p in premises
    }
