"""The rule-book parameters: every number the ordinance delegates to an announcement.

Arts. 5-5, 6-1, 6-2, 5-3, 5-4, 8-1, 8-2 leave their numbers to the Ministry of Economic
Affairs (MOEA), the national standard CNS 12112 or the City; Arts. 10-4, 10-5, 12,
15-18, 19 and 20 leave the City its deadlines, targets, thresholds, penalty schedules
and dates. A :class:`RuleParameters` holds one published set; the Django side keeps the
effective-dated versions and converts rows to these types in ``compliance/rulebook/bridge.py``.
Tables are tuples of small row types (:mod:`compliance.rules.tables`), one row per
database row, so the bridge is a straight mapping.

:func:`initial_parameters` gives the starting values of ``spec/ordinance.md``. Values
the source does not give are marked "starting assumption" below: the administrator
must confirm or replace them before the first version is published.

Every field of :class:`RuleParameters` is declared once, here, with its article, kind,
bounds, unit and names (:mod:`compliance.rules.declarations`): validation checks the
values from it, and the portal builds the draft editor, the rule book page and the
explanations from it. Adding a parameter means adding its declared field and its
starting value here, plus the rule that reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from compliance.rules.declarations import Kind, Shown, declared, gettext_noop
from compliance.rules.tables import (
    EfficiencyStandard,
    EnergyUseThreshold,
    IlluminanceStandard,
    PenaltySchedule,
    RectificationPeriod,
    StatementPeriod,
)
from compliance.rules.vocabulary import (
    AcType,
    EfficiencyMetric,
    EnergyType,
    PremisesCategory,
    SpaceType,
)

# Names for the translation catalogue (makemessages extracts _(...)); see Declared.
_ = gettext_noop


@dataclass(frozen=True)
class InspectionTargetCriteria:
    """Art. 10-5: which premises are inspected, by industry type or energy-use scale.

    A premises is a target if its category is listed, or its floor area or monthly
    electricity use reaches the given minimum (None: that criterion is not used).
    """

    premises_categories: frozenset[str] = field(
        default=frozenset(),
        metadata=declared(
            Kind.CATEGORIES,
            "10-5",
            _("premises categories"),
            label=_("Premises categories inspected (Art. 10-5)"),
            shown_as=_("Premises categories"),
            vocabulary=PremisesCategory,
            vocabulary_kind="category",
        ),
    )
    min_floor_area_m2: Decimal | None = field(
        default=None,
        metadata=declared(
            Kind.DECIMAL,
            "10-5",
            _("minimum floor area (m²)"),
            label=_("Inspect from this floor area (m², Art. 10-5)"),
            help=_("Leave empty if floor area is not a criterion."),
            shown_as=_("From floor area"),
            unit="m²",
            optional=True,
        ),
    )
    min_monthly_electricity_kwh: Decimal | None = field(
        default=None,
        metadata=declared(
            Kind.DECIMAL,
            "10-5",
            _("minimum monthly electricity use (kWh)"),
            label=_("Inspect from this monthly electricity use (kWh, Art. 10-5)"),
            help=_("Leave empty if electricity use is not a criterion."),
            shown_as=_("From monthly electricity use"),
            unit="kWh",
            optional=True,
        ),
    )


@dataclass(frozen=True)
class RuleParameters:
    """One published set of every parameter in ``spec/ordinance.md``.

    Units are in the names. Thresholds are inclusive ("reaches" / "at least") unless a
    rule's docstring says otherwise.
    """

    # Art. 20: the day the ordinance took effect; Art. 19: the grace for existing equipment.
    effective_date: date = field(
        metadata=declared(
            Kind.DATE,
            "20",
            _("effective date"),
            label=_("Ordinance in force since (Art. 20)"),
            shown_as=_("Ordinance in force since"),
        )
    )
    grace_months: int = field(
        metadata=declared(
            Kind.WHOLE,
            "19",
            _("grace period (months)"),
            label=_("Grace for existing equipment (months, Art. 19)"),
            help=_(
                "Equipment that existed on the ordinance's effective date has this long to comply."
            ),
            shown_as=_("Grace for existing equipment"),
            shown=Shown.MONTHS,
            low=1,
            high=24,
        )
    )
    # Art. 5-5.
    indoor_temperature_floor_c: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "5-5",
            _("indoor temperature floor (°C)"),
            label=_("Indoor temperature floor (°C, Art. 5-5)"),
            help=_(
                "The average indoor temperature with air conditioning on must be at least this."
            ),
            shown_as=_("Floor"),
            unit="°C",
            low=Decimal(16),
            high=Decimal(30),
        )
    )
    temperature_exempt_categories: frozenset[str] = field(
        metadata=declared(
            Kind.CATEGORIES,
            "5-5",
            _("premises categories exempt from the temperature floor"),
            label=_("Premises categories exempt from the temperature floor (Art. 5-5)"),
            shown_as=_("Exempt premises categories"),
            vocabulary=PremisesCategory,
            vocabulary_kind="category",
        )
    )
    # Art. 6-1.
    arcade_switch_on_lux: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "6-1",
            _("daylight below which arcade lights may be on (lx)"),
            label=_("Arcade lights may be on below this daylight (lx, Art. 6-1)"),
            shown_as=_("Lights may be on below"),
            unit="lx",
        )
    )
    arcade_band_low_lux: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "6-1",
            _("arcade illuminance, low end (lx)"),
            label=_("Arcade illuminance when lit, from (lx)"),
            shown_as=_("Illuminance when lit"),
            unit="lx",
            up_to="arcade_band_high_lux",
        )
    )
    arcade_band_high_lux: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "6-1",
            _("arcade illuminance, high end (lx)"),
            label=_("Arcade illuminance when lit, up to (lx)"),
            unit="lx",
        )
    )
    arcade_measuring_height_cm: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "6-1",
            _("arcade measuring height (cm)"),
            label=_("Arcade measuring height above the floor (cm)"),
            shown_as=_("Measured at"),
            shown=Shown.ABOVE_ARCADE_FLOOR,
            unit="cm",
            low=Decimal(1),
            high=Decimal(300),
        )
    )
    # Art. 6-2 (CNS 12112): measuring heights and the table by space type.
    indoor_measuring_height_cm: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "6-2",
            _("indoor measuring height (cm)"),
            label=_("Indoor measuring height above the floor (cm, CNS 12112)"),
            unit="cm",
            low=Decimal(1),
            high=Decimal(300),
        )
    )
    seated_measuring_height_cm: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "6-2",
            _("measuring height for seated work (cm)"),
            label=_("Measuring height for seated work (cm, CNS 12112)"),
            unit="cm",
            low=Decimal(1),
            high=Decimal(300),
        )
    )
    illuminance_standards: tuple[IlluminanceStandard, ...] = field(
        metadata=declared(Kind.TABLE, "6-2", _("CNS 12112 illuminance standards"))
    )
    # Art. 5-4.
    efficiency_standards: tuple[EfficiencyStandard, ...] = field(
        metadata=declared(Kind.TABLE, "5-4", _("MOEA efficiency standards"))
    )
    # Art. 5-3, and how many past months an assessment looks at for missing logs (5-3, 8-2).
    chiller_threshold_hp: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "5-3",
            _("chiller capacity threshold (HP)"),
            label=_("Chiller capacity threshold (HP, Art. 5-3)"),
            help=_("From this total capacity a separate meter and monthly records are required."),
            shown_as=_("Chiller capacity threshold"),
            unit="HP",
        )
    )
    log_lookback_months: int = field(
        metadata=declared(
            Kind.WHOLE,
            "5-3",
            _("months of logs an assessment looks back"),
            label=_("Months of monthly logs an assessment checks (Arts. 5-3, 8-2)"),
            shown_as=_("Monthly logs checked"),
            shown=Shown.LAST_MONTHS,
            low=1,
            high=60,
        )
    )
    # Art. 8-1.
    boiler_steam_threshold_tph: Decimal = field(
        metadata=declared(
            Kind.DECIMAL,
            "8-1",
            _("boiler steam evaporation threshold (t/h)"),
            label=_("Boiler steam evaporation threshold (t/h, Art. 8-1)"),
            shown_as=_("Steam evaporation threshold"),
            unit="t/h",
        )
    )
    boiler_heat_input_threshold_kcal_h: int = field(
        metadata=declared(
            Kind.WHOLE,
            "8-1",
            _("boiler heat input threshold (kcal/h)"),
            label=_("Boiler heat input threshold (kcal/h, Art. 8-1)"),
            shown_as=_("Heat input threshold"),
            unit="kcal/h",
            low=1,
            high=1_000_000_000,
        )
    )
    # Art. 8-2.
    boiler_log_interval_months: int = field(
        metadata=declared(
            Kind.WHOLE,
            "8-2",
            _("boiler log interval (months)"),
            label=_("Boiler combustion log interval (months, Art. 8-2)"),
            shown_as=_("Combustion log every"),
            shown=Shown.MONTHS,
            low=1,
            high=12,
        )
    )
    # Art. 10-4 and the penalty articles.
    rectification_periods: tuple[RectificationPeriod, ...] = field(
        metadata=declared(Kind.TABLE, "10-4", _("rectification periods"))
    )
    penalty_schedules: tuple[PenaltySchedule, ...] = field(
        metadata=declared(Kind.TABLE, "15-18", _("penalty schedules"))
    )
    # APenA Art. 42: the articles whose cases get a period to state an opinion before a
    # fine (none by default: the Art. 42 exceptions apply).
    statement_periods: tuple[StatementPeriod, ...] = field(
        default=(), metadata=declared(Kind.TABLE, "42", _("periods to state an opinion"))
    )
    # Art. 12 and Art. 10-5.
    energy_use_thresholds: tuple[EnergyUseThreshold, ...] = field(
        default=(), metadata=declared(Kind.TABLE, "12", _("energy-use register thresholds"))
    )
    inspection_targets: InspectionTargetCriteria = field(
        default_factory=InspectionTargetCriteria,
        metadata=declared(Kind.CRITERIA, "10-5", _("inspection targets"), prefix="target_"),
    )

    def illuminance_standard_for(self, space_type: str) -> IlluminanceStandard | None:
        """Return the CNS 12112 row of a space type, or None if the table has none."""
        for row in self.illuminance_standards:
            if row.space_type == space_type:
                return row
        return None

    def efficiency_standard_for(
        self, ac_type: str, metric: str, capacity_kw: Decimal
    ) -> EfficiencyStandard | None:
        """Return the MOEA row for an AC type, metric and capacity, or None."""
        for row in self.efficiency_standards:
            if row.ac_type == ac_type and row.metric == metric and row.covers(capacity_kw):
                return row
        return None

    def rectification_days_for(self, article: str) -> int | None:
        """Return the days to rectify a violation of ``article``, or None if not set."""
        for row in self.rectification_periods:
            if row.article == article:
                return row.days
        return None

    def statement_days_for(self, article: str) -> int | None:
        """Return the days to state an opinion before a fine for ``article``, or None."""
        for row in self.statement_periods:
            if row.article == article:
                return row.days
        return None

    def penalty_schedule_for(self, penalty_article: str) -> tuple[int, ...] | None:
        """Return the amounts of a penalty article's schedule, or None if not set."""
        for row in self.penalty_schedules:
            if row.penalty_article == penalty_article:
                return row.amounts_ntd
        return None


# The parameters in force on a past date (None before the first version): Arts. 5-4 and
# 8-1 judge equipment by the standard in force when it was installed.
ParametersOn = Callable[[date], RuleParameters | None]


def _d(value: str) -> Decimal:
    return Decimal(value)


def _cns_rows() -> tuple[IlluminanceStandard, ...]:
    rows = [
        # From the source (Art. 6-2 explanation).
        (SpaceType.AUDITORIUM, "500", "750"),
        (SpaceType.RESTAURANT, "500", "750"),
        (SpaceType.SUPERMARKET_MAIN_DISPLAY, "1000", "3000"),
        (SpaceType.BOUTIQUE_FEATURE_WINDOW, "1500", "3000"),
        (SpaceType.RECREATION_ROOM, "200", "500"),
        # Starting assumptions, to be confirmed by the City against CNS 12112.
        (SpaceType.OFFICE, "300", "750"),
        (SpaceType.RETAIL_GENERAL, "500", "1000"),
        (SpaceType.CORRIDOR, "100", "200"),
        (SpaceType.WAREHOUSE, "100", "300"),
        (SpaceType.PRODUCTION, "300", "750"),
    ]
    return tuple(IlluminanceStandard(space, _d(low), _d(high)) for space, low, high in rows)


def _moea_rows() -> tuple[EfficiencyStandard, ...]:
    # Starting values modelled on the MOEA minimum energy performance standards, to be
    # published by the administrator from the Ministry's current announcement.
    rows = [
        (AcType.WINDOW, EfficiencyMetric.CSPF, "0", "2.2", "3.10"),
        (AcType.WINDOW, EfficiencyMetric.CSPF, "2.2", "3.6", "3.00"),
        (AcType.WINDOW, EfficiencyMetric.CSPF, "3.6", None, "2.90"),
        (AcType.WINDOW, EfficiencyMetric.EER, "0", None, "2.80"),
        (AcType.SPLIT, EfficiencyMetric.CSPF, "0", "4.0", "3.50"),
        (AcType.SPLIT, EfficiencyMetric.CSPF, "4.0", "7.1", "3.40"),
        (AcType.SPLIT, EfficiencyMetric.CSPF, "7.1", "71", "3.30"),
        (AcType.SPLIT, EfficiencyMetric.EER, "0", "7.1", "3.00"),
        (AcType.SPLIT, EfficiencyMetric.EER, "7.1", None, "2.80"),
        (AcType.MULTI_SPLIT, EfficiencyMetric.CSPF, "0", "7.1", "3.40"),
        (AcType.MULTI_SPLIT, EfficiencyMetric.CSPF, "7.1", "71", "3.20"),
        (AcType.MULTI_SPLIT, EfficiencyMetric.EER, "0", None, "2.90"),
        (AcType.PACKAGED, EfficiencyMetric.EER, "0", "35", "2.90"),
        (AcType.PACKAGED, EfficiencyMetric.EER, "35", None, "2.70"),
    ]
    return tuple(
        EfficiencyStandard(
            ac_type, metric, _d(low), None if high is None else _d(high), _d(minimum)
        )
        for ac_type, metric, low, high, minimum in rows
    )


# Starting assumptions: days to rectify, by article (the source leaves them to the City).
_RECTIFICATION_DAYS = {
    "5-1": 60,  # install an air curtain or automatic door
    "5-2": 14,  # clear what blocks a cooling tower or an air inlet
    "5-3": 60,  # install a meter, start the monthly records
    "5-4": 90,  # replace an AC unit
    "5-5": 14,  # set the thermostat
    "6-1": 30,
    "6-2": 30,
    "6-3": 60,  # relamp
    "7": 60,
    "8-1": 180,  # convert a boiler's fuel system
    "8-2": 30,
    "12": 30,  # an energy supplier provides the Art. 12 data (Art. 18)
}

# Starting assumptions inside the statutory ranges of Arts. 15-18 (NT$).
_PENALTY_AMOUNTS = {
    "15": (10_000, 20_000, 30_000),
    "16": (20_000, 35_000, 50_000),
    "17": (30_000, 40_000, 50_000),
    "18": (30_000, 40_000, 50_000),
}


def initial_parameters() -> RuleParameters:
    """Return the starting values of ``spec/ordinance.md`` (the first rule-book version).

    The effective date is a placeholder (the promulgation date of Art. 20 is not in the
    source); the administrator sets it before publishing.
    """
    return RuleParameters(
        effective_date=date(2025, 1, 1),  # placeholder: Art. 20 promulgation date
        grace_months=6,  # Art. 19
        indoor_temperature_floor_c=_d("26"),
        temperature_exempt_categories=frozenset(
            {PremisesCategory.SUPERMARKET_FRESH_FOOD, PremisesCategory.COLD_STORAGE}
        ),
        arcade_switch_on_lux=_d("100"),
        arcade_band_low_lux=_d("100"),
        arcade_band_high_lux=_d("300"),
        arcade_measuring_height_cm=_d("18"),
        indoor_measuring_height_cm=_d("85"),
        seated_measuring_height_cm=_d("40"),
        illuminance_standards=_cns_rows(),
        efficiency_standards=_moea_rows(),
        chiller_threshold_hp=_d("100"),
        log_lookback_months=12,  # starting assumption
        boiler_steam_threshold_tph=_d("2"),
        boiler_heat_input_threshold_kcal_h=1_530_000,
        boiler_log_interval_months=1,
        rectification_periods=tuple(
            RectificationPeriod(article, days) for article, days in _RECTIFICATION_DAYS.items()
        ),
        penalty_schedules=tuple(
            PenaltySchedule(article, amounts) for article, amounts in _PENALTY_AMOUNTS.items()
        ),
        # Starting assumptions: Art. 12 leaves the amounts to the City.
        energy_use_thresholds=(
            EnergyUseThreshold(EnergyType.ELECTRICITY, _d("50000"), "kwh"),
            EnergyUseThreshold(EnergyType.NATURAL_GAS, _d("10000"), "m3"),
            EnergyUseThreshold(EnergyType.LPG, _d("5000"), "kg"),
            EnergyUseThreshold(EnergyType.FUEL_OIL, _d("10000"), "l"),
        ),
        # Starting assumptions: Art. 10-5 leaves the targets to the City.
        inspection_targets=InspectionTargetCriteria(
            premises_categories=frozenset(
                {
                    PremisesCategory.DEPARTMENT_STORE,
                    PremisesCategory.SUPERMARKET,
                    PremisesCategory.HOTEL,
                    PremisesCategory.OFFICE_BUILDING,
                }
            ),
            min_floor_area_m2=_d("1000"),
            min_monthly_electricity_kwh=_d("50000"),
        ),
    )
