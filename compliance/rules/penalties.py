"""Penalties and deadlines of Chapter 4 (Arts. 15-18) and Art. 10-4.

The statutory ranges are the ordinance's own text, so they are constants here, not
parameters: a penalty schedule the City publishes must stay inside them.

What a missed deadline costs is decided here and nowhere else: when a deadline counts
as missed, the day of the offence (which picks the rule book in force), the step, the
amount (the last step repeating) and the new deadline. The deadline sweep only claims
rows and writes these decisions (``compliance/enforcement/services/sweep.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from compliance.rules.messages import render_parameter_message
from compliance.rules.params import RuleParameters
from compliance.rules.verification import time_barred
from compliance.rules.working_calendar import WorkingCalendar, period_end

# Which penalty article punishes a violation of which obligation. "12" is an energy
# supplier not providing the Art. 12 data when ordered (Art. 18). Art. 9 has none.
PENALTY_ARTICLE_FOR: dict[str, str] = {
    "5-1": "15",
    "5-2": "15",
    "5-4": "15",
    "5-5": "15",
    "6-1": "15",
    "6-2": "15",
    "6-3": "15",
    "7": "15",
    "5-3": "16",
    "8-1": "16",
    "8-2": "16",
    "10-1": "17",
    "12": "18",
}

# Arts. 15-18: the fine range in whole NT$, both ends included.
STATUTORY_FINE_RANGE_NTD: dict[str, tuple[int, int]] = {
    "15": (10_000, 30_000),
    "16": (20_000, 50_000),
    "17": (30_000, 50_000),
    "18": (30_000, 50_000),
}

# Art. 17: refusing an inspection is fined directly, without a rectification period.
FINED_WITHOUT_RECTIFICATION = frozenset({"17"})

# The obligations whose violation is ordered rectified within a deadline (Art. 10-4).
RECTIFIABLE_ARTICLES: tuple[str, ...] = tuple(
    article
    for article, penalty in PENALTY_ARTICLE_FOR.items()
    if penalty not in FINED_WITHOUT_RECTIFICATION
)


class PenaltyScheduleError(ValueError):
    """A penalty schedule that the ordinance does not allow."""


def schedule_problems(
    penalty_article: str, amounts: Sequence[int]
) -> list[tuple[str, dict[str, str]]]:
    """Return (message_key, values) for every way a schedule breaks Arts. 15-18.

    A schedule must name a penalty article, hold at least one amount, hold whole NT$
    amounts only, keep every amount inside the statutory range and never decrease
    (the fines escalate with each missed deadline). Keys and values fit
    ``PARAMETER_MESSAGES``; the caller adds ``field``.
    """
    if penalty_article not in STATUTORY_FINE_RANGE_NTD:
        return [("penalty_article_unknown", {"article": penalty_article})]
    if not amounts:
        return [("penalty_schedule_empty", {"article": penalty_article})]
    low, high = STATUTORY_FINE_RANGE_NTD[penalty_article]
    problems = []
    for position, amount in enumerate(amounts, start=1):
        values = {"article": penalty_article, "position": str(position), "value": str(amount)}
        if isinstance(amount, bool) or not isinstance(amount, int):
            problems.append(("penalty_amount_not_whole", values))
        elif not low <= amount <= high:
            problems.append(
                ("penalty_amount_out_of_range", {**values, "low": str(low), "high": str(high)})
            )
    if not problems and any(later < earlier for earlier, later in pairwise(amounts)):
        values = {"article": penalty_article, "value": ", ".join(str(a) for a in amounts)}
        problems.append(("penalty_schedule_decreasing", values))
    return problems


def penalty_article_for(article: str) -> str:
    """Return the penalty article for an obligation; ValueError if it has none (Art. 9)."""
    try:
        return PENALTY_ARTICLE_FOR[article]
    except KeyError:
        raise ValueError(f"Art. {article} has no penalty article") from None


def fine_for(article: str, nth_offence: int, schedule: Sequence[int]) -> int:
    """Return the fine in NT$ for the nth missed deadline of a violation of ``article``.

    ``article`` is the obligation violated (e.g. "5-1", "10-1", "12"); ``schedule`` is
    the published schedule of its penalty article. ``nth_offence`` counts from 1; past
    the end of the schedule the last amount repeats (按次連續處罰). Raises
    :class:`PenaltyScheduleError` if the schedule leaves the statutory range, and
    ValueError for an article without a penalty or an nth below 1.
    """
    penalty_article = penalty_article_for(article)
    if isinstance(nth_offence, bool) or not isinstance(nth_offence, int) or nth_offence < 1:
        raise ValueError(f"nth_offence counts from 1, got {nth_offence!r}")
    problems = schedule_problems(penalty_article, schedule)
    if problems:
        raise PenaltyScheduleError(
            " ".join(
                render_parameter_message(key, {"field": "schedule", **values})
                for key, values in problems
            )
        )
    return schedule[min(nth_offence, len(schedule)) - 1]


def rectification_deadline(
    article: str, found_on: date, params: RuleParameters, calendar: WorkingCalendar
) -> date | None:
    """Return the last day to rectify a violation of ``article`` found on ``found_on``.

    Art. 10-4: the article's period in days, counted as APA Art. 48 counts it (the day
    of the finding is not counted; a last day on which the authority is closed moves
    to its next working day, ``calendar``). None where no rectification period is given:
    refusing an inspection (Art. 10-1) is fined directly (Art. 17), and Art. 9 is advice.
    Raises ValueError for an unknown article or a rectifiable article without a period.
    """
    if article == "9":
        return None
    penalty_article = penalty_article_for(article)
    if penalty_article in FINED_WITHOUT_RECTIFICATION:
        return None
    days = params.rectification_days_for(article)
    if days is None:
        raise ValueError(f"The rule book gives no rectification period for Art. {article}")
    return period_end(calendar, found_on, days)


@dataclass(frozen=True)
class Overdue:
    """A violation the sweep may fine: the facts its next fine depends on.

    ``article`` is the obligation violated; ``deadline`` the last day to rectify (None
    for a refused inspection, Art. 17, fined without one); ``fines_issued`` how many
    fines it has had; ``subject`` the equipment tag it concerns ("" for the premises);
    ``fine_due_on`` the first day its missed deadline may be fined, set once
    non-rectification is verified (``compliance.rules.verification.fine_due_on``; None:
    not verified, so not fined).
    """

    article: str
    found_on: date
    deadline: date | None
    fines_issued: int = 0
    subject: str = ""
    fine_due_on: date | None = None


@dataclass(frozen=True)
class FineDecision:
    """The next fine of a violation, as the ordinance and the rule book decide it.

    ``step`` is the nth fine; ``amount_ntd`` the schedule's amount for it (the last one
    repeating); ``schedule`` the amounts applied; ``offence_on`` the day of the offence,
    whose rule book priced it; ``rectify_within_days`` the new period to rectify, counted
    from the day the decision is served (文到N日內, :func:`after_service`; None for
    Art. 17, which has nothing to rectify).
    """

    step: int
    penalty_article: str
    amount_ntd: int
    schedule: tuple[int, ...]
    offence_on: date
    rectify_within_days: int | None


def last_missed_deadline(day: date) -> date:
    """Return the latest deadline that is missed on ``day``.

    Art. 10-4: the deadline is the last day to rectify, so it is missed only the day
    after; nothing is fined on the deadline itself.
    """
    return day - timedelta(days=1)


def is_due(case: Overdue, day: date) -> bool:
    """Return whether ``case`` is to be fined on ``day``.

    A missed deadline is fined once it has passed (Arts. 15, 16, 18), its
    non-rectification has been verified and any period to state an opinion has ended
    (``fine_due_on``), and not after the three-year limit (APenA Art. 27); a refused
    inspection (Art. 17) has no deadline and is fined once, directly.
    """
    if case.deadline is None:
        direct = penalty_article_for(case.article) in FINED_WITHOUT_RECTIFICATION
        return direct and case.fines_issued == 0
    return (
        case.deadline <= last_missed_deadline(day)
        and case.fine_due_on is not None
        and case.fine_due_on <= day
        and not time_barred(offence_day(case), day)
    )


def offence_day(case: Overdue) -> date:
    """Return the day of the offence a fine punishes; its rule book prices the fine.

    The day after the missed deadline; for a refused inspection (Art. 17), the day the
    refusal was found.
    """
    if case.deadline is None:
        return case.found_on
    return case.deadline + timedelta(days=1)


def next_fine(
    case: Overdue, day: date, params: RuleParameters | None, calendar: WorkingCalendar
) -> FineDecision | None:
    """Return the fine ``case`` gets on ``day``, or None if the rule book cannot price it.

    ``params`` are the parameters in force on the :func:`offence_day` (None: no rule
    book was). The nth fine takes the nth step of the penalty article's schedule, the
    last step repeating (:func:`fine_for`); the new period to rectify is the article's
    (Art. 10-4), counted from the day the decision is served (:func:`after_service`;
    none for Art. 17). None when the rule book gives no schedule for the penalty
    article, or no period for a new deadline. The fine is proposed: an official decides
    it. Raises ValueError for a case that is not due on ``day`` (:func:`is_due`).
    """
    if not is_due(case, day):
        raise ValueError(f"{case!r} is not due to be fined on {day.isoformat()}")
    if params is None:
        return None
    penalty_article = penalty_article_for(case.article)
    schedule = params.penalty_schedule_for(penalty_article)
    if schedule is None:
        return None
    direct = penalty_article in FINED_WITHOUT_RECTIFICATION
    if not direct and params.rectification_days_for(case.article) is None:
        return None
    step = case.fines_issued + 1
    return FineDecision(
        step=step,
        penalty_article=penalty_article,
        amount_ntd=fine_for(case.article, step, schedule),
        schedule=tuple(schedule),
        offence_on=offence_day(case),
        rectify_within_days=None if direct else params.rectification_days_for(case.article),
    )


@dataclass(frozen=True)
class Served:
    """The periods a decision starts when it is served (送達).

    ``appeal_until``: the last day to appeal (AAA Art. 14); ``new_deadline``: the last
    day to rectify (文到N日內; None for a decision with nothing to rectify).
    """

    appeal_until: date
    new_deadline: date | None


def after_service(
    served_on: date,
    calendar: WorkingCalendar,
    *,
    appeal_days: int,
    rectify_within_days: int | None,
) -> Served:
    """Return the periods a decision served on ``served_on`` starts.

    Both start the day after service and end as APA Art. 48 counts them on ``calendar``
    (a last day on which the authority is closed moves to its next working day): the
    appeal period of ``appeal_days`` (30, AAA Art. 14) and the new period to rectify.
    """
    return Served(
        appeal_until=period_end(calendar, served_on, appeal_days),
        new_deadline=(
            None
            if rectify_within_days is None
            else period_end(calendar, served_on, rectify_within_days)
        ),
    )
