"""Art. 8: boilers (8-1 natural gas for large new boilers, 8-2 periodic records)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from compliance.rules.exemptions import exempt, exists_on, in_force, settle
from compliance.rules.facts import BoilerFacts, Facts
from compliance.rules.obligations.records import records_finding
from compliance.rules.params import ParametersOn, RuleParameters
from compliance.rules.periods import month_start
from compliance.rules.types import Exemption, Finding, Outcome
from compliance.rules.vocabulary import Fuel


def is_large(boiler: BoilerFacts, params: RuleParameters) -> bool | None:
    """Return whether a boiler reaches either Art. 8-1 threshold (None: size not recorded).

    The two thresholds are alternative ratings of one size: steam boilers are rated by
    evaporation (2 t/h), hot-water and thermal-oil boilers by heat input
    (1,530,000 kcal/h). So one declared rating suffices: a boiler is large if any
    declared rating reaches its threshold, and small if every declared rating is
    below it.
    """
    steam, heat = boiler.steam_evaporation_tph, boiler.heat_input_kcal_h
    if steam is None and heat is None:
        return None
    return (steam is not None and steam >= params.boiler_steam_threshold_tph) or (
        heat is not None and heat >= params.boiler_heat_input_threshold_kcal_h
    )


def _size(boiler: BoilerFacts) -> str:
    parts = []
    if boiler.steam_evaporation_tph is not None:
        parts.append(f"{boiler.steam_evaporation_tph} t/h")
    if boiler.heat_input_kcal_h is not None:
        parts.append(f"{boiler.heat_input_kcal_h} kcal/h")
    return ", ".join(parts)


def _fuel_finding(boiler: BoilerFacts, thresholds: RuleParameters) -> Finding | None:
    large = is_large(boiler, thresholds)
    if large is False:
        return None
    fields = {
        "subject": boiler.tag,
        "measured": boiler.fuel or None,
        "limit": Fuel.NATURAL_GAS.value,
        "detail": _size(boiler),
    }
    if boiler.fuel == Fuel.NATURAL_GAS:
        return Finding("8-1", Outcome.COMPLIANT, "boiler.natural_gas", **fields)
    if large is None or boiler.installed_on is None:
        return Finding("8-1", Outcome.UNKNOWN, "boiler.scope_unknown", **fields)
    if not boiler.fuel:
        return Finding("8-1", Outcome.UNKNOWN, "boiler.fuel_unknown", **fields)
    return Finding("8-1", Outcome.NON_COMPLIANT, "boiler.not_natural_gas", **fields)


def check_8_1(
    facts: Facts,
    params: RuleParameters,
    on: date,
    at_installation: ParametersOn | None = None,
) -> list[Finding]:
    """Art. 8-1: a large new or replaced boiler has a natural-gas fuel system.

    Only boilers installed or replaced on or after the effective date, with steam
    evaporation of at least 2 t/h or heat input of at least 1,530,000 kcal/h (1.99 t/h
    and 1,529,999 kcal/h are below). Exemptions: an emergency standby boiler
    (``is_standby``; unknown if not recorded) and an individual grant (gas supply
    insufficient). ``at_installation`` as in :func:`check_5_4`: the thresholds in force
    when the boiler was installed.
    """
    if not in_force(params, on):
        return []
    findings = []
    for boiler in facts.boilers:
        if not exists_on(boiler, on):
            continue
        if boiler.installed_on is not None and boiler.installed_on < params.effective_date:
            continue
        thresholds = params
        if at_installation is not None and boiler.installed_on is not None:
            thresholds = at_installation(boiler.installed_on) or params
        finding = _fuel_finding(boiler, thresholds)
        if finding is None:
            continue
        if finding.outcome is not Outcome.COMPLIANT:
            if boiler.is_standby:
                finding = exempt(finding, Exemption.STANDBY_BOILER, "is_standby", None)
            elif boiler.is_standby is None and finding.outcome is Outcome.NON_COMPLIANT:
                finding = replace(
                    finding, outcome=Outcome.UNKNOWN, message_key="boiler.standby_unknown"
                )
        findings.append(settle(finding, facts, params, on, item=boiler))
    return findings


def check_8_2(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 8-2: every boiler has a complete check record in every logging interval.

    A record counts when it has every reading Art. 8-2 names (air volume, exhaust and
    furnace wall temperatures, CO2 in the exhaust, combustion completeness). Periods
    of ``boiler_log_interval_months`` are due from when the obligation surely began
    for the boiler (after the Art. 19 grace for boilers that existed on the effective
    date). Every declared boiler, standby ones included: the registry does not record
    the months a boiler did not run, so such a month is logged with a note.
    """
    if not in_force(params, on):
        return []
    findings = []
    for boiler in facts.boilers:
        if not exists_on(boiler, on):
            continue
        logged = {month_start(log.month) for log in boiler.logs if log.is_complete}
        records = records_finding(
            "8-2", boiler, logged, params, on, params.boiler_log_interval_months, "boiler_log"
        )
        if records is not None:
            findings.append(settle(records, facts, params, on, item=boiler))
    return findings
