"""The engine's messages read in Chinese and English, from live findings and stored ones."""

import json
import string
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from compliance.rulebook import explain_texts
from compliance.rulebook.explain import (
    EXEMPTION_TEXT,
    FINDING_TEXT,
    PARAMETER_TEXT,
    article_label,
    explain_exemption,
    explain_finding,
    explain_parameter_error,
    outcome_label,
    parameter_field_label,
)
from compliance.rules import (
    EXEMPTION_MESSAGES,
    FINDING_MESSAGES,
    PARAMETER_MESSAGES,
    AcLogFacts,
    AirConditionerFacts,
    ArcadeMeasurement,
    BoilerFacts,
    BoilerLogFacts,
    ChillerFacts,
    EntranceFacts,
    ExemptionGrant,
    Facts,
    Finding,
    IlluminanceMeasurement,
    InspectionFacts,
    LightingFacts,
    Outcome,
    ParameterError,
    PremisesFacts,
    SignboardFacts,
    assess,
    finding_to_dict,
    initial_parameters,
    render_finding,
    validate_parameters,
)

D = Decimal
PARAMS = initial_parameters()  # in force from 2025-01-01; Art. 19 grace until 2025-06-30
ON = date(2025, 9, 15)
IN_GRACE = date(2025, 3, 1)
NEW = date(2025, 3, 10)
OLD = date(2020, 5, 1)
LANGUAGES = ["zh-hant", "en"]


def placeholders(template: object) -> set[str]:
    """Return the names a str.format template fills."""
    return {name for _, name, _, _ in string.Formatter().parse(str(template)) if name}


def premises(**changes) -> PremisesFacts:
    return PremisesFacts(
        **{"kind": "business", "category": "general", "has_arcade": False, **changes}
    )


def monthly(cls, first: date, last: date, **readings):
    """Return a complete log for every month from ``first`` to ``last``."""
    logs, month = [], first
    while month <= last:
        logs.append(cls(month=month, **readings))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return tuple(logs)


AC_LOGS = monthly(
    AcLogFacts, date(2025, 1, 1), date(2025, 9, 1), ac_electricity_kwh=D(900), maintenance_done=True
)
BOILER_LOGS = monthly(
    BoilerLogFacts,
    date(2025, 1, 1),
    date(2025, 9, 1),
    air_volume_m3h=D(800),
    exhaust_temp_c=D(180),
    furnace_wall_temp_c=D(60),
    exhaust_co2_pct=D(12),
    combustion_complete=True,
)

# Premises that between them make the engine say every message it has.
SCENARIOS: list[tuple[Facts, date]] = [
    # Nothing declared, nothing inspected, arcade and category unrecorded.
    (Facts(premises=premises(category=None, has_arcade=None)), ON),
    # Declared equipment of every kind and outcome, and an inspection that found faults.
    (
        Facts(
            premises=premises(has_arcade=True),
            entrances=(
                EntranceFacts("E-1", installed_on=NEW, air_barrier="automatic_door"),
                EntranceFacts("E-2", installed_on=NEW, air_barrier="none"),
                EntranceFacts("E-3", installed_on=NEW),
            ),
            chillers=(
                ChillerFacts(
                    "C-1",
                    installed_on=NEW,
                    capacity_hp=D(120),
                    is_production_use=False,
                    has_separate_meter=True,
                    logs=AC_LOGS,
                ),
                ChillerFacts("C-2", installed_on=NEW, capacity_hp=D(30)),
                ChillerFacts("C-3", installed_on=NEW, capacity_hp=D(10), is_production_use=False),
                ChillerFacts(
                    "C-4",
                    capacity_hp=D(10),
                    is_production_use=False,
                    has_separate_meter=False,
                ),
                ChillerFacts(
                    "C-5",
                    installed_on=NEW,
                    capacity_hp=D(10),
                    is_production_use=False,
                    has_separate_meter=False,
                ),
            ),
            air_conditioners=(
                AirConditionerFacts("AC-1", NEW, None, "split", D("5.0"), "cspf", D("3.6")),
                AirConditionerFacts("AC-2", NEW, None, "split", D("5.0"), "cspf", D("3.0")),
                AirConditionerFacts("AC-3", None, None, "split", D("80"), "eer", D("2.0")),
                AirConditionerFacts("AC-4", NEW, None, "packaged", D("20"), "cspf", D("3.0")),
                AirConditionerFacts("AC-5", NEW),
            ),
            lighting=(
                LightingFacts("L-1", installed_on=NEW, lamp_type="led", lamp_count=20),
                LightingFacts("L-2", installed_on=NEW, lamp_type="incandescent", lamp_count=12),
                LightingFacts("L-3", installed_on=NEW),
            ),
            signboards=(
                SignboardFacts("S-1", installed_on=NEW, lamp_type="led"),
                SignboardFacts("S-2", installed_on=NEW, lamp_type="halogen", lamp_count=4),
                SignboardFacts("S-3", installed_on=NEW),
            ),
            boilers=(
                BoilerFacts(
                    "B-1",
                    installed_on=NEW,
                    steam_evaporation_tph=D(3),
                    fuel="natural_gas",
                    logs=BOILER_LOGS,
                ),
                BoilerFacts("B-2", steam_evaporation_tph=D(3), fuel="diesel"),
                BoilerFacts("B-3", installed_on=NEW, heat_input_kcal_h=1_600_000),
                BoilerFacts(
                    "B-4",
                    installed_on=NEW,
                    steam_evaporation_tph=D("2.5"),
                    fuel="diesel",
                    is_standby=False,
                ),
                BoilerFacts("B-5", installed_on=NEW, steam_evaporation_tph=D(3), fuel="fuel_oil"),
                BoilerFacts(
                    "B-6", installed_on=NEW, steam_evaporation_tph=D(3), fuel="lpg", is_standby=True
                ),
                BoilerFacts(
                    "B-7",
                    installed_on=NEW,
                    steam_evaporation_tph=D(3),
                    fuel="diesel",
                    is_standby=False,
                ),
            ),
            grants=(
                ExemptionGrant(
                    "8-1",
                    date(2025, 4, 1),
                    equipment_tag="B-7",
                    reason="gas_supply_insufficient",
                    reference="府產業字第1140000001號",
                ),
            ),
            inspection=InspectionFacts(
                inspected_on=date(2025, 9, 1),
                refused=True,
                obstruction_found=True,
                after_hours_equipment_on=True,
                indoor_temperatures_c=(D("25.0"), D("25.5")),
                arcade=(
                    ArcadeMeasurement("A-1"),
                    ArcadeMeasurement("A-2", lights_on=False),
                    ArcadeMeasurement("A-3", lights_on=True),
                    ArcadeMeasurement("A-4", True, D(150), D(200)),
                    ArcadeMeasurement("A-5", True, D(50), D(400)),
                ),
                illuminance=(
                    IlluminanceMeasurement("I-1", "office"),
                    IlluminanceMeasurement("I-2", "arcade", D(150)),
                    IlluminanceMeasurement("I-3", "office", D(500)),
                    IlluminanceMeasurement("I-4", "office", D(900)),
                ),
            ),
        ),
        ON,
    ),
    # A chiller of unknown capacity below the threshold; an inspection that found no fault.
    (
        Facts(
            premises=premises(has_arcade=True),
            chillers=(ChillerFacts("C-9", installed_on=NEW, is_production_use=False),),
            inspection=InspectionFacts(
                inspected_on=date(2025, 9, 1),
                refused=False,
                obstruction_found=False,
                after_hours_equipment_on=False,
                indoor_temperatures_c=(D(26), D(27)),
            ),
        ),
        ON,
    ),
    # An inspection that recorded nothing, in premises of unrecorded category.
    (
        Facts(
            premises=premises(category=None),
            inspection=InspectionFacts(inspected_on=date(2025, 9, 1)),
        ),
        ON,
    ),
    (
        Facts(
            premises=premises(category=None),
            inspection=InspectionFacts(
                inspected_on=date(2025, 9, 1), indoor_temperatures_c=(D(24),)
            ),
        ),
        ON,
    ),
    # An exempt category below the temperature floor.
    (
        Facts(
            premises=premises(category="supermarket_fresh_food"),
            inspection=InspectionFacts(
                inspected_on=date(2025, 9, 1), indoor_temperatures_c=(D(18),)
            ),
        ),
        ON,
    ),
    # During the Art. 19 grace: one entrance that existed, one whose age is unrecorded.
    (
        Facts(
            premises=premises(),
            entrances=(
                EntranceFacts("E-OLD", installed_on=OLD, air_barrier="none"),
                EntranceFacts("E-AGE", air_barrier="none"),
            ),
        ),
        IN_GRACE,
    ),
]


def engine_findings() -> list[Finding]:
    """Return every finding the engine makes about the scenarios."""
    return [
        finding for the_facts, on in SCENARIOS for finding in assess(the_facts, PARAMS, on).findings
    ]


FINDINGS = engine_findings()


def finding_id(finding: Finding) -> str:
    return f"{finding.article}:{finding.message_key}:{finding.subject or '-'}"


def by_key(key: str, subject: str | None = None) -> Finding:
    return next(
        f for f in FINDINGS if f.message_key == key and (subject is None or f.subject == subject)
    )


def test_the_scenarios_make_the_engine_say_every_message_it_has():
    assert {f.message_key for f in FINDINGS} == set(FINDING_MESSAGES)
    assert {f.exemption for f in FINDINGS if f.exemption} == set(EXEMPTION_MESSAGES)


@pytest.mark.parametrize(
    ("ours", "engines"),
    [
        (FINDING_TEXT, FINDING_MESSAGES),
        (EXEMPTION_TEXT, EXEMPTION_MESSAGES),
        (PARAMETER_TEXT, PARAMETER_MESSAGES),
    ],
    ids=["findings", "exemptions", "parameters"],
)
def test_every_engine_message_has_a_translatable_twin_with_the_same_placeholders(ours, engines):
    assert list(ours) == list(engines)
    for key, template in engines.items():
        assert str(ours[key]) == template, key
        with translation.override("zh-hant"):
            chinese = str(ours[key])
        assert chinese != template, f"{key} is not translated"
        assert placeholders(chinese) == placeholders(template), key


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("finding", FINDINGS, ids=finding_id)
def test_every_finding_reads_in_both_languages_live_and_as_stored(finding, language):
    stored = json.loads(json.dumps(finding_to_dict(finding)))
    with translation.override(language):
        text = explain_finding(finding)
        assert text == explain_finding(stored)
        assert explain_exemption(finding) == explain_exemption(stored)
    assert text.strip()
    assert "{" not in text and "}" not in text
    if language == "zh-hant":
        with translation.override("en"):
            assert text != explain_finding(finding)


def test_english_without_codes_is_the_engines_own_sentence():
    refused = by_key("inspection.refused")
    meter = by_key("chiller.meter_missing", subject="C-4")
    assert explain_finding(refused) == render_finding(refused)
    assert explain_finding(meter) == render_finding(meter)
    assert explain_finding(meter) == (
        "Chiller C-4 has no separate AC electricity meter, required from 100 HP of central "
        "air conditioning (150 HP here)."
    )


def test_codes_read_as_the_registry_labels_in_each_language():
    barrier = by_key("entrance.air_barrier")
    diesel = by_key("boiler.not_natural_gas")
    with translation.override("zh-hant"):
        assert explain_finding(barrier) == "出入口 E-1 設有防止冷氣外洩設施（自動門）。"
        assert "柴油" in explain_finding(diesel)
        assert "diesel" not in explain_finding(diesel)
    assert explain_finding(barrier) == "Entrance E-1 has an air barrier (automatic door)."
    assert "burns diesel;" in explain_finding(diesel)


def test_efficiency_band_and_metric_read_as_words():
    below = by_key("ac_efficiency.below_minimum")
    assert explain_finding(below) == (
        "AC unit AC-2: CSPF 3.0 is below the minimum of 3.40 (split type CSPF, 4.0-7.1 kW)."
    )
    with translation.override("zh-hant"):
        text = explain_finding(below)
    assert "分離式" in text and "CSPF" in text and "4.0" in text and "7.1" in text


def test_chinese_cites_the_article_in_full():
    none = next(f for f in FINDINGS if f.message_key == "inspection.none" and f.article == "5-2")
    undetermined = by_key("art19_grace.undetermined")
    with translation.override("zh-hant"):
        assert explain_finding(none).startswith("第5條第2款")
        assert "第5條第1款" in explain_finding(undetermined)
        assert "5-1" not in explain_finding(undetermined)
    assert explain_finding(none).startswith("Art. 5-2: ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_grace_names_its_last_day_as_an_iso_date(language):
    grace = by_key("entrance.no_air_barrier", subject="E-OLD")
    assert grace.outcome is Outcome.COMPLIANT
    with translation.override(language):
        exemption = explain_exemption(grace)
        text = explain_finding(grace)
    assert "2025-06-30" in exemption and "2025-01-01" in exemption
    assert text.endswith(exemption)
    assert "existed before" not in exemption or language == "en"


def test_exemptions_read_in_chinese():
    category = next(f for f in FINDINGS if f.exemption == "premises_category")
    grant = by_key("boiler.not_natural_gas", subject="B-7")
    standby = by_key("boiler.not_natural_gas", subject="B-6")
    with translation.override("zh-hant"):
        assert "超級市場生鮮部" in explain_exemption(category)
        assert "天然氣供應不足" in explain_exemption(grant)
        assert "府產業字第1140000001號" in explain_exemption(grant)
        assert "緊急備用" in explain_exemption(standby)
        assert "supermarket_fresh_food" not in explain_finding(category)


def test_a_finding_without_exemption_has_none_and_can_leave_it_out():
    grace = by_key("entrance.no_air_barrier", subject="E-OLD")
    assert explain_exemption(by_key("inspection.refused")) is None
    assert explain_finding(grace, with_exemption=False) == (
        "Entrance E-OLD has neither an automatic door nor an air curtain."
    )


def test_a_message_without_translation_falls_back_to_the_engines_english(monkeypatch):
    finding = by_key("obstruction.found")
    monkeypatch.delitem(explain_texts.FINDING_TEXT, "obstruction.found")
    with translation.override("zh-hant"):
        assert explain_finding(finding) == FINDING_MESSAGES["obstruction.found"]


def test_a_broken_translation_falls_back_to_the_engines_english(monkeypatch):
    finding = by_key("chiller.meter_missing")
    monkeypatch.setitem(explain_texts.FINDING_TEXT, "chiller.meter_missing", "{limit HP {0}")
    assert explain_finding(finding) == render_finding(finding)


@pytest.mark.parametrize(
    "stored",
    [
        {"article": "5-1", "outcome": "compliant", "message_key": "entrance.future_key"},
        {"message_key": "obstruction.found", "outcome": "no_such_outcome"},
        {"article": "5-1", "outcome": "compliant", "message_key": "x", "exemption": "retired"},
        {},
    ],
    ids=["unknown key", "unknown outcome", "unknown exemption", "empty"],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unreadable_stored_finding_still_says_something(stored, language):
    with translation.override(language):
        text = explain_finding(stored)
    assert isinstance(text, str)
    assert text or stored == {}
    if stored.get("message_key") == "obstruction.found":
        with translation.override(language):
            assert text == str(FINDING_TEXT["obstruction.found"])


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("zh-hant", ["符合規定", "不符合規定", "無法判定（資料不足）", "不適用"]),
        ("en", ["Compliant", "Non-compliant", "Unknown (data missing)", "Not applicable"]),
    ],
)
def test_outcomes_have_labels_in_each_language(language, labels):
    with translation.override(language):
        shown = [outcome_label(Outcome.COMPLIANT), outcome_label("non_compliant")]
        shown += [outcome_label(Outcome.UNKNOWN), outcome_label(None)]
    assert shown == labels


@pytest.mark.parametrize(
    ("number", "chinese", "english"),
    [
        ("5-1", "第5條第1款", "Art. 5-1"),
        ("6-3", "第6條第3款", "Art. 6-3"),
        ("8-1", "第8條第1項", "Art. 8-1"),
        ("10-1", "第10條第1項", "Art. 10-1"),
        ("7", "第7條", "Art. 7"),
        ("15", "第15條", "Art. 15"),
    ],
)
def test_articles_are_cited_as_each_language_cites_them(number, chinese, english):
    with translation.override("zh-hant"):
        assert article_label(number) == chinese
    assert article_label(number) == english


def sample_values(template: str) -> tuple[tuple[str, str], ...]:
    """Return values for every placeholder, naming a real parameter as the field."""
    return tuple(
        (name, "grace_months" if name == "field" else f"<{name}>")
        for name in sorted(placeholders(template))
    )


@pytest.mark.parametrize("key", list(PARAMETER_MESSAGES))
def test_every_parameter_error_reads_in_both_languages(key):
    error = ParameterError("grace_months", key, "detail", sample_values(PARAMETER_MESSAGES[key]))
    english = explain_parameter_error(error)
    with translation.override("zh-hant"):
        chinese = explain_parameter_error(error)
    assert english.startswith("grace period (months)")
    assert "寬限期" in chinese
    assert chinese != english
    assert "{" not in chinese + english


def test_parameter_errors_name_fields_rows_and_groups_for_people():
    params = replace(
        PARAMS,
        grace_months=0,
        efficiency_standards=PARAMS.efficiency_standards[1:],
        indoor_temperature_floor_c=D(40),
    )
    errors = {error.message_key: error for error in validate_parameters(params)}
    assert explain_parameter_error(errors["band_gap"]) == (
        "MOEA efficiency standards, row 1: the bands of window type CSPF leave 0-2.2 kW uncovered."
    )
    with translation.override("zh-hant"):
        gap = explain_parameter_error(errors["band_gap"])
        stored = {"message_key": "band_gap", "values": [list(v) for v in errors["band_gap"].values]}
        assert explain_parameter_error(stored) == gap
        assert "窗型" in gap and "第 1 列" in gap
        assert "efficiency_standards" not in gap


def test_an_unknown_parameter_message_falls_back_to_the_engines_detail():
    error = ParameterError("x", "no_such_key", "The engine's own words.", (("field", "x"),))
    assert explain_parameter_error(error) == "The engine's own words."


def test_unknown_parameter_names_are_shown_as_they_are():
    assert parameter_field_label("new_table[2].new_column") == "new_table, row 3: new_column"
    assert parameter_field_label("inspection_targets.min_floor_area_m2") == (
        "inspection targets: minimum floor area (m²)"
    )
