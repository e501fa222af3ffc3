"""APenA Art. 42 in the rule book: periods to state an opinion, validated before publishing."""

from dataclasses import replace

import pytest

from compliance.rules import (
    PARAMETER_MESSAGES,
    RECTIFIABLE_ARTICLES,
    StatementPeriod,
    params_from_dict,
    params_to_dict,
    validate_parameters,
)
from compliance.rules.messages import render_parameter_message
from tests.compliance.rules.helpers import PARAMS, D


def errors_of(*rows):
    errors = validate_parameters(replace(PARAMS, statement_periods=tuple(rows)))
    for error in errors:
        assert error.message_key in PARAMETER_MESSAGES
        assert dict(error.values)["field"] == error.field
    return [(error.field, error.message_key) for error in errors]


def test_no_period_is_the_default_the_exceptions_apply():
    assert PARAMS.statement_periods == ()
    assert PARAMS.statement_days_for("5-5") is None
    assert validate_parameters(PARAMS) == []


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Valid: any rectifiable article, 1 to 60 whole days.
        ((StatementPeriod("5-5", 10),), []),
        ((StatementPeriod("5-1", 1), StatementPeriod("8-2", 60)), []),
        (tuple(StatementPeriod(article, 7) for article in RECTIFIABLE_ARTICLES), []),
        # Days: whole, from 1 to 60.
        ((StatementPeriod("5-5", 0),), [("statement_periods[0].days", "out_of_range")]),
        ((StatementPeriod("5-5", -3),), [("statement_periods[0].days", "out_of_range")]),
        ((StatementPeriod("5-5", 61),), [("statement_periods[0].days", "out_of_range")]),
        ((StatementPeriod("5-5", D("10")),), [("statement_periods[0].days", "not_whole_number")]),
        ((StatementPeriod("5-5", 10.0),), [("statement_periods[0].days", "not_whole_number")]),
        ((StatementPeriod("5-5", True),), [("statement_periods[0].days", "not_whole_number")]),
        ((StatementPeriod("5-5", "10"),), [("statement_periods[0].days", "not_whole_number")]),
        # Articles: only those ordered rectified (not Art. 10-1 refusals, not unknown ones).
        (
            (StatementPeriod("10-1", 10),),
            [("statement_periods[0].article", "statement_article_not_rectifiable")],
        ),
        (
            (StatementPeriod("17", 10),),
            [("statement_periods[0].article", "statement_article_not_rectifiable")],
        ),
        (
            (StatementPeriod("99", 10),),
            [("statement_periods[0].article", "statement_article_not_rectifiable")],
        ),
        # Each article once.
        (
            (StatementPeriod("5-5", 10), StatementPeriod("6-2", 10), StatementPeriod("5-5", 20)),
            [("statement_periods[2].article", "duplicate_row")],
        ),
        # Every problem is reported, each under its row.
        (
            (StatementPeriod("10-1", 0), StatementPeriod("5-5", 61)),
            [
                ("statement_periods[0].article", "statement_article_not_rectifiable"),
                ("statement_periods[0].days", "out_of_range"),
                ("statement_periods[1].days", "out_of_range"),
            ],
        ),
    ],
)
def test_statement_periods_are_validated(rows, expected):
    assert errors_of(*rows) == expected


def test_the_messages_name_the_row_and_the_limits():
    (days,) = validate_parameters(replace(PARAMS, statement_periods=(StatementPeriod("5-5", 90),)))
    assert days.detail == "statement_periods[0].days is 90; it must lie between 1 and 60."
    (article,) = validate_parameters(
        replace(PARAMS, statement_periods=(StatementPeriod("10-1", 5),))
    )
    assert "Art. 10-1" in article.detail
    assert "APenA Art. 42" in article.detail
    assert article.detail == render_parameter_message(article.message_key, dict(article.values))


def test_statement_periods_survive_a_snapshot_and_old_snapshots_have_none():
    params = replace(PARAMS, statement_periods=(StatementPeriod("5-5", 10),))
    stored = params_to_dict(params)
    assert stored["statement_periods"] == [{"article": "5-5", "days": 10}]
    assert params_from_dict(stored) == params
    assert params_from_dict(stored).statement_days_for("5-5") == 10
    del stored["statement_periods"]  # a version stored before the parameter existed
    assert params_from_dict(stored).statement_periods == ()
