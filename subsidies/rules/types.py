"""What a subsidy scheme offers and what an applicant brings (Art. 14).

Art. 14 lets the City reward or subsidise five kinds of effort; the scheme rules are set
by the City. A scheme is therefore data: :class:`SchemeTerms` holds everything an
administrator configures, :class:`ApplicantFacts` and :class:`ProposedProject` what the
Django side gathers about a business and its project. Money is whole NT$ (``int``),
rates and percentages are :class:`~decimal.Decimal`, dates are plain dates (Asia/Taipei
at the edge). Pure code: no Django, no clock, no floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class SchemeCategory(StrEnum):
    """The five kinds of reward or subsidy Art. 14 names, in the order of the text."""

    # (1) Excellent energy-saving performance.
    EXCELLENT_PERFORMANCE = "excellent_performance"
    # (2) Promoting energy-saving products.
    PROMOTING_PRODUCTS = "promoting_products"
    # (3) Using energy-saving products.
    USING_PRODUCTS = "using_products"
    # (4) Installing renewable energy.
    INSTALLING_RENEWABLE = "installing_renewable"
    # (5) Developing or making renewable-energy equipment.
    RENEWABLE_EQUIPMENT = "renewable_equipment"


# Categories awarded by a call with criteria and ranking rather than by cost share.
REWARD_CATEGORIES = frozenset(
    {
        SchemeCategory.EXCELLENT_PERFORMANCE,
        SchemeCategory.PROMOTING_PRODUCTS,
        SchemeCategory.RENEWABLE_EQUIPMENT,
    }
)


class Item(StrEnum):
    """Improvements a scheme may pay for (the Art. 14 explanation's examples)."""

    LAMP_REPLACEMENT = "lamp_replacement"
    HIGH_EER_AC = "high_eer_ac"
    AIR_CURTAIN = "air_curtain"
    BOILER_UPGRADE = "boiler_upgrade"
    ENERGY_MANAGEMENT_SYSTEM = "energy_management_system"
    RENEWABLE_ENERGY = "renewable_energy"


class Condition(StrEnum):
    """Eligibility conditions about the applicant a scheme may impose."""

    # No fine of the business is outstanding (neither paid nor revoked).
    NO_UNPAID_FINE = "no_unpaid_fine"
    # No violation of the business is past its rectification deadline.
    NO_OVERDUE_VIOLATION = "no_overdue_violation"
    # The premises of the project is in the energy-use register.
    REGISTERED_PREMISES = "registered_premises"


ITEM_CODES = frozenset(member.value for member in Item)
CONDITION_CODES = frozenset(member.value for member in Condition)


class ReasonOutcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"


class SchemeTermsError(ValueError):
    """Scheme terms an administrator cannot save; ``key`` is a TERMS_MESSAGES key."""

    def __init__(self, key: str, field_name: str, value: object) -> None:
        self.key = key
        self.field = field_name
        self.value = value
        super().__init__(f"{field_name}: {key} ({value!r})")


def _whole(name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise SchemeTermsError("not_whole_ntd", name, value)
    if value < 0:
        raise SchemeTermsError("negative", name, value)


@dataclass(frozen=True)
class SchemeTerms:
    """One scheme's rules as an administrator configures them.

    ``opens_on``/``closes_on`` bound the application window, both days included
    (``closes_on`` None: open until further notice). ``budget_ntd`` is the whole budget,
    ``committed_ntd`` what approved applications already hold. ``support_rate_cap`` is
    the share of the eligible cost paid at most (0 < rate <= 1). The caps and minimums
    are None when the scheme sets none. ``minimum_project_cost_ntd`` must be *exceeded*
    ("projects over NT$500,000"); ``minimum_saving_percent`` must be *reached* ("at
    least 15 %").
    """

    code: str
    category: SchemeCategory
    opens_on: date
    closes_on: date | None
    budget_ntd: int
    committed_ntd: int
    support_rate_cap: Decimal
    project_cap_ntd: int | None = None
    business_cap_ntd: int | None = None
    minimum_project_cost_ntd: int | None = None
    minimum_saving_percent: Decimal | None = None
    eligible_items: frozenset[str] = frozenset()
    required_documents: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        SchemeCategory(self.category)
        if self.closes_on is not None and self.closes_on < self.opens_on:
            raise SchemeTermsError("window_inverted", "closes_on", self.closes_on)
        _whole("budget_ntd", self.budget_ntd)
        _whole("committed_ntd", self.committed_ntd)
        if self.committed_ntd > self.budget_ntd:
            raise SchemeTermsError("over_committed", "committed_ntd", self.committed_ntd)
        rate = self.support_rate_cap
        if not isinstance(rate, Decimal) or not rate.is_finite():
            raise SchemeTermsError("not_decimal", "support_rate_cap", rate)
        if not Decimal(0) < rate <= Decimal(1):
            raise SchemeTermsError("rate_out_of_range", "support_rate_cap", rate)
        _whole("project_cap_ntd", self.project_cap_ntd, optional=True)
        _whole("business_cap_ntd", self.business_cap_ntd, optional=True)
        _whole("minimum_project_cost_ntd", self.minimum_project_cost_ntd, optional=True)
        saving = self.minimum_saving_percent
        if saving is not None:
            if not isinstance(saving, Decimal) or not saving.is_finite():
                raise SchemeTermsError("not_decimal", "minimum_saving_percent", saving)
            if not Decimal(0) <= saving <= Decimal(100):
                raise SchemeTermsError("percent_out_of_range", "minimum_saving_percent", saving)
        if not self.eligible_items:
            raise SchemeTermsError("no_items", "eligible_items", self.eligible_items)
        for item in self.eligible_items:
            if item not in ITEM_CODES:
                raise SchemeTermsError("unknown_item", "eligible_items", item)
        for condition in self.conditions:
            if condition not in CONDITION_CODES:
                raise SchemeTermsError("unknown_condition", "conditions", condition)

    @property
    def remaining_budget_ntd(self) -> int:
        """Return the budget not yet held by approved applications."""
        return self.budget_ntd - self.committed_ntd


@dataclass(frozen=True)
class ApplicantFacts:
    """What the register knows about the applying business on the day of assessment.

    ``awarded_in_scheme_ntd`` is what this business already holds under the same scheme
    (approved or disbursed), counted against ``SchemeTerms.business_cap_ntd``.
    """

    unpaid_fines: int = 0
    overdue_violations: int = 0
    premises_registered: bool = False
    documents_provided: frozenset[str] = frozenset()
    awarded_in_scheme_ntd: int = 0


@dataclass(frozen=True)
class ProposedProject:
    """The project applied for: its items, eligible cost and expected saving (None: not stated)."""

    items: frozenset[str]
    eligible_cost_ntd: int
    expected_saving_percent: Decimal | None = None


Value = str | int | Decimal | date


@dataclass(frozen=True)
class Reason:
    """One check of an assessment: its code, pass or fail, and what the message says.

    ``values`` fill the template of ``message_key`` (see messages.py): money in whole
    NT$, percentages and rates as Decimal, lists joined as text.
    """

    code: str
    outcome: ReasonOutcome
    message_key: str
    values: Mapping[str, Value] = field(default_factory=dict, hash=False)

    @property
    def passed(self) -> bool:
        return self.outcome is ReasonOutcome.PASS


@dataclass(frozen=True)
class EligibilityDecision:
    """The answer shown before submitting: eligible only if every reason passed.

    ``supported_amount_ntd`` is the amount the scheme would pay; 0 when not eligible.
    """

    eligible: bool
    reasons: tuple[Reason, ...]
    supported_amount_ntd: int

    @property
    def failures(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if not reason.passed)
