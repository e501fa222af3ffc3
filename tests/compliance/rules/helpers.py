"""Shared facts and parameters for the rule-engine tests (no database)."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from compliance.rules import (
    FINDING_MESSAGES,
    Facts,
    Finding,
    InspectionFacts,
    PremisesFacts,
    RuleParameters,
    initial_parameters,
    render_finding,
)

D = Decimal
PARAMS = initial_parameters()
EFFECTIVE = PARAMS.effective_date  # 2025-01-01
GRACE_LAST = date(2025, 6, 30)  # effective date + 6 months - 1 day
AFTER_GRACE = date(2025, 9, 15)
BEFORE = EFFECTIVE - timedelta(days=1)
NEW = date(2025, 3, 10)  # an installation after the effective date
OLD = date(2020, 5, 1)  # an installation before it
INSPECTED = date(2025, 9, 1)


def premises(**changes) -> PremisesFacts:
    """Return an ordinary business premises without an arcade."""
    values = {"kind": "business", "category": "general", "has_arcade": False}
    return PremisesFacts(**{**values, **changes})


def facts(**changes) -> Facts:
    """Return the facts of an ordinary premises with ``changes``."""
    changes.setdefault("premises", premises())
    return Facts(**changes)


def inspection(**changes) -> InspectionFacts:
    """Return an inspection of 2025-09-01 with ``changes``."""
    return InspectionFacts(inspected_on=INSPECTED, **changes)


def run(
    check: Callable[..., list[Finding]],
    the_facts: Facts,
    on: date = AFTER_GRACE,
    params: RuleParameters = PARAMS,
    **options,
) -> list[Finding]:
    """Run a check and make sure each finding has a message that renders."""
    findings = check(the_facts, params, on, **options)
    for finding in findings:
        assert finding.message_key in FINDING_MESSAGES, finding.message_key
        assert render_finding(finding)
    return findings


def only(findings: list[Finding]) -> Finding:
    """Return the single finding."""
    assert len(findings) == 1, findings
    return findings[0]
