"""Art. 5: entrances, obstruction, central AC, AC efficiency, indoor temperature."""

from dataclasses import replace
from datetime import date

import pytest

from compliance.rules import (
    AcLogFacts,
    AirConditionerFacts,
    ChillerFacts,
    EfficiencyStandard,
    EntranceFacts,
    Exemption,
    ExemptionGrant,
    Outcome,
    check_5_1,
    check_5_2,
    check_5_3,
    check_5_4,
    check_5_5,
)
from tests.compliance.rules.helpers import (
    AFTER_GRACE,
    BEFORE,
    NEW,
    OLD,
    PARAMS,
    D,
    facts,
    inspection,
    only,
    premises,
    run,
)

# Art. 5-1 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("barrier", "outcome", "key"),
    [
        ("automatic_door", Outcome.COMPLIANT, "entrance.air_barrier"),
        ("air_curtain", Outcome.COMPLIANT, "entrance.air_barrier"),
        ("none", Outcome.NON_COMPLIANT, "entrance.no_air_barrier"),
        (None, Outcome.UNKNOWN, "entrance.air_barrier_unknown"),
        ("", Outcome.UNKNOWN, "entrance.air_barrier_unknown"),
    ],
)
def test_entrance_needs_an_automatic_door_or_air_curtain(barrier, outcome, key):
    entrance = EntranceFacts("E-1", installed_on=NEW, air_barrier=barrier)
    finding = only(run(check_5_1, facts(entrances=(entrance,))))
    assert (finding.outcome, finding.message_key, finding.subject) == (outcome, key, "E-1")


def test_premises_without_a_declared_entrance_is_unknown():
    finding = only(run(check_5_1, facts()))
    assert (finding.outcome, finding.message_key) == (Outcome.UNKNOWN, "entrance.none_declared")


def test_entrance_installed_after_the_assessed_day_is_not_there_yet():
    later = EntranceFacts("E-1", installed_on=date(2026, 1, 1), air_barrier="none")
    assert only(run(check_5_1, facts(entrances=(later,)))).message_key == "entrance.none_declared"


def test_one_finding_per_entrance():
    entrances = (
        EntranceFacts("E-1", installed_on=NEW, air_barrier="air_curtain"),
        EntranceFacts("E-2", installed_on=NEW, air_barrier="none"),
    )
    findings = run(check_5_1, facts(entrances=entrances))
    assert [(f.subject, f.outcome) for f in findings] == [
        ("E-1", Outcome.COMPLIANT),
        ("E-2", Outcome.NON_COMPLIANT),
    ]


# Art. 5-2 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("the_inspection", "outcome", "key"),
    [
        (None, Outcome.UNKNOWN, "inspection.none"),
        (inspection(), Outcome.UNKNOWN, "obstruction.not_recorded"),
        (inspection(obstruction_found=True), Outcome.NON_COMPLIANT, "obstruction.found"),
        (inspection(obstruction_found=False), Outcome.COMPLIANT, "obstruction.none"),
    ],
)
def test_blocked_cooling_towers_or_air_inlets_do_not_comply(the_inspection, outcome, key):
    finding = only(run(check_5_2, facts(inspection=the_inspection)))
    assert (finding.outcome, finding.message_key) == (outcome, key)


def test_an_inspection_after_the_assessed_day_is_not_used():
    the_facts = facts(inspection=inspection(obstruction_found=True))
    finding = only(run(check_5_2, the_facts, on=date(2025, 8, 31)))
    assert finding.message_key == "inspection.none"


# Art. 5-3 ------------------------------------------------------------------------------


def chiller(tag="CH-1", **changes) -> ChillerFacts:
    values = {
        "installed_on": NEW,
        "capacity_hp": D("100"),
        "is_production_use": False,
        "has_separate_meter": True,
    }
    return ChillerFacts(tag, **{**values, **changes})


def logs(*months: str, **changes) -> tuple[AcLogFacts, ...]:
    values = {"ac_electricity_kwh": D("1200.0"), "maintenance_done": True}
    return tuple(
        AcLogFacts(date.fromisoformat(f"{month}-01"), **{**values, **changes}) for month in months
    )


@pytest.mark.parametrize(
    ("capacities", "applies"),
    [
        (("100",), True),  # the threshold itself
        (("99.9",), False),
        (("60", "40"), True),  # the premises' central AC together
        (("60", "39.9"), False),
    ],
)
def test_central_ac_reaching_the_chiller_threshold_needs_meter_and_records(capacities, applies):
    chillers = tuple(
        chiller(f"CH-{n}", capacity_hp=D(hp)) for n, hp in enumerate(capacities, start=1)
    )
    findings = run(check_5_3, facts(chillers=chillers))
    assert bool(findings) is applies
    if applies:
        meter = [f for f in findings if f.message_key == "chiller.meter_installed"]
        assert len(meter) == len(capacities)
        assert meter[0].limit == D("100") and meter[0].unit == "hp"


def test_production_chillers_are_outside_the_rule():
    production = chiller(capacity_hp=D("500"), is_production_use=True, has_separate_meter=False)
    small = chiller("CH-2", capacity_hp=D("50"))
    assert run(check_5_3, facts(chillers=(production, small))) == []
    assert run(check_5_3, facts(chillers=(production,))) == []


def test_premises_without_chillers_has_no_central_ac_finding():
    assert run(check_5_3, facts()) == []


@pytest.mark.parametrize(
    ("meter", "outcome", "key"),
    [
        (True, Outcome.COMPLIANT, "chiller.meter_installed"),
        (False, Outcome.NON_COMPLIANT, "chiller.meter_missing"),
        (None, Outcome.UNKNOWN, "chiller.meter_unknown"),
    ],
)
def test_central_ac_above_threshold_has_a_separate_meter(meter, outcome, key):
    findings = run(check_5_3, facts(chillers=(chiller(has_separate_meter=meter),)))
    finding = next(f for f in findings if f.message_key.startswith("chiller."))
    assert (finding.outcome, finding.message_key) == (outcome, key)


def test_capacity_below_threshold_with_unrecorded_chillers_is_unknown():
    chillers = (
        chiller("CH-1", capacity_hp=D("80")),
        chiller("CH-2", capacity_hp=None),
        chiller("CH-3", capacity_hp=D("30"), is_production_use=None),
    )
    finding = only(run(check_5_3, facts(chillers=chillers)))
    assert finding.outcome is Outcome.UNKNOWN
    assert finding.message_key == "chiller.capacity_unknown"
    assert (finding.measured, finding.detail) == (D("80"), "CH-2, CH-3")


def test_chiller_of_unrecorded_use_in_a_large_system_is_unknown():
    chillers = (chiller("CH-1", capacity_hp=D("120")), chiller("CH-2", is_production_use=None))
    findings = run(check_5_3, facts(chillers=chillers), on=date(2025, 3, 20))
    assert [(f.subject, f.message_key, f.outcome) for f in findings] == [
        ("CH-1", "chiller.meter_installed", Outcome.COMPLIANT),
        ("CH-2", "chiller.production_use_unknown", Outcome.UNKNOWN),
    ]


def test_chiller_without_recorded_capacity_in_a_large_system_is_judged():
    chillers = (chiller("CH-1", capacity_hp=D("120")), chiller("CH-2", capacity_hp=None))
    findings = run(check_5_3, facts(chillers=chillers), on=date(2025, 3, 20))
    assert [f.subject for f in findings] == ["CH-1", "CH-2"]


@pytest.mark.parametrize(
    ("months", "changes", "outcome", "measured", "missing"),
    [
        (("2025-03", "2025-04", "2025-05", "2025-06"), {}, Outcome.COMPLIANT, 4, ""),
        (("2025-03", "2025-04", "2025-06"), {}, Outcome.NON_COMPLIANT, 3, "2025-05"),
        ((), {}, Outcome.NON_COMPLIANT, 0, "2025-03, 2025-04, 2025-05, 2025-06"),
        (
            ("2025-03", "2025-04", "2025-05", "2025-06"),
            {"maintenance_done": False},
            Outcome.NON_COMPLIANT,
            0,
            "2025-03, 2025-04, 2025-05, 2025-06",
        ),
        (
            ("2025-03", "2025-04", "2025-05", "2025-06"),
            {"ac_electricity_kwh": None},
            Outcome.NON_COMPLIANT,
            0,
            "2025-03, 2025-04, 2025-05, 2025-06",
        ),
    ],
)
def test_new_central_ac_needs_a_complete_record_every_month(
    months, changes, outcome, measured, missing
):
    # Installed 2025-03-10 and assessed 2025-07-15: March to June are due; July is not over.
    the_chiller = chiller(logs=logs(*months, **changes))
    findings = run(check_5_3, facts(chillers=(the_chiller,)), on=date(2025, 7, 15))
    record = next(f for f in findings if f.message_key.startswith("chiller_log."))
    assert (record.outcome, record.measured, record.limit) == (outcome, measured, 4)
    assert record.detail == missing


def test_records_of_existing_central_ac_are_due_from_the_end_of_the_grace():
    the_chiller = chiller(installed_on=OLD, logs=logs("2025-07"))
    findings = run(check_5_3, facts(chillers=(the_chiller,)), on=date(2025, 9, 15))
    record = next(f for f in findings if f.message_key.startswith("chiller_log."))
    assert (record.outcome, record.limit, record.detail) == (Outcome.NON_COMPLIANT, 2, "2025-08")


def test_records_look_back_twelve_months_at_most():
    the_chiller = chiller(installed_on=date(2025, 2, 1))
    findings = run(check_5_3, facts(chillers=(the_chiller,)), on=date(2027, 3, 15))
    record = next(f for f in findings if f.message_key.startswith("chiller_log."))
    assert record.limit == 12
    assert record.detail.startswith("2026-03") and record.detail.endswith("2027-02")


def test_no_record_is_due_in_the_month_of_installation():
    the_chiller = chiller(installed_on=date(2025, 9, 2))
    findings = run(check_5_3, facts(chillers=(the_chiller,)), on=date(2025, 9, 20))
    assert [f.message_key for f in findings] == ["chiller.meter_installed"]


def test_records_of_a_chiller_without_any_date_are_unknown():
    the_chiller = chiller(installed_on=None, declared_on=None)
    findings = run(check_5_3, facts(chillers=(the_chiller,)))
    record = next(f for f in findings if f.message_key.startswith("chiller_log."))
    assert (record.outcome, record.message_key) == (Outcome.UNKNOWN, "chiller_log.start_unknown")


def test_records_of_a_chiller_declared_late_are_due_from_its_declaration():
    the_chiller = chiller(installed_on=None, declared_on=date(2025, 8, 20))
    findings = run(check_5_3, facts(chillers=(the_chiller,)), on=date(2025, 10, 5))
    record = next(f for f in findings if f.message_key.startswith("chiller_log."))
    assert (record.limit, record.detail) == (2, "2025-08, 2025-09")


def test_chiller_installed_after_the_assessed_day_is_not_there_yet():
    the_chiller = chiller(installed_on=date(2026, 1, 1))
    assert run(check_5_3, facts(chillers=(the_chiller,))) == []


# Art. 5-4 ------------------------------------------------------------------------------


def unit(**changes) -> AirConditionerFacts:
    values = {
        "installed_on": NEW,
        "ac_type": "split",
        "cooling_capacity_kw": D("3.6"),
        "efficiency_metric": "cspf",
        "efficiency_value": D("3.50"),
    }
    return AirConditionerFacts("AC-1", **{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "outcome", "key", "limit"),
    [
        ({}, Outcome.COMPLIANT, "ac_efficiency.meets", D("3.50")),  # at the minimum
        (
            {"efficiency_value": D("3.49")},
            Outcome.NON_COMPLIANT,
            "ac_efficiency.below_minimum",
            D("3.50"),
        ),
        # The band is [min_kw, max_kw): 4.0 kW falls in 4.0-7.1 kW (minimum 3.40).
        (
            {"cooling_capacity_kw": D("4.0"), "efficiency_value": D("3.45")},
            Outcome.COMPLIANT,
            "ac_efficiency.meets",
            D("3.40"),
        ),
        (
            {"cooling_capacity_kw": D("3.99"), "efficiency_value": D("3.45")},
            Outcome.NON_COMPLIANT,
            "ac_efficiency.below_minimum",
            D("3.50"),
        ),
        ({"ac_type": "packaged"}, Outcome.UNKNOWN, "ac_efficiency.no_standard", None),
        ({"cooling_capacity_kw": D("71")}, Outcome.UNKNOWN, "ac_efficiency.no_standard", None),
        ({"efficiency_value": None}, Outcome.UNKNOWN, "ac_efficiency.data_missing", D("3.50")),
        ({"ac_type": None}, Outcome.UNKNOWN, "ac_efficiency.data_missing", None),
        ({"efficiency_metric": ""}, Outcome.UNKNOWN, "ac_efficiency.data_missing", None),
        ({"cooling_capacity_kw": None}, Outcome.UNKNOWN, "ac_efficiency.data_missing", None),
        # Without an installation date a unit is judged only if it complies anyway.
        ({"installed_on": None}, Outcome.COMPLIANT, "ac_efficiency.meets", D("3.50")),
        (
            {"installed_on": None, "efficiency_value": D("3.0")},
            Outcome.UNKNOWN,
            "ac_efficiency.installation_unknown",
            D("3.50"),
        ),
    ],
)
def test_new_ac_unit_meets_the_moea_minimum_for_its_band(changes, outcome, key, limit):
    finding = only(run(check_5_4, facts(air_conditioners=(unit(**changes),))))
    assert (finding.outcome, finding.message_key, finding.limit) == (outcome, key, limit)


@pytest.mark.parametrize(
    ("installed_on", "judged"),
    [(date(2024, 12, 31), False), (date(2025, 1, 1), True), (date(2025, 9, 16), False)],
)
def test_only_units_installed_since_the_effective_date_are_judged(installed_on, judged):
    poor = unit(installed_on=installed_on, efficiency_value=D("2.0"))
    assert bool(run(check_5_4, facts(air_conditioners=(poor,)))) is judged


def test_unit_is_judged_by_the_standard_in_force_when_it_was_installed():
    stricter = replace(
        PARAMS,
        efficiency_standards=tuple(
            replace(row, minimum=row.minimum + D("1")) for row in PARAMS.efficiency_standards
        ),
    )
    the_facts = facts(air_conditioners=(unit(),))
    assert only(run(check_5_4, the_facts, params=stricter)).outcome is Outcome.NON_COMPLIANT
    judged_then = only(
        run(check_5_4, the_facts, params=stricter, at_installation=lambda day: PARAMS)
    )
    assert (judged_then.outcome, judged_then.limit) == (Outcome.COMPLIANT, D("3.50"))
    no_version_then = only(
        run(check_5_4, the_facts, params=stricter, at_installation=lambda day: None)
    )
    assert no_version_then.outcome is Outcome.NON_COMPLIANT


def test_open_ended_band_covers_any_large_unit():
    big = unit(
        ac_type="packaged",
        efficiency_metric="eer",
        cooling_capacity_kw=D("900"),
        efficiency_value=D("2.70"),
    )
    finding = only(run(check_5_4, facts(air_conditioners=(big,))))
    assert (finding.outcome, finding.detail) == (Outcome.COMPLIANT, "packaged/eer from 35 kW")


def test_band_row_is_found_by_type_metric_and_capacity():
    row = EfficiencyStandard("split", "cspf", D("4.0"), D("7.1"), D("3.40"))
    assert PARAMS.efficiency_standard_for("split", "cspf", D("4.0")) == row
    assert PARAMS.efficiency_standard_for("split", "cspf", D("7.1")).min_kw == D("7.1")
    assert PARAMS.efficiency_standard_for("window", "eer", D("9999")).max_kw is None


# Art. 5-5 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temperatures", "outcome", "measured"),
    [
        (("26.0",), Outcome.COMPLIANT, D("26.00")),  # the floor itself
        (("25.9",), Outcome.NON_COMPLIANT, D("25.90")),
        (("25.0", "27.0"), Outcome.COMPLIANT, D("26.00")),  # the average counts
        (("25.9", "26.0", "26.0"), Outcome.NON_COMPLIANT, D("25.97")),  # 25.966…, shown half-up
        (("27.5", "28.1"), Outcome.COMPLIANT, D("27.80")),
    ],
)
def test_average_indoor_temperature_is_at_least_the_floor(temperatures, outcome, measured):
    points = tuple(D(t) for t in temperatures)
    finding = only(run(check_5_5, facts(inspection=inspection(indoor_temperatures_c=points))))
    assert (finding.outcome, finding.measured, finding.limit) == (outcome, measured, D("26"))
    assert finding.detail == str(len(points))


@pytest.mark.parametrize(
    ("the_inspection", "key"),
    [(None, "inspection.none"), (inspection(), "indoor_temperature.not_measured")],
)
def test_indoor_temperature_not_measured_is_unknown(the_inspection, key):
    finding = only(run(check_5_5, facts(inspection=the_inspection)))
    assert (finding.outcome, finding.message_key) == (Outcome.UNKNOWN, key)


@pytest.mark.parametrize("category", ["supermarket_fresh_food", "cold_storage"])
@pytest.mark.parametrize("the_inspection", [inspection(indoor_temperatures_c=(D("18.0"),)), None])
def test_announced_categories_are_exempt_from_the_floor(category, the_inspection):
    the_facts = facts(premises=premises(category=category), inspection=the_inspection)
    finding = only(run(check_5_5, the_facts))
    assert finding.outcome is Outcome.COMPLIANT
    assert (finding.exemption, finding.exemption_detail) == (Exemption.PREMISES_CATEGORY, category)
    assert finding.exemption_until is None


@pytest.mark.parametrize(
    ("category", "temperature", "outcome", "key"),
    [
        ("supermarket", "24.0", Outcome.NON_COMPLIANT, "indoor_temperature.below_floor"),
        (None, "24.0", Outcome.UNKNOWN, "indoor_temperature.category_unknown"),
        (None, "27.0", Outcome.COMPLIANT, "indoor_temperature.at_or_above_floor"),
    ],
)
def test_category_decides_the_exemption(category, temperature, outcome, key):
    the_facts = facts(
        premises=premises(category=category),
        inspection=inspection(indoor_temperatures_c=(D(temperature),)),
    )
    finding = only(run(check_5_5, the_facts))
    assert (finding.outcome, finding.message_key, finding.exemption) == (outcome, key, None)


def test_exempt_category_that_complies_anyway_names_no_exemption():
    the_facts = facts(
        premises=premises(category="cold_storage"),
        inspection=inspection(indoor_temperatures_c=(D("27"),)),
    )
    assert only(run(check_5_5, the_facts)).exemption is None


def test_a_new_floor_applies_from_the_version_that_publishes_it():
    the_facts = facts(inspection=inspection(indoor_temperatures_c=(D("25.5"),)))
    lower = replace(PARAMS, indoor_temperature_floor_c=D("25"))
    assert only(run(check_5_5, the_facts, params=lower)).outcome is Outcome.COMPLIANT
    assert only(run(check_5_5, the_facts)).outcome is Outcome.NON_COMPLIANT


def test_grant_for_the_premises_exempts_from_the_floor():
    grant = ExemptionGrant("5-5", valid_from=date(2025, 1, 1), reason="hospital_ward")
    the_facts = facts(inspection=inspection(indoor_temperatures_c=(D("24"),)), grants=(grant,))
    finding = only(run(check_5_5, the_facts))
    assert (finding.outcome, finding.exemption) == (Outcome.COMPLIANT, Exemption.GRANT)


# Before the ordinance took effect nothing applies -------------------------------------


@pytest.mark.parametrize("check", [check_5_1, check_5_2, check_5_3, check_5_4, check_5_5])
def test_nothing_applies_before_the_effective_date(check):
    the_facts = facts(
        entrances=(EntranceFacts("E-1", air_barrier="none"),),
        chillers=(chiller(installed_on=OLD, has_separate_meter=False),),
        air_conditioners=(unit(installed_on=None, efficiency_value=D("2")),),
        inspection=inspection(obstruction_found=True, indoor_temperatures_c=(D("20"),)),
    )
    assert run(check, the_facts, on=BEFORE) == []
    assert run(check, the_facts, on=AFTER_GRACE)
