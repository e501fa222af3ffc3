"""Arts. 6 and 7: lighting.

6-1 arcades, 6-2 indoor illuminance, 6-3 incandescent lamps, 7 advertising signboards.
"""

from __future__ import annotations

from datetime import date

from compliance.rules.exemptions import exists_on, in_force, settle
from compliance.rules.facts import ArcadeMeasurement, Facts
from compliance.rules.params import RuleParameters
from compliance.rules.types import Finding, Outcome
from compliance.rules.vocabulary import INCANDESCENT_LAMP_TYPES


def _switching(point: ArcadeMeasurement, params: RuleParameters) -> Finding:
    threshold = params.arcade_switch_on_lux
    fields = {"subject": point.point, "measured": point.daylight_lux, "limit": threshold}
    if point.lights_on is None:
        return Finding("6-1", Outcome.UNKNOWN, "arcade.lights_unknown", unit="lux", **fields)
    if not point.lights_on:
        return Finding("6-1", Outcome.COMPLIANT, "arcade.lights_off", unit="lux", **fields)
    if point.daylight_lux is None:
        return Finding("6-1", Outcome.UNKNOWN, "arcade.daylight_not_measured", unit="lux", **fields)
    if point.daylight_lux >= threshold:
        return Finding("6-1", Outcome.NON_COMPLIANT, "arcade.lit_in_daylight", unit="lux", **fields)
    return Finding("6-1", Outcome.COMPLIANT, "arcade.lit_after_dark", unit="lux", **fields)


def _band(point: ArcadeMeasurement, params: RuleParameters) -> Finding:
    low, high = params.arcade_band_low_lux, params.arcade_band_high_lux
    fields = {"subject": point.point, "measured": point.lit_lux, "limit": f"{low}-{high}"}
    if point.lit_lux is None:
        return Finding("6-1", Outcome.UNKNOWN, "arcade.lit_not_measured", unit="lux", **fields)
    if low <= point.lit_lux <= high:
        return Finding("6-1", Outcome.COMPLIANT, "arcade.lit_within_band", unit="lux", **fields)
    return Finding("6-1", Outcome.NON_COMPLIANT, "arcade.lit_outside_band", unit="lux", **fields)


def check_6_1(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 6-1: arcade lights only below the daylight threshold, and then within the band.

    Per measuring point (18 cm above the arcade floor): lights on while daylight is at
    or above ``arcade_switch_on_lux`` (100 lx) do not comply (99 lx does); lights off
    always comply. When the lights are on, the lit illuminance must lie in
    [``arcade_band_low_lux``, ``arcade_band_high_lux``] (100 and 300 lx comply, 99 and
    301 do not). Only premises with an arcade; unknown if that is not recorded.
    """
    if not in_force(params, on):
        return []
    if facts.premises.has_arcade is False:
        return []
    if facts.premises.has_arcade is None:
        return [settle(Finding("6-1", Outcome.UNKNOWN, "arcade.unknown"), facts, params, on)]
    inspection = facts.inspection_on(on)
    if inspection is None or not inspection.arcade:
        key = "inspection.none" if inspection is None else "arcade.not_measured"
        return [settle(Finding("6-1", Outcome.UNKNOWN, key), facts, params, on)]
    findings = []
    for point in inspection.arcade:
        findings.append(settle(_switching(point, params), facts, params, on))
        if point.lights_on:
            findings.append(settle(_band(point, params), facts, params, on))
    return findings


def check_6_2(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 6-2: indoor illuminance does not exceed the CNS 12112 upper bound.

    Per measuring point: the measured lux must be at most the upper bound of the
    point's space type (the bound itself complies). A space type without a row in the
    table, or a point without a value, is unknown. The lower bound is guidance only:
    the article forbids exceeding the standard, not falling short of it.
    """
    if not in_force(params, on):
        return []
    inspection = facts.inspection_on(on)
    if inspection is None or not inspection.illuminance:
        key = "inspection.none" if inspection is None else "illuminance.not_measured"
        return [settle(Finding("6-2", Outcome.UNKNOWN, key), facts, params, on)]
    findings = []
    for point in inspection.illuminance:
        row = params.illuminance_standard_for(point.space_type) if point.space_type else None
        fields = {
            "subject": point.point,
            "measured": point.illuminance_lux,
            "limit": row.upper_lux if row else None,
            "unit": "lux",
            "detail": point.space_type or "",
        }
        if point.illuminance_lux is None:
            finding = Finding("6-2", Outcome.UNKNOWN, "illuminance.not_recorded", **fields)
        elif row is None:
            finding = Finding("6-2", Outcome.UNKNOWN, "illuminance.no_standard", **fields)
        elif point.illuminance_lux <= row.upper_lux:
            finding = Finding("6-2", Outcome.COMPLIANT, "illuminance.within_standard", **fields)
        else:
            finding = Finding("6-2", Outcome.NON_COMPLIANT, "illuminance.above_standard", **fields)
        findings.append(settle(finding, facts, params, on))
    return findings


def _lamp_finding(
    article: str, key: str, tag: str, lamp_type: str | None, count: int | None
) -> Finding:
    fields = {"subject": tag, "detail": lamp_type or ""}
    if not lamp_type:
        return Finding(article, Outcome.UNKNOWN, f"{key}.lamp_type_unknown", **fields)
    if lamp_type in INCANDESCENT_LAMP_TYPES:
        return Finding(
            article,
            Outcome.NON_COMPLIANT,
            f"{key}.incandescent",
            measured=count,
            limit=0,
            unit="lamps",
            **fields,
        )
    return Finding(
        article,
        Outcome.COMPLIANT,
        f"{key}.no_incandescent",
        measured=0,
        limit=0,
        unit="lamps",
        **fields,
    )


def check_6_3(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 6-3: no incandescent lamps, halogen lamps included.

    Per lighting group: a group of incandescent or halogen (tungsten-halogen, hence
    incandescent) lamps does not comply; ``measured`` is its number of lamps. A premises
    with no lighting group declared is unknown: every premises is lit. Art. 19 grace
    applies to lighting that existed on the effective date.
    """
    if not in_force(params, on):
        return []
    groups = [group for group in facts.lighting if exists_on(group, on)]
    if not groups:
        return [
            settle(Finding("6-3", Outcome.UNKNOWN, "lighting.none_declared"), facts, params, on)
        ]
    return [
        settle(
            _lamp_finding("6-3", "lighting", group.tag, group.lamp_type, group.lamp_count),
            facts,
            params,
            on,
            item=group,
        )
        for group in groups
    ]


def check_7(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 7: advertising signboards use no incandescent (or halogen) lamps.

    No signboard declared: the article does not arise. Art. 19 grace applies to
    signboards that existed on the effective date.
    """
    if not in_force(params, on):
        return []
    return [
        settle(
            _lamp_finding("7", "signboard", board.tag, board.lamp_type, board.lamp_count),
            facts,
            params,
            on,
            item=board,
        )
        for board in facts.signboards
        if exists_on(board, on)
    ]
