"""Periods counted in days as the Administrative Procedure Act counts them (APA Art. 48).

- A period of N days starts the day after the event: the first day is not counted.
- When its last day falls on a day the authority is closed — a Saturday, a Sunday, a
  national holiday or its observed day, another rest day such as a day off the City declares
  for a typhoon — the period ends on the next day the authority works.
- Which days are rest days is data (``WorkingCalendar``): national holidays, observed days,
  days the City declares, and make-up workdays (補班日) that fall on a weekend. A national
  holiday the authority works through is not a rest day (it is simply not in the data).

Every period the portal sets — rectification deadlines, new deadlines after a fine,
supplier data deadlines, appeal periods, periods to state an opinion — ends on
``period_end``. Set-based SQL never restates this: the sweep passes the dates computed
here as data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

SATURDAY = 5
ONE_DAY = timedelta(days=1)
# A run of closed days longer than this means the calendar data is wrong (the Lunar New
# Year block with its weekends is at most about ten days).
LONGEST_CLOSURE_DAYS = 60


class CalendarError(ValueError):
    """Calendar data that cannot be right (a closure without end)."""


@dataclass(frozen=True)
class WorkingCalendar:
    """The days the authority is closed besides weekends, and the weekend days it works.

    ``rest_days``: national holidays, their observed days and days declared off (typhoon
    days), on any weekday. ``workdays``: make-up workdays on a Saturday or Sunday, and
    any day an administrator declares open. A day in both is a workday (the later
    declaration is applied before the calendar reaches the engine).
    """

    rest_days: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    @classmethod
    def of(cls, rest_days: Iterable[date] = (), workdays: Iterable[date] = ()) -> WorkingCalendar:
        """Return a calendar of these days."""
        return cls(frozenset(rest_days), frozenset(workdays))

    def is_working_day(self, day: date) -> bool:
        """Return whether the authority works on ``day``."""
        if day in self.workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.rest_days

    def next_working_day(self, day: date) -> date:
        """Return ``day`` if the authority works on it, else the next day it works."""
        for _ in range(LONGEST_CLOSURE_DAYS):
            if self.is_working_day(day):
                return day
            day += ONE_DAY
        raise CalendarError(f"No working day within {LONGEST_CLOSURE_DAYS} days of {day}.")

    def working_days_after(self, day: date, count: int) -> list[date]:
        """Return the first ``count`` working days after ``day`` (``day`` not included)."""
        found: list[date] = []
        while len(found) < count:
            day = self.next_working_day(day + ONE_DAY)
            found.append(day)
        return found


def period_end(calendar: WorkingCalendar, event_day: date, days: int) -> date:
    """Return the last day of a period of ``days`` days that runs from ``event_day``.

    APA Art. 48: the day of the event is not counted, so the period's nominal last day is
    ``event_day + days``; if the authority is closed that day, the period ends on the next
    day it works. A notice served on Friday 2026-12-04 with 14 days ends on Friday
    2026-12-18; one of 15 days would end on Saturday 12-19 and so ends on Monday 12-21.
    """
    if days < 1:
        raise ValueError(f"A period is at least one day, not {days}.")
    return calendar.next_working_day(event_day + timedelta(days=days))


def period_ends(
    calendar: WorkingCalendar, event_day: date, periods: Iterable[int]
) -> dict[int, date]:
    """Return ``period_end`` for each length in ``periods`` (the sweep's table of dates)."""
    return {days: period_end(calendar, event_day, days) for days in set(periods)}


def moved_by_change(
    before: WorkingCalendar, after: WorkingCalendar, deadlines: Iterable[date]
) -> dict[date, date]:
    """Return {old deadline: new deadline} for the deadlines a calendar change moves.

    A deadline was the first working day on or after its nominal last day under
    ``before``. When ``after`` closes that day (a typhoon day declared), the deadline moves
    to the next working day under ``after``. Opening a day never shortens a period that
    was already set: a deadline is only ever moved later.
    """
    moved = {}
    for deadline in set(deadlines):
        if before.is_working_day(deadline) and not after.is_working_day(deadline):
            moved[deadline] = after.next_working_day(deadline)
    return moved
