"""Per-question statistics from counts (which the database aggregates): plain data in and out.

Shares carry Wilson score intervals (95%), which stay inside 0-1 and behave for small counts
and shares near 0 or 1, unlike the normal approximation (Brown, Cai & DasGupta 2001).
Quantiles are numpy's default ("linear", Hyndman & Fan type 7), computed from value counts
without expanding them.
"""
import math
from dataclasses import dataclass
from typing import Sequence

#: Two-sided 95% normal quantile.
Z95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of successes/trials; None when there are no trials."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # At 0 and at 1 the bound is exactly 0 or 1; floating point would land a hair inside.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Share:
    """A count, its share of the base and the share's 95% interval."""

    count: int
    share: float | None
    interval: tuple[float, float] | None


def share_of(count: int, base: int) -> Share:
    """count out of base, with its interval."""
    return Share(count, count / base if base else None, wilson_interval(count, base))


def choice_shares(counts: dict[str, int], answered: int) -> dict[str, Share]:
    """Each option's share of the people who answered (for multiple choice the shares add up
    to more than 1: each is the share of answerers who chose it)."""
    return {key: share_of(count, answered) for key, count in counts.items()}


@dataclass(frozen=True)
class LikertSummary:
    """A five-point agree/disagree question."""

    distribution: dict[int, Share]
    mean: float | None
    agreeing: Share  # points 4 and 5


def likert_summary(counts: dict[int, int], agree_from: int = 4) -> LikertSummary:
    """Distribution over points (1 = strongly disagree ... 5 = strongly agree), mean, agreeing."""
    answered = sum(counts.values())
    mean = sum(point * n for point, n in counts.items()) / answered if answered else None
    agreeing = sum(n for point, n in counts.items() if point >= agree_from)
    return LikertSummary({point: share_of(n, answered) for point, n in sorted(counts.items())},
                         mean, share_of(agreeing, answered))


@dataclass(frozen=True)
class NumberSummary:
    """A number or scale question."""

    answered: int
    mean: float | None
    q1: float | None
    median: float | None
    q3: float | None


def quantile(value_counts: Sequence[tuple[float, int]], p: float) -> float | None:
    """The p-quantile (type 7) of data given as (value, count) pairs."""
    ordered = sorted((v, n) for v, n in value_counts if n > 0)
    total = sum(n for _, n in ordered)
    if total == 0:
        return None
    position = (total - 1) * p
    below, fraction = int(math.floor(position)), position - math.floor(position)
    return _nth(ordered, below) + fraction * (_nth(ordered, min(below + 1, total - 1))
                                              - _nth(ordered, below))


def _nth(ordered: Sequence[tuple[float, int]], index: int) -> float:
    """The index-th (0-based) value of the expanded sorted data."""
    seen = 0
    for value, count in ordered:
        seen += count
        if index < seen:
            return value
    return ordered[-1][0]


def number_summary(value_counts: Sequence[tuple[float, int]]) -> NumberSummary:
    """Answered count, mean and quartiles of a number or scale question."""
    answered = sum(n for _, n in value_counts)
    mean = sum(v * n for v, n in value_counts) / answered if answered else None
    return NumberSummary(answered, mean, quantile(value_counts, 0.25),
                         quantile(value_counts, 0.5), quantile(value_counts, 0.75))


@dataclass(frozen=True)
class RankedOption:
    """One option of a ranking question."""

    key: str
    mean_rank: float | None  # among those who ranked it
    borda: int  # options ranked first get m-1 points, last m-m; unranked 0
    ranked_by: int


def ranking_summary(rank_counts: dict[str, dict[int, int]], options: int) -> list[RankedOption]:
    """Options by Borda score (highest first); rank_counts: option -> rank -> count."""
    result = []
    for key, by_rank in rank_counts.items():
        ranked_by = sum(by_rank.values())
        mean = sum(r * n for r, n in by_rank.items()) / ranked_by if ranked_by else None
        borda = sum((options - r) * n for r, n in by_rank.items())
        result.append(RankedOption(key, mean, borda, ranked_by))
    return sorted(result, key=lambda o: (-o.borda, o.key))
