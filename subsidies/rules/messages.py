"""Default English messages, keyed by the eligibility engine's stable message keys.

The Django side marks these strings for translation and fills them with ``str.format``
from :attr:`Reason.values` (money in whole NT$, percentages without the % sign). Keys
never change meaning; a new wording is a new string under the same key, a new meaning a
new key.
"""

from __future__ import annotations

from collections.abc import Mapping

from subsidies.rules.types import Reason

REASON_MESSAGES: dict[str, str] = {
    # The application window.
    "window.open": "Applications are open from {opens_on} to {closes_on}.",
    "window.open_until_further_notice": (
        "Applications are open from {opens_on} until further notice."
    ),
    "window.not_open": "Applications open on {opens_on}.",
    "window.closed": "Applications closed on {closes_on}.",
    # The budget.
    "budget.available": (
        "NT${remaining:,} of the scheme's budget of NT${budget:,} is still available."
    ),
    "budget.exhausted": "The scheme's budget of NT${budget:,} is fully committed.",
    # Conditions on the applicant.
    "unpaid_fines.none": "The business has no unpaid fine.",
    "unpaid_fines.outstanding": "The business has {count} unpaid fine(s).",
    "overdue_violations.none": "The business has no violation past its rectification deadline.",
    "overdue_violations.outstanding": (
        "The business has {count} violation(s) past the rectification deadline."
    ),
    "premises.registered": "The premises is in the energy-use register.",
    "premises.not_registered": "The premises is not in the energy-use register.",
    # The project.
    "items.none": "The project names no item; the scheme pays for: {eligible}.",
    "items.not_eligible": ("The scheme does not pay for: {items}; it pays for: {eligible}."),
    "items.eligible": "The scheme pays for every item of the project: {items}.",
    "cost.not_positive": "The eligible cost must be more than NT$0 (NT${cost:,} given).",
    "cost.over_minimum": "The eligible cost of NT${cost:,} is over the minimum of NT${minimum:,}.",
    "cost.not_over_minimum": (
        "The eligible cost of NT${cost:,} is not over the minimum of NT${minimum:,}."
    ),
    "saving.not_stated": (
        "The expected energy saving is not stated; at least {minimum} % is required."
    ),
    "saving.reaches_minimum": (
        "The expected energy saving of {saving} % reaches the minimum of {minimum} %."
    ),
    "saving.below_minimum": (
        "The expected energy saving of {saving} % is below the minimum of {minimum} %."
    ),
    "documents.complete": "Every required document is provided: {documents}.",
    "documents.missing": "Required documents missing: {documents}.",
    "business_cap.available": (
        "The business has received NT${awarded:,} of its cap of NT${cap:,} under this scheme; "
        "NT${remaining:,} remains."
    ),
    "business_cap.reached": (
        "The business has already received NT${awarded:,}, its cap of NT${cap:,} under this scheme."
    ),
    # The supported amount, named by the limit that set it.
    "amount.rate": (
        "The scheme would pay NT${amount:,}: {rate} % of the eligible cost of NT${cost:,}."
    ),
    "amount.project_cap": (
        "The scheme would pay NT${amount:,}: the cap per project ({rate} % of NT${cost:,} would be "
        "NT${share:,})."
    ),
    "amount.business_cap": (
        "The scheme would pay NT${amount:,}: what remains of the business's cap ({rate} % of "
        "NT${cost:,} would be NT${share:,})."
    ),
    "amount.budget": (
        "The scheme would pay NT${amount:,}: what remains of the scheme's budget ({rate} % of "
        "NT${cost:,} would be NT${share:,})."
    ),
    "amount.zero": "The scheme would pay nothing for this project ({rate} % of NT${cost:,}).",
}

# Why scheme terms cannot be saved (SchemeTermsError.key).
TERMS_MESSAGES: dict[str, str] = {
    "window_inverted": "{field}: the window closes on {value}, before it opens.",
    "not_whole_ntd": "{field} must be a whole number of NT$, not {value}.",
    "negative": "{field} is {value}; it must not be negative.",
    "over_committed": "{field} is {value}, more than the budget.",
    "not_decimal": "{field} must be an exact decimal number, not {value}.",
    "rate_out_of_range": "{field} is {value}; it must be above 0 and at most 1.",
    "percent_out_of_range": "{field} is {value}; it must lie between 0 and 100.",
    "no_items": "{field}: a scheme pays for at least one item.",
    "unknown_item": "{field}: {value} is not a known item.",
    "unknown_condition": "{field}: {value} is not a known condition.",
}

# Why the application workflow refuses an action (IllegalTransition.why).
TRANSITION_MESSAGES: dict[str, str] = {
    "not_allowed": "This step is not possible from the application's current state.",
    "amount_missing": "An amount in whole NT$ is required.",
    "amount_not_positive": "The amount must be more than NT$0.",
    "amount_above_eligible": "The amount is more than the eligible amount.",
    "amount_raised": "Verification may reduce the approved amount, never raise it.",
    "reasons_missing": "A rejection states its reasons.",
}


def render_reason(reason: Reason, templates: Mapping[str, str] = REASON_MESSAGES) -> str:
    """Return a reason's message in English (or from ``templates``, e.g. translated)."""
    return templates[reason.message_key].format(**reason.values)
