"""Art. 8: natural gas for large new boilers (8-1) and periodic boiler records (8-2)."""

from dataclasses import replace
from datetime import date

import pytest

from compliance.rules import (
    BoilerFacts,
    BoilerLogFacts,
    Exemption,
    ExemptionGrant,
    Outcome,
    check_8_1,
    check_8_2,
)
from tests.compliance.rules.helpers import (
    AFTER_GRACE,
    BEFORE,
    NEW,
    OLD,
    PARAMS,
    D,
    facts,
    only,
    run,
)


def boiler(tag="B-1", **changes) -> BoilerFacts:
    values = {
        "installed_on": NEW,
        "steam_evaporation_tph": D("2"),
        "heat_input_kcal_h": None,
        "fuel": "fuel_oil",
        "is_standby": False,
    }
    return BoilerFacts(tag, **{**values, **changes})


# Art. 8-1 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steam", "heat", "fuel", "outcome", "key"),
    [
        ("2", None, "fuel_oil", Outcome.NON_COMPLIANT, "boiler.not_natural_gas"),
        ("1.99", None, "fuel_oil", None, None),
        (None, 1_530_000, "fuel_oil", Outcome.NON_COMPLIANT, "boiler.not_natural_gas"),
        (None, 1_529_999, "fuel_oil", None, None),
        ("1.99", 1_530_000, "diesel", Outcome.NON_COMPLIANT, "boiler.not_natural_gas"),
        ("2", 1_529_999, "coal", Outcome.NON_COMPLIANT, "boiler.not_natural_gas"),
        ("1.99", 1_529_999, "coal", None, None),
        ("2", None, "natural_gas", Outcome.COMPLIANT, "boiler.natural_gas"),
        (None, None, "natural_gas", Outcome.COMPLIANT, "boiler.natural_gas"),
        (None, None, "fuel_oil", Outcome.UNKNOWN, "boiler.scope_unknown"),
        ("2", None, None, Outcome.UNKNOWN, "boiler.fuel_unknown"),
        ("2", None, "", Outcome.UNKNOWN, "boiler.fuel_unknown"),
    ],
)
def test_large_new_boiler_burns_natural_gas(steam, heat, fuel, outcome, key):
    the_boiler = boiler(
        steam_evaporation_tph=None if steam is None else D(steam), heat_input_kcal_h=heat, fuel=fuel
    )
    findings = run(check_8_1, facts(boilers=(the_boiler,)))
    if outcome is None:
        assert findings == []
    else:
        finding = only(findings)
        assert (finding.outcome, finding.message_key, finding.subject) == (outcome, key, "B-1")


@pytest.mark.parametrize(
    ("installed_on", "fuel", "outcome"),
    [
        (date(2024, 12, 31), "fuel_oil", None),  # existed before: 8-1 does not reach it
        (date(2025, 1, 1), "fuel_oil", Outcome.NON_COMPLIANT),
        (None, "fuel_oil", Outcome.UNKNOWN),
        (None, "natural_gas", Outcome.COMPLIANT),
        (date(2025, 9, 16), "fuel_oil", None),  # not installed yet on the assessed day
    ],
)
def test_only_boilers_installed_since_the_effective_date_must_burn_gas(installed_on, fuel, outcome):
    findings = run(check_8_1, facts(boilers=(boiler(installed_on=installed_on, fuel=fuel),)))
    assert (only(findings).outcome if findings else None) is outcome


@pytest.mark.parametrize(
    ("standby", "fuel", "outcome", "key", "exemption"),
    [
        (True, "fuel_oil", Outcome.COMPLIANT, "boiler.not_natural_gas", Exemption.STANDBY_BOILER),
        (None, "fuel_oil", Outcome.UNKNOWN, "boiler.standby_unknown", None),
        (None, None, Outcome.UNKNOWN, "boiler.fuel_unknown", None),
        (True, None, Outcome.COMPLIANT, "boiler.fuel_unknown", Exemption.STANDBY_BOILER),
        (None, "natural_gas", Outcome.COMPLIANT, "boiler.natural_gas", None),
    ],
)
def test_emergency_standby_boiler_is_exempt(standby, fuel, outcome, key, exemption):
    finding = only(run(check_8_1, facts(boilers=(boiler(is_standby=standby, fuel=fuel),))))
    assert (finding.outcome, finding.message_key, finding.exemption) == (outcome, key, exemption)


@pytest.mark.parametrize(
    ("valid_until", "outcome"),
    [(date(2025, 12, 31), Outcome.COMPLIANT), (date(2025, 9, 14), Outcome.NON_COMPLIANT)],
)
def test_gas_supply_grant_exempts_while_valid(valid_until, outcome):
    grant = ExemptionGrant(
        "8-1",
        valid_from=date(2025, 3, 1),
        valid_until=valid_until,
        equipment_tag="B-1",
        reason="gas_supply_insufficient",
        reference="G-7",
    )
    finding = only(run(check_8_1, facts(boilers=(boiler(),), grants=(grant,))))
    assert finding.outcome is outcome
    if outcome is Outcome.COMPLIANT:
        assert finding.exemption is Exemption.GRANT
        assert finding.exemption_detail == "gas_supply_insufficient (G-7)"
        assert finding.exemption_until == valid_until


def test_boiler_is_judged_by_the_thresholds_in_force_when_installed():
    earlier = replace(PARAMS, boiler_steam_threshold_tph=D("3"))
    the_facts = facts(boilers=(boiler(steam_evaporation_tph=D("2.5")),))
    assert run(check_8_1, the_facts, at_installation=lambda day: earlier) == []
    assert only(run(check_8_1, the_facts)).outcome is Outcome.NON_COMPLIANT


def test_finding_describes_the_boiler_size():
    the_boiler = boiler(steam_evaporation_tph=D("2.5"), heat_input_kcal_h=1_600_000)
    finding = only(run(check_8_1, facts(boilers=(the_boiler,))))
    assert finding.detail == "2.5 t/h, 1600000 kcal/h"
    assert (finding.measured, finding.limit) == ("fuel_oil", "natural_gas")


# Art. 8-2 ------------------------------------------------------------------------------


def checks(*months: str, **changes) -> tuple[BoilerLogFacts, ...]:
    values = {
        "air_volume_m3h": D("1500"),
        "exhaust_temp_c": D("180"),
        "furnace_wall_temp_c": D("60"),
        "exhaust_co2_pct": D("11.5"),
        "combustion_complete": True,
    }
    return tuple(
        BoilerLogFacts(date.fromisoformat(f"{month}-15"), **{**values, **changes})
        for month in months
    )


@pytest.mark.parametrize(
    ("logs", "outcome", "measured", "missing"),
    [
        (checks("2025-03", "2025-04", "2025-05", "2025-06"), Outcome.COMPLIANT, 4, ""),
        (checks("2025-03", "2025-05", "2025-06"), Outcome.NON_COMPLIANT, 3, "2025-04"),
        (
            checks("2025-03", "2025-04", "2025-05") + checks("2025-06", exhaust_co2_pct=None),
            Outcome.NON_COMPLIANT,
            3,
            "2025-06",
        ),
        (
            checks("2025-03", "2025-04", "2025-05") + checks("2025-06", combustion_complete=None),
            Outcome.NON_COMPLIANT,
            3,
            "2025-06",
        ),
    ],
)
def test_boiler_has_a_complete_check_record_every_month(logs, outcome, measured, missing):
    the_boiler = boiler(logs=logs)
    finding = only(run(check_8_2, facts(boilers=(the_boiler,)), on=date(2025, 7, 1)))
    assert (finding.outcome, finding.measured, finding.limit) == (outcome, measured, 4)
    assert finding.detail == missing


def test_log_interval_is_a_parameter():
    quarterly = replace(PARAMS, boiler_log_interval_months=3)
    the_boiler = boiler(logs=checks("2025-04", "2025-10"))
    finding = only(
        run(check_8_2, facts(boilers=(the_boiler,)), on=date(2025, 12, 15), params=quarterly)
    )
    # Periods from March: Mar-May, Jun-Aug, Sep-Nov; December's period is not over.
    assert (finding.outcome, finding.limit, finding.detail) == (
        Outcome.NON_COMPLIANT,
        3,
        "2025-06..2025-08",
    )


@pytest.mark.parametrize(
    ("on", "limit"),
    [(date(2025, 6, 30), None), (date(2025, 7, 31), None), (date(2025, 8, 1), 1)],
)
def test_existing_boiler_keeps_records_from_the_end_of_the_grace(on, limit):
    findings = run(check_8_2, facts(boilers=(boiler(installed_on=OLD),)), on=on)
    assert (only(findings).limit if findings else None) == limit


def test_records_of_a_boiler_without_dates_are_unknown():
    the_boiler = boiler(installed_on=None, declared_on=None)
    finding = only(run(check_8_2, facts(boilers=(the_boiler,))))
    assert (finding.outcome, finding.message_key) == (Outcome.UNKNOWN, "boiler_log.start_unknown")


def test_standby_and_small_boilers_keep_records_too():
    small_standby = boiler(steam_evaporation_tph=D("0.5"), is_standby=True)
    assert only(run(check_8_2, facts(boilers=(small_standby,)))).outcome is Outcome.NON_COMPLIANT


def test_boiler_installed_after_the_assessed_day_is_not_there_yet():
    later = boiler(installed_on=date(2026, 1, 1))
    assert run(check_8_2, facts(boilers=(later,))) == []


@pytest.mark.parametrize("check", [check_8_1, check_8_2])
def test_nothing_applies_before_the_effective_date(check):
    the_facts = facts(boilers=(boiler(installed_on=None, declared_on=OLD),))
    assert run(check, the_facts, on=BEFORE) == []
    assert run(check, the_facts, on=AFTER_GRACE)
