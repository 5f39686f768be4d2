"""Distance travelled: paired scores at entry and review, with tests and intervals.

The same participants scored twice on a scale (self-report or practitioner, for example
1-10 per area): the mean change with the paired t interval, the standardised effect size
``dz``, the Wilcoxon signed-rank test with the Hodges-Lehmann estimate, the shares who
improved, stayed the same or got worse, and optionally the Jacobson-Truax reliable change
index. docs/statistics/paired.md explains each method and when to use it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize as scipy_optimize
from scipy import stats as scipy_stats

from vrn.analytics.stats._checks import FloatArray, confidence_level, z_value
from vrn.analytics.stats._frames import format_p_value, percent_text
from vrn.analytics.stats.intervals import wilson_interval

#: Scores: numbers, with None or NaN for a missing score.
Scores = ArrayLike | Sequence[float | None]

#: Up to this many pairs the Hodges-Lehmann limits use the exact signed-rank distribution.
EXACT_MAXIMUM = 500


@dataclass(frozen=True)
class Share:
    """A count of pairs and its share of the pairs used, with Wilson limits (0-1 scale)."""

    count: int
    share: float
    lower: float
    upper: float


@dataclass(frozen=True)
class ReliableChange:
    """The Jacobson-Truax reliable change classification, part of :class:`PairedChange`.

    Attributes
    ----------
    reliability : float
        Reliability of the scale (for example Cronbach's alpha).
    sd : float
        Standard deviation of baseline scores behind the standard error: a norm group's,
        or the sample's baseline SD when none was given.
    se_difference : float
        ``sqrt(2) * sd * sqrt(1 - reliability)``, the standard error of a difference
        between two scores of one person.
    criterion : float
        ``z * se_difference`` in scale points (``1.96 * se_difference`` at 95%): a change
        larger than this is reliable.
    improved, no_change, deteriorated : Share
        Pairs whose change is reliable in the better direction, not reliable, and reliable
        in the worse direction.
    """

    reliability: float
    sd: float
    se_difference: float
    criterion: float
    improved: Share
    no_change: Share
    deteriorated: Share


@dataclass(frozen=True)
class PairedChange:
    """The result of :func:`paired_change`. Changes are always ``after - before``.

    Attributes
    ----------
    n : int
        Pairs used (both scores present).
    n_dropped : int
        Pairs dropped because a score was missing.
    mean_before, mean_after : float
        Mean scores of the pairs used.
    mean_change, change_lower, change_upper : float
        Mean of ``after - before`` and its paired t confidence limits.
    sd_change : float
        Standard deviation of the changes (``n - 1`` denominator).
    t, df, p_value : float, int, float
        Paired t statistic, its degrees of freedom ``n - 1`` and two-sided p-value
        (NaN when every pair changed by the same amount).
    dz, dz_lower, dz_upper : float
        Standardised mean change ``mean_change / sd_change`` with noncentral-t limits.
    gz : float
        ``dz`` with Hedges' small-sample correction ``J(n - 1)`` (less biased, smaller).
    wilcoxon_statistic : float
        Sum of the signed ranks of the positive changes (R's ``V``; zeros ranked, Pratt).
    wilcoxon_p_value : float
        Two-sided p-value of the signed-rank test (NaN when every change is zero).
    wilcoxon_method : str
        ``"exact"``, ``"permutation"`` (every sign pattern, with ties or zeros, up to 13
        pairs) or ``"normal approximation"``.
    hodges_lehmann, hl_lower, hl_upper : float
        Median of the Walsh averages of the changes and its distribution-free limits
        (NaN when there are too few pairs for the confidence level).
    hl_method : str
        ``"exact"`` (signed-rank distribution) or ``"normal approximation"``.
    improved, same, worse : Share
        Pairs whose score got better, did not change, got worse.
    reliable : ReliableChange or None
        The reliable change classification, when ``reliability`` was given.
    higher_is_better : bool
        Whether a higher score is better (it decides "improved" and "worse").
    confidence : float
        Confidence level, 0-1.
    """

    n: int
    n_dropped: int
    mean_before: float
    mean_after: float
    mean_change: float
    change_lower: float
    change_upper: float
    sd_change: float
    t: float
    df: int
    p_value: float
    dz: float
    dz_lower: float
    dz_upper: float
    gz: float
    wilcoxon_statistic: float
    wilcoxon_p_value: float
    wilcoxon_method: str
    hodges_lehmann: float
    hl_lower: float
    hl_upper: float
    hl_method: str
    improved: Share
    same: Share
    worse: Share
    reliable: ReliableChange | None
    higher_is_better: bool
    confidence: float

    @property
    def summary(self) -> str:
        """One line of plain English: mean change, its interval and the shares."""
        level = percent_text(self.confidence)
        return (
            f"Mean change {self.mean_change:+.3g} ({level}% CI {self.change_lower:+.3g} to "
            f"{self.change_upper:+.3g}), {format_p_value(self.p_value)}, dz = {self.dz:.2f}; "
            f"{self.improved.count} of {self.n} improved, {self.same.count} the same, "
            f"{self.worse.count} worse"
        )


def paired_change(
    before: Scores,
    after: Scores,
    confidence: float = 0.95,
    *,
    higher_is_better: bool = True,
    reliable_change_sd: float | None = None,
    reliability: float | None = None,
) -> PairedChange:
    """Change between paired scores, with the paired t and signed-rank methods.

    For changes ``d_i = after_i - before_i`` over ``n`` complete pairs:

    - **Paired t** (Student 1908): ``t = mean(d) / (sd(d) / sqrt(n))`` on ``n - 1``
      degrees of freedom, limits ``mean(d) -/+ t_{n-1} sd(d) / sqrt(n)``.
    - **Effect size** ``dz = mean(d) / sd(d)``; its limits are ``nc / sqrt(n)`` for the
      noncentrality parameters ``nc`` that put the observed t at the upper and lower
      ``(1 - confidence) / 2`` tails of the noncentral t distribution (Steiger and
      Fouladi 1997; Cumming and Finch 2001). ``gz = J dz`` with Hedges' correction
      ``J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))``, ``m = n - 1`` (Hedges 1981).
    - **Wilcoxon signed-rank test** (``scipy.stats.wilcoxon``): zero changes are ranked
      and then left out of the sum (Pratt 1959). The p-value is exact with no ties or
      zeros and at most 50 pairs, from every sign pattern with ties or zeros and at most
      13 pairs, otherwise from the normal approximation with the tie and zero corrections
      and a continuity correction (scipy's own choice).
    - **Hodges-Lehmann estimate**: the median of the ``n(n+1)/2`` Walsh averages
      ``(d_i + d_j) / 2``, ``i <= j``; its limits are the ``C``-th smallest and ``C``-th
      largest Walsh averages, ``C`` the largest integer with ``P(T+ <= C - 1) <= alpha/2``
      under the null signed-rank distribution (Hollander, Wolfe and Chicken 2014,
      section 3.3). ``C`` is exact up to 500 pairs and from the normal approximation above.
    - **Shares** improved, the same, worse, with Wilson limits.
    - **Reliable change** (Jacobson and Truax 1991), when ``reliability`` is given: a
      pair's change is reliable when ``|d_i| > z * SE_diff``,
      ``SE_diff = sqrt(2) * SD * sqrt(1 - reliability)`` (``z = 1.96`` at 95%).

    Parameters
    ----------
    before, after : array_like
        Scores at entry and at review, matched by position, of the same length. A missing
        value (None, NaN) in either drops the pair; it is counted in ``n_dropped``.
    confidence : float, default 0.95
        Confidence level, 0.9 to 1 (95 is read as 0.95), for every interval and for the
        reliable change criterion.
    higher_is_better : bool, default True
        Whether a higher score is better; with False, "improved" means the score fell.
        The changes themselves stay ``after - before``.
    reliable_change_sd : float, optional
        Standard deviation of baseline scores in a norm group, for the reliable change
        index; by default the sample's baseline SD. Needs ``reliability``.
    reliability : float, optional
        Reliability of the scale, 0 to 1 (excluded), such as Cronbach's alpha or a
        test-retest correlation. Without it there is no reliable change classification.

    Returns
    -------
    PairedChange

    Examples
    --------
    >>> result = paired_change([3, 4, 2, 5, 4, 3], [5, 6, 2, 6, 7, 4])
    >>> result.mean_change, round(result.change_lower, 3), round(result.change_upper, 3)
    (1.5, 0.399, 2.601)
    >>> result.improved.count, result.same.count, result.worse.count
    (5, 1, 0)
    """
    level = confidence_level(confidence)
    if not isinstance(higher_is_better, bool):
        raise ValueError(f"higher_is_better: expected True or False, not {higher_is_better!r}")
    first = _scores(before, "before")
    second = _scores(after, "after")
    if len(first) != len(second):
        raise ValueError(
            f"before and after: {len(first)} and {len(second)} scores given; "
            "they must be pairs of the same length"
        )
    complete = ~(np.isnan(first) | np.isnan(second))
    n = int(complete.sum())
    if n < 2:
        raise ValueError(
            f"before and after: need at least 2 complete pairs, not {n} "
            f"({len(first) - n} dropped for a missing score)"
        )
    x, y = first[complete], second[complete]
    d = y - x
    df = n - 1
    mean_change = float(d.mean())
    sd_change = float(d.std(ddof=1))
    standard_error = sd_change / math.sqrt(n)
    t_quantile = float(scipy_stats.t.ppf(0.5 + level / 2, df))
    if sd_change > 0:
        t = mean_change / standard_error
        p_value = float(2 * scipy_stats.t.sf(abs(t), df))
        dz = mean_change / sd_change
        dz_lower, dz_upper = _dz_limits(t, n, level)
    else:
        t = p_value = dz = dz_lower = dz_upper = math.nan
    wilcoxon_statistic, wilcoxon_p_value, wilcoxon_method = _signed_rank_test(d)
    hodges_lehmann, hl_lower, hl_upper, hl_method = _hodges_lehmann(d, level)
    sign = 1 if higher_is_better else -1
    better, worse = sign * d > 0, sign * d < 0
    return PairedChange(
        n=n,
        n_dropped=len(first) - n,
        mean_before=float(x.mean()),
        mean_after=float(y.mean()),
        mean_change=mean_change,
        change_lower=mean_change - t_quantile * standard_error,
        change_upper=mean_change + t_quantile * standard_error,
        sd_change=sd_change,
        t=float(t),
        df=df,
        p_value=p_value,
        dz=float(dz),
        dz_lower=dz_lower,
        dz_upper=dz_upper,
        gz=float(dz) * hedges_correction(df),
        wilcoxon_statistic=wilcoxon_statistic,
        wilcoxon_p_value=wilcoxon_p_value,
        wilcoxon_method=wilcoxon_method,
        hodges_lehmann=hodges_lehmann,
        hl_lower=hl_lower,
        hl_upper=hl_upper,
        hl_method=hl_method,
        improved=_share(int(better.sum()), n, level),
        same=_share(int((d == 0).sum()), n, level),
        worse=_share(int(worse.sum()), n, level),
        reliable=_reliable_change(x, d, sign, level, reliable_change_sd, reliability),
        higher_is_better=higher_is_better,
        confidence=level,
    )


def hedges_correction(df: int) -> float:
    """Hedges' (1981) small-sample factor ``J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))``.

    Examples
    --------
    >>> round(hedges_correction(9), 4)  # about 1 - 3 / (4 * 9 - 1) = 0.9143
    0.9139
    """
    if df < 2:
        return math.nan
    half = df / 2
    return math.exp(math.lgamma(half) - math.lgamma(half - 0.5)) / math.sqrt(half)


def signed_rank_distribution(n: int) -> FloatArray:
    """Null probabilities ``P(T+ = k)``, ``k = 0 .. n(n+1)/2``, for n untied nonzero changes.

    Each rank ``1 .. n`` joins ``T+`` with probability 1/2, independently.

    Examples
    --------
    >>> signed_rank_distribution(2).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    probabilities = np.zeros(n * (n + 1) // 2 + 1)
    probabilities[0] = 1.0
    top = 0
    for rank in range(1, n + 1):
        shifted = probabilities[: top + 1].copy()
        probabilities[: top + 1] *= 0.5
        probabilities[rank : rank + top + 1] += 0.5 * shifted
        top += rank
    return probabilities


def _scores(values: Scores, name: str) -> FloatArray:
    """``values`` as a 1-D float array with NaN for missing; non-numbers are refused."""
    objects = np.asarray(values, dtype=object)
    if objects.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D sequence of scores, not shape {objects.shape}")
    series = pd.Series(objects)
    numbers = pd.to_numeric(series, errors="coerce")
    bad = numbers.isna() & series.notna()
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{name}: score {series.iloc[position]!r} at position {position} is not a number"
        )
    array = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(array).any():
        position = int(np.flatnonzero(np.isinf(array))[0])
        raise ValueError(f"{name}: infinite score at position {position}")
    return np.asarray(array, dtype=np.float64)


def _dz_limits(t: float, n: int, level: float) -> tuple[float, float]:
    """Noncentral-t limits for ``dz``: ``nc / sqrt(n)`` with ``P(T >= t | nc) = alpha / 2``
    (lower) and ``P(T <= t | nc) = alpha / 2`` (upper)."""
    alpha = 1 - level
    df = n - 1
    sign, t = math.copysign(1.0, t), abs(t)

    def root(target: float) -> float:
        def gap(nc: float) -> float:
            return float(scipy_stats.nct.cdf(t, df, nc)) - target

        # A bracket grown from t in small steps: nct.cdf is NaN far from t (for t = 10.3
        # and df = 828, at nc = -10 already), so the bracket must not reach out there.
        step = 2.0
        low, high = t - step, t + step
        while gap(low) < 0:
            low -= step
        while gap(high) > 0:
            high += step
        try:
            return float(scipy_optimize.brentq(gap, low, high, xtol=1e-12))
        except ValueError:  # nct.cdf is NaN somewhere in the bracket (extreme t)
            return math.nan

    # The limits for -t are minus those for t; working with |t| keeps nct.cdf in the
    # region where scipy evaluates it reliably.
    lower, upper = root(1 - alpha / 2) / math.sqrt(n), root(alpha / 2) / math.sqrt(n)
    return (lower, upper) if sign >= 0 else (-upper, -lower)


def _signed_rank_test(d: FloatArray) -> tuple[float, float, str]:
    """W+ (Pratt), two-sided p-value and method name, choosing as scipy's "auto" does."""
    if not (d != 0).any():
        return 0.0, math.nan, "none: every change is zero"
    magnitudes = np.abs(d)
    ranks = scipy_stats.rankdata(magnitudes)
    statistic = float(ranks[d > 0].sum())
    untied = len(np.unique(magnitudes)) == len(d) and (d != 0).all()
    method: str | scipy_stats.PermutationMethod
    if len(d) <= 50 and untied:
        method, name = "exact", "exact"
    elif len(d) <= 13:
        method, name = scipy_stats.PermutationMethod(), "permutation"
    else:
        method, name = "asymptotic", "normal approximation"
    result = scipy_stats.wilcoxon(d, zero_method="pratt", correction=True, method=method)
    return statistic, float(result.pvalue), name


#: Distinct changes up to which the Walsh averages are counted by value (exact, and fast on
#: the tied changes of bounded scores); above it every average is formed, as n grows.
DISTINCT_FOR_COUNTING = 4_000


class _WalshAverages:
    """The n(n + 1)/2 Walsh averages ``(d_i + d_j) / 2``, ``i <= j``, in order.

    Changes on a bounded scale take few distinct values, so the averages are counted by
    value: for distinct values ``v`` with counts ``c``, the pair ``(v_a, v_b)`` stands for
    ``c_a * c_b`` averages (``c_a (c_a + 1) / 2`` when ``a == b``). Exactly the same order
    statistics as forming all of them (n = 20,000 would be 200 million averages)."""

    def __init__(self, d: FloatArray) -> None:
        values, counts = np.unique(d, return_counts=True)
        if len(values) > DISTINCT_FOR_COUNTING:
            values, counts = np.sort(d), np.ones(len(d), dtype=np.int64)
            first, second = np.triu_indices(len(values))
            weights = np.ones(len(first), dtype=np.int64)
        else:
            first, second = np.triu_indices(len(values))
            counts = counts.astype(np.int64)
            weights = np.where(
                first == second,
                counts[first] * (counts[first] + 1) // 2,
                counts[first] * counts[second],
            )
        averages = (values[first] + values[second]) / 2
        order = np.argsort(averages, kind="stable")
        self.averages = averages[order]
        self.cumulative = np.cumsum(weights[order])
        self.count = int(self.cumulative[-1]) if len(self.cumulative) else 0

    def at(self, rank: int) -> float:
        """The ``rank``-th smallest average (1-based)."""
        return float(self.averages[int(np.searchsorted(self.cumulative, rank, side="left"))])

    def median(self) -> float:
        middle = self.count // 2
        if self.count % 2:
            return self.at(middle + 1)
        return (self.at(middle) + self.at(middle + 1)) / 2


def _hodges_lehmann(d: FloatArray, level: float) -> tuple[float, float, float, str]:
    """Median of the Walsh averages and its order-statistic limits."""
    n = len(d)
    walsh = _WalshAverages(d)
    count = walsh.count
    alpha = 1 - level
    if n <= EXACT_MAXIMUM:
        cumulative = np.cumsum(signed_rank_distribution(n))
        # C is the largest k with P(T+ <= k - 1) <= alpha / 2.
        c = int(np.searchsorted(cumulative, alpha / 2 * (1 + 1e-12), side="right"))
        method = "exact"
    else:
        spread = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        c = math.floor(n * (n + 1) / 4 - z_value(level) * spread + 0.5)
        method = "normal approximation"
    estimate = walsh.median()
    if c < 1:
        return estimate, math.nan, math.nan, method
    return estimate, walsh.at(c), walsh.at(count - c + 1), method


def _share(count: int, n: int, level: float) -> Share:
    lower, upper = wilson_interval(count, n, level)
    return Share(count=count, share=count / n, lower=float(lower), upper=float(upper))


def _reliable_change(
    before: FloatArray,
    d: FloatArray,
    sign: int,
    level: float,
    sd: float | None,
    reliability: float | None,
) -> ReliableChange | None:
    if reliability is None:
        if sd is not None:
            raise ValueError("reliable_change_sd: give reliability too, or leave both out")
        return None
    reliability = _number(reliability, "reliability")
    if not 0 <= reliability < 1:
        raise ValueError(
            f"reliability: must be from 0 up to (not including) 1, not {reliability:g}"
        )
    if sd is None:
        sd = float(before.std(ddof=1))
        if sd == 0:
            raise ValueError(
                "reliable_change_sd: every baseline score is the same, so the sample SD is 0; "
                "give a norm group's SD"
            )
    else:
        sd = _number(sd, "reliable_change_sd")
        if sd <= 0:
            raise ValueError(f"reliable_change_sd: must be greater than zero, not {sd:g}")
    se_difference = math.sqrt(2) * sd * math.sqrt(1 - reliability)
    criterion = z_value(level) * se_difference
    n = len(d)
    better = int((sign * d > criterion).sum())
    worse = int((sign * d < -criterion).sum())
    return ReliableChange(
        reliability=reliability,
        sd=sd,
        se_difference=se_difference,
        criterion=criterion,
        improved=_share(better, n, level),
        no_change=_share(n - better - worse, n, level),
        deteriorated=_share(worse, n, level),
    )


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name}: expected a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name}: expected a finite number, not {value!r}")
    return number
