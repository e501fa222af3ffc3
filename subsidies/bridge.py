"""The only bridge between scheme rows and the Art. 14 engine's types.

Like compliance.rulebook.bridge for the ordinance's rule book.

Scheme rows become :class:`subsidies.rules.SchemeTerms`; an application's project becomes
:class:`subsidies.rules.ProposedProject`; the example terms become scheme rows.
"""

from __future__ import annotations

from decimal import Decimal

from subsidies.rules.types import ProposedProject, SchemeTerms


def _whole(value):
    return None if value is None else int(value)


def _decimal(value):
    return None if value is None else Decimal(value)


def scheme_terms(scheme) -> SchemeTerms:
    """Return ``scheme`` (a Scheme row) as engine terms."""
    return SchemeTerms(**scheme_term_values(scheme))


def scheme_term_values(scheme) -> dict:
    """Return the keyword arguments of :class:`SchemeTerms` for ``scheme`` (a Scheme row)."""
    return {
        "code": scheme.code,
        "category": scheme.category,
        "opens_on": scheme.opens_on,
        "closes_on": scheme.closes_on,
        "budget_ntd": _whole(scheme.budget_ntd),
        "committed_ntd": _whole(scheme.committed_ntd),
        "support_rate_cap": _decimal(scheme.support_rate_cap),
        "project_cap_ntd": scheme.project_cap_ntd,
        "business_cap_ntd": scheme.business_cap_ntd,
        "minimum_project_cost_ntd": scheme.minimum_project_cost_ntd,
        "minimum_saving_percent": _decimal(scheme.minimum_saving_percent),
        "eligible_items": frozenset(scheme.eligible_items or ()),
        "required_documents": frozenset(scheme.required_documents or ()),
        "conditions": frozenset(scheme.conditions or ()),
    }


def proposed_project(items, eligible_cost_ntd, expected_saving_percent=None) -> ProposedProject:
    """Return a project for the engine from form or row values."""
    saving = None if expected_saving_percent is None else Decimal(expected_saving_percent)
    return ProposedProject(
        items=frozenset(items or ()),
        eligible_cost_ntd=int(eligible_cost_ntd),
        expected_saving_percent=saving,
    )


def scheme_fields(terms: SchemeTerms) -> dict:
    """Return Scheme model field values for ``terms`` (seeding the examples)."""
    return {
        "code": terms.code,
        "category": str(terms.category),
        "opens_on": terms.opens_on,
        "closes_on": terms.closes_on,
        "budget_ntd": terms.budget_ntd,
        "committed_ntd": terms.committed_ntd,
        "support_rate_cap": terms.support_rate_cap,
        "project_cap_ntd": terms.project_cap_ntd,
        "business_cap_ntd": terms.business_cap_ntd,
        "minimum_project_cost_ntd": terms.minimum_project_cost_ntd,
        "minimum_saving_percent": terms.minimum_saving_percent,
        "eligible_items": sorted(str(item) for item in terms.eligible_items),
        "required_documents": sorted(terms.required_documents),
        "conditions": sorted(str(condition) for condition in terms.conditions),
    }
