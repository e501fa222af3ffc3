"""Weighted scoring of competing proposals: the pure computation (standard library only).

Each criterion has a positive weight (relative: the weights need not sum to 100); each
proposal a score from 0 to 100 per criterion. The weighted total is the weighted mean
of the scores, rounded half up to two decimals, so it stays on the 0-100 scale. The
ranking orders the complete proposals by total, best first; equal totals share a rank
("1, 2, 2, 4") and keep the order given; proposals missing a score are not ranked.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MAX_SCORE = Decimal(100)


class ScoringError(ValueError):
    """Weights or scores that cannot be combined (the message says why)."""


@dataclass(frozen=True)
class Ranked:
    """A proposal's place: its key, weighted total and rank (1 is best)."""

    key: Hashable
    total: Decimal
    rank: int


@dataclass(frozen=True)
class Ranking:
    """The ranked proposals, best first, and the keys of those missing a score."""

    ranked: list[Ranked]
    incomplete: list[Hashable] = field(default_factory=list)


def _check_weights(weights: Mapping[str, Decimal]) -> None:
    if not weights:
        raise ScoringError("a scoring scheme needs at least one criterion")
    for code, weight in weights.items():
        if not isinstance(weight, Decimal) or not weight > 0:
            raise ScoringError(f"the weight of {code!r} must be a Decimal above 0")


def weighted_total(weights: Mapping[str, Decimal], scores: Mapping[str, Decimal]) -> Decimal:
    """Return the weighted mean of ``scores`` (0-100 each) under ``weights``."""
    _check_weights(weights)
    missing = sorted(set(weights) - set(scores))
    if missing:
        raise ScoringError(f"no score for {', '.join(missing)}")
    unknown = sorted(set(scores) - set(weights))
    if unknown:
        raise ScoringError(f"not a criterion of the scheme: {', '.join(unknown)}")
    for code, score in scores.items():
        if not isinstance(score, Decimal) or not Decimal(0) <= score <= MAX_SCORE:
            raise ScoringError(f"the score of {code!r} must be a Decimal from 0 to 100")
    weighted = sum((weights[code] * scores[code] for code in weights), Decimal(0))
    total_weight = sum(weights.values(), Decimal(0))
    return (weighted / total_weight).quantize(CENT, rounding=ROUND_HALF_UP)


def mean_scores(reviews: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """Return each criterion's score averaged over the reviewers who gave one."""
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for review in reviews:
        for code, score in review.items():
            sums[code] = sums.get(code, Decimal(0)) + score
            counts[code] = counts.get(code, 0) + 1
    return {code: sums[code] / counts[code] for code in sums}


def rank(
    weights: Mapping[str, Decimal], proposals: Mapping[Hashable, Mapping[str, Decimal]]
) -> Ranking:
    """Rank ``proposals`` (key → scores by criterion) by weighted total, best first."""
    _check_weights(weights)
    totals: list[tuple[Hashable, Decimal]] = []
    incomplete: list[Hashable] = []
    for key, scores in proposals.items():
        if set(weights) - set(scores):
            incomplete.append(key)
            continue
        totals.append((key, weighted_total(weights, scores)))
    totals.sort(key=lambda item: item[1], reverse=True)  # stable: ties keep the order given
    ranked: list[Ranked] = []
    for position, (key, total) in enumerate(totals, start=1):
        shared = ranked and ranked[-1].total == total
        ranked.append(Ranked(key, total, ranked[-1].rank if shared else position))
    return Ranking(ranked, incomplete)
