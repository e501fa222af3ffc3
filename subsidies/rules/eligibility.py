"""Whether a project may be supported by a scheme, and by how much (Art. 14).

:func:`assess` checks every rule the scheme configures and returns every reason, passed
or failed, so an applicant sees the whole picture before submitting (not only the first
obstacle). A rule the scheme does not configure (no minimum cost, no caps, no required
documents) gives no reason. The supported amount is

    min(floor(eligible cost x support rate cap), project cap,
        business cap - already awarded to the business, budget - committed)

in whole NT$, rounded down; an exhausted budget or business cap makes the project not
eligible with that reason. Pure code: the caller passes ``today``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, Decimal

from subsidies.rules.types import (
    ApplicantFacts,
    Condition,
    EligibilityDecision,
    ProposedProject,
    Reason,
    ReasonOutcome,
    SchemeTerms,
)

PASS, FAIL = ReasonOutcome.PASS, ReasonOutcome.FAIL


def _reason(code: str, passed: bool, key: str, **values) -> Reason:
    return Reason(code, PASS if passed else FAIL, key, values)


def _percent(value: Decimal) -> str:
    """Return a percentage for display without exponent or trailing zeros: 30, 12.5."""
    text = format(value.normalize(), "f")
    return text


def _listed(codes) -> str:
    return ", ".join(sorted(codes))


def check_window(terms: SchemeTerms, today: date) -> Reason:
    """Return whether ``today`` lies in the application window (both ends included)."""
    values = {"opens_on": terms.opens_on, "closes_on": terms.closes_on or ""}
    if today < terms.opens_on:
        return _reason("window", False, "window.not_open", **values)
    if terms.closes_on is not None and today > terms.closes_on:
        return _reason("window", False, "window.closed", **values)
    if terms.closes_on is None:
        return _reason("window", True, "window.open_until_further_notice", **values)
    return _reason("window", True, "window.open", **values)


def check_budget(terms: SchemeTerms) -> Reason:
    """Return whether any of the scheme's budget is left to commit."""
    remaining = terms.remaining_budget_ntd
    values = {"budget": terms.budget_ntd, "remaining": remaining}
    if remaining <= 0:
        return _reason("budget", False, "budget.exhausted", **values)
    return _reason("budget", True, "budget.available", **values)


def check_conditions(terms: SchemeTerms, applicant: ApplicantFacts) -> list[Reason]:
    """Return one reason per applicant condition the scheme imposes, in a fixed order."""
    reasons = []
    if Condition.NO_UNPAID_FINE in terms.conditions:
        count = applicant.unpaid_fines
        key = "unpaid_fines.outstanding" if count else "unpaid_fines.none"
        reasons.append(_reason(Condition.NO_UNPAID_FINE, not count, key, count=count))
    if Condition.NO_OVERDUE_VIOLATION in terms.conditions:
        count = applicant.overdue_violations
        key = "overdue_violations.outstanding" if count else "overdue_violations.none"
        reasons.append(_reason(Condition.NO_OVERDUE_VIOLATION, not count, key, count=count))
    if Condition.REGISTERED_PREMISES in terms.conditions:
        registered = applicant.premises_registered
        key = "premises.registered" if registered else "premises.not_registered"
        reasons.append(_reason(Condition.REGISTERED_PREMISES, registered, key))
    return reasons


def check_items(terms: SchemeTerms, project: ProposedProject) -> Reason:
    """Return whether the project names items and the scheme pays for every one of them."""
    eligible = _listed(terms.eligible_items)
    if not project.items:
        return _reason("items", False, "items.none", eligible=eligible)
    outside = project.items - terms.eligible_items
    if outside:
        return _reason(
            "items", False, "items.not_eligible", items=_listed(outside), eligible=eligible
        )
    return _reason("items", True, "items.eligible", items=_listed(project.items))


def check_cost(terms: SchemeTerms, project: ProposedProject) -> Reason | None:
    """Return whether the eligible cost is positive and over the scheme's minimum."""
    cost = project.eligible_cost_ntd
    minimum = terms.minimum_project_cost_ntd
    if cost <= 0:
        return _reason("cost", False, "cost.not_positive", cost=cost)
    if minimum is None:
        return None
    # "Projects over NT$500,000": exactly the minimum is not over it.
    if cost > minimum:
        return _reason("cost", True, "cost.over_minimum", cost=cost, minimum=minimum)
    return _reason("cost", False, "cost.not_over_minimum", cost=cost, minimum=minimum)


def check_saving(terms: SchemeTerms, project: ProposedProject) -> Reason | None:
    """Return whether the expected saving reaches the scheme's minimum ("at least")."""
    minimum = terms.minimum_saving_percent
    if minimum is None:
        return None
    expected = project.expected_saving_percent
    if expected is None:
        return _reason("saving", False, "saving.not_stated", minimum=_percent(minimum))
    values = {"saving": _percent(expected), "minimum": _percent(minimum)}
    if expected >= minimum:
        return _reason("saving", True, "saving.reaches_minimum", **values)
    return _reason("saving", False, "saving.below_minimum", **values)


def check_documents(terms: SchemeTerms, applicant: ApplicantFacts) -> Reason | None:
    """Return whether every document the scheme requires is provided."""
    if not terms.required_documents:
        return None
    missing = terms.required_documents - applicant.documents_provided
    if missing:
        return _reason("documents", False, "documents.missing", documents=_listed(missing))
    return _reason(
        "documents", True, "documents.complete", documents=_listed(terms.required_documents)
    )


def check_business_cap(terms: SchemeTerms, applicant: ApplicantFacts) -> Reason | None:
    """Return whether the business has not yet received its cap under the scheme."""
    cap = terms.business_cap_ntd
    if cap is None:
        return None
    awarded = applicant.awarded_in_scheme_ntd
    values = {"cap": cap, "awarded": awarded, "remaining": max(cap - awarded, 0)}
    if awarded >= cap:
        return _reason("business_cap", False, "business_cap.reached", **values)
    return _reason("business_cap", True, "business_cap.available", **values)


def cost_share_ntd(cost_ntd: int, rate: Decimal) -> int:
    """Return ``cost_ntd`` x ``rate`` rounded down to a whole NT$ (never negative)."""
    share = (Decimal(cost_ntd) * rate).to_integral_value(rounding=ROUND_FLOOR)
    return max(int(share), 0)


def supported_amount(
    terms: SchemeTerms, applicant: ApplicantFacts, project: ProposedProject
) -> tuple[int, str]:
    """Return the amount the scheme would pay and which limit set it.

    The limit is one of "rate", "project_cap", "business_cap", "budget"; on a tie the
    earlier one in that order is named. Never negative.
    """
    limits = [("rate", cost_share_ntd(project.eligible_cost_ntd, terms.support_rate_cap))]
    if terms.project_cap_ntd is not None:
        limits.append(("project_cap", terms.project_cap_ntd))
    if terms.business_cap_ntd is not None:
        limits.append(("business_cap", terms.business_cap_ntd - applicant.awarded_in_scheme_ntd))
    limits.append(("budget", terms.remaining_budget_ntd))
    limit, amount = min(limits, key=lambda pair: pair[1])
    return max(amount, 0), limit


def check_amount(terms: SchemeTerms, applicant: ApplicantFacts, project: ProposedProject) -> Reason:
    """Return the supported amount as a reason: it passes only if it is above zero."""
    amount, limit = supported_amount(terms, applicant, project)
    values = {
        "amount": amount,
        "cost": project.eligible_cost_ntd,
        "rate": _percent(terms.support_rate_cap * 100),
        "share": cost_share_ntd(project.eligible_cost_ntd, terms.support_rate_cap),
    }
    return _reason(
        "amount", amount > 0, f"amount.{limit}" if amount > 0 else "amount.zero", **values
    )


def assess(
    terms: SchemeTerms, applicant: ApplicantFacts, project: ProposedProject, today: date
) -> EligibilityDecision:
    """Return whether ``project`` of ``applicant`` is eligible under ``terms`` on ``today``.

    Every configured rule is checked and every reason returned, in a fixed order:
    window, budget, applicant conditions, items, cost, saving, documents, business cap,
    amount. Eligible only if every reason passed; the supported amount is 0 otherwise.
    """
    candidates = [
        check_window(terms, today),
        check_budget(terms),
        *check_conditions(terms, applicant),
        check_items(terms, project),
        check_cost(terms, project),
        check_saving(terms, project),
        check_documents(terms, applicant),
        check_business_cap(terms, applicant),
        check_amount(terms, applicant, project),
    ]
    reasons = tuple(reason for reason in candidates if reason is not None)
    eligible = all(reason.passed for reason in reasons)
    amount = supported_amount(terms, applicant, project)[0] if eligible else 0
    return EligibilityDecision(eligible, reasons, amount)
