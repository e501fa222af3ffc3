"""Periodic records shared by Art. 5-3 (central AC) and Art. 8-2 (boilers)."""

from __future__ import annotations

from datetime import date

from compliance.rules.exemptions import Item, obligation_start
from compliance.rules.params import RuleParameters
from compliance.rules.periods import due_periods
from compliance.rules.types import Finding, Outcome


def _label(period: tuple[date, date]) -> str:
    first, last = period
    if first == last:
        return f"{first:%Y-%m}"
    return f"{first:%Y-%m}..{last:%Y-%m}"


def records_finding(
    article: str,
    item: Item,
    logged_months: set[date],
    params: RuleParameters,
    on: date,
    interval_months: int,
    key: str,
) -> Finding | None:
    """Return whether an item has a complete record in every period due by ``on``.

    ``logged_months`` are the first days of the months with a complete record. The
    periods start when the obligation surely began for the item (see
    :func:`compliance.rules.exemptions.obligation_start`) and reach back at most
    ``params.log_lookback_months``. None when no period is due yet. Message keys:
    ``<key>.kept``, ``<key>.missing`` (``detail`` lists the periods without a record)
    and ``<key>.start_unknown``.
    """
    start = obligation_start(item, params)
    if start is None:
        return Finding(article, Outcome.UNKNOWN, f"{key}.start_unknown", subject=item.tag)
    periods = due_periods(start, on, interval_months, params.log_lookback_months)
    if not periods:
        return None
    missing = [
        period
        for period in periods
        if not any(period[0] <= month <= period[1] for month in logged_months)
    ]
    outcome = Outcome.NON_COMPLIANT if missing else Outcome.COMPLIANT
    return Finding(
        article,
        outcome,
        f"{key}.missing" if missing else f"{key}.kept",
        measured=len(periods) - len(missing),
        limit=len(periods),
        unit="periods",
        subject=item.tag,
        detail=", ".join(_label(period) for period in missing),
    )
