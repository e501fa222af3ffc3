"""Calendar arithmetic of the ordinance: months, the Art. 19 grace, log periods.

Periods counted in months end as Civil Code Art. 121(2) says: on the day before the
corresponding day of the last month, or, where that month has no corresponding day,
on its last day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def month_start(day: date) -> date:
    """Return the first day of the month of ``day``."""
    return day.replace(day=1)


def add_months(month: date, months: int) -> date:
    """Return the first day of the month ``months`` after (or before) ``month``'s month."""
    index = month.year * 12 + (month.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Return how many months ``last``'s month is after ``first``'s month."""
    return (last.year - first.year) * 12 + (last.month - first.month)


def period_last_day(start: date, months: int) -> date:
    """Return the last day of a period of ``months`` months that begins on ``start``.

    Civil Code Art. 121(2): the day before the corresponding day of the last month;
    if that month has no corresponding day, the last day of that month.
    For 2025-01-01 and 6 months: 2025-06-30; for 2025-08-31 and 6 months: 2026-02-28.
    """
    target = add_months(start, months)
    last_day_of_target = calendar.monthrange(target.year, target.month)[1]
    if start.day > last_day_of_target:
        return target.replace(day=last_day_of_target)
    return target.replace(day=start.day) - timedelta(days=1)


def grace_last_day(effective_date: date, grace_months: int) -> date:
    """Return the last day of the Art. 19 grace: the period starts on the effective date."""
    return period_last_day(effective_date, grace_months)


def due_periods(
    start: date, on: date, interval_months: int, lookback_months: int
) -> list[tuple[date, date]]:
    """Return the record periods due by ``on`` for an obligation that began on ``start``.

    Arts. 5-3 and 8-2 require a record in every period of ``interval_months`` months
    (monthly: 1). Periods are anchored at ``start``'s month, so they do not shift with
    the assessment date. A period is due once it has ended before ``on``'s month (the
    current month may still be logged). Only periods whose last month lies within the
    ``lookback_months`` months before ``on``'s month are returned. Each period is
    (first month, last month), as first days of months.
    """
    current = month_start(on)
    oldest = add_months(current, -lookback_months)
    first = month_start(start)
    periods = []
    while True:
        last = add_months(first, interval_months - 1)
        if last >= current:
            return periods
        if last >= oldest:
            periods.append((first, last))
        first = add_months(first, interval_months)
