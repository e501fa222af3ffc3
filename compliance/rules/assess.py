"""Assess a premises against every obligation on a date (Arts. 5-10)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import is_dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, partial

from compliance.rules.exemptions import in_force
from compliance.rules.facts import Facts
from compliance.rules.obligations.boilers import check_8_1, check_8_2
from compliance.rules.obligations.conduct import check_9, check_10_1
from compliance.rules.obligations.cooling import (
    check_5_1,
    check_5_2,
    check_5_3,
    check_5_4,
    check_5_5,
)
from compliance.rules.obligations.lighting import check_6_1, check_6_2, check_6_3, check_7
from compliance.rules.params import ParametersOn, RuleParameters
from compliance.rules.periods import grace_last_day, month_start
from compliance.rules.serialization import field_values
from compliance.rules.types import ADVISORY_ARTICLES, ArticleResult, Assessment, Finding

Check = Callable[[Facts, RuleParameters, date], list[Finding]]

CHECKS: dict[str, Check] = {
    "5-1": check_5_1,
    "5-2": check_5_2,
    "5-3": check_5_3,
    "5-4": check_5_4,
    "5-5": check_5_5,
    "6-1": check_6_1,
    "6-2": check_6_2,
    "6-3": check_6_3,
    "7": check_7,
    "8-1": check_8_1,
    "8-2": check_8_2,
    "9": check_9,
    "10-1": check_10_1,
}


def assess(
    facts: Facts,
    params: RuleParameters,
    on: date,
    *,
    at_installation: ParametersOn | None = None,
) -> Assessment:
    """Run every obligation's check and combine the findings.

    ``params`` are the parameters in force on ``on``; ``at_installation`` (optional)
    gives the parameters in force on an earlier date, for Arts. 5-4 and 8-1. The
    overall outcome is NON_COMPLIANT if any non-advisory finding is, else UNKNOWN if
    any non-advisory finding is, else COMPLIANT; Art. 9 findings are advisory and
    never count. An article without findings does not arise (outcome None).
    """
    checks = {
        **CHECKS,
        "5-4": partial(check_5_4, at_installation=at_installation),
        "8-1": partial(check_8_1, at_installation=at_installation),
    }
    results = []
    for article, check in checks.items():
        findings = check(facts, params, on)
        results.append(
            ArticleResult(article, tuple(findings), advisory=article in ADVISORY_ARTICLES)
        )
    return Assessment(on=on, in_force=in_force(params, on), articles=tuple(results))


_SKIP, _DATE, _DATACLASS, _ITEMS = range(4)
# Values that hold no date, told apart by their exact type (subclasses go through _shape).
_LEAVES = frozenset({type(None), str, int, bool, Decimal})


@cache
def _shape(cls: type) -> tuple[int, Callable[[object], tuple]]:
    """How :func:`_dates_in` walks a value of this type (decided once per type).

    For a dataclass, the second item returns its fields' values.
    """
    if cls is type(None) or issubclass(cls, str | int | Decimal):
        return _SKIP, tuple
    if issubclass(cls, date):
        return _DATE, tuple
    if is_dataclass(cls):
        return _DATACLASS, field_values(cls)
    if issubclass(cls, tuple | frozenset | list):
        return _ITEMS, tuple
    return _SKIP, tuple


def _dates_in(value) -> list[date]:
    """Return every date in ``value``: itself, its dataclass fields' and its items'."""
    found, pending = [], [value]
    while pending:
        value = pending.pop()
        if type(value) in _LEAVES:
            continue
        shape, values_of = _shape(type(value))
        if shape == _DATE:
            found.append(value)
        elif shape == _DATACLASS:
            pending.extend(values_of(value))
        elif shape == _ITEMS:
            pending.extend(value)
    return found


def _around(dates) -> set[date]:
    """Each date with the day before and the day after it."""
    one = timedelta(days=1)
    return {d for day in dates for d in (day - one, day, day + one)}


# The parameters' compared dates, by the identity of the parameters (frozen): hashing
# the parameters for every premises took longer than walking them once.
_parameter_dates_cache: dict[int, tuple[RuleParameters, set[date]]] = {}


def _parameter_dates(params: RuleParameters) -> set[date]:
    cached = _parameter_dates_cache.get(id(params))
    if cached is not None and cached[0] is params:
        return cached[1]
    found = set(_dates_in(params))
    found.add(grace_last_day(params.effective_date, params.grace_months))
    if len(_parameter_dates_cache) >= 16:
        _parameter_dates_cache.clear()
    _parameter_dates_cache[id(params)] = (params, _around(found))
    return _parameter_dates_cache[id(params)][1]


def _compared(facts: Facts, params: RuleParameters) -> set[date]:
    return _around(_dates_in(facts)) | _parameter_dates(params)


def compared_dates(facts: Facts, params: RuleParameters) -> tuple[date, ...]:
    """Return, sorted, every date the checks may compare the assessment day with.

    The checks read the day in two ways only: its month (which record periods are due,
    Arts. 5-3 and 8-2) and comparisons with dates of the facts and parameters
    (installation, grants and their revocation, the inspection, the effective date)
    or derived from them by a day (a revocation's eve, :func:`grant_last_day`) and the
    Art. 19 grace's last day and the day after it. Each such date and the day after it
    are returned, so ``on < d``, ``on <= d``, ``on > d`` and ``on >= d`` all read as
    "has ``on`` reached this date".
    """
    return tuple(sorted(_compared(facts, params)))


def day_signature(facts: Facts, params: RuleParameters, on: date) -> tuple[date | None, int]:
    """Return where ``on`` falls for :func:`assess`: its month and the compared dates reached.

    The month counts only where records fall due by it (a chiller or a boiler).

    Two days with the same signature give the same assessment of the same facts under
    the same parameters (and the same published rule book for ``at_installation``),
    so a caller may confirm an earlier decision instead of assessing again.
    """
    reached = sum(1 for day in _compared(facts, params) if day <= on)
    # Only the records of chillers (5-3) and boilers (8-2) fall due by the month.
    return (month_start(on) if facts.chillers or facts.boilers else None, reached)
