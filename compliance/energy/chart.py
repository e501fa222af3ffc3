"""A premises' monthly energy use over time, one chart per energy type (Art. 12).

The figures are the premises' matched accounts summed per month and energy type
(``register.monthly_use_of``, one query); the reference line is the register threshold
in force in each month (the published rule book, one query), the same threshold that
puts a premises on the register. Each energy type has its own chart because each has
its own unit. The geometry and drawing are :mod:`portal.charts`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from compliance.energy.models.energy_use import EnergyTypeChoice, EnergyUnit
from compliance.energy.services import register
from compliance.models import Premises
from compliance.rulebook.bridge import PublishedRuleBook
from portal.charts import LineChart, format_quantity, month_label, monthly_line_chart

MONTHS_SHOWN = 24


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _threshold(book: PublishedRuleBook, month: datetime.date, energy_type: str, unit: str):
    parameters = book.parameters_on(month)
    for row in parameters.energy_use_thresholds if parameters else ():
        if row.energy_type == energy_type and row.unit == unit:
            return row.monthly_amount
    return None


def premises_use_charts(premises: Premises) -> list[LineChart]:
    """Return one chart per energy type of the premises' last :data:`MONTHS_SHOWN` months.

    An empty list means no supplier has reported use for the premises.
    """
    rows = register.monthly_use_of(premises, months=MONTHS_SHOWN)
    if not rows:
        return []
    last = rows[0]["month"]
    first = min(
        row["month"]
        for row in rows
        if row["month"] >= register.first_of_month(last, MONTHS_SHOWN - 1)
    )
    months = _months(first, last)
    series: dict[tuple[str, str], dict[datetime.date, Decimal]] = {}
    for row in rows:
        if row["month"] >= first:
            key = (row["account__energy_type"], row["unit"])
            series.setdefault(key, {})[row["month"]] = row["total"]
    book = PublishedRuleBook.load()
    charts = []
    order = list(EnergyTypeChoice.values)
    for energy_type, unit in sorted(series, key=lambda key: (order.index(key[0]), key[1])):
        values = series[(energy_type, unit)]
        thresholds = {month: _threshold(book, month, energy_type, unit) for month in months}
        type_label = str(EnergyTypeChoice(energy_type).label)
        unit_label = str(EnergyUnit(unit).label) if unit in EnergyUnit.values else unit
        latest = thresholds[last]
        names = {
            "type": type_label,
            "unit": unit_label,
            "premises": premises.name,
            "first": month_label(first),
            "last": month_label(last),
        }
        if latest is None:
            reference_label = _("No register threshold is published for %(type)s.") % names
        else:
            reference_label = _("Register threshold: %(amount)s %(unit)s a month") % {
                **names,
                "amount": format_quantity(latest),
            }
        charts.append(
            monthly_line_chart(
                f"energy-use-{energy_type}-{unit}",
                title=_("%(type)s use (%(unit)s) by month") % names,
                desc=_(
                    "%(premises)s, %(type)s: the monthly use from %(first)s to %(last)s in "
                    "%(unit)s, all its accounts together, and the register threshold in "
                    "force each month."
                )
                % names,
                unit=unit_label,
                series_label=_("Use (%(unit)s)") % names,
                reference_label=reference_label,
                reference_header=_("Register threshold (%(unit)s)") % {"unit": unit_label},
                reaches_header=_("Reaches the threshold"),
                months=months,
                values=values,
                references=thresholds,
            )
        )
    return charts
