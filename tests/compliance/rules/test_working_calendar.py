"""APA Art. 48 periods over the working calendar, table-driven (no database).

The calendar of these tests is Taiwan's 2026-2027 as the Directorate-General of Personnel
Administration published it (the Lunar New Year block of 2026 is 02-14 to 02-22; 2027-01-01
is a Friday holiday), plus a typhoon day and a make-up workday an administrator declared.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from compliance.rules.working_calendar import (
    CalendarError,
    WorkingCalendar,
    moved_by_change,
    period_end,
    period_ends,
)

LUNAR_NEW_YEAR_2026 = [date(2026, 2, d) for d in (16, 17, 18, 19, 20)]  # Mon-Fri off
NATIONAL_2026_2027 = [
    date(2026, 1, 1),
    *LUNAR_NEW_YEAR_2026,
    date(2026, 2, 27),  # Peace Memorial Day (observed: 02-28 is a Saturday)
    date(2026, 10, 9),  # National Day (observed: 10-10 is a Saturday)
    date(2026, 12, 25),  # Constitution Day
    date(2027, 1, 1),
]
TYPHOON_DAY = date(2026, 9, 29)  # a Tuesday the City declared off
MAKE_UP_WORKDAY = date(2026, 3, 14)  # a Saturday worked
CALENDAR = WorkingCalendar.of(
    rest_days=[*NATIONAL_2026_2027, TYPHOON_DAY], workdays=[MAKE_UP_WORKDAY]
)


@pytest.mark.parametrize(
    ("case", "event", "days", "ends"),
    [
        ("a weekday: the first day is not counted", date(2026, 12, 4), 14, date(2026, 12, 18)),
        ("a Saturday moves to Monday", date(2026, 12, 4), 15, date(2026, 12, 21)),
        ("a Sunday moves to Monday", date(2026, 12, 4), 16, date(2026, 12, 21)),
        (
            "a national holiday moves to the next workday",
            date(2026, 12, 11),
            14,
            date(2026, 12, 28),
        ),
        ("the Lunar New Year block moves past it", date(2026, 2, 2), 14, date(2026, 2, 23)),
        ("the block's first weekend too", date(2026, 1, 31), 14, date(2026, 2, 23)),
        (
            "an observed holiday (Friday before a Saturday)",
            date(2026, 9, 25),
            14,
            date(2026, 10, 12),
        ),
        ("the observed Peace Memorial Day", date(2026, 2, 13), 14, date(2026, 3, 2)),
        ("an administrator's typhoon day", date(2026, 9, 15), 14, date(2026, 9, 30)),
        ("a make-up workday ends the period on a Saturday", date(2026, 2, 28), 14, MAKE_UP_WORKDAY),
        (
            "14 days across the year end onto New Year's Day",
            date(2026, 12, 18),
            14,
            date(2027, 1, 4),
        ),
        ("30 days across the year end", date(2026, 12, 2), 30, date(2027, 1, 4)),
        ("60 days across the year end, on a Saturday", date(2026, 12, 1), 60, date(2027, 2, 1)),
        ("60 days ending on a weekday", date(2026, 11, 30), 60, date(2027, 1, 29)),
        ("one day after a Thursday", date(2026, 12, 24), 1, date(2026, 12, 28)),
    ],
)
def test_a_period_ends_as_apa_article_48_counts(case, event, days, ends):
    assert period_end(CALENDAR, event, days) == ends, case


def test_weekends_are_rest_days_and_make_up_days_are_not():
    assert not CALENDAR.is_working_day(date(2026, 12, 5))  # Saturday
    assert not CALENDAR.is_working_day(date(2026, 12, 6))  # Sunday
    assert CALENDAR.is_working_day(MAKE_UP_WORKDAY)
    assert not CALENDAR.is_working_day(TYPHOON_DAY)
    assert CALENDAR.is_working_day(date(2026, 12, 7))


def test_a_holiday_the_authority_works_through_is_a_workday():
    worked = WorkingCalendar.of(rest_days=[date(2026, 12, 25)], workdays=[date(2026, 12, 25)])

    assert worked.is_working_day(date(2026, 12, 25))
    assert period_end(worked, date(2026, 12, 11), 14) == date(2026, 12, 25)


def test_the_sweep_table_gives_one_date_per_period_length():
    assert period_ends(CALENDAR, date(2026, 12, 4), [14, 30, 14, 15]) == {
        14: date(2026, 12, 18),
        15: date(2026, 12, 21),
        30: date(2027, 1, 4),
    }


def test_working_days_after_skip_rest_days():
    assert CALENDAR.working_days_after(date(2026, 2, 13), 2) == [
        date(2026, 2, 23),
        date(2026, 2, 24),
    ]


@pytest.mark.parametrize("days", [0, -3])
def test_a_period_of_no_days_is_refused(days):
    with pytest.raises(ValueError, match="at least one day"):
        period_end(CALENDAR, date(2026, 12, 4), days)


def test_a_closure_without_end_is_an_error_in_the_data():
    closed = WorkingCalendar.of(
        rest_days=[date(2026, 1, 1) + timedelta(days=n) for n in range(400)]
    )

    with pytest.raises(CalendarError):
        period_end(closed, date(2025, 12, 20), 14)


def test_a_declared_day_off_moves_the_deadlines_that_end_on_it_and_no_other():
    before = WorkingCalendar.of(rest_days=NATIONAL_2026_2027)
    after = WorkingCalendar.of(rest_days=[*NATIONAL_2026_2027, TYPHOON_DAY])

    moved = moved_by_change(
        before, after, [TYPHOON_DAY, date(2026, 9, 30), date(2026, 9, 28), TYPHOON_DAY]
    )

    assert moved == {TYPHOON_DAY: date(2026, 9, 30)}


def test_opening_a_day_never_shortens_a_deadline():
    before = WorkingCalendar.of(rest_days=[*NATIONAL_2026_2027, TYPHOON_DAY])
    after = WorkingCalendar.of(rest_days=NATIONAL_2026_2027)

    assert moved_by_change(before, after, [date(2026, 9, 30)]) == {}
