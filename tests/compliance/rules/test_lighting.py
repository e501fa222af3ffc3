"""Arts. 6 and 7: arcades, indoor illuminance, incandescent lamps, signboards."""

from datetime import date

import pytest

from compliance.rules import (
    ArcadeMeasurement,
    IlluminanceMeasurement,
    LightingFacts,
    Outcome,
    SignboardFacts,
    check_6_1,
    check_6_2,
    check_6_3,
    check_7,
)
from tests.compliance.rules.helpers import (
    AFTER_GRACE,
    BEFORE,
    D,
    facts,
    inspection,
    only,
    premises,
    run,
)

# Art. 6-1 ------------------------------------------------------------------------------

WITH_ARCADE = premises(has_arcade=True)


def arcade_facts(*points: ArcadeMeasurement):
    return facts(premises=WITH_ARCADE, inspection=inspection(arcade=points))


def test_premises_without_an_arcade_has_no_arcade_finding():
    assert run(check_6_1, facts(inspection=inspection(arcade=()))) == []


@pytest.mark.parametrize(
    ("the_facts", "key"),
    [
        (facts(premises=premises(has_arcade=None)), "arcade.unknown"),
        (facts(premises=WITH_ARCADE), "inspection.none"),
        (arcade_facts(), "arcade.not_measured"),
    ],
)
def test_arcade_without_data_is_unknown(the_facts, key):
    finding = only(run(check_6_1, the_facts))
    assert (finding.outcome, finding.message_key) == (Outcome.UNKNOWN, key)


def lux(value):
    return None if value is None else D(value)


@pytest.mark.parametrize(
    ("lights_on", "daylight", "lit", "switching", "band"),
    [
        # Lights may be on only while daylight is below 100 lx.
        (True, "100", "200", Outcome.NON_COMPLIANT, Outcome.COMPLIANT),
        (True, "99", "200", Outcome.COMPLIANT, Outcome.COMPLIANT),
        (True, None, "200", Outcome.UNKNOWN, Outcome.COMPLIANT),
        # When on, 100-300 lx, both ends included.
        (True, "50", "100", Outcome.COMPLIANT, Outcome.COMPLIANT),
        (True, "50", "300", Outcome.COMPLIANT, Outcome.COMPLIANT),
        (True, "50", "99", Outcome.COMPLIANT, Outcome.NON_COMPLIANT),
        (True, "50", "301", Outcome.COMPLIANT, Outcome.NON_COMPLIANT),
        (True, "50", None, Outcome.COMPLIANT, Outcome.UNKNOWN),
        # Lights off always comply, whatever the daylight; the band does not arise.
        (False, "20", None, Outcome.COMPLIANT, None),
        (False, "500", None, Outcome.COMPLIANT, None),
        (None, "50", "200", Outcome.UNKNOWN, None),
    ],
)
def test_arcade_lights_only_below_100_lx_and_then_within_100_to_300(
    lights_on, daylight, lit, switching, band
):
    point = ArcadeMeasurement(
        "A-1", lights_on=lights_on, daylight_lux=lux(daylight), lit_lux=lux(lit)
    )
    findings = run(check_6_1, arcade_facts(point))
    assert findings[0].outcome is switching
    assert findings[0].limit == D("100")
    assert (findings[1].outcome if len(findings) > 1 else None) is band
    assert all(finding.subject == "A-1" for finding in findings)


def test_lit_outside_band_names_the_band():
    point = ArcadeMeasurement("A-1", lights_on=True, daylight_lux=D("10"), lit_lux=D("450"))
    band = run(check_6_1, arcade_facts(point))[1]
    assert (band.message_key, band.measured, band.limit) == (
        "arcade.lit_outside_band",
        D("450"),
        "100-300",
    )


# Art. 6-2 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("space_type", "value", "outcome", "key"),
    [
        ("office", "750", Outcome.COMPLIANT, "illuminance.within_standard"),
        ("office", "751", Outcome.NON_COMPLIANT, "illuminance.above_standard"),
        ("restaurant", "750", Outcome.COMPLIANT, "illuminance.within_standard"),
        ("auditorium", "800", Outcome.NON_COMPLIANT, "illuminance.above_standard"),
        ("supermarket_main_display", "3000", Outcome.COMPLIANT, "illuminance.within_standard"),
        ("boutique_feature_window", "3001", Outcome.NON_COMPLIANT, "illuminance.above_standard"),
        ("recreation_room", "100", Outcome.COMPLIANT, "illuminance.within_standard"),
        ("arcade", "200", Outcome.UNKNOWN, "illuminance.no_standard"),
        (None, "200", Outcome.UNKNOWN, "illuminance.no_standard"),
        ("office", None, Outcome.UNKNOWN, "illuminance.not_recorded"),
    ],
)
def test_indoor_illuminance_does_not_exceed_cns_12112(space_type, value, outcome, key):
    point = IlluminanceMeasurement("P-1", space_type=space_type, illuminance_lux=lux(value))
    finding = only(run(check_6_2, facts(inspection=inspection(illuminance=(point,)))))
    assert (finding.outcome, finding.message_key, finding.subject) == (outcome, key, "P-1")


@pytest.mark.parametrize(
    ("the_inspection", "key"),
    [(None, "inspection.none"), (inspection(), "illuminance.not_measured")],
)
def test_illuminance_not_measured_is_unknown(the_inspection, key):
    finding = only(run(check_6_2, facts(inspection=the_inspection)))
    assert (finding.outcome, finding.message_key) == (Outcome.UNKNOWN, key)


def test_upper_bound_comes_from_the_table_row():
    point = IlluminanceMeasurement(
        "P-1", space_type="supermarket_main_display", illuminance_lux=D("2500")
    )
    finding = only(run(check_6_2, facts(inspection=inspection(illuminance=(point,)))))
    assert (finding.limit, finding.detail) == (D("3000"), "supermarket_main_display")


# Art. 6-3 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lamp_type", "outcome", "key"),
    [
        ("led", Outcome.COMPLIANT, "lighting.no_incandescent"),
        ("fluorescent", Outcome.COMPLIANT, "lighting.no_incandescent"),
        ("incandescent", Outcome.NON_COMPLIANT, "lighting.incandescent"),
        ("halogen", Outcome.NON_COMPLIANT, "lighting.incandescent"),  # tungsten-halogen
        (None, Outcome.UNKNOWN, "lighting.lamp_type_unknown"),
        ("", Outcome.UNKNOWN, "lighting.lamp_type_unknown"),
    ],
)
def test_no_incandescent_lamps_in_lighting_groups(lamp_type, outcome, key):
    group = LightingFacts("L-1", declared_on=date(2025, 8, 1), lamp_type=lamp_type, lamp_count=12)
    finding = only(run(check_6_3, facts(lighting=(group,))))
    assert (finding.outcome, finding.message_key) == (outcome, key)


def test_incandescent_finding_counts_the_lamps():
    group = LightingFacts(
        "L-1", declared_on=date(2025, 8, 1), lamp_type="incandescent", lamp_count=12
    )
    finding = only(run(check_6_3, facts(lighting=(group,))))
    assert (finding.measured, finding.limit, finding.unit) == (12, 0, "lamps")


def test_premises_without_declared_lighting_is_unknown():
    finding = only(run(check_6_3, facts()))
    assert (finding.outcome, finding.message_key) == (Outcome.UNKNOWN, "lighting.none_declared")


def test_lighting_installed_after_the_assessed_day_is_not_there_yet():
    group = LightingFacts("L-1", installed_on=date(2026, 1, 1), lamp_type="incandescent")
    assert only(run(check_6_3, facts(lighting=(group,)))).message_key == "lighting.none_declared"


# Art. 7 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lamp_type", "outcome", "key"),
    [
        ("neon", Outcome.COMPLIANT, "signboard.no_incandescent"),
        ("led", Outcome.COMPLIANT, "signboard.no_incandescent"),
        ("incandescent", Outcome.NON_COMPLIANT, "signboard.incandescent"),
        ("halogen", Outcome.NON_COMPLIANT, "signboard.incandescent"),
        (None, Outcome.UNKNOWN, "signboard.lamp_type_unknown"),
    ],
)
def test_signboards_use_no_incandescent_lamps(lamp_type, outcome, key):
    board = SignboardFacts("S-1", declared_on=date(2025, 8, 1), lamp_type=lamp_type)
    finding = only(run(check_7, facts(signboards=(board,))))
    assert (finding.outcome, finding.message_key, finding.subject) == (outcome, key, "S-1")


def test_premises_without_signboards_has_no_signboard_finding():
    assert run(check_7, facts()) == []
    later = SignboardFacts("S-1", installed_on=date(2026, 1, 1), lamp_type="incandescent")
    assert run(check_7, facts(signboards=(later,))) == []


@pytest.mark.parametrize("check", [check_6_1, check_6_2, check_6_3, check_7])
def test_nothing_applies_before_the_effective_date(check):
    point = ArcadeMeasurement("A-1", lights_on=True, daylight_lux=D("500"), lit_lux=D("900"))
    the_facts = facts(
        premises=WITH_ARCADE,
        lighting=(LightingFacts("L-1", lamp_type="incandescent"),),
        signboards=(SignboardFacts("S-1", lamp_type="incandescent"),),
        inspection=inspection(
            arcade=(point,),
            illuminance=(IlluminanceMeasurement("P", "office", D("2000")),),
        ),
    )
    assert run(check, the_facts, on=BEFORE) == []
    assert run(check, the_facts, on=AFTER_GRACE)
