"""Penalties and deadlines of Chapter 4 (Arts. 15-18) and Art. 10-4.

The statutory ranges are the ordinance's own text, so they are constants here, not
parameters: a penalty schedule the City publishes must stay inside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise

from compliance.rules.messages import render_parameter_message
from compliance.rules.params import RuleParameters

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


def rectification_deadline(article: str, found_on: date, params: RuleParameters) -> date | None:
    """Return the last day to rectify a violation of ``article`` found on ``found_on``.

    Art. 10-4: the deadline is ``found_on`` plus the article's period in days (the day
    of the finding is not counted). None where no rectification period is given:
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
    return found_on + timedelta(days=days)
