"""Validate rule-book parameters before they are published (issue: rule book versions).

Every problem is reported, not only the first, each naming its field (table rows by
index) with a stable message key. A set with any error must not be published.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from compliance.rules.declarations import Kind, declarations
from compliance.rules.messages import render_parameter_message
from compliance.rules.params import EfficiencyStandard, RuleParameters
from compliance.rules.penalties import (
    RECTIFIABLE_ARTICLES,
    STATUTORY_FINE_RANGE_NTD,
    schedule_problems,
)
from compliance.rules.types import ParameterError
from compliance.rules.vocabulary import (
    AcType,
    EfficiencyMetric,
    EnergyType,
    SpaceType,
)

_ZERO = Decimal(0)


class _Errors:
    def __init__(self) -> None:
        self.items: list[ParameterError] = []

    def add(self, field: str, key: str, **values: object) -> None:
        text = {"field": field, **{name: str(value) for name, value in values.items()}}
        self.items.append(
            ParameterError(
                field=field,
                message_key=key,
                detail=render_parameter_message(key, text),
                values=tuple(sorted(text.items())),
            )
        )

    def decimal(
        self,
        field: str,
        value: object,
        low: Decimal | None = None,
        high: Decimal | None = None,
    ) -> bool:
        """Check an exact, finite Decimal, > 0 without bounds, else in [low, high]."""
        if not isinstance(value, Decimal) or not value.is_finite():
            self.add(field, "not_decimal", value=value)
            return False
        if low is None or high is None:
            if value <= _ZERO:
                self.add(field, "not_positive", value=value)
                return False
        elif not low <= value <= high:
            self.add(field, "out_of_range", value=value, low=low, high=high)
            return False
        return True

    def whole(self, field: str, value: object, low: int, high: int) -> bool:
        """Check a whole number in [low, high]."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(field, "not_whole_number", value=value)
            return False
        if not low <= value <= high:
            self.add(field, "out_of_range", value=value, low=low, high=high)
            return False
        return True

    def member(self, field: str, value: object, vocabulary: type[StrEnum], kind: str) -> bool:
        if value not in set(vocabulary):
            self.add(field, "unknown_value", value=value, kind=kind)
            return False
        return True


def _check_declared(values: object, errors: _Errors, path: str = "") -> None:
    """Check every declared value of ``values`` (a dataclass) against its declaration."""
    for name, declared in declarations(type(values)):
        field, value = f"{path}{name}", getattr(values, name)
        if declared.kind is Kind.DATE:
            if not isinstance(value, date) or isinstance(value, datetime):
                errors.add(field, "not_a_date")
        elif declared.kind is Kind.WHOLE:
            errors.whole(field, value, declared.low, declared.high)
        elif declared.kind is Kind.DECIMAL:
            if value is not None or not declared.optional:
                errors.decimal(field, value, declared.low, declared.high)
        elif declared.kind is Kind.CATEGORIES:
            for index, code in enumerate(sorted(value)):
                errors.member(
                    f"{field}[{index}]", code, declared.vocabulary, declared.vocabulary_kind
                )


def _check_scalars(params: RuleParameters, errors: _Errors) -> None:
    before = len(errors.items)
    _check_declared(params, errors)
    failed = {error.field for error in errors.items[before:]}
    # Relations between values, once each value is valid by itself.
    if (
        not failed & {"arcade_band_low_lux", "arcade_band_high_lux"}
        and params.arcade_band_low_lux >= params.arcade_band_high_lux
    ):
        errors.add(
            "arcade_band_high_lux",
            "band_inverted",
            low=params.arcade_band_low_lux,
            high=params.arcade_band_high_lux,
        )
    if (
        not failed & {"boiler_log_interval_months", "log_lookback_months"}
        and params.log_lookback_months < params.boiler_log_interval_months
    ):
        errors.add(
            "log_lookback_months",
            "lookback_shorter_than_interval",
            value=params.log_lookback_months,
            interval=params.boiler_log_interval_months,
        )


def _check_illuminance(params: RuleParameters, errors: _Errors) -> None:
    seen: set[str] = set()
    for index, row in enumerate(params.illuminance_standards):
        field = f"illuminance_standards[{index}]"
        if errors.member(f"{field}.space_type", row.space_type, SpaceType, "space type"):
            if row.space_type in seen:
                errors.add(f"{field}.space_type", "duplicate_row", value=row.space_type)
            seen.add(row.space_type)
        low_ok = errors.decimal(f"{field}.lower_lux", row.lower_lux)
        high_ok = errors.decimal(f"{field}.upper_lux", row.upper_lux)
        if low_ok and high_ok and row.lower_lux > row.upper_lux:
            errors.add(field, "range_inverted", low=row.lower_lux, high=row.upper_lux)


def _efficiency_row_ok(field: str, row: EfficiencyStandard, errors: _Errors) -> bool:
    ok = errors.member(f"{field}.ac_type", row.ac_type, AcType, "air-conditioner type")
    ok &= errors.member(f"{field}.metric", row.metric, EfficiencyMetric, "efficiency metric")
    ok &= errors.decimal(f"{field}.minimum", row.minimum, Decimal("0.01"), Decimal(12))
    if not isinstance(row.min_kw, Decimal) or not row.min_kw.is_finite() or row.min_kw < _ZERO:
        errors.add(f"{field}.min_kw", "out_of_range", value=row.min_kw, low=0, high="-")
        return False
    if row.max_kw is not None:
        if not errors.decimal(f"{field}.max_kw", row.max_kw):
            return False
        if row.max_kw <= row.min_kw:
            errors.add(field, "band_inverted", low=row.min_kw, high=row.max_kw)
            return False
    return ok


def _check_efficiency(params: RuleParameters, errors: _Errors) -> None:
    groups: dict[tuple[str, str], list[tuple[int, EfficiencyStandard]]] = defaultdict(list)
    for index, row in enumerate(params.efficiency_standards):
        if _efficiency_row_ok(f"efficiency_standards[{index}]", row, errors):
            groups[(row.ac_type, row.metric)].append((index, row))
    for (ac_type, metric), rows in groups.items():
        group = f"{ac_type}/{metric}"
        rows.sort(key=lambda item: item[1].min_kw)
        first_index, first = rows[0]
        if first.min_kw != _ZERO:
            errors.add(
                f"efficiency_standards[{first_index}]",
                "band_gap",
                group=group,
                gap_from=_ZERO,
                gap_to=first.min_kw,
            )
        for (_, previous), (index, row) in pairwise(rows):
            field = f"efficiency_standards[{index}]"
            if previous.max_kw is None or row.min_kw < previous.max_kw:
                errors.add(
                    field, "band_overlap", band=previous.band_label(), other=row.band_label()
                )
            elif row.min_kw > previous.max_kw:
                errors.add(
                    field, "band_gap", group=group, gap_from=previous.max_kw, gap_to=row.min_kw
                )


def _check_rectification(params: RuleParameters, errors: _Errors) -> None:
    seen: set[str] = set()
    for index, row in enumerate(params.rectification_periods):
        field = f"rectification_periods[{index}]"
        if row.article not in RECTIFIABLE_ARTICLES:
            errors.add(f"{field}.article", "unknown_value", value=row.article, kind="article")
        elif row.article in seen:
            errors.add(f"{field}.article", "duplicate_row", value=row.article)
        seen.add(row.article)
        errors.whole(f"{field}.days", row.days, 1, 365)
    for article in RECTIFIABLE_ARTICLES:
        if article not in seen:
            errors.add("rectification_periods", "missing_row", value=article)


# APenA Art. 42: at most this many days to state an opinion before a fine.
STATEMENT_DAYS_RANGE = (1, 60)


def _check_statement(params: RuleParameters, errors: _Errors) -> None:
    """APenA Art. 42: a period for a rectifiable article, once each, of 1 to 60 days."""
    seen: set[str] = set()
    for index, row in enumerate(params.statement_periods):
        field = f"statement_periods[{index}]"
        if row.article not in RECTIFIABLE_ARTICLES:
            errors.add(f"{field}.article", "statement_article_not_rectifiable", value=row.article)
        elif row.article in seen:
            errors.add(f"{field}.article", "duplicate_row", value=row.article)
        seen.add(row.article)
        errors.whole(f"{field}.days", row.days, *STATEMENT_DAYS_RANGE)


def _check_penalties(params: RuleParameters, errors: _Errors) -> None:
    seen: set[str] = set()
    for index, row in enumerate(params.penalty_schedules):
        field = f"penalty_schedules[{index}]"
        if row.penalty_article in seen:
            errors.add(f"{field}.penalty_article", "duplicate_row", value=row.penalty_article)
        seen.add(row.penalty_article)
        for key, values in schedule_problems(row.penalty_article, row.amounts_ntd):
            errors.add(f"{field}.amounts_ntd", key, **values)
    for article in STATUTORY_FINE_RANGE_NTD:
        if article not in seen:
            errors.add("penalty_schedules", "missing_row", value=article)


def _check_targets(params: RuleParameters, errors: _Errors) -> None:
    seen: set[str] = set()
    for index, row in enumerate(params.energy_use_thresholds):
        field = f"energy_use_thresholds[{index}]"
        if errors.member(f"{field}.energy_type", row.energy_type, EnergyType, "energy type"):
            if row.energy_type in seen:
                errors.add(f"{field}.energy_type", "duplicate_row", value=row.energy_type)
            seen.add(row.energy_type)
        errors.decimal(f"{field}.monthly_amount", row.monthly_amount)
        if not row.unit:
            errors.add(f"{field}.unit", "required")
    _check_declared(params.inspection_targets, errors, "inspection_targets.")


def validate_parameters(params: RuleParameters) -> list[ParameterError]:
    """Return every reason ``params`` cannot be published (empty: it can be).

    Checks units and ranges (temperature floor 16-30 °C, positive thresholds, the
    arcade band low < high, CNS rows lower <= upper), vocabularies, duplicate and missing
    rows, EER/CSPF bands per AC type and metric that start at 0 kW and neither overlap
    nor leave gaps, a rectification period for every rectifiable article, periods to
    state an opinion (APenA Art. 42) only for rectifiable articles, once each, of 1-60
    days, and a penalty schedule for every penalty article inside its statutory range
    (Arts. 15-18).
    """
    errors = _Errors()
    _check_scalars(params, errors)
    _check_illuminance(params, errors)
    _check_efficiency(params, errors)
    _check_rectification(params, errors)
    _check_statement(params, errors)
    _check_penalties(params, errors)
    _check_targets(params, errors)
    return errors.items
