"""Per-question statistics, checked against hand computations and numpy."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.analysis.tallies import (
    choice_shares,
    likert_summary,
    number_summary,
    quantile,
    ranking_summary,
    wilson_interval,
)


def test_wilson_interval_matches_published_values():
    # Newcombe (1998), table I: 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605.
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    low, high = wilson_interval(15, 148)
    assert (round(low, 4), round(high, 4)) == (0.0624, 0.1605)


def test_wilson_interval_stays_inside_zero_and_one():
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0
    assert wilson_interval(0, 0) is None


def test_choice_shares_are_of_answerers():
    shares = choice_shares({"port": 30, "market": 10}, answered=40)
    assert shares["port"].share == 0.75 and shares["market"].count == 10


def test_likert_mean_and_agreeing():
    summary = likert_summary({1: 10, 2: 10, 3: 20, 4: 40, 5: 20})
    assert summary.mean == pytest.approx((10 + 20 + 60 + 160 + 100) / 100)
    assert summary.agreeing.count == 60 and summary.agreeing.share == 0.6


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-50, 50), st.integers(0, 6)), min_size=1, max_size=8),
       st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))
def test_quantiles_from_counts_equal_numpy_on_the_expanded_data(pairs, p):
    expanded = [v for v, n in pairs for _ in range(n)]
    expected = float(np.quantile(expanded, p)) if expanded else None
    assert quantile(pairs, p) == pytest.approx(expected)


def test_number_summary():
    summary = number_summary([(0, 1), (5, 2), (10, 1)])
    assert (summary.answered, summary.mean, summary.median) == (4, 5.0, 5.0)


def test_ranking_by_borda_with_partial_rankings():
    result = ranking_summary({"jobs": {1: 10, 2: 5}, "safety": {1: 5, 2: 10, 3: 5},
                              "lights": {3: 10}}, options=3)
    assert [o.key for o in result] == ["jobs", "safety", "lights"]
    assert result[0].borda == 10 * 2 + 5 * 1 and result[0].mean_rank == pytest.approx(20 / 15)
