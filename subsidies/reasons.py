"""The eligibility engine's reasons in the user's language.

The engine (``subsidies.rules.messages``) keeps English templates by stable key; this
module marks the same templates for translation and fills them from ``Reason.values``.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from subsidies.choices import document_list, item_list
from subsidies.rules.types import Reason

REASON_TEXT = {
    "window.open": _("Applications are open from {opens_on} to {closes_on}."),
    "window.open_until_further_notice": _(
        "Applications are open from {opens_on} until further notice."
    ),
    "window.not_open": _("Applications open on {opens_on}."),
    "window.closed": _("Applications closed on {closes_on}."),
    "budget.available": _(
        "NT${remaining:,} of the scheme's budget of NT${budget:,} is still available."
    ),
    "budget.exhausted": _("The scheme's budget of NT${budget:,} is fully committed."),
    "unpaid_fines.none": _("The business has no unpaid fine."),
    "overdue_violations.none": _("The business has no violation past its rectification deadline."),
    "premises.registered": _("The premises is in the energy-use register."),
    "premises.not_registered": _("The premises is not in the energy-use register."),
    "items.none": _("The project names no item; the scheme pays for: {eligible}."),
    "items.not_eligible": _("The scheme does not pay for: {items}; it pays for: {eligible}."),
    "items.eligible": _("The scheme pays for every item of the project: {items}."),
    "cost.not_positive": _("The eligible cost must be more than NT$0 (NT${cost:,} given)."),
    "cost.over_minimum": _(
        "The eligible cost of NT${cost:,} is over the minimum of NT${minimum:,}."
    ),
    "cost.not_over_minimum": _(
        "The eligible cost of NT${cost:,} is not over the minimum of NT${minimum:,}."
    ),
    "saving.not_stated": _(
        # xgettext:no-python-format
        "The expected energy saving is not stated; at least {minimum} % is required."
    ),
    "saving.reaches_minimum": _(
        # xgettext:no-python-format
        "The expected energy saving of {saving} % reaches the minimum of {minimum} %."
    ),
    "saving.below_minimum": _(
        # xgettext:no-python-format
        "The expected energy saving of {saving} % is below the minimum of {minimum} %."
    ),
    "documents.complete": _("Every required document is provided: {documents}."),
    "documents.missing": _("Required documents missing: {documents}."),
    "business_cap.available": _(
        "The business has received NT${awarded:,} of its cap of NT${cap:,} "
        "under this scheme; NT${remaining:,} remains."
    ),
    "business_cap.reached": _(
        "The business has already received NT${awarded:,}, its cap of NT${cap:,} under this scheme."
    ),
    "amount.rate": _(
        # xgettext:no-python-format
        "The scheme would pay NT${amount:,}: {rate} % of the eligible cost of NT${cost:,}."
    ),
    "amount.project_cap": _(
        # xgettext:no-python-format
        "The scheme would pay NT${amount:,}: the cap per project ({rate} % of "
        "NT${cost:,} would be NT${share:,})."
    ),
    "amount.business_cap": _(
        # xgettext:no-python-format
        "The scheme would pay NT${amount:,}: what remains of the business's "
        "cap ({rate} % of NT${cost:,} would be NT${share:,})."
    ),
    "amount.budget": _(
        # xgettext:no-python-format
        "The scheme would pay NT${amount:,}: what remains of the scheme's "
        "budget ({rate} % of NT${cost:,} would be NT${share:,})."
    ),
    # xgettext:no-python-format
    "amount.zero": _("The scheme would pay nothing for this project ({rate} % of NT${cost:,})."),
}


# Reasons that count something: the form agrees with the count (1 unpaid fine, 2 unpaid
# fines; Chinese has one form), never "fine(s)".
COUNTED_TEXT = {
    "unpaid_fines.outstanding": lambda count: ngettext(
        "The business has {count} unpaid fine.", "The business has {count} unpaid fines.", count
    ),
    "overdue_violations.outstanding": lambda count: ngettext(
        "The business has {count} violation past the rectification deadline.",
        "The business has {count} violations past the rectification deadline.",
        count,
    ),
}


# Why scheme terms cannot be saved (SchemeTermsError.key), for the scheme form.
TERMS_TEXT = {
    "window_inverted": _("{field}: the window closes on {value}, before it opens."),
    "not_whole_ntd": _("{field} must be a whole number of NT$, not {value}."),
    "negative": _("{field} is {value}; it must not be negative."),
    "over_committed": _("{field} is {value}, more than the budget."),
    "not_decimal": _("{field} must be an exact decimal number, not {value}."),
    "rate_out_of_range": _("{field} is {value}; it must be above 0 and at most 1."),
    "percent_out_of_range": _("{field} is {value}; it must lie between 0 and 100."),
    "no_items": _("{field}: a scheme pays for at least one item."),
    "unknown_item": _("{field}: {value} is not a known item."),
    "unknown_condition": _("{field}: {value} is not a known condition."),
}


def reason_text(reason: Reason) -> str:
    """Return ``reason``'s message in the active language."""
    template = REASON_TEXT.get(reason.message_key)
    text = str(template) if template is not None else gettext(reason.message_key)
    values = dict(reason.values)
    if reason.message_key in COUNTED_TEXT:
        text = COUNTED_TEXT[reason.message_key](int(values.get("count", 0)))
    # Codes from the engine: each by its name, listed as the language lists.
    if "documents" in values:
        values["documents"] = document_list(values["documents"])
    for key in ("items", "eligible"):
        if key in values:
            values[key] = item_list(values[key])
    return text.format(**values)


def terms_error_text(error, label: str | None = None) -> str:
    """Return a SchemeTermsError's message in the active language.

    ``label`` names the field as the form shows it (its verbose name); the engine's
    field name is used without one.
    """
    template = TERMS_TEXT.get(error.key)
    text = str(template) if template is not None else error.key
    return capfirst(text.format(field=label or error.field, value=error.value))


def budget_below_committed_text(committed_ntd: int) -> str:
    """Say that a budget may not be cut below what is already committed."""
    return gettext(
        "The budget cannot be less than the NT$%(committed)s already committed to approved "
        "applications and published prizes."
    ) % {"committed": f"{int(committed_ntd):,}"}
