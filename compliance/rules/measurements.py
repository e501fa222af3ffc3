"""Figures computed from measurements: the average of points and the figure people read.

The one place that averages measured points and rounds them. Art. 5-5 compares the
*exact* average of the points measured with the air conditioning on with the floor
(``measured average ≥ 26.0``): 25.999 °C does not reach 26 °C. The figure shown on
pages, in reports and in explanations is that average rounded half-up to 0.01 °C
(25.967 °C is shown as 25.97 °C); the rounding never decides an outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal

# An explicit context: the average must not depend on the caller's decimal context.
_ARITHMETIC = Context(prec=28)
_SHOWN_PLACES = Decimal("0.01")


def average(values: Iterable[Decimal | None]) -> Decimal | None:
    """Return the exact average of the recorded values (None when none was recorded).

    Missing values (``None``) are left out rather than counted as zero.
    """
    recorded = [value for value in values if value is not None]
    if not recorded:
        return None
    return _ARITHMETIC.divide(sum(recorded, Decimal(0)), Decimal(len(recorded)))


def shown(value: Decimal | None) -> Decimal | None:
    """Return a computed figure as people read it: rounded half-up to 0.01."""
    if value is None:
        return None
    return value.quantize(_SHOWN_PLACES, rounding=ROUND_HALF_UP, context=_ARITHMETIC)


def shown_average(values: Iterable[Decimal | None]) -> Decimal | None:
    """Return the average of the recorded values as shown (half-up to 0.01), or None."""
    return shown(average(values))
