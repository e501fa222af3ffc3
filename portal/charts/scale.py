"""What every chart measures: text widths, round axis steps and numbers as written."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.utils.formats import localize, number_format

FONT_PX = 13

Number = int | Decimal


def text_width(text: str, font_px: int = FONT_PX) -> float:
    """Estimate how wide ``text`` is drawn: CJK characters are about twice a Latin one."""
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in ("W", "F"))
    return (len(text) - wide) * font_px * 0.6 + wide * font_px * 1.05


def nice_step(maximum: int, ticks: int = 5) -> int:
    """Return a step of 1, 2 or 5 times a power of ten giving at most ``ticks`` intervals."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= step * factor * ticks:
                return step * factor
        step *= 10


def scale_top(maximum: int) -> tuple[int, int]:
    """Return the axis step and the axis end (a whole number of steps) for ``maximum``."""
    step = nice_step(maximum)
    return step, step * -(-maximum // step)


def plain_number(value: Number) -> str:
    """Return a number as a template writes it (the language's decimal mark)."""
    return localize(value)


def grouped_number(value: Number) -> str:
    """Return ``value`` with the language's thousands separator and no trailing zeros."""
    places = 0
    if isinstance(value, Decimal):
        value = value.normalize()
        places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_quantity(value: Decimal | int | None) -> str:
    """Write a quantity with thousands separators and no needless decimals ("" for None)."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}"
    return text[:-3] if text.endswith(".00") else text
