"""Paired change: published values, brute-force oracles and a hand-worked reliable change."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import special
from scipy import stats as scipy_stats

from vrn.analytics.stats import PairedChange, paired_change, wilson_interval
from vrn.analytics.stats.paired import hedges_correction, signed_rank_distribution

# Student (1908) / R's `sleep` data: extra hours of sleep with drug 1 and drug 2.
SLEEP_DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

# Hollander & Wolfe (1973, p. 29), R's ?wilcox.test: Hamilton depression scale factor IV
# at the first (x) and second (y) visit after tranquilliser.
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_paired_t_matches_r_on_the_sleep_data() -> None:
    # R: t.test(extra ~ group, data = sleep, paired = TRUE) reports group 1 - group 2:
    # mean difference -1.58, t = -4.0621, df = 9, p-value = 0.002833,
    # 95 percent confidence interval -2.4598858 -0.7001142.
    result = paired_change(SLEEP_DRUG_2, SLEEP_DRUG_1)
    assert isinstance(result, PairedChange)
    assert result.n == 10 and result.n_dropped == 0 and result.df == 9
    assert result.mean_change == pytest.approx(-1.58, abs=1e-12)
    assert result.t == pytest.approx(-4.0621, abs=5e-5)
    assert result.p_value == pytest.approx(0.002833, abs=5e-7)
    assert result.change_lower == pytest.approx(-2.4598858, abs=5e-8)
    assert result.change_upper == pytest.approx(-0.7001142, abs=5e-8)
    assert result.mean_before == pytest.approx(2.33) and result.mean_after == pytest.approx(0.75)


def test_change_is_after_minus_before() -> None:
    result = paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    assert result.mean_change == pytest.approx(1.58)
    assert result.t == pytest.approx(4.0621, abs=5e-5)
    assert result.change_lower == pytest.approx(0.7001142, abs=5e-8)
    assert result.change_upper == pytest.approx(2.4598858, abs=5e-8)
    assert result.sd_change == pytest.approx(1.2299955, abs=5e-8)
    assert result.improved.count == 9 and result.same.count == 1 and result.worse.count == 0


def test_signed_rank_test_matches_r_on_the_depression_data() -> None:
    # R: wilcox.test(x, y, paired = TRUE) gives V = 40, p-value = 0.03906 (two-sided; the
    # help page's one-sided "greater" test gives p = 0.01953). V sums the ranks of x - y > 0.
    result = paired_change(DEPRESSION_Y, DEPRESSION_X)
    assert result.wilcoxon_statistic == 40
    assert result.wilcoxon_p_value == pytest.approx(0.03906, abs=5e-6)
    assert result.wilcoxon_p_value == pytest.approx(20 / 512)  # 2 * P(V >= 40), exact
    assert result.wilcoxon_method == "exact"
    reverse = paired_change(DEPRESSION_X, DEPRESSION_Y)
    assert reverse.wilcoxon_statistic == 5  # 45 - 40
    assert reverse.wilcoxon_p_value == pytest.approx(result.wilcoxon_p_value)


def brute_force_hodges_lehmann(d: list[float], level: float) -> tuple[float, float, float]:
    """HL estimate and limits from all Walsh averages and all 2^n sign patterns."""
    n = len(d)
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    null = [
        sum(rank for rank, positive in zip(range(1, n + 1), signs, strict=True) if positive)
        for signs in itertools.product([False, True], repeat=n)
    ]
    alpha = 1 - level
    c = max(k for k in range(1, len(walsh) + 1) if np.mean(np.array(null) <= k - 1) <= alpha / 2)
    return float(np.median(walsh)), walsh[c - 1], walsh[len(walsh) - c]


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_hodges_lehmann_matches_brute_force_enumeration(level: float) -> None:
    d = [a - b for a, b in zip(DEPRESSION_X, DEPRESSION_Y, strict=True)]
    estimate, lower, upper = brute_force_hodges_lehmann(d, level)
    result = paired_change(DEPRESSION_Y, DEPRESSION_X, confidence=level)
    assert result.hl_method == "exact"
    assert result.hodges_lehmann == pytest.approx(estimate, abs=1e-12)
    assert result.hl_lower == pytest.approx(lower, abs=1e-12)
    assert result.hl_upper == pytest.approx(upper, abs=1e-12)


def test_hodges_lehmann_depression_values() -> None:
    # From the enumeration above: pseudomedian 0.46, 95% limits 0.010 and 0.786 (C = 6:
    # P(V <= 5) = 10/512 <= 0.025 < P(V <= 6) = 14/512).
    result = paired_change(DEPRESSION_Y, DEPRESSION_X)
    assert result.hodges_lehmann == pytest.approx(0.46)
    assert result.hl_lower == pytest.approx(0.010)
    assert result.hl_upper == pytest.approx(0.786)
    flipped = paired_change(DEPRESSION_X, DEPRESSION_Y)
    assert flipped.hodges_lehmann == pytest.approx(-0.46)
    assert (flipped.hl_lower, flipped.hl_upper) == pytest.approx((-0.786, -0.010))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_signed_rank_distribution_matches_enumeration(n: int) -> None:
    totals = [
        sum(rank for rank, positive in zip(range(1, n + 1), signs, strict=True) if positive)
        for signs in itertools.product([False, True], repeat=n)
    ]
    expected = np.bincount(totals, minlength=n * (n + 1) // 2 + 1) / 2**n
    assert signed_rank_distribution(n) == pytest.approx(expected, abs=1e-15)


def test_hodges_lehmann_is_nan_when_too_few_pairs() -> None:
    # With 5 pairs the smallest two-sided exact level is 2/32 = 0.0625 > 0.05.
    result = paired_change([1, 2, 3, 4, 5], [2, 4, 3.5, 7, 6.2])
    assert math.isnan(result.hl_lower) and math.isnan(result.hl_upper)
    assert result.hodges_lehmann == pytest.approx(np.median([1, 2, 0.5, 3, 1.2]), abs=0.6)


def test_large_samples_use_the_normal_approximation() -> None:
    rng = np.random.default_rng(7)
    before = rng.integers(1, 11, size=600).astype(float)
    after = np.clip(before + rng.integers(-2, 4, size=600), 1, 10)
    result = paired_change(before, after)
    assert result.hl_method == "normal approximation"
    assert result.wilcoxon_method == "normal approximation"
    assert result.hl_lower <= result.hodges_lehmann <= result.hl_upper
    expected = scipy_stats.wilcoxon(after - before, zero_method="pratt", correction=True)
    assert result.wilcoxon_p_value == pytest.approx(float(expected.pvalue))


def dz_limits_by_bisection(t: float, n: int, level: float) -> tuple[float, float]:
    """Independent oracle: bisection on the noncentral t survival function."""
    df, alpha = n - 1, 1 - level

    def solve(target: float) -> float:
        low, high = t - 50.0, t + 50.0  # P(T <= t | nc) falls from 1 to 0 over this range
        for _ in range(200):
            middle = (low + high) / 2
            if 1 - scipy_stats.nct.sf(t, df, middle) > target:
                low = middle
            else:
                high = middle
        return (low + high) / 2

    return solve(1 - alpha / 2) / math.sqrt(n), solve(alpha / 2) / math.sqrt(n)


@pytest.mark.parametrize("level", [0.9, 0.95])
def test_dz_interval_matches_noncentral_t_bisection(level: float) -> None:
    result = paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2, confidence=level)
    assert result.dz == pytest.approx(1.58 / 1.2299955, abs=1e-6)
    lower, upper = dz_limits_by_bisection(result.t, result.n, level)
    assert result.dz_lower == pytest.approx(lower, abs=1e-7)
    assert result.dz_upper == pytest.approx(upper, abs=1e-7)
    flipped = paired_change(SLEEP_DRUG_2, SLEEP_DRUG_1, confidence=level)
    assert (flipped.dz_lower, flipped.dz_upper) == pytest.approx((-upper, -lower), abs=1e-7)


def test_dz_interval_approaches_the_normal_approximation_for_large_n() -> None:
    rng = np.random.default_rng(3)
    before = rng.normal(5, 2, size=400)
    after = before + rng.normal(0.5, 1, size=400)
    result = paired_change(before, after)
    n, dz = result.n, result.dz
    half = 1.959964 * math.sqrt(1 / n + dz**2 / (2 * n))  # Cumming and Finch (2001)
    assert result.dz_lower == pytest.approx(dz - half, abs=0.01)
    assert result.dz_upper == pytest.approx(dz + half, abs=0.01)


def test_hedges_correction_matches_the_gamma_formula() -> None:
    for df in [2, 5, 9, 30]:
        expected = special.gamma(df / 2) / (math.sqrt(df / 2) * special.gamma((df - 1) / 2))
        assert hedges_correction(df) == pytest.approx(expected, rel=1e-12)
        assert hedges_correction(df) == pytest.approx(1 - 3 / (4 * df - 1), abs=0.01)
    result = paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2)
    assert result.gz == pytest.approx(result.dz * hedges_correction(9))


def test_shares_use_wilson_limits() -> None:
    result = paired_change([3, 4, 2, 5, 4, 3], [5, 6, 2, 6, 7, 4])
    assert (result.improved.count, result.same.count, result.worse.count) == (5, 1, 0)
    lower, upper = wilson_interval(5, 6)
    assert result.improved.share == pytest.approx(5 / 6)
    assert (result.improved.lower, result.improved.upper) == pytest.approx((lower, upper))
    assert result.worse.lower == 0.0


def test_lower_is_better_swaps_improved_and_worse() -> None:
    result = paired_change([3, 4, 2, 5, 4, 3], [5, 6, 2, 6, 7, 4], higher_is_better=False)
    assert (result.improved.count, result.same.count, result.worse.count) == (0, 1, 5)
    assert result.mean_change == pytest.approx(1.5)


def test_reliable_change_hand_worked_with_the_sample_sd() -> None:
    # Baseline SD of 10, 12, 14, 16, 18 is sqrt(10); with reliability 0.8,
    # SE_diff = sqrt(2) * sqrt(10) * sqrt(0.2) = 2 and the criterion is 1.959964 * 2.
    before = [10, 12, 14, 16, 18]
    after = [17, 18, 14, 9.5, 28]  # changes +7, +6, 0, -6.5, +10
    result = paired_change(before, after, reliability=0.8)
    reliable = result.reliable
    assert reliable is not None
    assert reliable.sd == pytest.approx(math.sqrt(10))
    assert reliable.se_difference == pytest.approx(2.0)
    assert reliable.criterion == pytest.approx(3.919928, abs=1e-6)
    assert reliable.improved.count == 3
    assert reliable.no_change.count == 1
    assert reliable.deteriorated.count == 1
    assert reliable.improved.share == pytest.approx(0.6)


def test_reliable_change_hand_worked_with_a_norm_group_sd() -> None:
    # SD 5, reliability 0.8: SE_diff = sqrt(2) * 5 * sqrt(0.2) = sqrt(10) = 3.1623;
    # criterion 1.959964 * 3.1623 = 6.198: +7 and +10 reliable, +6 not, -6.5 reliable.
    before = [10, 12, 14, 16, 18]
    after = [17, 18, 14, 9.5, 28]
    result = paired_change(before, after, reliable_change_sd=5, reliability=0.8)
    assert result.reliable is not None
    assert result.reliable.se_difference == pytest.approx(math.sqrt(10))
    assert result.reliable.criterion == pytest.approx(6.19795, abs=1e-5)
    counts = (
        result.reliable.improved.count,
        result.reliable.no_change.count,
        result.reliable.deteriorated.count,
    )
    assert counts == (2, 2, 1)
    lower_better = paired_change(
        before, after, reliable_change_sd=5, reliability=0.8, higher_is_better=False
    )
    assert lower_better.reliable is not None
    assert lower_better.reliable.improved.count == 1
    assert lower_better.reliable.deteriorated.count == 2


def test_no_reliable_change_without_reliability() -> None:
    assert paired_change([1, 2, 3], [2, 3, 5]).reliable is None


def test_missing_pairs_are_dropped_and_counted() -> None:
    before = [3, None, 4, 2, float("nan"), 5, 4, 3]
    after = [5, 6, 6, 2, 4, 6, None, 7]
    result = paired_change(before, after)
    assert result.n == 5 and result.n_dropped == 3
    complete = paired_change([3, 4, 2, 5, 3], [5, 6, 2, 6, 7])
    assert result.mean_change == pytest.approx(complete.mean_change)
    assert result.t == pytest.approx(complete.t)
    assert result.hodges_lehmann == pytest.approx(complete.hodges_lehmann)


def test_constant_change_gives_nan_t_and_dz() -> None:
    result = paired_change([1, 2, 3, 4], [2, 3, 4, 5])
    assert result.mean_change == 1 and result.sd_change == 0
    assert result.change_lower == result.change_upper == 1
    assert math.isnan(result.t) and math.isnan(result.p_value) and math.isnan(result.dz)
    unchanged = paired_change([1, 2, 3], [1, 2, 3])
    assert math.isnan(unchanged.wilcoxon_p_value)
    assert unchanged.same.count == 3


def test_summary_reads_plainly() -> None:
    summary = paired_change(SLEEP_DRUG_1, SLEEP_DRUG_2).summary
    assert summary.startswith("Mean change +1.58 (95% CI +0.7 to +2.46), p = 0.003")
    assert "9 of 10 improved, 1 the same, 0 worse" in summary


@pytest.mark.parametrize(
    ("before", "after", "kwargs", "message"),
    [
        ([1, 2, 3], [1, 2], {}, "same length"),
        ([1], [2], {}, "at least 2 complete pairs"),
        ([1, None, 3], [2, 3, None], {}, "at least 2 complete pairs"),
        ([1, "x", 3], [2, 3, 4], {}, r"before: score 'x' at position 1 is not a number"),
        ([1, 2, 3], [2, float("inf"), 4], {}, "after: infinite score at position 1"),
        ([[1, 2], [3, 4]], [[1, 2], [3, 4]], {}, "1-D"),
        ([1, 2, 3], [2, 3, 4], {"confidence": 0.8}, "confidence"),
        ([1, 2, 3], [2, 3, 4], {"reliability": 1.0}, "reliability"),
        ([1, 2, 3], [2, 3, 4], {"reliability": "high"}, "reliability: expected a number"),
        ([1, 2, 3], [2, 3, 4], {"reliable_change_sd": 2}, "give reliability too"),
        ([1, 2, 3], [2, 3, 4], {"reliable_change_sd": 0, "reliability": 0.8}, "greater than"),
        ([2, 2, 2], [2, 3, 4], {"reliability": 0.8}, "sample SD is 0"),
        ([1, 2, 3], [2, 3, 4], {"higher_is_better": "yes"}, "higher_is_better"),
    ],
)
def test_bad_input_is_refused(
    before: list[object], after: list[object], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        paired_change(before, after, **kwargs)  # type: ignore[arg-type]


def test_dz_limits_for_a_large_sample_with_a_large_t() -> None:
    """t = 10.28 on 828 df (a distance-travelled area of 829 participants): scipy's nct.cdf
    is NaN at nc = -10, so the search must not reach out there."""
    from scipy import stats as scipy_stats

    from vrn.analytics.stats.paired import _dz_limits

    t, n = 10.276728789342178, 829
    lower, upper = _dz_limits(t, n, 0.95)
    assert 0 < lower < t / n**0.5 < upper
    assert scipy_stats.nct.cdf(t, n - 1, lower * n**0.5) == pytest.approx(0.975, abs=1e-9)
    assert scipy_stats.nct.cdf(t, n - 1, upper * n**0.5) == pytest.approx(0.025, abs=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_walsh_averages_counted_by_value_are_the_averages_themselves(seed: int) -> None:
    """Counting tied changes by value gives exactly the order statistics of forming every
    Walsh average (median and the limits), for tied and untied changes alike."""
    from vrn.analytics.stats.paired import _WalshAverages

    rng = np.random.default_rng(seed)
    tied = rng.integers(-4, 5, 301).astype(float) / 2
    untied = rng.normal(0.5, 1.0, 120)
    for d in (tied, untied):
        first, second = np.triu_indices(len(d))
        every = np.sort((d[first] + d[second]) / 2)
        walsh = _WalshAverages(d)
        assert walsh.count == len(every)
        assert walsh.median() == pytest.approx(float(np.median(every)), abs=1e-12)
        for rank in (1, 7, len(every) // 3, len(every)):
            assert walsh.at(rank) == every[rank - 1]


def test_hodges_lehmann_on_twenty_thousand_tied_changes_is_quick_and_exact() -> None:
    rng = np.random.default_rng(5)
    before = rng.integers(1, 11, 20_000).astype(float)
    after = np.clip(before + rng.integers(-2, 5, 20_000), 1, 10)
    result = paired_change(before, after)
    assert result.hl_lower <= result.hodges_lehmann <= result.hl_upper
    assert result.hl_method == "normal approximation"
