"""Read and write single CSV cells: one text format per kind of model field.

Choices take their stored value (``split``, ``natural_gas``), booleans true/false (also
yes/no, 1/0, 是/否), numbers a dot for decimals, dates ``YYYY-MM-DD``; an empty cell is an
empty value. Text cells that a spreadsheet would run as a formula are written with a
leading apostrophe, which reading removes again.
"""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _

# A spreadsheet treats a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "t"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "f"})

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CellError(ValueError):
    """A cell whose text is not a value of its column; the message is for the user."""


def guard_formula(text: str) -> str:
    """Return ``text`` with an apostrophe before it if a spreadsheet would run it."""
    return GUARD + text if text.startswith(FORMULA_PREFIXES) else text


def unguard_formula(text: str) -> str:
    """Remove the apostrophe :func:`guard_formula` added, and only that one."""
    if text.startswith(GUARD) and text[1:2] and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def empty_value(field: models.Field):
    """Return the value of ``field`` that an empty cell stands for."""
    return None if field.null else ""


@functools.cache
def _choice_values(field: models.Field) -> tuple[list[str], dict[str, str]]:
    """Return a choice field's stored values, and each by its lower case (the first wins)."""
    allowed = [str(value) for value, _label in field.flatchoices]
    by_lowercase: dict[str, str] = {}
    for value in allowed:
        by_lowercase.setdefault(value.lower(), value)
    return allowed, by_lowercase


def parse_cell(field: models.Field, text: str):
    """Return the value of ``field`` written as ``text`` (already stripped).

    Raise :class:`CellError` with a message naming the expected format.
    """
    if text == "":
        return empty_value(field)
    if field.choices:
        allowed, by_lowercase = _choice_values(field)
        if text.lower() in by_lowercase:
            return by_lowercase[text.lower()]
        raise CellError(
            _("“%(value)s” is not allowed here. Allowed values: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(allowed)}
        )
    if isinstance(field, models.BooleanField):
        lowered = text.lower()
        if lowered in TRUE_WORDS:
            return True
        if lowered in FALSE_WORDS:
            return False
        raise CellError(_("Enter true or false (also yes/no, 1/0 or 是/否)."))
    if isinstance(field, models.DecimalField):
        if not _DECIMAL.match(text):
            raise CellError(
                _("Enter a number such as 7.5 (a dot for decimals, no thousands separators).")
            )
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise CellError(_("Enter a number such as 7.5.")) from exc
    if isinstance(field, models.IntegerField):
        if not _INTEGER.match(text):
            raise CellError(_("Enter a whole number such as 40."))
        return int(text)
    if isinstance(field, models.DateField):
        try:
            if not _DATE.match(text):
                raise ValueError(text)
            return datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise CellError(_("Enter a date as YYYY-MM-DD, e.g. 2024-05-01.")) from exc
    return text


def format_cell(value) -> str:
    """Return the CSV text of a field value, the inverse of :func:`parse_cell`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return guard_formula(value)
    return str(value)
