"""The two starting schemes from issue 6, as data (Art. 14).

Only the rate, the caps and the thresholds the issue names come from real programmes;
everything marked ASSUMPTION (codes, windows, budgets, documents, conditions) is a
starting value for administrators to replace, not a rule of the ordinance.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from subsidies.rules.types import Condition, Item, SchemeCategory, SchemeTerms

# Conditions the City is expected to impose on every scheme (ASSUMPTION).
STANDARD_CONDITIONS = frozenset(
    {Condition.NO_UNPAID_FINE, Condition.NO_OVERDUE_VIOLATION, Condition.REGISTERED_PREMISES}
)

# "A city scheme paying up to 30 % of the improvement cost for projects over
# NT$500,000 expected to save at least 15 %."
CITY_IMPROVEMENT_SCHEME = SchemeTerms(
    code="city-improvement",  # ASSUMPTION
    category=SchemeCategory.USING_PRODUCTS,
    opens_on=date(2026, 1, 1),  # ASSUMPTION
    closes_on=date(2027, 12, 31),  # ASSUMPTION
    budget_ntd=20_000_000,  # ASSUMPTION
    committed_ntd=0,
    support_rate_cap=Decimal("0.30"),
    project_cap_ntd=2_000_000,  # ASSUMPTION
    business_cap_ntd=3_000_000,  # ASSUMPTION
    minimum_project_cost_ntd=500_000,
    minimum_saving_percent=Decimal("15"),
    eligible_items=frozenset(
        {
            Item.LAMP_REPLACEMENT,
            Item.HIGH_EER_AC,
            Item.AIR_CURTAIN,
            Item.BOILER_UPGRADE,
            Item.ENERGY_MANAGEMENT_SYSTEM,
        }
    ),
    required_documents=frozenset({"quotation", "energy_audit_report"}),  # ASSUMPTION
    conditions=STANDARD_CONDITIONS,
)

# "An equipment-replacement scheme paying 50 % of the price up to NT$500,000."
EQUIPMENT_REPLACEMENT_SCHEME = SchemeTerms(
    code="equipment-replacement",  # ASSUMPTION
    category=SchemeCategory.USING_PRODUCTS,
    opens_on=date(2026, 1, 1),  # ASSUMPTION
    closes_on=date(2027, 12, 31),  # ASSUMPTION
    budget_ntd=10_000_000,  # ASSUMPTION
    committed_ntd=0,
    support_rate_cap=Decimal("0.50"),
    project_cap_ntd=500_000,
    eligible_items=frozenset(
        {Item.LAMP_REPLACEMENT, Item.HIGH_EER_AC, Item.AIR_CURTAIN, Item.BOILER_UPGRADE}
    ),
    required_documents=frozenset({"quotation", "equipment_specification"}),  # ASSUMPTION
    conditions=STANDARD_CONDITIONS,
)

EXAMPLE_SCHEMES: tuple[SchemeTerms, ...] = (CITY_IMPROVEMENT_SCHEME, EQUIPMENT_REPLACEMENT_SCHEME)
