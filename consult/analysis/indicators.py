"""Community-led indicators: one round's score, and the change from the previous round (pure).

Plain data in (counts per answer value, as published) and plain data out; no framework.

What a round's figure is:
- Likert (five ordered options, lowest first) and single choice: the share of *favourable*
  answers, with its Wilson 95% interval (tallies.wilson_interval). For a Likert indicator
  where higher is better the favourable answers are the top two (agree, strongly agree: the
  "agreeing" of the round's results page, same rule for other lengths); where higher is worse
  ("I fear walking at night") agreeing is the bad news, so the favourable answers are the
  bottom two (disagree, strongly disagree). So every share indicator reads the same way on a
  chart -- up is better -- and the page must name what was counted (RoundScore.favourable_keys)
  rather than say "agreeing". For a single choice the host marks the favourable options, which
  already says which way is good: the direction is not used.
- 0-10 scale: the mean, with a 95% interval mean +- t * s / sqrt(n) from the sample standard
  deviation of the counts. Student's t (quantile by the Cornish-Fisher expansion of Abramowitz &
  Stegun 26.7.5) rather than the normal 1.96, because rounds may be as small as k (10): above
  n = 30 the two differ by under 5% of the width, and the interval is clipped to 0-10. The
  direction says whether a higher mean is better.
- Hidden (value None, with the reason) when fewer than k answered; n is then not given either.

Change from the previous round (`change`), the difference of the figures and a test of "no
change", two-sided, 5% level:
- single choice: the pooled two-proportion z-test, no continuity correction ("two-proportion-z/1";
  z squared is Pearson's chi-squared of the 2x2 table);
- Likert and scale (ordered answers): the Mann-Whitney U test, normal approximation with the tie
  correction and a continuity correction of 1/2, as scipy.stats.mannwhitneyu(method=
  "asymptotic") and R's wilcox.test do ("mann-whitney-u/1"). It is computed from the counts per
  ordered value (midranks of each tied block), so it costs one pass over the 5 or 11 values
  whatever the number of responses.
The verdict is "better" or "worse" only when p < 0.05 and the shown figure moved the same way
as the test says the answers did (for a Likert share or a mean they can disagree: the test
compares whole distributions); otherwise "no clear change". Undefined cases (a hidden round, no
answers, no variation) never raise: no clear change, p None, with the reason.
"""
import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from consult.analysis.tallies import Z95, wilson_interval

#: Indicator kinds (the values of programmes.models.IndicatorKind).
LIKERT, SCALE, CHOICE = "likert", "scale", "choice"
#: Directions (the values of programmes.models.Direction).
HIGHER_IS_BETTER, HIGHER_IS_WORSE = "higher_better", "higher_worse"
#: The range of a scale indicator.
SCALE_MIN, SCALE_MAX = 0.0, 10.0

#: Why a round's figure or a change is not given.
TOO_FEW = "too_few"  # fewer than k answered (the word of summaries.report)
NO_ANSWERS = "no_answers"  # nobody answered (and k allowed showing that)
HIDDEN_ROUND = "hidden_round"  # one of the two rounds is hidden: no difference, no test
NO_VARIATION = "no_variation"  # every answer in both rounds is the same: nothing to test
NOT_COMPARABLE = "not_comparable"  # the two rounds are of different kinds
MIXED = "mixed"  # the test and the shown figure point different ways

#: Verdicts of a change.
BETTER, WORSE, NO_CLEAR_CHANGE = "better", "worse", "no_clear_change"

#: Method ids (shown in the methods box and the open data).
TWO_PROPORTION_Z = "two-proportion-z/1"
MANN_WHITNEY_U = "mann-whitney-u/1"
ALPHA = 0.05
#: Exact 97.5% quantiles of Student's t for 1 to 4 degrees of freedom.
_T975_SMALL_DF = {1: 12.706204736174707, 2: 4.302652729749464, 3: 3.182446305284263,
                  4: 2.7764451051977987}


@dataclass(frozen=True)
class IndicatorSpec:
    """What an indicator counts: its kind, direction, and (Likert) order or (choice) marks."""

    kind: str  # LIKERT, SCALE or CHOICE
    direction: str = HIGHER_IS_BETTER
    #: Likert: the option keys, lowest (strongly disagree) first. Empty: the keys of the
    #: counts, numerically sorted when they are numbers ("1" ... "5", the builder's keys).
    order: tuple[str, ...] = ()
    #: Single choice: the option keys counted as favourable.
    favourable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoundScore:
    """One round's figure of an indicator: a share (0-1) or a mean (0-10) with its interval."""

    kind: str
    direction: str
    #: Answers counted; None when hidden.
    n: int | None
    #: The favourable share (Likert, choice) or the mean (scale); None when hidden or no answers.
    value: float | None
    interval: tuple[float, float] | None
    #: TOO_FEW or NO_ANSWERS when value is None, else None.
    hidden: str | None = None
    #: Likert and choice: how many answers were favourable, and which keys those were.
    favourable: int | None = None
    favourable_keys: tuple[str, ...] = ()
    #: Scale: the sample standard deviation.
    sd: float | None = None
    #: (ordered value, count) pairs, lowest first, for `change`; empty when hidden. Likert
    #: values are the positions 1..m; choice: 0 = other answers, 1 = favourable.
    distribution: tuple[tuple[float, int], ...] = ()


@dataclass(frozen=True)
class Change:
    """The change of an indicator from one round to the next, and whether it is beyond chance."""

    #: current - previous in the figure's units (share 0-1, or mean points); None when hidden.
    difference: float | None
    #: The test's z (standard normal when nothing changed); > 0: the current round is higher.
    statistic: float | None
    p_value: float | None  # two-sided
    method: str  # TWO_PROPORTION_Z or MANN_WHITNEY_U: the test that applies to the kind
    verdict: str  # BETTER, WORSE or NO_CLEAR_CHANGE
    reason: str | None = None  # why there is no test, or why a significant test is MIXED
    u: float | None = None  # Mann-Whitney: U of the current round (pairs it wins, ties half)


def normal_two_sided_p(z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z."""
    return math.erfc(abs(z) / math.sqrt(2))


def t_quantile_975(df: int) -> float:
    """The 97.5% quantile of Student's t with df degrees of freedom (A&S 26.7.5)."""
    if df < 1:
        return math.inf
    if df in _T975_SMALL_DF:  # the expansion is poor below 5 degrees of freedom
        return _T975_SMALL_DF[df]
    x = Z95
    g1 = (x ** 3 + x) / 4
    g2 = (5 * x ** 5 + 16 * x ** 3 + 3 * x) / 96
    g3 = (3 * x ** 7 + 19 * x ** 5 + 17 * x ** 3 - 15 * x) / 384
    g4 = (79 * x ** 9 + 776 * x ** 7 + 1482 * x ** 5 - 1920 * x ** 3 - 945 * x) / 92160
    return x + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4


def _likert_order(spec: IndicatorSpec, counts: Mapping[Any, int]) -> tuple[str, ...]:
    """The Likert option keys, lowest first."""
    if spec.order:
        return tuple(str(key) for key in spec.order)
    keys = [str(key) for key in counts]
    if all(_is_number(key) for key in keys):
        return tuple(sorted(keys, key=float))
    return tuple(keys)  # the order the caller gave them in


def _is_number(key: Any) -> bool:
    try:
        return math.isfinite(float(key))
    except (TypeError, ValueError):
        return False


def favourable_positions(points: int, direction: str) -> range:
    """0-based positions counted as favourable on a scale of `points` ordered options."""
    # The summary pages' "agreeing": points from (m + 3) // 2 on (4 and 5 of five).
    top = points - (points + 3) // 2 + 1
    if direction == HIGHER_IS_WORSE:
        return range(0, top)
    return range(points - top, points)


def _hidden(spec: IndicatorSpec, why: str) -> RoundScore:
    return RoundScore(spec.kind, spec.direction, None, None, None, why)


def round_score(spec: IndicatorSpec, counts: Mapping[Any, int], k: int) -> RoundScore:
    """An indicator's figure in one round from its answers' counts; hidden when n < k."""
    if spec.kind == SCALE:
        merged: dict[float, int] = {}
        for key, count in counts.items():
            if _is_number(key) and count > 0:  # answers off the scale are not scored
                merged[float(key)] = merged.get(float(key), 0) + int(count)
        distribution = tuple(sorted(merged.items()))
    elif spec.kind == LIKERT:
        by_key = {str(key): int(count) for key, count in counts.items()}
        order = _likert_order(spec, counts)
        distribution = tuple((float(position), by_key.get(key, 0))
                             for position, key in enumerate(order, start=1))
    else:
        marked = {str(key) for key in spec.favourable}
        favourable = sum(int(c) for key, c in counts.items() if str(key) in marked)
        others = sum(int(c) for key, c in counts.items() if str(key) not in marked)
        distribution = ((0.0, others), (1.0, favourable))
    n = sum(count for _, count in distribution)
    if n < k:
        return _hidden(spec, TOO_FEW)
    if n == 0:
        return RoundScore(spec.kind, spec.direction, 0, None, None, NO_ANSWERS)
    if spec.kind == SCALE:
        return _mean_score(spec, distribution, n)
    if spec.kind == LIKERT:
        positions = favourable_positions(len(order), spec.direction)
        keys = tuple(order[p] for p in positions)
        count = sum(distribution[p][1] for p in positions)
    else:
        keys, count = tuple(sorted(str(key) for key in spec.favourable)), distribution[1][1]
    return RoundScore(spec.kind, spec.direction, n, count / n, wilson_interval(count, n),
                      None, count, keys, None, distribution)


def _mean_score(spec: IndicatorSpec, distribution: tuple[tuple[float, int], ...],
                n: int) -> RoundScore:
    """The mean of a scale with its t interval, clipped to the scale."""
    mean = sum(value * count for value, count in distribution) / n
    if n < 2:
        return RoundScore(spec.kind, spec.direction, n, mean, None, distribution=distribution)
    # Sum of squared deviations about the mean (two-pass: exact enough for 0-10 values).
    squares = sum(count * (value - mean) ** 2 for value, count in distribution)
    sd = math.sqrt(squares / (n - 1))
    half = t_quantile_975(n - 1) * sd / math.sqrt(n)
    interval = (max(SCALE_MIN, mean - half), min(SCALE_MAX, mean + half))
    return RoundScore(spec.kind, spec.direction, n, mean, interval, sd=sd,
                      distribution=distribution)


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Pooled z of p2 - p1 (x successes of n); None when undefined (n = 0, p = 0 or 1)."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return None
    return (x2 / n2 - x1 / n1) / math.sqrt(variance)


def mann_whitney_z(first: Sequence[tuple[float, int]],
                   second: Sequence[tuple[float, int]]) -> tuple[float, float] | None:
    """(U of second, z) from counts per ordered value; None when undefined (no data, all ties).

    U counts the (first, second) pairs where second is higher, ties counting one half; under no
    difference U has mean n1 n2 / 2 and, with ties, variance n1 n2 / 12 * (N + 1 - sum(t^3 - t)
    / (N (N - 1))) (Lehmann, Nonparametrics, 1975, eq. 1.49). z has a continuity correction.
    """
    table: dict[float, list[int]] = {}
    for value, count in first:
        table.setdefault(value, [0, 0])[0] += count
    for value, count in second:
        table.setdefault(value, [0, 0])[1] += count
    n1 = sum(c for c, _ in table.values())
    n2 = sum(c for _, c in table.values())
    total = n1 + n2
    if n1 == 0 or n2 == 0:
        return None
    twice_u = 0  # 2U, in integers: exact whatever the counts
    first_below = 0
    ties = 0
    for value in sorted(table):
        c1, c2 = table[value]
        twice_u += c2 * (2 * first_below + c1)
        first_below += c1
        ties += (c1 + c2) ** 3 - (c1 + c2)
    variance = n1 * n2 / 12 * ((total + 1) - ties / (total * (total - 1)))
    if variance <= 0:
        return None
    excess = twice_u / 2 - n1 * n2 / 2
    corrected = max(abs(excess) - 0.5, 0.0)
    return twice_u / 2, math.copysign(corrected, excess) / math.sqrt(variance)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def change(previous: RoundScore, current: RoundScore) -> Change:
    """The change from the previous round to the current one, tested; never raises."""
    method = TWO_PROPORTION_Z if current.kind == CHOICE else MANN_WHITNEY_U
    if previous.kind != current.kind:
        return Change(None, None, None, method, NO_CLEAR_CHANGE, NOT_COMPARABLE)
    if previous.value is None or current.value is None:
        # A hidden round gives neither a difference nor a test: both would reveal its counts.
        hidden = previous.hidden == TOO_FEW or current.hidden == TOO_FEW
        return Change(None, None, None, method, NO_CLEAR_CHANGE,
                      HIDDEN_ROUND if hidden else NO_ANSWERS)
    difference = current.value - previous.value
    u = None
    if method == TWO_PROPORTION_Z:
        z = two_proportion_z(previous.favourable or 0, previous.n or 0,
                             current.favourable or 0, current.n or 0)
        # A rising favourable share is good news.
        test_way = None if z is None else _sign(z)
    else:
        tested = mann_whitney_z(previous.distribution, current.distribution)
        u, z = tested if tested is not None else (None, None)
        # z > 0: answers moved up the scale, good news only where higher is better.
        better_up = 1 if current.direction == HIGHER_IS_BETTER else -1
        test_way = None if z is None else _sign(z) * better_up
    if z is None:
        return Change(difference, None, None, method, NO_CLEAR_CHANGE, NO_VARIATION, u)
    p = normal_two_sided_p(z)
    # Shares are favourable shares (up is good); a mean is good going up only if higher is.
    figure_up_is_good = current.kind != SCALE or current.direction == HIGHER_IS_BETTER
    figure_way = _sign(difference) * (1 if figure_up_is_good else -1)
    if p >= ALPHA or test_way == 0:
        return Change(difference, z, p, method, NO_CLEAR_CHANGE, None, u)
    if figure_way != test_way:
        return Change(difference, z, p, method, NO_CLEAR_CHANGE, MIXED, u)
    return Change(difference, z, p, method, BETTER if test_way > 0 else WORSE, None, u)
