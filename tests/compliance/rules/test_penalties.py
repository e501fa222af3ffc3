"""Penalties (Arts. 15-18) and rectification deadlines (Art. 10-4)."""

from dataclasses import replace
from datetime import date

import pytest

from compliance.rules import (
    ADVISORY_ARTICLES,
    ARTICLES,
    PENALTY_ARTICLE_FOR,
    RECTIFIABLE_ARTICLES,
    STATUTORY_FINE_RANGE_NTD,
    PenaltyScheduleError,
    WorkingCalendar,
    fine_for,
    rectification_deadline,
)
from tests.compliance.rules.helpers import PARAMS, D

ESCALATING = (10_000, 20_000, 30_000)


@pytest.mark.parametrize(
    ("nth", "fine"),
    [(1, 10_000), (2, 20_000), (3, 30_000), (4, 30_000), (25, 30_000)],
)
def test_each_missed_deadline_takes_the_next_step_and_the_last_repeats(nth, fine):
    assert fine_for("5-1", nth, ESCALATING) == fine


def test_single_amount_schedule_repeats_from_the_first_offence():
    assert [fine_for("8-1", n, (40_000,)) for n in (1, 2, 3)] == [40_000] * 3


@pytest.mark.parametrize(
    ("article", "schedule"),
    [
        ("5-1", (9_999,)),  # Art. 15: 10,000-30,000
        ("6-2", (10_000, 30_001)),
        ("5-3", (19_999,)),  # Art. 16: 20,000-50,000
        ("8-2", (50_001,)),
        ("10-1", (29_999,)),  # Art. 17: 30,000-50,000
        ("12", (25_000,)),  # Art. 18: 30,000-50,000
        ("5-1", ()),
        ("5-1", (10_000.5,)),
        ("5-1", (20_000, 10_000)),
    ],
)
def test_schedule_outside_the_statutory_range_is_refused(article, schedule):
    with pytest.raises(PenaltyScheduleError):
        fine_for(article, 1, schedule)


def test_refusal_message_names_the_range():
    with pytest.raises(PenaltyScheduleError, match="NT\\$10000-NT\\$30000"):
        fine_for("7", 1, (5_000,))


@pytest.mark.parametrize("nth", [0, -1, True, 1.0])
def test_offences_count_from_one(nth):
    with pytest.raises(ValueError, match="counts from 1"):
        fine_for("5-1", nth, ESCALATING)


@pytest.mark.parametrize("article", ["9", "11", "5-6"])
def test_articles_without_a_penalty_have_no_fine(article):
    with pytest.raises(ValueError, match="no penalty article"):
        fine_for(article, 1, ESCALATING)


def test_every_enforceable_obligation_has_its_penalty_article():
    enforceable = set(ARTICLES) - ADVISORY_ARTICLES
    assert set(PENALTY_ARTICLE_FOR) == enforceable | {"12"}
    assert {
        PENALTY_ARTICLE_FOR[a] for a in ("5-1", "5-2", "5-4", "5-5", "6-1", "6-2", "6-3", "7")
    } == {"15"}
    assert {PENALTY_ARTICLE_FOR[a] for a in ("5-3", "8-1", "8-2")} == {"16"}
    assert (PENALTY_ARTICLE_FOR["10-1"], PENALTY_ARTICLE_FOR["12"]) == ("17", "18")
    assert STATUTORY_FINE_RANGE_NTD == {
        "15": (10_000, 30_000),
        "16": (20_000, 50_000),
        "17": (30_000, 50_000),
        "18": (30_000, 50_000),
    }
    assert "10-1" not in RECTIFIABLE_ARTICLES


@pytest.mark.parametrize(
    ("article", "deadline"),
    [
        # 14 days, the day of the finding not counted: Saturday 03-15, so Monday 03-17.
        ("5-5", date(2025, 3, 17)),
        ("8-1", date(2025, 8, 28)),  # 180 days
        ("12", date(2025, 3, 31)),  # Art. 18: the supplier's deadline to provide the data
        ("10-1", None),  # Art. 17: fined directly
        ("9", None),  # advice only
    ],
)
def test_rectification_deadline_follows_the_article_period(article, deadline):
    assert rectification_deadline(article, date(2025, 3, 1), PARAMS, WorkingCalendar()) == deadline


def test_rectification_deadline_needs_a_period_in_the_rule_book():
    params = replace(PARAMS, rectification_periods=())
    with pytest.raises(ValueError, match="no rectification period"):
        rectification_deadline("5-1", date(2025, 3, 1), params, WorkingCalendar())
    with pytest.raises(ValueError, match="no penalty article"):
        rectification_deadline("99", date(2025, 3, 1), PARAMS, WorkingCalendar())


def test_starting_schedules_fit_their_articles():
    for row in PARAMS.penalty_schedules:
        article = next(a for a, p in PENALTY_ARTICLE_FOR.items() if p == row.penalty_article)
        assert fine_for(article, 1, row.amounts_ntd) == row.amounts_ntd[0]
    assert D(fine_for("10-1", 9, PARAMS.penalty_schedule_for("17"))) == D(50_000)
