"""Builders of the Art. 14 scheme and application tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from subsidies.models import Application, Scheme


def make_scheme(code: str = "lamps", **fields) -> Scheme:
    """Return a published lamp/AC scheme paying 50 % up to NT$500,000, open 2000-2100."""
    values = {
        "title": "Lamp replacement subsidy",
        "category": "using_products",
        "opens_on": date(2000, 1, 1),
        "closes_on": date(2100, 12, 31),
        "budget_ntd": 10_000_000,
        "support_rate_cap": Decimal("0.50"),
        "project_cap_ntd": 500_000,
        "eligible_items": ["lamp_replacement", "high_eer_ac"],
        "required_documents": ["quotation"],
        "conditions": ["no_unpaid_fine", "no_overdue_violation"],
        "published": True,
    }
    values.update(fields)
    return Scheme.objects.create(code=code, **values)


def make_application(scheme: Scheme, premises, *, status: str = "draft", **fields) -> Application:
    """Return an application of ``premises``' business for NT$200,000 of lamps in ``status``."""
    values = {
        "items": ["lamp_replacement"],
        "eligible_cost_ntd": 200_000,
        "eligible_amount_ntd": 100_000 if status != "draft" else None,
    }
    values.update(fields)
    application = Application.objects.create(
        scheme=scheme, business=premises.business, premises=premises, status=status, **values
    )
    if status != "draft":
        application.documents.create(kind="quotation", original_name="quotation.pdf")
    return application


def matrix_objects(premises, owner) -> dict[str, int]:
    """The Art. 14 rows of the permission matrix: schemes, a reward call, their applications."""
    from subsidies.models import RewardCriterion

    scheme = make_scheme("matrix-scheme")
    application = make_application(scheme, premises, status="submitted")
    call = make_scheme("matrix-call", category="excellent_performance")
    RewardCriterion.objects.create(scheme=call, code="saving", label="Saving", weight=100)
    entry = make_application(call, premises, status="under_review")
    return {
        "scheme": scheme.pk,
        "application": application.pk,
        "reward_call": call.pk,
        "reward_entry": entry.pk,
    }
