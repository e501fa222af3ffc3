"""Establishing non-rectification before a fine (APenA Arts. 27, 42), table-driven.

What a re-inspection's or the records' findings say about a case, which facts count
as verifying a missed deadline, the period to state an opinion on the working calendar,
the day a fine becomes due, and the three-year limit.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from compliance.rules import (
    RECORD_VERIFIABLE_ARTICLES,
    Exemption,
    Finding,
    Outcome,
    StatementPeriod,
    WorkingCalendar,
    counts_as_verification,
    earliest_fineable_deadline,
    fine_due_on,
    limitation_ends,
    statement_until,
    time_barred,
    verifiable_from_records,
)
from compliance.rules.verification import Result, result_of
from tests.compliance.rules.helpers import PARAMS

LUNAR_NEW_YEAR_2026 = [date(2026, 2, d) for d in (16, 17, 18, 19, 20)]
CALENDAR = WorkingCalendar.of(rest_days=LUNAR_NEW_YEAR_2026)


def finding(outcome, article="5-5", subject=None, **changes) -> Finding:
    return Finding(article=article, outcome=outcome, message_key="test", subject=subject, **changes)


COMPLIANT, WRONG, UNKNOWN = Outcome.COMPLIANT, Outcome.NON_COMPLIANT, Outcome.UNKNOWN


@pytest.mark.parametrize(
    ("findings", "article", "subject", "result"),
    [
        ([finding(WRONG)], "5-5", "", Result.PERSISTING),
        ([finding(COMPLIANT)], "5-5", "", Result.RECTIFIED),
        # One point still too cold: the violation persists.
        ([finding(COMPLIANT), finding(WRONG)], "5-5", "", Result.PERSISTING),
        # Nothing measured for it: nothing established either way.
        ([finding(UNKNOWN)], "5-5", "", None),
        ([finding(WRONG, article="6-1")], "5-5", "", None),
        ([], "5-5", "", None),
        # Another unit of equipment is not this case.
        ([finding(WRONG, article="5-4", subject="AC-2")], "5-4", "AC-1", None),
        ([finding(COMPLIANT, article="5-4", subject="AC-1")], "5-4", "AC-1", Result.RECTIFIED),
        # Compliant only by an exemption: the facts persist (the exemption may spare
        # the fine: that is the sweep's question).
        ([finding(COMPLIANT, exemption=Exemption.ART19_GRACE)], "5-5", "", Result.PERSISTING),
        # One point too cold establishes it, even if another was not measured.
        ([finding(WRONG), finding(UNKNOWN)], "5-5", "", Result.PERSISTING),
        ([finding(COMPLIANT), finding(UNKNOWN)], "5-5", "", None),
    ],
)
def test_what_the_findings_say_about_a_case(findings, article, subject, result):
    assert result_of(findings, article, subject) == result


@pytest.mark.parametrize(
    ("deadline", "day", "counts"),
    [
        (date(2026, 12, 7), date(2026, 12, 8), True),  # the day after the deadline
        (date(2026, 12, 7), date(2026, 12, 7), False),  # the last day to rectify
        (date(2026, 12, 7), date(2026, 12, 1), False),  # before it: progress, not a verdict
        (None, date(2026, 12, 8), False),  # Art. 17: nothing to rectify
    ],
)
def test_only_facts_found_after_the_deadline_verify_it(deadline, day, counts):
    assert counts_as_verification(deadline, day) is counts


def test_the_records_verify_the_record_keeping_duties_only():
    assert {"5-3", "8-2", "12"} == RECORD_VERIFIABLE_ARTICLES
    assert verifiable_from_records("8-2")
    assert not verifiable_from_records("5-5")


WITH_STATEMENT = replace(PARAMS, statement_periods=(StatementPeriod("5-5", 7),))


@pytest.mark.parametrize(
    ("article", "verified_on", "until"),
    [
        ("5-5", date(2026, 12, 1), date(2026, 12, 8)),  # Tuesday + 7 = Tuesday
        ("5-5", date(2026, 12, 4), date(2026, 12, 11)),
        # The 7th day is Friday 02-13, a working day before the block.
        ("5-5", date(2026, 2, 6), date(2026, 2, 13)),
        # Verified on 2026-02-09: the 7th day is Monday 02-16, in the Lunar New Year
        # block, so the period ends on Monday 02-23.
        ("5-5", date(2026, 2, 9), date(2026, 2, 23)),
        ("5-1", date(2026, 12, 1), None),  # no row: the Art. 42 exceptions apply
    ],
)
def test_the_period_to_state_an_opinion_follows_the_rule_book_and_the_calendar(
    article, verified_on, until
):
    assert statement_until(article, verified_on, WITH_STATEMENT, CALENDAR) == until


def test_the_initial_rule_book_gives_no_statement_period():
    assert statement_until("5-5", date(2026, 12, 1), PARAMS, CALENDAR) is None


@pytest.mark.parametrize(
    ("verified_on", "until", "due"),
    [
        (date(2026, 12, 1), None, date(2026, 12, 1)),  # fined from the day it is verified
        (date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 9)),  # after the period
    ],
)
def test_the_fine_is_due_after_the_verification_and_any_statement_period(verified_on, until, due):
    assert fine_due_on(verified_on, until) == due


@pytest.mark.parametrize(
    ("offence", "last_day"),
    [
        (date(2026, 1, 10), date(2029, 1, 9)),
        (date(2024, 2, 29), date(2027, 2, 28)),  # no 29 February in 2027
        (date(2023, 12, 1), date(2026, 11, 30)),
    ],
)
def test_the_power_to_fine_lapses_three_years_after_the_offence(offence, last_day):
    assert limitation_ends(offence) == last_day
    assert not time_barred(offence, last_day)
    assert time_barred(offence, last_day + timedelta(days=1))


@pytest.mark.parametrize(
    "day",
    [date(2026, 12, 6) + timedelta(days=n) for n in range(0, 800, 7)]
    + [date(2027, 2, 28), date(2027, 3, 1), date(2028, 2, 29), date(2028, 3, 1)],
)
def test_the_sweeps_bound_is_exactly_the_limit(day):
    earliest = earliest_fineable_deadline(day)
    # The earliest deadline may still be fined; the day before it may not.
    assert not time_barred(earliest + timedelta(days=1), day)
    assert time_barred(earliest, day)
