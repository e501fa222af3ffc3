"""Read dates as the sources write them: a day, a month, a year, or a range of them.

Pure Python (no Django): ``2010-06-19``, ``2010-06``, ``2011``, ``2015 (autumn)`` (the
words in brackets are kept by the caller, not read) and ``2010-11-13/2010-11-14``.
A period is stored as its first day and the precision the source gives.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

DAY = "day"
MONTH = "month"
YEAR = "year"

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_QUALIFIER = re.compile(r"\s*\([^()]*\)$")


class PeriodError(ValueError):
    """The text is not a date, month, year or range of them."""


@dataclass(frozen=True)
class Period:
    """A date as precise as the source: its first day, its last day and the precision."""

    start: datetime.date
    end: datetime.date
    precision: str


def _one(text: str) -> Period:
    try:
        if match := _DAY.match(text):
            day = datetime.date(*(int(part) for part in match.groups()))
            return Period(day, day, DAY)
        if match := _MONTH.match(text):
            year, month = (int(part) for part in match.groups())
            last = calendar.monthrange(year, month)[1]
            return Period(datetime.date(year, month, 1), datetime.date(year, month, last), MONTH)
        if match := _YEAR.match(text):
            year = int(match.group(1))
            return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), YEAR)
    except ValueError as exc:  # month 13, day 31 of a 30-day month, ...
        raise PeriodError(text) from exc
    raise PeriodError(text)


def parse_period(text: str) -> Period:
    """Return the period ``text`` names; raise :class:`PeriodError` if it names none.

    A trailing qualifier in brackets (``2015 (autumn)``) is ignored; a range ``A/B``
    takes its start from A, its end from B and the precision of A.
    """
    text = _QUALIFIER.sub("", text.strip())
    if "/" in text:
        first, _sep, last = text.partition("/")
        start, end = _one(first.strip()), _one(last.strip())
        if end.end < start.start:
            raise PeriodError(text)
        return Period(start.start, end.end, start.precision)
    return _one(text)
