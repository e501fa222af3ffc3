"""The proposal review's transition table and the date reader (pure: no database)."""

from __future__ import annotations

import datetime

import pytest

from programs.choices import ProjectStatus
from programs.rules import review
from programs.rules.periods import Period, PeriodError, parse_period


@pytest.mark.parametrize(
    ("current", "step", "target"),
    [
        ("draft", "submit", "under_review"),
        ("under_review", "approve", "approved"),
        ("under_review", "reject", "rejected"),
        ("under_review", "return", "draft"),
        ("approved", "register", "registered"),
    ],
)
def test_allowed_steps(current, step, target):
    assert review.next_status(current, step) == target


@pytest.mark.parametrize(
    ("current", "step"),
    [
        ("draft", "approve"),  # never approved without review
        ("draft", "reject"),
        ("rejected", "approve"),  # a rejection is final
        ("rejected", "submit"),
        ("approved", "reject"),
        ("registered", "register"),
        ("reference", "submit"),  # a reference site is not a proposal
        ("under_review", "register"),
    ],
)
def test_refused_steps(current, step):
    with pytest.raises(review.StepNotAllowed):
        review.next_status(current, step)


def test_every_state_of_the_table_is_a_stored_project_status():
    states = {state for state, _step in review.TRANSITIONS} | set(review.TRANSITIONS.values())
    assert states <= set(ProjectStatus.values)


def test_available_steps_follow_the_table():
    assert review.available_steps("under_review") == ["approve", "reject", "return"]
    assert review.available_steps("rejected") == []


D = datetime.date


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2010-06-19", Period(D(2010, 6, 19), D(2010, 6, 19), "day")),
        ("2010-06", Period(D(2010, 6, 1), D(2010, 6, 30), "month")),
        ("2012-02", Period(D(2012, 2, 1), D(2012, 2, 29), "month")),
        ("2011", Period(D(2011, 1, 1), D(2011, 12, 31), "year")),
        ("2015 (autumn)", Period(D(2015, 1, 1), D(2015, 12, 31), "year")),
        ("2010-11-13/2010-11-14", Period(D(2010, 11, 13), D(2010, 11, 14), "day")),
        (" 2014-03 ", Period(D(2014, 3, 1), D(2014, 3, 31), "month")),
    ],
)
def test_parse_period(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize(
    "text",
    ["2010-13", "2010-02-30", "10-06-2010", "June 2010", "", "2010-11-14/2010-11-13", "20l0"],
)
def test_parse_period_refuses(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize("module", ["scoring", "review", "periods"])
def test_the_pure_modules_import_only_the_standard_library_and_use_no_clock_or_float(module):
    import ast
    from pathlib import Path

    from tests.engine_purity import clocks_and_floats, foreign_imports

    path = Path(__file__).resolve().parents[2] / "programs" / "rules" / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))

    assert foreign_imports(tree, f"programs.rules.{module}") == []
    assert clocks_and_floats(tree) == ([], [], [])
