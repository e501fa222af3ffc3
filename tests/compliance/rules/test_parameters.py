"""Rule-book parameters: starting values, validation before publishing, snapshots."""

import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from compliance.rules import (
    PARAMETER_MESSAGES,
    EfficiencyStandard,
    EnergyUseThreshold,
    IlluminanceStandard,
    InspectionTargetCriteria,
    PenaltySchedule,
    RectificationPeriod,
    finding_to_dict,
    initial_parameters,
    is_inspection_target,
    params_from_dict,
    params_to_dict,
    validate_parameters,
)
from compliance.rules.types import Exemption, Finding, Outcome
from tests.compliance.rules.helpers import PARAMS, D, premises


def errors_of(params):
    errors = validate_parameters(params)
    for error in errors:
        assert error.message_key in PARAMETER_MESSAGES
        assert dict(error.values)["field"] == error.field
    return [(error.field, error.message_key) for error in errors]


def test_starting_values_of_the_spec_can_be_published():
    params = initial_parameters()
    assert validate_parameters(params) == []
    assert params.indoor_temperature_floor_c == D("26")
    assert (params.arcade_switch_on_lux, params.arcade_band_low_lux) == (D("100"), D("100"))
    assert (params.arcade_band_high_lux, params.arcade_measuring_height_cm) == (D("300"), D("18"))
    assert params.chiller_threshold_hp == D("100")
    assert params.boiler_steam_threshold_tph == D("2")
    assert params.boiler_heat_input_threshold_kcal_h == 1_530_000
    assert (params.boiler_log_interval_months, params.grace_months) == (1, 6)
    assert params.temperature_exempt_categories == {"supermarket_fresh_food", "cold_storage"}
    assert params.illuminance_standard_for("auditorium") == IlluminanceStandard(
        "auditorium", D("500"), D("750")
    )
    assert params.illuminance_standard_for("boutique_feature_window").lower_lux == D("1500")
    assert params.penalty_schedule_for("15") == (10_000, 20_000, 30_000)
    assert params.penalty_schedule_for("19") is None
    assert params.rectification_days_for("10-1") is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"indoor_temperature_floor_c": D("16")}, []),
        ({"indoor_temperature_floor_c": D("30")}, []),
        (
            {"indoor_temperature_floor_c": D("15.9")},
            [("indoor_temperature_floor_c", "out_of_range")],
        ),
        (
            {"indoor_temperature_floor_c": D("30.1")},
            [("indoor_temperature_floor_c", "out_of_range")],
        ),
        ({"indoor_temperature_floor_c": 26.0}, [("indoor_temperature_floor_c", "not_decimal")]),
        ({"indoor_temperature_floor_c": D("NaN")}, [("indoor_temperature_floor_c", "not_decimal")]),
        ({"effective_date": datetime(2025, 1, 1)}, [("effective_date", "not_a_date")]),
        ({"effective_date": "2025-01-01"}, [("effective_date", "not_a_date")]),
        ({"grace_months": 0}, [("grace_months", "out_of_range")]),
        ({"grace_months": D("6")}, [("grace_months", "not_whole_number")]),
        ({"grace_months": True}, [("grace_months", "not_whole_number")]),
        ({"arcade_switch_on_lux": D("0")}, [("arcade_switch_on_lux", "not_positive")]),
        (
            {"arcade_band_low_lux": D("300"), "arcade_band_high_lux": D("100")},
            [("arcade_band_high_lux", "band_inverted")],
        ),
        ({"arcade_band_low_lux": D("300")}, [("arcade_band_high_lux", "band_inverted")]),
        ({"arcade_band_low_lux": D("-1")}, [("arcade_band_low_lux", "not_positive")]),
        ({"arcade_measuring_height_cm": D("0")}, [("arcade_measuring_height_cm", "out_of_range")]),
        (
            {"seated_measuring_height_cm": D("301")},
            [("seated_measuring_height_cm", "out_of_range")],
        ),
        ({"chiller_threshold_hp": D("-100")}, [("chiller_threshold_hp", "not_positive")]),
        ({"boiler_steam_threshold_tph": D("0")}, [("boiler_steam_threshold_tph", "not_positive")]),
        (
            {"boiler_heat_input_threshold_kcal_h": 0},
            [("boiler_heat_input_threshold_kcal_h", "out_of_range")],
        ),
        ({"boiler_log_interval_months": 13}, [("boiler_log_interval_months", "out_of_range")]),
        (
            {"boiler_log_interval_months": 6, "log_lookback_months": 3},
            [("log_lookback_months", "lookback_shorter_than_interval")],
        ),
        ({"log_lookback_months": 0}, [("log_lookback_months", "out_of_range")]),
        (
            {"temperature_exempt_categories": frozenset({"casino"})},
            [("temperature_exempt_categories[0]", "unknown_value")],
        ),
    ],
)
def test_units_and_ranges_are_checked(changes, expected):
    assert errors_of(replace(PARAMS, **changes)) == expected


# CNS 12112 table ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ((IlluminanceStandard("office", D("500"), D("500")),), []),  # low == high is allowed
        (
            (IlluminanceStandard("office", D("750"), D("300")),),
            [("illuminance_standards[0]", "range_inverted")],
        ),
        (
            (
                IlluminanceStandard("office", D("300"), D("750")),
                IlluminanceStandard("office", D("300"), D("500")),
            ),
            [("illuminance_standards[1].space_type", "duplicate_row")],
        ),
        (
            (IlluminanceStandard("ballroom", D("300"), D("750")),),
            [("illuminance_standards[0].space_type", "unknown_value")],
        ),
        (
            (IlluminanceStandard("office", D("0"), 750),),
            [
                ("illuminance_standards[0].lower_lux", "not_positive"),
                ("illuminance_standards[0].upper_lux", "not_decimal"),
            ],
        ),
    ],
)
def test_cns_rows_are_checked(rows, expected):
    assert errors_of(replace(PARAMS, illuminance_standards=rows)) == expected


# EER / CSPF bands --------------------------------------------------------------------------


def band(low, high, minimum="3.0", ac_type="split", metric="cspf"):
    return EfficiencyStandard(
        ac_type, metric, D(low), None if high is None else D(high), D(minimum)
    )


@pytest.mark.parametrize(
    ("rows", "expected", "named"),
    [
        ((band("0", "4"), band("4", "7.1"), band("7.1", None)), [], ""),
        (
            (band("0", "4"), band("4.5", "7.1")),
            [("efficiency_standards[1]", "band_gap")],
            "split/cspf leave 4-4.5 kW uncovered",
        ),
        (
            (band("0", "4"), band("3.5", "7.1")),
            [("efficiency_standards[1]", "band_overlap")],
            "bands split/cspf 0-4 kW and split/cspf 3.5-7.1 kW overlap",
        ),
        (
            (band("2.2", "4"),),
            [("efficiency_standards[0]", "band_gap")],
            "leave 0-2.2 kW uncovered",
        ),
        (
            (band("0", None), band("7.1", "71")),
            [("efficiency_standards[1]", "band_overlap")],
            "split/cspf from 0 kW",
        ),
        (
            # Listed out of order: sorted by their lower end before they are compared.
            (band("4", "7.1"), band("0", "4")),
            [],
            "",
        ),
        (
            # The same bands for another type or metric are a separate table.
            (band("0", "4"), band("0", "4", metric="eer"), band("0", "4", ac_type="window")),
            [],
            "",
        ),
        ((band("4", "4"),), [("efficiency_standards[0]", "band_inverted")], "low end 4"),
        ((band("-1", "4"),), [("efficiency_standards[0].min_kw", "out_of_range")], ""),
        ((band("0", "-4"),), [("efficiency_standards[0].max_kw", "not_positive")], ""),
        ((band("0", "4", minimum="0"),), [("efficiency_standards[0].minimum", "out_of_range")], ""),
        (
            (band("0", "4", ac_type="cassette"),),
            [("efficiency_standards[0].ac_type", "unknown_value")],
            "",
        ),
        (
            (band("0", "4", metric="seer"),),
            [("efficiency_standards[0].metric", "unknown_value")],
            "",
        ),
    ],
)
def test_efficiency_bands_may_neither_overlap_nor_leave_gaps(rows, expected, named):
    params = replace(PARAMS, efficiency_standards=rows)
    assert errors_of(params) == expected
    if named:
        assert named in validate_parameters(params)[0].detail


def test_float_band_end_is_refused():
    rows = (EfficiencyStandard("split", "cspf", 0.0, D("4"), D("3")),)
    assert errors_of(replace(PARAMS, efficiency_standards=rows)) == [
        ("efficiency_standards[0].min_kw", "out_of_range")
    ]


# Rectification periods and penalty schedules ------------------------------------------------


def test_every_rectifiable_article_needs_a_period():
    periods = tuple(row for row in PARAMS.rectification_periods if row.article != "5-2")
    assert errors_of(replace(PARAMS, rectification_periods=periods)) == [
        ("rectification_periods", "missing_row")
    ]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (RectificationPeriod("10-1", 30), [("rectification_periods[12].article", "unknown_value")]),
        (RectificationPeriod("5-1", 30), [("rectification_periods[12].article", "duplicate_row")]),
    ],
)
def test_rectification_rows_name_real_articles_once(extra, expected):
    periods = (*PARAMS.rectification_periods, extra)
    assert errors_of(replace(PARAMS, rectification_periods=periods)) == expected


@pytest.mark.parametrize("days", [0, 366, D("30")])
def test_rectification_days_are_whole_and_within_a_year(days):
    periods = (RectificationPeriod("5-1", days), *PARAMS.rectification_periods[1:])
    field, _key = errors_of(replace(PARAMS, rectification_periods=periods))[0]
    assert field == "rectification_periods[0].days"


def schedules(**amounts):
    rows = {row.penalty_article: row.amounts_ntd for row in PARAMS.penalty_schedules}
    rows.update({article.removeprefix("art"): value for article, value in amounts.items()})
    return tuple(PenaltySchedule(article, value) for article, value in rows.items())


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (schedules(art15=(10_000,)), []),
        (schedules(art15=(30_000, 30_000)), []),
        (schedules(art15=(9_999, 20_000)), ["penalty_amount_out_of_range"]),
        (schedules(art15=(10_000, 30_001)), ["penalty_amount_out_of_range"]),
        (schedules(art16=(19_999,)), ["penalty_amount_out_of_range"]),
        (schedules(art16=(50_000,)), []),
        (schedules(art16=(50_001,)), ["penalty_amount_out_of_range"]),
        (schedules(art17=(29_999,)), ["penalty_amount_out_of_range"]),
        (schedules(art18=(30_000, 50_000, 50_001)), ["penalty_amount_out_of_range"]),
        (schedules(art15=()), ["penalty_schedule_empty"]),
        (schedules(art15=(10_000.0,)), ["penalty_amount_not_whole"]),
        (schedules(art15=(D("10000"),)), ["penalty_amount_not_whole"]),
        (schedules(art15=(True,)), ["penalty_amount_not_whole"]),
        (schedules(art15=(20_000, 10_000)), ["penalty_schedule_decreasing"]),
    ],
)
def test_penalty_schedule_stays_inside_the_statutory_range(schedule, expected):
    errors = validate_parameters(replace(PARAMS, penalty_schedules=schedule))
    assert [error.message_key for error in errors] == expected
    assert all(error.field.endswith(".amounts_ntd") for error in errors)


def test_out_of_range_message_names_the_statutory_range():
    error = validate_parameters(replace(PARAMS, penalty_schedules=schedules(art15=(5_000,))))[0]
    assert error.detail == (
        "penalty_schedules[0].amounts_ntd: Art. 15, offence 1: NT$5000 is outside the "
        "statutory range NT$10000-NT$30000."
    )


def test_every_penalty_article_needs_one_schedule():
    missing = tuple(row for row in PARAMS.penalty_schedules if row.penalty_article != "17")
    assert errors_of(replace(PARAMS, penalty_schedules=missing)) == [
        ("penalty_schedules", "missing_row")
    ]
    twice = (*PARAMS.penalty_schedules, PenaltySchedule("15", (10_000,)))
    assert errors_of(replace(PARAMS, penalty_schedules=twice)) == [
        ("penalty_schedules[4].penalty_article", "duplicate_row")
    ]
    unknown = (*PARAMS.penalty_schedules, PenaltySchedule("19", (10_000,)))
    assert errors_of(replace(PARAMS, penalty_schedules=unknown)) == [
        ("penalty_schedules[4].amounts_ntd", "penalty_article_unknown")
    ]


# Art. 12 thresholds and Art. 10-5 targets ----------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            (EnergyUseThreshold("steam", D("1"), "t"),),
            [("energy_use_thresholds[0].energy_type", "unknown_value")],
        ),
        (
            (
                EnergyUseThreshold("electricity", D("1"), "kwh"),
                EnergyUseThreshold("electricity", D("2"), "kwh"),
            ),
            [("energy_use_thresholds[1].energy_type", "duplicate_row")],
        ),
        (
            (EnergyUseThreshold("lpg", D("0"), ""),),
            [
                ("energy_use_thresholds[0].monthly_amount", "not_positive"),
                ("energy_use_thresholds[0].unit", "required"),
            ],
        ),
    ],
)
def test_energy_use_thresholds_are_checked(rows, expected):
    assert errors_of(replace(PARAMS, energy_use_thresholds=rows)) == expected


def test_inspection_targets_are_checked():
    targets = InspectionTargetCriteria(
        premises_categories=frozenset({"casino"}), min_floor_area_m2=D("0")
    )
    assert errors_of(replace(PARAMS, inspection_targets=targets)) == [
        ("inspection_targets.premises_categories[0]", "unknown_value"),
        ("inspection_targets.min_floor_area_m2", "not_positive"),
    ]


@pytest.mark.parametrize(
    ("the_premises", "kwh", "target"),
    [
        (premises(category="hotel"), None, True),
        (premises(floor_area_m2=D("1000")), D("10"), True),
        (premises(floor_area_m2=D("999.99")), D("50000"), True),
        (premises(floor_area_m2=D("999.99")), D("49999"), False),
        (premises(floor_area_m2=D("999.99")), None, None),
        (premises(category=None, floor_area_m2=D("10")), D("10"), None),
    ],
)
def test_inspection_targets_by_industry_type_or_energy_use(the_premises, kwh, target):
    assert is_inspection_target(the_premises, PARAMS.inspection_targets, kwh) is target


def test_no_criteria_targets_no_premises():
    assert is_inspection_target(premises(), InspectionTargetCriteria()) is False


# Snapshots -----------------------------------------------------------------------------------


def test_parameters_survive_a_json_round_trip_exactly():
    data = json.loads(json.dumps(params_to_dict(PARAMS)))
    assert params_from_dict(data) == PARAMS
    assert data["indoor_temperature_floor_c"] == "26"
    assert data["effective_date"] == "2025-01-01"
    assert data["temperature_exempt_categories"] == ["cold_storage", "supermarket_fresh_food"]
    assert data["efficiency_standards"][2]["max_kw"] is None


def test_snapshot_with_unknown_keys_is_refused():
    data = params_to_dict(PARAMS)
    data["surprise"] = 1
    with pytest.raises(TypeError):
        params_from_dict(data)


def test_finding_snapshot_is_json_safe():
    finding = Finding(
        "5-5",
        Outcome.COMPLIANT,
        "indoor_temperature.below_floor",
        measured=D("24.50"),
        limit=Decimal("26"),
        unit="c",
        exemption=Exemption.GRANT,
        exemption_until=date(2025, 12, 31),
    )
    data = json.loads(json.dumps(finding_to_dict(finding)))
    assert data["outcome"] == "compliant"
    assert (data["measured"], data["limit"]) == ("24.50", "26")
    assert (data["exemption"], data["exemption_until"]) == ("grant", "2025-12-31")
