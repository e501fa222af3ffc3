"""Establishing non-rectification before a fine, and the limits on fining (APenA Arts. 27, 42).

A missed deadline is not yet a fine. The authority must establish that the violation is
still there: by a re-inspection (複查), or, for the duties the portal can check from its
own records (the Art. 5-3 and 8-2 logs, the Art. 12 data), from those records. A
verification that finds the violation persisting confirms non-rectification; one that
finds it fixed rectifies it, without a fine.

Where the rule book gives an article a period to state an opinion (APenA Art. 42), the
fine is due only once that period has ended; without one (the Art. 42 exceptions, the
default) it is due on the day of the verification. No fine is imposed once three years
have passed since the offence (APenA Art. 27): for a rectification order, each missed
deadline is its own offence, committed on the day after the deadline.

Pure code: no Django, no clock. The sweep's claim reads its bounds from here
(:func:`earliest_fineable_deadline`), never restates them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, timedelta

from compliance.rules.params import RuleParameters
from compliance.rules.periods import period_last_day
from compliance.rules.types import Finding, Outcome
from compliance.rules.working_calendar import WorkingCalendar, period_end

# The duties whose non-rectification the portal establishes from its own records: the
# monthly AC log and meter (Art. 5-3), the boiler combustion log (Art. 8-2), and the
# energy-use data an energy supplier was ordered to provide (Art. 12-2, fined by Art. 18).
RECORD_VERIFIABLE_ARTICLES = frozenset({"5-3", "8-2", "12"})

# APenA Art. 27: the power to fine lapses three years after the offence.
LIMITATION_MONTHS = 36


class Method(enum.StrEnum):
    """How non-rectification was established."""

    REINSPECTION = "reinspection"
    RECORDS = "records"


class Result(enum.StrEnum):
    """What a verification found."""

    PERSISTING = "persisting"
    RECTIFIED = "rectified"


def verifiable_from_records(article: str) -> bool:
    """Return whether the portal checks ``article``'s duty from its own records."""
    return article in RECORD_VERIFIABLE_ARTICLES


def result_of(findings: Iterable[Finding], article: str, subject: str = "") -> Result | None:
    """Return what ``findings`` say about the violation of ``article`` on ``subject``.

    Fixed (RECTIFIED) when every finding of that article and subject is compliant without
    an exemption; persisting when one is non-compliant, or compliant only because an
    exemption excuses it (the facts are unchanged; whether the exemption spares the
    fine is the sweep's question, ``covering_grant``); None when there is none, or one is
    not assessed and none is non-compliant (nothing established either way).
    """
    outcomes = [
        finding
        for finding in findings
        if finding.article == article and (finding.subject or "") == (subject or "")
    ]
    if not outcomes:
        return None
    if any(f.outcome == Outcome.NON_COMPLIANT for f in outcomes):
        return Result.PERSISTING
    if any(f.outcome == Outcome.UNKNOWN for f in outcomes):
        return None
    if any(f.exemption is not None for f in outcomes):
        return Result.PERSISTING
    return Result.RECTIFIED


def counts_as_verification(deadline: date | None, verified_on: date) -> bool:
    """Return whether facts found on ``verified_on`` establish a missed deadline's outcome.

    Only facts found after the deadline (the last day to rectify) do: a visit on or
    before it shows how far rectification has got, not whether the deadline was missed.
    """
    return deadline is not None and verified_on > deadline


def statement_until(
    article: str, verified_on: date, params: RuleParameters, calendar: WorkingCalendar
) -> date | None:
    """Return the last day to state an opinion before the fine, or None (APenA Art. 42).

    The period runs from the day non-rectification was verified, counted as APA Art. 48
    counts it. None where the rule book gives ``article`` no period (the exceptions).
    """
    days = params.statement_days_for(article)
    if days is None:
        return None
    return period_end(calendar, verified_on, days)


def fine_due_on(verified_on: date, statement_end: date | None) -> date:
    """Return the first day the fine of a verified missed deadline may be issued.

    The day of the verification, or the day after the period to state an opinion.
    """
    if statement_end is None:
        return verified_on
    return max(verified_on, statement_end + timedelta(days=1))


def limitation_ends(offence_on: date) -> date:
    """Return the last day a fine may be imposed for an offence on ``offence_on`` (Art. 27).

    Three years counted as the Civil Code counts years (Art. 121(2)), the day of the
    offence included: an offence on 2026-01-10 may be fined until 2029-01-09.
    """
    return period_last_day(offence_on, LIMITATION_MONTHS)


def time_barred(offence_on: date, day: date) -> bool:
    """Return whether the power to fine an offence on ``offence_on`` has lapsed on ``day``."""
    return day > limitation_ends(offence_on)


def earliest_fineable_deadline(day: date) -> date:
    """Return the earliest missed deadline that may still be fined on ``day``.

    A missed deadline's offence is the day after it; the claim of the sweep passes this
    date to SQL, so the database and :func:`time_barred` draw the same line.
    """
    # Three years back, then step to the exact boundary (month lengths and 29 February
    # move it by a day or two).
    try:
        candidate = day.replace(year=day.year - 3)
    except ValueError:  # 29 February
        candidate = day.replace(year=day.year - 3, day=28)
    candidate -= timedelta(days=5)
    while time_barred(candidate + timedelta(days=1), day):
        candidate += timedelta(days=1)
    return candidate
