"""Indicator scores and their change between rounds, checked against hand computations and
SciPy (which the analysis itself does not import for these)."""
import math
import timeit

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from consult.analysis.indicators import (
    BETTER,
    CHOICE,
    HIDDEN_ROUND,
    HIGHER_IS_WORSE,
    LIKERT,
    MANN_WHITNEY_U,
    MIXED,
    NO_ANSWERS,
    NO_CLEAR_CHANGE,
    NO_VARIATION,
    NOT_COMPARABLE,
    SCALE,
    TOO_FEW,
    TWO_PROPORTION_Z,
    WORSE,
    IndicatorSpec,
    change,
    mann_whitney_z,
    normal_two_sided_p,
    round_score,
    t_quantile_975,
    two_proportion_z,
)
from consult.analysis.tallies import wilson_interval

LIKERT_UP = IndicatorSpec(LIKERT, order=("1", "2", "3", "4", "5"))
LIKERT_DOWN = IndicatorSpec(LIKERT, HIGHER_IS_WORSE, order=("1", "2", "3", "4", "5"))
SCALE_UP = IndicatorSpec(SCALE)
SCALE_DOWN = IndicatorSpec(SCALE, HIGHER_IS_WORSE)
CHOICE_SPEC = IndicatorSpec(CHOICE, favourable=frozenset({"yes", "mostly"}))


def expand(distribution) -> list[float]:
    """The individual answers of (value, count) pairs, for SciPy."""
    return [value for value, count in distribution for _ in range(count)]


# Round scores


def test_likert_share_is_the_top_two_with_the_existing_wilson_interval():
    score = round_score(LIKERT_UP, {"1": 10, "2": 10, "3": 20, "4": 40, "5": 20}, k=10)
    assert (score.n, score.favourable, score.value) == (100, 60, 0.6)
    assert score.interval == wilson_interval(60, 100)
    assert score.favourable_keys == ("4", "5") and score.hidden is None


def test_likert_where_higher_is_worse_counts_the_bottom_two():
    # "I fear walking at night": disagreeing is the good news, so the chart still reads up=better.
    score = round_score(LIKERT_DOWN, {"1": 10, "2": 15, "3": 20, "4": 40, "5": 15}, k=10)
    assert (score.favourable, score.value) == (25, 0.25)
    assert score.favourable_keys == ("1", "2")


def test_likert_order_defaults_to_numeric_keys_and_ignores_answers_off_the_scale():
    spec = IndicatorSpec(LIKERT)
    score = round_score(spec, {5: 20, 1: 10, 3: 20, 4: 40, 2: 10}, k=10)
    assert score.value == 0.6 and score.favourable_keys == ("4", "5")
    explicit = round_score(LIKERT_UP, {"1": 5, "5": 5, "other": 90}, k=1)
    assert explicit.n == 10 and explicit.value == 0.5


def test_choice_share_counts_the_marked_options_of_every_answer():
    score = round_score(CHOICE_SPEC, {"yes": 30, "mostly": 12, "no": 50, "other": 8}, k=10)
    assert (score.n, score.favourable, score.value) == (100, 42, 0.42)
    assert score.interval == wilson_interval(42, 100)
    assert score.favourable_keys == ("mostly", "yes")


def test_scale_mean_and_t_interval_by_hand():
    # Answers 4, 6, 6, 8, 8, 8, 10, 10, 10, 10: mean 8, s^2 = 40/9.
    score = round_score(SCALE_UP, {4: 1, 6: 2, 8: 3, 10: 4}, k=10)
    assert score.value == pytest.approx(8.0)
    assert score.sd == pytest.approx(math.sqrt(40 / 9))
    half = stats.t.ppf(0.975, 9) * math.sqrt(40 / 9) / math.sqrt(10)
    low, high = score.interval
    assert score.interval == pytest.approx((8 - half, 8 + half), abs=1e-4)


def test_scale_interval_is_clipped_to_the_scale():
    # Nine 10s and a 2: mean 9.2, s = sqrt(6.4), half width 1.81 -> 11.01, past the scale.
    score = round_score(SCALE_UP, {10: 9, 2: 1}, k=10)
    assert score.value == pytest.approx(9.2) and score.interval[1] == 10.0
    assert score.interval[0] == pytest.approx(9.2 - stats.t.ppf(0.975, 9) * math.sqrt(0.64),
                                              abs=1e-4)


def test_scale_keys_may_be_numbers_or_text_and_are_merged():
    score = round_score(SCALE_UP, {"7": 5, 7.0: 5, "3": 10, "n/a": 4}, k=10)
    assert score.n == 20 and score.value == 5.0
    assert score.distribution == ((3.0, 10), (7.0, 10))


def test_scale_interval_matches_numpy_and_scipy_for_a_large_round():
    rng = np.random.default_rng(16)
    answers = rng.integers(0, 11, size=5000)
    counts = {int(v): int(c) for v, c in zip(*np.unique(answers, return_counts=True))}
    score = round_score(SCALE_UP, counts, k=10)
    assert score.value == pytest.approx(answers.mean())
    assert score.sd == pytest.approx(answers.std(ddof=1))
    low, high = stats.t.interval(0.95, len(answers) - 1, loc=answers.mean(),
                                 scale=stats.sem(answers))
    assert score.interval == pytest.approx((low, high), abs=1e-9)


def test_t_quantile_matches_scipy():
    for df in (1, 2, 3, 4, 5, 9, 29, 30, 100, 10_000):
        assert t_quantile_975(df) == pytest.approx(stats.t.ppf(0.975, df), rel=2e-4)


@pytest.mark.parametrize("spec, counts", [(LIKERT_UP, {"4": 3, "5": 6}), (SCALE_UP, {7: 9}),
                                          (CHOICE_SPEC, {"yes": 5, "no": 4})])
def test_fewer_than_k_answers_hide_the_figure_and_n(spec, counts):
    score = round_score(spec, counts, k=10)
    assert score.hidden == TOO_FEW
    assert score.value is None and score.interval is None and score.n is None
    assert score.distribution == () and score.favourable is None


def test_no_answers_with_k_zero_is_said_not_divided_by():
    score = round_score(LIKERT_UP, {}, k=0)
    assert (score.n, score.value, score.hidden) == (0, None, NO_ANSWERS)
    single = round_score(SCALE_UP, {6: 1}, k=1)
    assert single.value == 6 and single.interval is None  # no spread from one answer


# Tests of change


def test_two_proportion_z_by_hand_and_against_chi_squared():
    # 45/100 then 60/100: pooled p = 0.525, se = sqrt(0.525 * 0.475 * 0.02) = 0.070622.
    z = two_proportion_z(45, 100, 60, 100)
    assert z == pytest.approx(0.15 / 0.0706222, rel=1e-5)
    assert normal_two_sided_p(z) == pytest.approx(0.03367, abs=1e-4)
    chi2, p, _, _ = stats.chi2_contingency([[45, 55], [60, 40]], correction=False)
    assert z * z == pytest.approx(chi2) and normal_two_sided_p(z) == pytest.approx(p)


def test_mann_whitney_by_hand_with_ties():
    # First 1, 2, 3; second 2, 3, 4. U = 1.5 + 2.5 + 3 = 7; ties {2, 3}: sum t^3 - t = 12;
    # var = 9/12 * (7 - 12/30) = 4.95; z = (7 - 4.5 - 0.5) / sqrt(4.95).
    u, z = mann_whitney_z([(1, 1), (2, 1), (3, 1)], [(2, 1), (3, 1), (4, 1)])
    assert u == 7 and z == pytest.approx(2 / math.sqrt(4.95))
    reference = stats.mannwhitneyu([2, 3, 4], [1, 2, 3], method="asymptotic")
    assert normal_two_sided_p(z) == pytest.approx(reference.pvalue)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=5, max_size=5),
       st.lists(st.integers(0, 30), min_size=5, max_size=5))
def test_mann_whitney_from_counts_matches_scipy_on_the_expanded_answers(first, second):
    a = [(float(v), c) for v, c in enumerate(first, start=1)]
    b = [(float(v), c) for v, c in enumerate(second, start=1)]
    result = mann_whitney_z(a, b)
    xs, ys = expand(a), expand(b)
    if not xs or not ys or len(set(xs + ys)) == 1:
        assert result is None
        return
    u, z = result
    reference = stats.mannwhitneyu(ys, xs, method="asymptotic")
    assert u == pytest.approx(reference.statistic)
    assert normal_two_sided_p(z) == pytest.approx(reference.pvalue, rel=1e-9, abs=1e-12)


def test_mann_whitney_of_100000_responses_takes_microseconds():
    a = [(float(v), c) for v, c in enumerate([9000, 11000, 20000, 35000, 25000], start=1)]
    b = [(float(v), c) for v, c in enumerate([8000, 10000, 21000, 36000, 25000], start=1)]
    u, z = mann_whitney_z(a, b)
    assert u == pytest.approx(stats.mannwhitneyu(expand(b), expand(a),
                                                 method="asymptotic").statistic)
    seconds = min(timeit.repeat(lambda: mann_whitney_z(a, b), number=100, repeat=5)) / 100
    assert seconds < 500e-6  # ~20 us on the development machine; generous for a busy one


def test_likert_improvement_is_better_by_mann_whitney():
    before = round_score(LIKERT_UP, {"1": 30, "2": 30, "3": 20, "4": 10, "5": 10}, k=10)
    after = round_score(LIKERT_UP, {"1": 10, "2": 10, "3": 20, "4": 30, "5": 30}, k=10)
    result = change(before, after)
    assert result.method == MANN_WHITNEY_U and result.verdict == BETTER
    assert result.difference == pytest.approx(0.4) and result.statistic > 0
    assert result.p_value < 0.001 and result.u is not None


def test_likert_where_higher_is_worse_moving_up_is_worse():
    before = round_score(LIKERT_DOWN, {"1": 30, "2": 30, "3": 20, "4": 10, "5": 10}, k=10)
    after = round_score(LIKERT_DOWN, {"1": 10, "2": 10, "3": 20, "4": 30, "5": 30}, k=10)
    result = change(before, after)
    assert result.verdict == WORSE and result.statistic > 0
    assert result.difference == pytest.approx(-0.4)  # favourable share fell


def test_scale_direction_decides_the_verdict():
    low = {2: 20, 3: 20, 4: 20}
    high = {6: 20, 7: 20, 8: 20}
    assert change(round_score(SCALE_UP, low, 10), round_score(SCALE_UP, high, 10)).verdict \
        == BETTER
    result = change(round_score(SCALE_DOWN, low, 10), round_score(SCALE_DOWN, high, 10))
    assert result.verdict == WORSE and result.difference == pytest.approx(4.0)


def test_choice_uses_the_two_proportion_test():
    before = round_score(CHOICE_SPEC, {"yes": 45, "no": 55}, k=10)
    after = round_score(CHOICE_SPEC, {"yes": 40, "mostly": 20, "no": 40}, k=10)
    result = change(before, after)
    assert result.method == TWO_PROPORTION_Z and result.verdict == BETTER
    assert result.statistic == pytest.approx(two_proportion_z(45, 100, 60, 100))
    assert result.p_value == pytest.approx(0.03367, abs=1e-4)
    assert change(after, before).verdict == WORSE


def test_a_small_change_is_no_clear_change():
    before = round_score(CHOICE_SPEC, {"yes": 45, "no": 55}, k=10)
    after = round_score(CHOICE_SPEC, {"yes": 48, "no": 52}, k=10)
    result = change(before, after)
    assert result.verdict == NO_CLEAR_CHANGE and result.p_value > 0.05 and result.reason is None


def test_a_hidden_round_gives_no_difference_and_no_test():
    shown = round_score(LIKERT_UP, {"4": 50, "5": 50}, k=10)
    hidden = round_score(LIKERT_UP, {"4": 5}, k=10)
    for result in (change(hidden, shown), change(shown, hidden)):
        assert (result.difference, result.statistic, result.p_value) == (None, None, None)
        assert result.verdict == NO_CLEAR_CHANGE and result.reason == HIDDEN_ROUND


def test_undefined_cases_never_raise():
    empty = round_score(SCALE_UP, {}, k=0)
    some = round_score(SCALE_UP, {5: 10}, k=0)
    assert change(empty, some).reason == NO_ANSWERS
    # Everyone gave the same answer in both rounds: all ties, nothing to test.
    result = change(some, round_score(SCALE_UP, {5: 30}, k=0))
    assert (result.p_value, result.verdict, result.reason) == (None, NO_CLEAR_CHANGE, NO_VARIATION)
    assert result.difference == 0
    everyone = round_score(CHOICE_SPEC, {"yes": 20}, k=0)
    assert change(everyone, everyone).reason == NO_VARIATION
    other_kind = change(some, round_score(LIKERT_UP, {"5": 10}, k=0))
    assert other_kind.reason == NOT_COMPARABLE and other_kind.p_value is None


def test_test_and_figure_pointing_different_ways_is_no_clear_change():
    # Built by hand: the answers moved up the scale (z > 0) but the favourable share fell.
    # Before: 600 strongly disagree, 400 strongly agree (40% favourable); after: 700 neutral,
    # 300 agree (30%): an answer after beats one before 60% of the time.
    before = round_score(LIKERT_UP, {"1": 600, "5": 400}, k=10)
    after = round_score(LIKERT_UP, {"3": 700, "4": 300}, k=10)
    result = change(before, after)
    assert result.p_value < 0.05 and result.statistic > 0 and result.difference < 0
    assert result.verdict == NO_CLEAR_CHANGE and result.reason == MIXED
