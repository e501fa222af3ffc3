"""Translatable twins of the rule engine's messages, and the labels their values need.

Every table has exactly the keys of its counterpart in ``compliance.rules.messages``,
and every English msgid is the engine's own text with the same ``{placeholders}``;
tests/compliance/test_explain.py keeps them in step. The strings are filled with
``str.format`` after translation (see :mod:`compliance.rulebook.explain`), so a translation must
keep every placeholder and may move it.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from compliance.rules.declarations import declarations
from compliance.rules.params import InspectionTargetCriteria, RuleParameters

# compliance.rules.messages.FINDING_MESSAGES.
FINDING_TEXT: dict[str, Promise] = {
    # Translators: {article} is the article as the language cites it: "5-2" in English (after
    # "Art."), the full 第5條第2款 in Chinese.
    "inspection.none": _("Art. {article}: no inspection on record has measured this yet."),
    # Translators: {subject} is an equipment tag; {article} as in "inspection.none" (English
    # "5-1", Chinese 第5條第1款).
    "art19_grace.undetermined": _(
        "{subject} does not comply with Art. {article}; whether it existed when the "
        "ordinance took effect, and so is within the Art. 19 grace, is not recorded."
    ),
    "entrance.none_declared": _("No entrance is declared for this premises."),
    # Translators: {measured} is the air barrier's label (automatic door, air curtain).
    "entrance.air_barrier": _("Entrance {subject} has an air barrier ({measured})."),
    "entrance.no_air_barrier": _(
        "Entrance {subject} has neither an automatic door nor an air curtain."
    ),
    "entrance.air_barrier_unknown": _("The air barrier of entrance {subject} is not recorded."),
    "obstruction.not_recorded": _(
        "The inspection did not record whether cooling towers or air inlets and outlets "
        "are blocked."
    ),
    "obstruction.found": _("Cooling towers or air-conditioning inlets or outlets are blocked."),
    "obstruction.none": _("Cooling towers and air-conditioning inlets and outlets are clear."),
    "chiller.capacity_unknown": _(
        "The non-production chillers known total {measured} HP, below the threshold of "
        "{limit} HP, but the capacity or use of {detail} is not recorded."
    ),
    "chiller.production_use_unknown": _(
        "Chiller {subject}: whether it serves production is not recorded (the central air "
        "conditioning totals {measured} HP, threshold {limit} HP)."
    ),
    "chiller.meter_unknown": _(
        "Chiller {subject}: whether a separate AC electricity meter is installed is not "
        "recorded (central air conditioning of {measured} HP, threshold {limit} HP)."
    ),
    "chiller.meter_installed": _("Chiller {subject} has a separate AC electricity meter."),
    "chiller.meter_missing": _(
        "Chiller {subject} has no separate AC electricity meter, required from {limit} HP "
        "of central air conditioning ({measured} HP here)."
    ),
    "chiller_log.start_unknown": _(
        "Chiller {subject}: neither its installation nor its declaration date is recorded, "
        "so the months its records are due from are unknown."
    ),
    "chiller_log.kept": _(
        "Chiller {subject}: a complete monthly record for all {limit} months due."
    ),
    # Translators: {detail} lists the months without a record, e.g. "2025-07, 2025-08".
    "chiller_log.missing": _(
        "Chiller {subject}: complete monthly records (electricity use, maintenance done) "
        "for {measured} of {limit} months due; missing: {detail}."
    ),
    # Translators: {unit} is EER or CSPF; {detail} is the capacity band, e.g. "split type CSPF,
    # 4.0-7.1 kW".
    "ac_efficiency.meets": _(
        "AC unit {subject}: {unit} {measured} meets the minimum of {limit} ({detail})."
    ),
    "ac_efficiency.below_minimum": _(
        "AC unit {subject}: {unit} {measured} is below the minimum of {limit} ({detail})."
    ),
    "ac_efficiency.installation_unknown": _(
        "AC unit {subject}: {unit} {measured} is below the minimum of {limit}, but its "
        "installation date (and so whether Art. 5-4 applies) is not recorded."
    ),
    "ac_efficiency.no_standard": _(
        "AC unit {subject}: the rule book has no minimum efficiency for its type, metric "
        "and capacity."
    ),
    "ac_efficiency.data_missing": _(
        "AC unit {subject}: its type, capacity or efficiency is not recorded."
    ),
    "indoor_temperature.not_measured": _(
        "The inspection measured no indoor temperature with the air conditioning on."
    ),
    "indoor_temperature.at_or_above_floor": _(
        "Average indoor temperature {measured} °C (points measured: {detail}) is at or above "
        "{limit} °C."
    ),
    "indoor_temperature.below_floor": _(
        "Average indoor temperature {measured} °C (points measured: {detail}) is below {limit} °C."
    ),
    "indoor_temperature.category_unknown": _(
        "Average indoor temperature {measured} °C is below {limit} °C, and the premises "
        "category (which may be exempt) is not recorded."
    ),
    "arcade.unknown": _("Whether the premises has an arcade is not recorded."),
    "arcade.not_measured": _("The inspection measured no arcade illuminance."),
    "arcade.lights_unknown": _(
        "Arcade point {subject}: whether the lights were on is not recorded."
    ),
    "arcade.lights_off": _("Arcade point {subject}: the lights were off."),
    "arcade.daylight_not_measured": _(
        "Arcade point {subject}: the lights were on, but the daylight illuminance was not measured."
    ),
    "arcade.lit_in_daylight": _(
        "Arcade point {subject}: the lights were on with {measured} lx of daylight; they "
        "may be on only below {limit} lx."
    ),
    "arcade.lit_after_dark": _(
        "Arcade point {subject}: the lights were on with {measured} lx of daylight, below "
        "{limit} lx."
    ),
    "arcade.lit_not_measured": _(
        "Arcade point {subject}: the illuminance with the lights on was not measured."
    ),
    "arcade.lit_within_band": _("Arcade point {subject}: {measured} lx lit, within {limit} lx."),
    "arcade.lit_outside_band": _("Arcade point {subject}: {measured} lx lit, outside {limit} lx."),
    "illuminance.not_measured": _("The inspection measured no indoor illuminance."),
    "illuminance.not_recorded": _("Point {subject}: no illuminance value is recorded."),
    "illuminance.no_standard": _(
        "Point {subject}: the rule book has no CNS 12112 row for the space type '{detail}'."
    ),
    # Translators: {detail} is the space type's label.
    "illuminance.within_standard": _(
        "Point {subject} ({detail}): {measured} lx, within the upper bound of {limit} lx."
    ),
    "illuminance.above_standard": _(
        "Point {subject} ({detail}): {measured} lx exceeds the upper bound of {limit} lx."
    ),
    "lighting.none_declared": _("No lighting group is declared for this premises."),
    "lighting.lamp_type_unknown": _("Lighting group {subject}: the lamp type is not recorded."),
    # Translators: {measured} is a number of lamps; {detail} the lamp type's label.
    "lighting.incandescent": _(
        "Lighting group {subject} uses {measured} incandescent lamps ({detail})."
    ),
    "lighting.no_incandescent": _("Lighting group {subject} uses no incandescent lamps."),
    "signboard.lamp_type_unknown": _("Signboard {subject}: the lamp type is not recorded."),
    "signboard.incandescent": _("Signboard {subject} uses incandescent lamps ({detail})."),
    "signboard.no_incandescent": _("Signboard {subject} uses no incandescent lamps."),
    "boiler.natural_gas": _("Boiler {subject} ({detail}) burns natural gas."),
    "boiler.scope_unknown": _(
        "Boiler {subject} does not burn natural gas, and its installation date or size "
        "(and so whether Art. 8-1 applies) is not recorded."
    ),
    "boiler.fuel_unknown": _("Boiler {subject} ({detail}): the fuel is not recorded."),
    # Translators: {measured} is the fuel's label; {detail} the boiler's size, e.g. "2.5 t/h".
    "boiler.not_natural_gas": _(
        "Boiler {subject} ({detail}) burns {measured}; a boiler of this size installed "
        "since the ordinance took effect must burn natural gas."
    ),
    "boiler.standby_unknown": _(
        "Boiler {subject} ({detail}) burns {measured}; whether it is an emergency standby "
        "boiler (exempt) is not recorded."
    ),
    "boiler_log.start_unknown": _(
        "Boiler {subject}: neither its installation nor its declaration date is recorded, "
        "so the periods its records are due from are unknown."
    ),
    "boiler_log.kept": _("Boiler {subject}: a complete check record in all {limit} periods due."),
    "boiler_log.missing": _(
        "Boiler {subject}: complete check records in {measured} of {limit} periods due; "
        "missing: {detail}."
    ),
    "after_hours.not_recorded": _(
        "The inspection did not record whether equipment was left on after hours."
    ),
    "after_hours.equipment_on": _("Non-essential equipment was left on after hours."),
    "after_hours.switched_off": _("Non-essential equipment was switched off after hours."),
    "inspection.refusal_not_recorded": _("Whether the inspection was admitted is not recorded."),
    "inspection.refused": _("The inspection was evaded, obstructed or refused."),
    "inspection.admitted": _("The inspection was admitted."),
}

# compliance.rules.messages.EXEMPTION_MESSAGES.
EXEMPTION_TEXT: dict[str, Promise] = {
    # Translators: {exemption_until} is a date (YYYY-MM-DD); {exemption_detail} e.g. "existed
    # before 2025-01-01".
    "art19_grace": _(
        "Within the Art. 19 grace period until {exemption_until} ({exemption_detail})."
    ),
    # Translators: {exemption_detail} is the premises category's label.
    "premises_category": _("Exempt: premises category {exemption_detail} (Art. 5-5)."),
    "standby_boiler": _("Exempt: emergency standby boiler (Art. 8-1)."),
    # Translators: {exemption_detail} is the grant's reason, with its reference in brackets.
    "grant": _("Exempt by an individual grant: {exemption_detail}."),
}

# compliance.rules.messages.PARAMETER_MESSAGES.
PARAMETER_TEXT: dict[str, Promise] = {
    # Translators: {field} is the parameter's name, e.g. "MOEA efficiency standards, row 4:
    # capacity from (kW)".
    "not_a_date": _("{field} must be a date."),
    "not_whole_number": _("{field} must be a whole number, not {value}."),
    "not_decimal": _("{field} must be an exact decimal number, not {value}."),
    "out_of_range": _("{field} is {value}; it must lie between {low} and {high}."),
    "not_positive": _("{field} is {value}; it must be greater than zero."),
    "band_inverted": _("{field}: the low end {low} must be below the high end {high}."),
    "range_inverted": _("{field}: the lower bound {low} must not exceed the upper bound {high}."),
    # Translators: {kind} is what the value should be, e.g. "space type".
    "unknown_value": _("{field}: '{value}' is not a known {kind}."),
    "duplicate_row": _("{field}: '{value}' appears more than once."),
    "missing_row": _("{field}: there is no row for '{value}'."),
    # Translators: {group} is an air-conditioner type and metric, e.g. "split type CSPF".
    "band_gap": _("{field}: the bands of {group} leave {gap_from}-{gap_to} kW uncovered."),
    "band_overlap": _("{field}: the bands {band} and {other} overlap."),
    "lookback_shorter_than_interval": _(
        "{field} ({value} months) must be at least the boiler log interval ({interval} months)."
    ),
    "required": _("{field} is required."),
    "penalty_article_unknown": _("{field}: Art. {article} is not a penalty article (15-18)."),
    "penalty_schedule_empty": _("{field}: the schedule of Art. {article} has no amounts."),
    "penalty_amount_not_whole": _(
        "{field}: Art. {article}, offence {position}: {value} is not a whole amount of NT$."
    ),
    "penalty_amount_out_of_range": _(
        "{field}: Art. {article}, offence {position}: NT${value} is outside the statutory "
        "range NT${low}-NT${high}."
    ),
    "penalty_schedule_decreasing": _(
        "{field}: the amounts of Art. {article} must not decrease from one offence to the "
        "next ({value})."
    ),
    "statement_article_not_rectifiable": _(
        "{field}: Art. {value} is not an article whose violations get a deadline to "
        "rectify; a period to state an opinion (APenA Art. 42) can only be set for one."
    ),
}
# How a page names an outcome (the same msgids as compliance.choices.ComplianceOutcome).
OUTCOME_LABELS: dict[str, Promise] = {
    "compliant": _("Compliant"),
    "non_compliant": _("Non-compliant"),
    "unknown": _("Unknown (data missing)"),
}

# The reasons of an individual grant (the same msgids as compliance.choices.ExemptionReason).
GRANT_REASONS: dict[str, Promise] = {
    "gas_supply_insufficient": _("Natural gas supply insufficient"),
    "emergency_standby": _("Emergency standby equipment"),
    "technical_impossibility": _("Technically impossible"),
    "other": _("Other"),
}

# What a value of a parameter error's {kind} names (compliance.rules.validation).
PARAMETER_KINDS: dict[str, Promise] = {
    "article": _("article"),
    "category": _("premises category"),
    "energy type": _("energy type"),
    "space type": _("space type"),
    "air-conditioner type": _("air-conditioner type"),
    "efficiency metric": _("efficiency metric"),
}

# The names of compliance.rules.params.RuleParameters (declared with each field) and of
# its table rows' fields.
PARAMETER_FIELDS: dict[str, Promise] = {
    **{
        name: _(declared.name)
        for owner in (RuleParameters, InspectionTargetCriteria)
        for name, declared in declarations(owner)
    },
    "space_type": _("space type"),
    "lower_lux": _("lower bound (lx)"),
    "upper_lux": _("upper bound (lx)"),
    "ac_type": _("air-conditioner type"),
    "metric": _("efficiency metric"),
    "min_kw": _("capacity from (kW)"),
    "max_kw": _("capacity below (kW)"),
    "minimum": _("minimum efficiency"),
    "article": _("article"),
    "days": _("days"),
    "penalty_article": _("penalty article"),
    "amounts_ntd": _("amounts (NT$)"),
    "schedule": _("schedule"),
    "energy_type": _("energy type"),
    "monthly_amount": _("monthly amount"),
    "unit": _("unit"),
}
