"""Assess a premises against every obligation on a date (Arts. 5-10)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

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
