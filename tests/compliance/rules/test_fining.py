"""What a missed deadline costs (Arts. 10-4, 15-18): the decisions the deadline sweep writes.

Table-driven, no database: when a deadline counts as missed, the day of the offence,
the step, the amount (the last step repeating), the new deadline, and whether an
exemption excuses it.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from compliance.rules import (
    ExemptionGrant,
    FineDecision,
    Overdue,
    PenaltySchedule,
    RectificationPeriod,
    Served,
    WorkingCalendar,
    after_service,
    covering_grant,
    earliest_fineable_deadline,
    is_due,
    last_missed_deadline,
    next_fine,
    offence_day,
)
from compliance.rules.lifecycle import Action, State, state_after_decision, states_allowing
from tests.compliance.rules.helpers import PARAMS

DAY = date(2026, 12, 1)  # the day the sweep judges (a Tuesday)
YESTERDAY = DAY - timedelta(days=1)
# Weekends only; the calendar's own arithmetic is tested in test_working_calendar.py.
CAL = WorkingCalendar()


def days(n: int) -> timedelta:
    return timedelta(days=n)


def case(article="5-5", deadline=YESTERDAY, fines_issued=0, **changes) -> Overdue:
    """A case whose missed deadline was verified as not rectified on DAY (unless changed)."""
    return Overdue(
        article=article,
        found_on=changes.pop("found_on", date(2026, 11, 2)),
        deadline=deadline,
        fines_issued=fines_issued,
        fine_due_on=changes.pop("fine_due_on", DAY),
        **changes,
    )


def test_a_deadline_is_missed_only_the_day_after_it():
    assert last_missed_deadline(DAY) == YESTERDAY
    assert last_missed_deadline(date(2027, 1, 1)) == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("deadline", "due"),
    [
        (DAY + days(1), False),  # still running
        (DAY, False),  # the last day to rectify
        (YESTERDAY, True),  # missed yesterday
        (DAY - days(30), True),  # missed long ago (a missed night caught up)
    ],
)
def test_a_deadline_is_due_once_it_has_passed(deadline, due):
    assert is_due(case(deadline=deadline), DAY) is due


@pytest.mark.parametrize(
    ("fine_due_on", "due"),
    [
        (None, False),  # passed, but nobody has verified it was not met
        (DAY + days(1), False),  # verified; the period to state an opinion still runs
        (DAY, True),  # verified today, no statement period (or it ended yesterday)
        (DAY - days(10), True),  # due since a missed night
    ],
    ids=["unverified", "statement period runs", "due today", "due earlier"],
)
def test_a_missed_deadline_is_due_only_once_verified_and_after_any_statement_period(
    fine_due_on, due
):
    assert is_due(case(fine_due_on=fine_due_on), DAY) is due


@pytest.mark.parametrize(
    ("deadline", "day", "due"),
    [
        # APenA Art. 27: three years from the offence (the day after the deadline).
        (date(2023, 11, 30), date(2026, 11, 30), True),  # the last day of the limit
        (date(2023, 11, 30), date(2026, 12, 1), False),  # one day too late
        (date(2024, 2, 28), date(2027, 2, 28), True),  # offence on 29 February 2024
        (date(2024, 2, 28), date(2027, 3, 1), False),
    ],
)
def test_no_fine_once_three_years_have_passed_since_the_offence(deadline, day, due):
    overdue = case(deadline=deadline, fine_due_on=deadline + days(1))
    assert is_due(overdue, day) is due
    # The sweep's claim reads its bound from the engine: they draw the same line.
    assert (deadline >= earliest_fineable_deadline(day)) is due


@pytest.mark.parametrize(
    ("article", "fines_issued", "due"),
    [
        ("10-1", 0, True),  # Art. 17: fined directly, once
        ("10-1", 1, False),
        ("5-5", 0, False),  # a rectifiable article always has a deadline
        ("12", 0, False),
    ],
)
def test_without_a_deadline_only_a_refusal_not_yet_fined_is_due(article, fines_issued, due):
    assert is_due(case(article, deadline=None, fines_issued=fines_issued), DAY) is due


@pytest.mark.parametrize(
    ("overdue", "offence"),
    [
        (case(deadline=date(2026, 11, 16)), date(2026, 11, 17)),
        (case(deadline=date(2026, 12, 31)), date(2027, 1, 1)),
        (case(deadline=date(2028, 2, 28)), date(2028, 2, 29)),
        (case("10-1", deadline=None, found_on=date(2026, 11, 2)), date(2026, 11, 2)),
    ],
)
def test_the_offence_is_the_day_after_the_deadline_or_the_refusal_itself(overdue, offence):
    assert offence_day(overdue) == offence


# The initial rule book: Art. 15 10,000/20,000/30,000; Art. 16 20,000/35,000/50,000;
# Art. 17 30,000/40,000/50,000; Art. 18 30,000/40,000/50,000; periods in days by article.
SCHEDULES = {s.penalty_article: s.amounts_ntd for s in PARAMS.penalty_schedules}
ARTICLES = [("5-5", "15"), ("5-3", "16"), ("12", "18")]


@pytest.mark.parametrize(("article", "penalty"), ARTICLES)
@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_the_nth_fine_takes_the_nth_step_and_the_last_step_repeats(article, penalty, step):
    schedule = SCHEDULES[penalty]
    decision = next_fine(case(article, fines_issued=step - 1), DAY, PARAMS, CAL)
    period = PARAMS.rectification_days_for(article)
    assert decision == FineDecision(
        step=step,
        penalty_article=penalty,
        amount_ntd=schedule[min(step, len(schedule)) - 1],
        schedule=schedule,
        offence_on=DAY,
        rectify_within_days=period,
    )


def test_a_missed_night_is_priced_on_the_day_of_the_offence_and_the_period_runs_from_service():
    decision = next_fine(case(deadline=DAY - days(5)), DAY, PARAMS, CAL)
    assert decision.offence_on == DAY - days(4)
    assert decision.rectify_within_days == PARAMS.rectification_days_for("5-5")
    served = after_service(DAY + days(3), CAL, appeal_days=30, rectify_within_days=14)
    assert served.new_deadline == DAY + days(3 + 14)


def test_a_new_deadline_on_a_saturday_ends_on_the_next_working_day():
    # Served on Friday 2026-12-04 with 15 days: the last day is Saturday 12-19 -> Monday.
    friday = date(2026, 12, 4)
    served = after_service(friday, CAL, appeal_days=30, rectify_within_days=15)
    assert served.new_deadline == date(2026, 12, 21)


def test_the_appeal_period_runs_thirty_days_from_the_day_after_service_on_working_days():
    # Served Wednesday 2026-12-02: day 30 is Friday 2027-01-01, New Year's Day, so the
    # period ends on the next working day, Monday 2027-01-04 (APA Art. 48).
    calendar = WorkingCalendar(rest_days=frozenset({date(2027, 1, 1)}))
    served = after_service(date(2026, 12, 2), calendar, appeal_days=30, rectify_within_days=None)
    assert served == Served(appeal_until=date(2027, 1, 4), new_deadline=None)
    # Served a day later: day 30 is Saturday 2027-01-02, which also moves to Monday.
    later = after_service(date(2026, 12, 3), calendar, appeal_days=30, rectify_within_days=None)
    assert later.appeal_until == date(2027, 1, 4)
    # Without the holiday, Friday 2027-01-01 is the last day.
    plain = after_service(date(2026, 12, 2), CAL, appeal_days=30, rectify_within_days=None)
    assert plain.appeal_until == date(2027, 1, 1)


def test_a_refusal_is_fined_the_first_step_of_art_17_without_a_new_deadline():
    found = date(2026, 11, 2)
    decision = next_fine(case("10-1", deadline=None, found_on=found), found, PARAMS, CAL)
    assert decision == FineDecision(1, "17", SCHEDULES["17"][0], SCHEDULES["17"], found, None)


def test_the_amounts_come_from_the_parameters_given():
    params = replace(
        PARAMS,
        penalty_schedules=(PenaltySchedule("15", (15_000, 25_000)),),
        rectification_periods=(RectificationPeriod("5-5", 7),),
    )
    decisions = [next_fine(case(fines_issued=n), DAY, params, CAL) for n in range(3)]
    assert [d.amount_ntd for d in decisions] == [15_000, 25_000, 25_000]
    assert {d.rectify_within_days for d in decisions} == {7}


@pytest.mark.parametrize(
    "params",
    [
        None,  # no rule book in force on the day of the offence
        replace(PARAMS, penalty_schedules=()),  # no schedule for the penalty article
        replace(PARAMS, rectification_periods=()),  # no period for a new deadline
    ],
    ids=["no rule book", "no schedule", "no period"],
)
def test_a_fine_the_rule_book_cannot_price_is_not_decided(params):
    assert next_fine(case(), DAY, params, CAL) is None


def test_a_refusal_needs_no_period():
    params = replace(PARAMS, rectification_periods=())
    assert next_fine(case("10-1", deadline=None), DAY, params, CAL).rectify_within_days is None


@pytest.mark.parametrize(
    "overdue",
    [case(deadline=DAY), case("10-1", deadline=None, fines_issued=1)],
    ids=["deadline not passed", "refusal already fined"],
)
def test_a_case_not_due_is_refused(overdue):
    with pytest.raises(ValueError, match="not due"):
        next_fine(overdue, DAY, PARAMS, CAL)


DEADLINE = date(2026, 11, 16)
OFFENCE = DEADLINE + days(1)


def grant(**changes) -> ExemptionGrant:
    values = {
        "article": "5-5",
        "valid_from": date(2026, 11, 1),
        "decided_on": date(2026, 11, 10),
        "reason": "medical",
    }
    return ExemptionGrant(**{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "covers"),
    [
        ({}, True),
        ({"decided_on": DEADLINE}, True),  # granted on the last day to rectify
        ({"decided_on": OFFENCE}, False),  # granted after the deadline was missed
        ({"decided_on": None}, False),  # never decided
        ({"valid_from": OFFENCE}, True),  # in force from the day of the offence
        ({"valid_from": OFFENCE + days(1)}, False),
        ({"valid_until": OFFENCE}, True),
        ({"valid_until": DEADLINE}, False),  # ended before the offence
        ({"revoked_on": OFFENCE + days(1)}, True),
        ({"revoked_on": OFFENCE}, False),  # revoked on the day of the offence
        ({"article": "5-1"}, False),  # another article
        ({"equipment_tag": "AC-1"}, True),  # the equipment the violation concerns
        ({"equipment_tag": "AC-2"}, False),
    ],
)
def test_an_exemption_granted_by_the_deadline_and_valid_on_the_offence_excuses_it(changes, covers):
    violation = case(deadline=DEADLINE, subject="AC-1")
    found = covering_grant((grant(**changes),), violation)
    assert (found is not None) is covers


def test_a_premises_wide_grant_covers_every_subject_and_the_first_that_covers_is_named():
    first, second = grant(reference="exemption-1"), grant(reference="exemption-2")
    excused = covering_grant((grant(article="5-1"), first, second), case(deadline=DEADLINE))
    assert excused == first
    assert covering_grant((), case(deadline=DEADLINE)) is None


def test_no_grant_excuses_a_refused_inspection():
    refusal = case("10-1", deadline=None)
    assert covering_grant((grant(article="10-1"),), refusal) is None


def test_the_sweep_may_fine_open_and_fined_violations_only():
    assert states_allowing(Action.FINE) == (State.OPEN, State.FINED)
    assert states_allowing(Action.EXEMPT) == (State.OPEN, State.FINED)
    assert states_allowing("close") == (State.RECTIFIED, State.FINED)


@pytest.mark.parametrize(
    ("state", "after"),
    [("open", "fined"), ("fined", "fined"), ("rectified", "rectified"), ("closed", None)],
)
def test_approving_a_proposal_fines_a_running_case_and_leaves_a_rectified_one(state, after):
    # A fine punishes the deadline missed: a case rectified since stays rectified; a
    # closed or cancelled case is fined no more (its proposal is cancelled instead).
    assert state_after_decision(state) == (State(after) if after else None)
    assert state_after_decision("cancelled") is None
