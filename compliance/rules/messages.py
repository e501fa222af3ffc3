"""Default English messages, keyed by the engine's stable message keys.

The Django side marks these strings for translation and fills them with
``str.format``: finding templates with :meth:`Finding.message_values`, parameter
templates with :attr:`ParameterError.values`. Keys never change meaning; a new wording
is a new string under the same key, a new meaning a new key.
"""

from __future__ import annotations

from collections.abc import Mapping

from compliance.rules.types import Finding

FINDING_MESSAGES: dict[str, str] = {
    # Shared.
    "inspection.none": "Art. {article}: no inspection on record has measured this yet.",
    "art19_grace.undetermined": (
        "{subject} does not comply with Art. {article}; whether it existed when the "
        "ordinance took effect, and so is within the Art. 19 grace, is not recorded."
    ),
    # Art. 5-1.
    "entrance.none_declared": "No entrance is declared for this premises.",
    "entrance.air_barrier": "Entrance {subject} has an air barrier ({measured}).",
    "entrance.no_air_barrier": (
        "Entrance {subject} has neither an automatic door nor an air curtain."
    ),
    "entrance.air_barrier_unknown": "The air barrier of entrance {subject} is not recorded.",
    # Art. 5-2.
    "obstruction.not_recorded": (
        "The inspection did not record whether cooling towers or air inlets and outlets "
        "are blocked."
    ),
    "obstruction.found": "Cooling towers or air-conditioning inlets or outlets are blocked.",
    "obstruction.none": "Cooling towers and air-conditioning inlets and outlets are clear.",
    # Art. 5-3.
    "chiller.capacity_unknown": (
        "The non-production chillers known total {measured} HP, below the threshold of "
        "{limit} HP, but the capacity or use of {detail} is not recorded."
    ),
    "chiller.production_use_unknown": (
        "Chiller {subject}: whether it serves production is not recorded (the central "
        "air conditioning totals {measured} HP, threshold {limit} HP)."
    ),
    "chiller.meter_unknown": (
        "Chiller {subject}: whether a separate AC electricity meter is installed is not "
        "recorded (central air conditioning of {measured} HP, threshold {limit} HP)."
    ),
    "chiller.meter_installed": "Chiller {subject} has a separate AC electricity meter.",
    "chiller.meter_missing": (
        "Chiller {subject} has no separate AC electricity meter, required from {limit} HP "
        "of central air conditioning ({measured} HP here)."
    ),
    "chiller_log.start_unknown": (
        "Chiller {subject}: neither its installation nor its declaration date is recorded, "
        "so the months its records are due from are unknown."
    ),
    "chiller_log.kept": "Chiller {subject}: a complete monthly record for all {limit} months due.",
    "chiller_log.missing": (
        "Chiller {subject}: complete monthly records (electricity use, maintenance done) "
        "for {measured} of {limit} months due; missing: {detail}."
    ),
    # Art. 5-4.
    "ac_efficiency.meets": (
        "AC unit {subject}: {unit} {measured} meets the minimum of {limit} ({detail})."
    ),
    "ac_efficiency.below_minimum": (
        "AC unit {subject}: {unit} {measured} is below the minimum of {limit} ({detail})."
    ),
    "ac_efficiency.installation_unknown": (
        "AC unit {subject}: {unit} {measured} is below the minimum of {limit}, but its "
        "installation date (and so whether Art. 5-4 applies) is not recorded."
    ),
    "ac_efficiency.no_standard": (
        "AC unit {subject}: the rule book has no minimum efficiency for its type, metric "
        "and capacity."
    ),
    "ac_efficiency.data_missing": (
        "AC unit {subject}: its type, capacity or efficiency is not recorded."
    ),
    # Art. 5-5.
    "indoor_temperature.not_measured": (
        "The inspection measured no indoor temperature with the air conditioning on."
    ),
    "indoor_temperature.at_or_above_floor": (
        "Average indoor temperature {measured} °C (points measured: {detail}) is at or above "
        "{limit} °C."
    ),
    "indoor_temperature.below_floor": (
        "Average indoor temperature {measured} °C (points measured: {detail}) is below {limit} °C."
    ),
    "indoor_temperature.category_unknown": (
        "Average indoor temperature {measured} °C is below {limit} °C, and the premises "
        "category (which may be exempt) is not recorded."
    ),
    # Art. 6-1.
    "arcade.unknown": "Whether the premises has an arcade is not recorded.",
    "arcade.not_measured": "The inspection measured no arcade illuminance.",
    "arcade.lights_unknown": "Arcade point {subject}: whether the lights were on is not recorded.",
    "arcade.lights_off": "Arcade point {subject}: the lights were off.",
    "arcade.daylight_not_measured": (
        "Arcade point {subject}: the lights were on, but the daylight illuminance was not measured."
    ),
    "arcade.lit_in_daylight": (
        "Arcade point {subject}: the lights were on with {measured} lx of daylight; they "
        "may be on only below {limit} lx."
    ),
    "arcade.lit_after_dark": (
        "Arcade point {subject}: the lights were on with {measured} lx of daylight, below "
        "{limit} lx."
    ),
    "arcade.lit_not_measured": (
        "Arcade point {subject}: the illuminance with the lights on was not measured."
    ),
    "arcade.lit_within_band": "Arcade point {subject}: {measured} lx lit, within {limit} lx.",
    "arcade.lit_outside_band": "Arcade point {subject}: {measured} lx lit, outside {limit} lx.",
    # Art. 6-2.
    "illuminance.not_measured": "The inspection measured no indoor illuminance.",
    "illuminance.not_recorded": "Point {subject}: no illuminance value is recorded.",
    "illuminance.no_standard": (
        "Point {subject}: the rule book has no CNS 12112 row for the space type '{detail}'."
    ),
    "illuminance.within_standard": (
        "Point {subject} ({detail}): {measured} lx, within the upper bound of {limit} lx."
    ),
    "illuminance.above_standard": (
        "Point {subject} ({detail}): {measured} lx exceeds the upper bound of {limit} lx."
    ),
    # Art. 6-3.
    "lighting.none_declared": "No lighting group is declared for this premises.",
    "lighting.lamp_type_unknown": "Lighting group {subject}: the lamp type is not recorded.",
    "lighting.incandescent": (
        "Lighting group {subject} uses {measured} incandescent lamps ({detail})."
    ),
    "lighting.no_incandescent": "Lighting group {subject} uses no incandescent lamps.",
    # Art. 7.
    "signboard.lamp_type_unknown": "Signboard {subject}: the lamp type is not recorded.",
    "signboard.incandescent": "Signboard {subject} uses incandescent lamps ({detail}).",
    "signboard.no_incandescent": "Signboard {subject} uses no incandescent lamps.",
    # Art. 8-1.
    "boiler.natural_gas": "Boiler {subject} ({detail}) burns natural gas.",
    "boiler.scope_unknown": (
        "Boiler {subject} does not burn natural gas, and its installation date or size "
        "(and so whether Art. 8-1 applies) is not recorded."
    ),
    "boiler.fuel_unknown": "Boiler {subject} ({detail}): the fuel is not recorded.",
    "boiler.not_natural_gas": (
        "Boiler {subject} ({detail}) burns {measured}; a boiler of this size installed "
        "since the ordinance took effect must burn natural gas."
    ),
    "boiler.standby_unknown": (
        "Boiler {subject} ({detail}) burns {measured}; whether it is an emergency standby "
        "boiler (exempt) is not recorded."
    ),
    # Art. 8-2.
    "boiler_log.start_unknown": (
        "Boiler {subject}: neither its installation nor its declaration date is recorded, "
        "so the periods its records are due from are unknown."
    ),
    "boiler_log.kept": "Boiler {subject}: a complete check record in all {limit} periods due.",
    "boiler_log.missing": (
        "Boiler {subject}: complete check records in {measured} of {limit} periods due; "
        "missing: {detail}."
    ),
    # Art. 9.
    "after_hours.not_recorded": (
        "The inspection did not record whether equipment was left on after hours."
    ),
    "after_hours.equipment_on": "Non-essential equipment was left on after hours.",
    "after_hours.switched_off": "Non-essential equipment was switched off after hours.",
    # Art. 10-1.
    "inspection.refusal_not_recorded": ("Whether the inspection was admitted is not recorded."),
    "inspection.refused": "The inspection was evaded, obstructed or refused.",
    "inspection.admitted": "The inspection was admitted.",
}

# How a page names the exemption applied to a finding (``Finding.exemption``).
EXEMPTION_MESSAGES: dict[str, str] = {
    "art19_grace": "Within the Art. 19 grace period until {exemption_until} ({exemption_detail}).",
    "premises_category": "Exempt: premises category {exemption_detail} (Art. 5-5).",
    "standby_boiler": "Exempt: emergency standby boiler (Art. 8-1).",
    "grant": "Exempt by an individual grant: {exemption_detail}.",
}

PARAMETER_MESSAGES: dict[str, str] = {
    "not_a_date": "{field} must be a date.",
    "not_whole_number": "{field} must be a whole number, not {value}.",
    "not_decimal": "{field} must be an exact decimal number, not {value}.",
    "out_of_range": "{field} is {value}; it must lie between {low} and {high}.",
    "not_positive": "{field} is {value}; it must be greater than zero.",
    "band_inverted": "{field}: the low end {low} must be below the high end {high}.",
    "range_inverted": "{field}: the lower bound {low} must not exceed the upper bound {high}.",
    "unknown_value": "{field}: '{value}' is not a known {kind}.",
    "duplicate_row": "{field}: '{value}' appears more than once.",
    "missing_row": "{field}: there is no row for '{value}'.",
    "band_gap": "{field}: the bands of {group} leave {gap_from}-{gap_to} kW uncovered.",
    "band_overlap": "{field}: the bands {band} and {other} overlap.",
    "lookback_shorter_than_interval": (
        "{field} ({value} months) must be at least the boiler log interval ({interval} months)."
    ),
    "required": "{field} is required.",
    "penalty_article_unknown": "{field}: Art. {article} is not a penalty article (15-18).",
    "penalty_schedule_empty": "{field}: the schedule of Art. {article} has no amounts.",
    "penalty_amount_not_whole": (
        "{field}: Art. {article}, offence {position}: {value} is not a whole amount of NT$."
    ),
    "penalty_amount_out_of_range": (
        "{field}: Art. {article}, offence {position}: NT${value} is outside the statutory "
        "range NT${low}-NT${high}."
    ),
    "penalty_schedule_decreasing": (
        "{field}: the amounts of Art. {article} must not decrease from one offence to the "
        "next ({value})."
    ),
    "statement_article_not_rectifiable": (
        "{field}: Art. {value} is not an article whose violations get a deadline to "
        "rectify; a period to state an opinion (APenA Art. 42) can only be set for one."
    ),
}


def render_finding(finding: Finding, templates: Mapping[str, str] = FINDING_MESSAGES) -> str:
    """Return a finding's message in English, with its exemption if one applied."""
    values = finding.message_values()
    text = templates[finding.message_key].format(**values)
    if finding.exemption is not None:
        text = f"{text} {EXEMPTION_MESSAGES[finding.exemption].format(**values)}"
    return text


def render_parameter_message(message_key: str, values: Mapping[str, str]) -> str:
    """Return a parameter error's message in English."""
    return PARAMETER_MESSAGES[message_key].format(**values)
