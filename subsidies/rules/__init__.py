"""The Art. 14 rules as pure functions: scheme terms, eligibility, the application workflow.

Standard library only, no clock, no floats, like ``compliance.rules``. The Django side
converts scheme rows and register facts to these types, shows :func:`assess`'s reasons
before an application is submitted, and calls :func:`workflow.next_status` before it
changes an application.
"""

from subsidies.rules.eligibility import assess, cost_share_ntd, supported_amount
from subsidies.rules.examples import (
    CITY_IMPROVEMENT_SCHEME,
    EQUIPMENT_REPLACEMENT_SCHEME,
    EXAMPLE_SCHEMES,
)
from subsidies.rules.messages import (
    REASON_MESSAGES,
    TERMS_MESSAGES,
    TRANSITION_MESSAGES,
    render_reason,
)
from subsidies.rules.suggest import ITEMS_FOR_ARTICLE, Suggestion, items_for, schemes_for
from subsidies.rules.types import (
    REWARD_CATEGORIES,
    ApplicantFacts,
    Condition,
    EligibilityDecision,
    Item,
    ProposedProject,
    Reason,
    ReasonOutcome,
    SchemeCategory,
    SchemeTerms,
    SchemeTermsError,
)

__all__ = [
    "CITY_IMPROVEMENT_SCHEME",
    "EQUIPMENT_REPLACEMENT_SCHEME",
    "EXAMPLE_SCHEMES",
    "ITEMS_FOR_ARTICLE",
    "REASON_MESSAGES",
    "REWARD_CATEGORIES",
    "TERMS_MESSAGES",
    "TRANSITION_MESSAGES",
    "ApplicantFacts",
    "Condition",
    "EligibilityDecision",
    "Item",
    "ProposedProject",
    "Reason",
    "ReasonOutcome",
    "SchemeCategory",
    "SchemeTerms",
    "SchemeTermsError",
    "Suggestion",
    "assess",
    "cost_share_ntd",
    "items_for",
    "render_reason",
    "schemes_for",
    "supported_amount",
]
