"""Art. 5: air conditioning.

5-1 entrances, 5-2 obstruction, 5-3 central AC, 5-4 efficiency of new units, 5-5 the
indoor temperature floor.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from compliance.rules.exemptions import exempt, exists_on, in_force, settle
from compliance.rules.facts import AirConditionerFacts, Facts
from compliance.rules.measurements import average, shown
from compliance.rules.obligations.records import records_finding
from compliance.rules.params import ParametersOn, RuleParameters
from compliance.rules.periods import month_start
from compliance.rules.types import Exemption, Finding, Outcome
from compliance.rules.vocabulary import EFFECTIVE_AIR_BARRIERS, AirBarrier


def check_5_1(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 5-1: every entrance has a facility that stops cooled air escaping.

    An automatic door or an air curtain complies; "none" does not; an unrecorded
    barrier is unknown. A premises with no entrance declared is unknown: every
    premises has one. Art. 19 grace applies to entrances that existed on the
    effective date.
    """
    if not in_force(params, on):
        return []
    entrances = [entrance for entrance in facts.entrances if exists_on(entrance, on)]
    if not entrances:
        return [
            settle(Finding("5-1", Outcome.UNKNOWN, "entrance.none_declared"), facts, params, on)
        ]
    findings = []
    for entrance in entrances:
        if entrance.air_barrier in EFFECTIVE_AIR_BARRIERS:
            outcome, key = Outcome.COMPLIANT, "entrance.air_barrier"
        elif entrance.air_barrier == AirBarrier.NONE:
            outcome, key = Outcome.NON_COMPLIANT, "entrance.no_air_barrier"
        else:
            outcome, key = Outcome.UNKNOWN, "entrance.air_barrier_unknown"
        finding = Finding(
            "5-1", outcome, key, measured=entrance.air_barrier or None, subject=entrance.tag
        )
        findings.append(settle(finding, facts, params, on, item=entrance))
    return findings


def check_5_2(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 5-2: nothing blocks cooling towers or AC air inlets and outlets.

    Judged from the latest inspection's finding; without one it is unknown.
    """
    if not in_force(params, on):
        return []
    inspection = facts.inspection_on(on)
    if inspection is None:
        finding = Finding("5-2", Outcome.UNKNOWN, "inspection.none")
    elif inspection.obstruction_found is None:
        finding = Finding("5-2", Outcome.UNKNOWN, "obstruction.not_recorded")
    elif inspection.obstruction_found:
        finding = Finding("5-2", Outcome.NON_COMPLIANT, "obstruction.found")
    else:
        finding = Finding("5-2", Outcome.COMPLIANT, "obstruction.none")
    return [settle(finding, facts, params, on)]


def check_5_3(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 5-3: central AC at or above the chiller threshold is metered and logged monthly.

    Reading: "chiller capacity reaches the MOEA amount" is the capacity of the
    premises' central air conditioning, i.e. the sum over its chillers that do not
    serve production (production-use chillers are outside the rule). When the sum
    reaches ``chiller_threshold_hp`` (100 HP: 100 applies, 99.9 does not), every
    non-production chiller needs a separate AC electricity meter and a complete
    monthly record (electricity use, maintenance done) for every month due (see
    :func:`records_finding`). If the known sum is below the threshold but some chiller's
    capacity or use is unrecorded, the article is unknown.
    """
    if not in_force(params, on):
        return []
    chillers = [
        chiller
        for chiller in facts.chillers
        if exists_on(chiller, on) and chiller.is_production_use is not True
    ]
    if not chillers:
        return []
    threshold = params.chiller_threshold_hp
    known_hp = sum(
        (
            chiller.capacity_hp
            for chiller in chillers
            if chiller.is_production_use is False and chiller.capacity_hp is not None
        ),
        Decimal(0),
    )
    uncertain = [
        chiller.tag
        for chiller in chillers
        if chiller.is_production_use is None or chiller.capacity_hp is None
    ]
    scope = {"measured": known_hp, "limit": threshold, "unit": "hp"}
    if known_hp < threshold:
        if not uncertain:
            return []
        finding = Finding(
            "5-3", Outcome.UNKNOWN, "chiller.capacity_unknown", detail=", ".join(uncertain), **scope
        )
        return [settle(finding, facts, params, on)]
    findings = []
    for chiller in chillers:
        if chiller.is_production_use is None:
            finding = Finding(
                "5-3",
                Outcome.UNKNOWN,
                "chiller.production_use_unknown",
                subject=chiller.tag,
                **scope,
            )
            findings.append(settle(finding, facts, params, on, item=chiller))
            continue
        if chiller.has_separate_meter is None:
            outcome, key = Outcome.UNKNOWN, "chiller.meter_unknown"
        elif chiller.has_separate_meter:
            outcome, key = Outcome.COMPLIANT, "chiller.meter_installed"
        else:
            outcome, key = Outcome.NON_COMPLIANT, "chiller.meter_missing"
        meter = Finding("5-3", outcome, key, subject=chiller.tag, **scope)
        findings.append(settle(meter, facts, params, on, item=chiller))
        logged = {month_start(log.month) for log in chiller.logs if log.is_complete}
        records = records_finding("5-3", chiller, logged, params, on, 1, "chiller_log")
        if records is not None:
            findings.append(settle(records, facts, params, on, item=chiller))
    return findings


def _efficiency_finding(
    unit: AirConditionerFacts, known_new: bool, standards: RuleParameters
) -> Finding:
    described = bool(unit.ac_type and unit.efficiency_metric) and (
        unit.cooling_capacity_kw is not None
    )
    row = None
    if described:
        row = standards.efficiency_standard_for(
            unit.ac_type, unit.efficiency_metric, unit.cooling_capacity_kw
        )
    fields = {
        "subject": unit.tag,
        "measured": unit.efficiency_value,
        "limit": row.minimum if row else None,
        "unit": unit.efficiency_metric or "",
        "detail": row.band_label() if row else "",
    }
    if row is not None and unit.efficiency_value is not None:
        if unit.efficiency_value >= row.minimum:
            return Finding("5-4", Outcome.COMPLIANT, "ac_efficiency.meets", **fields)
        if known_new:
            return Finding("5-4", Outcome.NON_COMPLIANT, "ac_efficiency.below_minimum", **fields)
        return Finding("5-4", Outcome.UNKNOWN, "ac_efficiency.installation_unknown", **fields)
    if described and row is None:
        return Finding("5-4", Outcome.UNKNOWN, "ac_efficiency.no_standard", **fields)
    return Finding("5-4", Outcome.UNKNOWN, "ac_efficiency.data_missing", **fields)


def check_5_4(
    facts: Facts,
    params: RuleParameters,
    on: date,
    at_installation: ParametersOn | None = None,
) -> list[Finding]:
    """Art. 5-4: a new or replaced AC unit meets the MOEA minimum EER/CSPF.

    Only units installed or replaced on or after the effective date are judged;
    older units produce no finding. A unit complies when its efficiency is at least
    the minimum of the row for its type, metric and capacity band. A unit without an
    installation date is judged only if it complies anyway; otherwise unknown.
    ``at_installation`` (optional) gives the parameters in force on a past date, so a
    unit is judged by the standard in force when it was installed rather than by a
    later, stricter one; without it the parameters in force on ``on`` are used.
    """
    if not in_force(params, on):
        return []
    findings = []
    for unit in facts.air_conditioners:
        if not exists_on(unit, on):
            continue
        if unit.installed_on is not None and unit.installed_on < params.effective_date:
            continue
        standards = params
        if at_installation is not None and unit.installed_on is not None:
            standards = at_installation(unit.installed_on) or params
        finding = _efficiency_finding(unit, unit.installed_on is not None, standards)
        findings.append(settle(finding, facts, params, on, item=unit))
    return findings


def check_5_5(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 5-5: the average indoor temperature with the AC on is at least the floor.

    The average of the inspection's points is compared exactly, as the article reads
    (26.0 °C complies, 25.9 °C and 25.999 °C do not); ``measured`` is the figure people
    read, rounded half-up to 0.01 °C by :mod:`compliance.rules.measurements`. Premises
    of a category the City announced exempt comply whatever was measured. Without a
    category, a temperature below the floor is unknown (the category might be exempt).
    """
    if not in_force(params, on):
        return []
    inspection = facts.inspection_on(on)
    floor = params.indoor_temperature_floor_c
    category = facts.premises.category
    if inspection is None:
        finding = Finding("5-5", Outcome.UNKNOWN, "inspection.none", limit=floor, unit="c")
    elif not inspection.indoor_temperatures_c:
        finding = Finding(
            "5-5", Outcome.UNKNOWN, "indoor_temperature.not_measured", limit=floor, unit="c"
        )
    else:
        exact = average(inspection.indoor_temperatures_c)
        if exact >= floor:
            outcome, key = Outcome.COMPLIANT, "indoor_temperature.at_or_above_floor"
        elif category is None:
            outcome, key = Outcome.UNKNOWN, "indoor_temperature.category_unknown"
        else:
            outcome, key = Outcome.NON_COMPLIANT, "indoor_temperature.below_floor"
        finding = Finding(
            "5-5",
            outcome,
            key,
            measured=shown(exact),
            limit=floor,
            unit="c",
            detail=str(len(inspection.indoor_temperatures_c)),
        )
    if (
        finding.outcome is not Outcome.COMPLIANT
        and category in params.temperature_exempt_categories
    ):
        finding = exempt(finding, Exemption.PREMISES_CATEGORY, category, None)
    return [settle(finding, facts, params, on)]
