"""Conduct judged at inspections: Art. 9 (after hours, advisory) and Art. 10-1."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from compliance.rules.exemptions import in_force, settle
from compliance.rules.facts import Facts
from compliance.rules.params import RuleParameters
from compliance.rules.types import Finding, Outcome


def check_9(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 9: after hours, non-essential energy equipment is switched off.

    No penalty article covers Art. 9, so the finding is advisory: it is reported but
    never makes the premises non-compliant or unknown.
    """
    if not in_force(params, on):
        return []
    inspection = facts.inspection_on(on)
    if inspection is None:
        finding = Finding("9", Outcome.UNKNOWN, "inspection.none")
    elif inspection.after_hours_equipment_on is None:
        finding = Finding("9", Outcome.UNKNOWN, "after_hours.not_recorded")
    elif inspection.after_hours_equipment_on:
        finding = Finding("9", Outcome.NON_COMPLIANT, "after_hours.equipment_on")
    else:
        finding = Finding("9", Outcome.COMPLIANT, "after_hours.switched_off")
    return [settle(replace(finding, advisory=True), facts, params, on)]


def check_10_1(facts: Facts, params: RuleParameters, on: date) -> list[Finding]:
    """Art. 10-1: the premises did not evade, obstruct or refuse the latest inspection.

    Without an inspection the article does not arise. A refusal is fined directly
    (Art. 17), without a rectification period.
    """
    if not in_force(params, on):
        return []
    inspection = facts.inspection_on(on)
    if inspection is None:
        return []
    if inspection.refused is None:
        finding = Finding("10-1", Outcome.UNKNOWN, "inspection.refusal_not_recorded")
    elif inspection.refused:
        finding = Finding("10-1", Outcome.NON_COMPLIANT, "inspection.refused")
    else:
        finding = Finding("10-1", Outcome.COMPLIANT, "inspection.admitted")
    return [settle(finding, facts, params, on)]
