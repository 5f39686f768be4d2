"""Mann-Kendall test and Sen's slope: exact distribution, worked examples, oracles."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from vrn.analytics.stats.mann_kendall import exact_mann_kendall_p, mann_kendall


def brute_force_s(values: np.ndarray) -> int:
    n = len(values)
    return sum(int(np.sign(values[j] - values[i])) for i in range(n) for j in range(i + 1, n))


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7])
def test_exact_distribution_matches_enumeration_of_permutations(n: int) -> None:
    scores = np.array([brute_force_s(np.array(p)) for p in itertools.permutations(range(n))])
    for s in np.unique(scores):
        expected = np.mean(np.abs(scores) >= abs(s))
        assert exact_mann_kendall_p(n, int(s)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("n", "s", "one_sided"),
    # Kendall's table as printed in Gilbert (1987), Table A18: P(S >= s) under no trend.
    [(4, 4, 0.167), (4, 6, 0.042), (5, 6, 0.117), (5, 10, 0.0083), (8, 14, 0.054)],
)
def test_exact_p_values_match_the_published_table(n: int, s: int, one_sided: float) -> None:
    assert exact_mann_kendall_p(n, s) / 2 == pytest.approx(one_sided, abs=6e-4)


def test_exact_p_rejects_impossible_scores() -> None:
    with pytest.raises(ValueError, match="not a possible value"):
        exact_mann_kendall_p(4, 5)
    with pytest.raises(ValueError, match="not a possible value"):
        exact_mann_kendall_p(4, 8)


def test_worked_example_with_a_tie() -> None:
    # "A Mann-Kendall example by hand" (Little, College of the Holy Cross): 14 values, one
    # pair tied; S = 54, V = (14)(13)(33)/18 - (2)(1)(9)/18, Z = 2.9058, one-sided p = .0018.
    values = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7]
    result = mann_kendall(values)
    assert result.s == 54
    assert result.variance == pytest.approx(14 * 13 * 33 / 18 - 2 * 1 * 9 / 18)
    assert result.z == pytest.approx(2.9058, abs=5e-5)
    assert result.p_value / 2 == pytest.approx(0.0018, abs=5e-5)
    assert result.method == "normal approximation"
    assert result.direction == "increasing"


def test_ties_in_a_short_series_use_the_normal_approximation() -> None:
    result = mann_kendall([1, 2, 2, 3, 3, 3, 5])
    # ties: one group of 2, one of 3
    expected = (7 * 6 * 19 - 2 * 1 * 9 - 3 * 2 * 11) / 18
    assert result.variance == pytest.approx(expected)
    assert result.method == "normal approximation"
    assert result.s == brute_force_s(np.array([1, 2, 2, 3, 3, 3, 5]))
    tau_b = scipy_stats.kendalltau(np.arange(7), [1, 2, 2, 3, 3, 3, 5]).statistic
    assert result.tau == pytest.approx(tau_b)


distinct_series = st.lists(
    st.integers(min_value=-1000, max_value=1000), min_size=3, max_size=40, unique=True
)


@settings(max_examples=60, deadline=None)
@given(distinct_series)
def test_agrees_with_scipy_kendalltau_without_ties(values: list[int]) -> None:
    result = mann_kendall(values)
    time = np.arange(len(values))
    reference = scipy_stats.kendalltau(time, values)
    assert result.tau == pytest.approx(reference.statistic, abs=1e-12)
    assert result.s == brute_force_s(np.array(values))
    if len(values) <= 10:
        assert result.method == "exact"
        exact = scipy_stats.kendalltau(time, values, method="exact").pvalue
        assert result.p_value == pytest.approx(exact, rel=1e-9)
    else:
        # the continuity correction makes ours the more conservative of the two
        asymptotic = scipy_stats.kendalltau(time, values, method="asymptotic").pvalue
        assert result.p_value >= asymptotic - 1e-12
        assert result.p_value == pytest.approx(asymptotic, abs=0.1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-50, max_value=50), min_size=3, max_size=30))
def test_sens_slope_is_the_median_of_pairwise_slopes(values: list[int]) -> None:
    result = mann_kendall(values)
    n = len(values)
    slopes = sorted((values[j] - values[i]) / (j - i) for i in range(n) for j in range(i + 1, n))
    assert result.slope == pytest.approx(float(np.median(slopes)), abs=1e-12)
    assert result.slope == pytest.approx(scipy_stats.theilslopes(values).slope, abs=1e-12)
    # limits: the M1-th and (M2 + 1)-th smallest slopes, interpolated (Gilbert 1987)
    width = scipy_stats.norm.ppf(0.975) * math.sqrt(result.variance)
    for limit, rank in (
        (result.slope_lower, (len(slopes) - width) / 2),
        (result.slope_upper, (len(slopes) + width) / 2 + 1),
    ):
        if 1 <= rank <= len(slopes):
            below = slopes[math.floor(rank) - 1]
            above = slopes[math.ceil(rank) - 1]
            assert below - 1e-12 <= limit <= above + 1e-12
        else:
            assert math.isnan(limit)
    if not math.isnan(result.slope_lower):
        assert result.slope_lower <= result.slope <= result.slope_upper


def test_sens_limits_at_whole_ranks_match_scipy() -> None:
    # n = 10 without ties: Var(S) = 125, N = 45 slopes
    values = [3.1, 4.0, 3.6, 5.2, 4.8, 6.1, 5.5, 7.4, 6.9, 8.0]
    result = mann_kendall(values, confidence=0.95)
    reference = scipy_stats.theilslopes(values, alpha=0.95)
    width = scipy_stats.norm.ppf(0.975) * math.sqrt(125)
    slopes = np.sort(
        [(values[j] - values[i]) / (j - i) for i in range(10) for j in range(i + 1, 10)]
    )
    lower_rank, upper_rank = (45 - width) / 2, (45 + width) / 2 + 1
    assert result.slope_lower == pytest.approx(np.interp(lower_rank - 1, np.arange(45), slopes))
    assert result.slope_upper == pytest.approx(np.interp(upper_rank - 1, np.arange(45), slopes))
    # scipy rounds the ranks rather than interpolating
    assert reference.low_slope == slopes[round(lower_rank) - 1]
    assert reference.high_slope == slopes[round(upper_rank - 1)]


def test_decreasing_and_flat_series() -> None:
    falling = mann_kendall([9, 8, 8.5, 7, 6, 6.5, 5, 4, 3, 2, 2.5, 1])
    assert falling.direction == "decreasing"
    assert falling.s < 0 and falling.slope < 0
    assert falling.summary.startswith("Decreasing (S = ")
    flat = mann_kendall([4, 4, 4, 4, 4])
    assert (flat.s, flat.p_value, flat.z, flat.slope) == (0, 1.0, 0.0, 0.0)
    assert math.isnan(flat.tau)
    assert flat.direction == "no significant trend"


def test_short_series_cannot_reach_significance() -> None:
    result = mann_kendall([1, 2, 3, 4])
    assert result.p_value == pytest.approx(2 / 24)
    assert result.direction == "no significant trend"
    assert math.isnan(result.slope_lower) and math.isnan(result.slope_upper)
    assert mann_kendall([1, 2, 3, 4], confidence=90).direction == "increasing"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([1.0, float("nan"), 3.0, 4.0], "missing value at position 1"),
        ([1.0, 2.0, float("inf")], "infinite value at position 2"),
        ([1.0, 2.0], "at least 3 values"),
        ([[1, 2], [3, 4]], "1-D"),
        (["a", "b", "c"], "sequence of numbers"),
    ],
)
def test_mann_kendall_refuses_bad_values(values: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mann_kendall(values)  # type: ignore[arg-type]
