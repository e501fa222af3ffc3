"""Weighted scoring of competing proposals, table-driven (pure: no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from programs.rules.scoring import Ranked, ScoringError, mean_scores, rank, weighted_total

ECONOMIC_CARBON = {"economic": D(40), "carbon": D(60)}


@pytest.mark.parametrize(
    ("weights", "scores", "total"),
    [
        (ECONOMIC_CARBON, {"economic": D(100), "carbon": D(0)}, D("40.00")),
        (ECONOMIC_CARBON, {"economic": D(0), "carbon": D(100)}, D("60.00")),
        (ECONOMIC_CARBON, {"economic": D(80), "carbon": D(70)}, D("74.00")),
        # Relative weights: 2:3 is 40:60.
        ({"economic": D(2), "carbon": D(3)}, {"economic": D(80), "carbon": D(70)}, D("74.00")),
        # One criterion: the total is its score.
        ({"carbon": D("0.5")}, {"carbon": D("55.5")}, D("55.50")),
        # Rounded half up to cents: (1*100 + 2*0) / 3 = 33.333...
        ({"a": D(1), "b": D(2)}, {"a": D(100), "b": D(0)}, D("33.33")),
        ({"a": D(1), "b": D(1)}, {"a": D("0.01"), "b": D(0)}, D("0.01")),  # 0.005 → 0.01
        ({"a": D(1), "b": D(1), "c": D(1)}, {"a": D(100), "b": D(100), "c": D(100)}, D(100)),
    ],
)
def test_weighted_total(weights, scores, total):
    assert weighted_total(weights, scores) == total


@pytest.mark.parametrize(
    ("weights", "scores", "message"),
    [
        ({}, {}, "at least one criterion"),
        ({"a": D(0)}, {"a": D(50)}, "weight of 'a'"),
        ({"a": D(-1)}, {"a": D(50)}, "weight of 'a'"),
        ({"a": 1}, {"a": D(50)}, "weight of 'a'"),  # not a Decimal: no float or int drift
        ({"a": D(1), "b": D(1)}, {"a": D(50)}, "no score for b"),
        ({"a": D(1)}, {"a": D(50), "z": D(1)}, "not a criterion of the scheme: z"),
        ({"a": D(1)}, {"a": D(101)}, "score of 'a'"),
        ({"a": D(1)}, {"a": D(-1)}, "score of 'a'"),
        ({"a": D(1)}, {"a": 50.0}, "score of 'a'"),
    ],
)
def test_weighted_total_refuses(weights, scores, message):
    with pytest.raises(ScoringError, match=message):
        weighted_total(weights, scores)


@pytest.mark.parametrize(
    ("proposals", "expected", "incomplete"),
    [
        # Best first.
        (
            {
                "tianjin": {"economic": D(60), "carbon": D(90)},  # 78
                "harumi": {"economic": D(90), "carbon": D(40)},  # 60
                "yokohama": {"economic": D(70), "carbon": D(80)},  # 76
            },
            [("tianjin", D(78), 1), ("yokohama", D(76), 2), ("harumi", D(60), 3)],
            [],
        ),
        # Equal totals share a rank and keep the order given; the next rank skips.
        (
            {
                "a": {"economic": D(50), "carbon": D(50)},
                "b": {"economic": D(80), "carbon": D(80)},
                "c": {"economic": D(20), "carbon": D(70)},  # 50
                "d": {"economic": D(0), "carbon": D(0)},
            },
            [("b", D(80), 1), ("a", D(50), 2), ("c", D(50), 2), ("d", D(0), 4)],
            [],
        ),
        # A proposal missing a score is not ranked but listed.
        (
            {"a": {"economic": D(50)}, "b": {"economic": D(10), "carbon": D(10)}, "c": {}},
            [("b", D(10), 1)],
            ["a", "c"],
        ),
        ({}, [], []),
    ],
)
def test_rank(proposals, expected, incomplete):
    ranking = rank(ECONOMIC_CARBON, proposals)

    assert ranking.ranked == [Ranked(key, total, place) for key, total, place in expected]
    assert ranking.incomplete == incomplete


@pytest.mark.parametrize(
    ("reviews", "means"),
    [
        ([{"a": D(60)}, {"a": D(80)}], {"a": D(70)}),
        ([{"a": D(60), "b": D(10)}, {"a": D(61)}], {"a": D("60.5"), "b": D(10)}),
        ([], {}),
    ],
)
def test_mean_scores_average_each_criterion_over_its_reviewers(reviews, means):
    assert mean_scores(reviews) == means
