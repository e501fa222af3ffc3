"""A scheme row's terms checked by the Art. 14 engine, every refusal on its own field.

:class:`subsidies.rules.SchemeTerms` refuses the first bad term it meets. To show an
administrator every refused term at once, the check is repeated with each refused
value replaced by a neutral one until the engine accepts the rest. Values missing
because their own field is invalid (the form reports that) are neutral from the start.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from subsidies.bridge import scheme_term_values
from subsidies.reasons import budget_below_committed_text, terms_error_text
from subsidies.rules.types import SchemeCategory, SchemeTerms, SchemeTermsError

# Values the engine accepts whatever the other terms are.
NEUTRAL = {
    "category": SchemeCategory.USING_PRODUCTS,
    "opens_on": datetime.date.min,
    "closes_on": None,
    "budget_ntd": 0,
    "committed_ntd": 0,
    "support_rate_cap": Decimal(1),
    "project_cap_ntd": None,
    "business_cap_ntd": None,
    "minimum_project_cost_ntd": None,
    "minimum_saving_percent": None,
    "eligible_items": frozenset({"lamp_replacement"}),
    "required_documents": frozenset(),
    "conditions": frozenset(),
}
# Fields the database requires: a missing value is reported by the field itself.
REQUIRED = ("opens_on", "budget_ntd", "committed_ntd", "support_rate_cap")


def terms_errors(scheme) -> dict[str, list[str]]:
    """Return ``{field: [messages]}`` for every term of ``scheme`` the engine refuses."""
    values = scheme_term_values(scheme)
    for name in REQUIRED:
        if values[name] is None:
            values[name] = NEUTRAL[name]
    if values["category"] not in set(SchemeCategory):
        values["category"] = NEUTRAL["category"]  # the field's choices say why
    labels = {field.name: str(field.verbose_name) for field in scheme._meta.fields}
    errors: dict[str, list[str]] = {}
    for _attempt in range(len(NEUTRAL)):
        try:
            SchemeTerms(**values)
            break
        except SchemeTermsError as error:
            if error.key == "over_committed":
                field, message = "budget_ntd", budget_below_committed_text(values["committed_ntd"])
            else:
                field = error.field if error.field in labels else "__all__"
                message = terms_error_text(error, label=labels.get(error.field))
            errors.setdefault(field, []).append(message)
            if error.field not in NEUTRAL:
                break
            values[error.field] = NEUTRAL[error.field]
    return errors
