"""What the energy-use register and enforcement say for Art. 14: savings and suggestions.

:func:`measured_saving` reads the register's monthly figures around an installation;
:func:`schemes_for_violation` names the schemes that would pay for fixing a violation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from compliance.energy.services import register
from compliance.models import MonthlyEnergyUse, Premises, Violation
from subsidies.models import Scheme
from subsidies.rules import suggest

SAVING_MONTHS = 3


def measured_saving(
    premises: Premises | None, installed_on: datetime.date, today: datetime.date
) -> Decimal | None:
    """Return the electricity saving measured by the register around an installation.

    The average monthly kWh of the premises' matched accounts over the
    :data:`SAVING_MONTHS` months before the installation's month is compared with the
    months after it up to ``today``'s month (at most as many, latest first); None when
    either side has no figure (the register has none for this premises).
    """
    if premises is None:
        return None
    start = register.first_of_month(installed_on)
    rows = (
        MonthlyEnergyUse.objects.filter(
            account__premises=premises, account__energy_type="electricity", unit="kwh"
        )
        .filter(
            month__gte=register.first_of_month(installed_on, SAVING_MONTHS),
            month__lt=register.first_of_month(today),
        )
        .values("month")
        .annotate(total=Sum("quantity"))
    )
    totals = {row["month"]: row["total"] for row in rows}
    before = [total for month, total in totals.items() if month < start]
    after = sorted(((m, t) for m, t in totals.items() if m > start), reverse=True)
    after = [total for _month, total in after[:SAVING_MONTHS]]
    if not before or not after:
        return None
    average_before = sum(before) / len(before)
    if average_before <= 0:
        return None
    average_after = sum(after) / len(after)
    saving = (average_before - average_after) / average_before * 100
    # The field holds -999.99 to 999.99: a use grown more than tenfold reads as -999.99.
    return max(saving, Decimal("-999.99")).quantize(Decimal("0.01"))


def schemes_for_violation(
    violation: Violation, schemes: Iterable[Scheme], today: datetime.date | None = None
) -> list[tuple[Scheme, list[str]]]:
    """Return the schemes (with the items) that would pay for fixing ``violation``.

    Schemes whose window has closed are left out; the given order is kept.
    """
    rows = {scheme.code: scheme for scheme in schemes}
    suggestions = suggest.schemes_for(
        [violation.article],
        [scheme.terms() for scheme in rows.values()],
        today or timezone.localdate(),
    )
    return [(rows[found.scheme.code], sorted(found.items)) for found in suggestions]
