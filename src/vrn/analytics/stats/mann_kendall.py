"""The Mann-Kendall trend test with Sen's slope, for short series.

Distribution-free: it asks only whether later values tend to be higher (or lower) than
earlier ones. docs/statistics/trends.md explains when to use it rather than
:func:`~vrn.analytics.stats.count_trend`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats as scipy_stats

from vrn.analytics.stats._checks import FloatArray, confidence_level, z_value
from vrn.analytics.stats._frames import format_p_value, percent_text

#: Series up to this length without ties get the exact null distribution of S.
EXACT_MAXIMUM = 10


@dataclass(frozen=True)
class MannKendall:
    """The result of :func:`mann_kendall`.

    Attributes
    ----------
    n : int
        Length of the series.
    s : int
        Mann-Kendall S: later-higher pairs minus later-lower pairs.
    variance : float
        Variance of S under no trend, with the correction for ties.
    z : float
        ``(S - sign(S)) / sqrt(variance)``, the continuity-corrected normal score.
    tau : float
        Kendall's tau-b between the values and time (NaN if all values are equal).
    p_value : float
        Two-sided p-value of S.
    method : str
        ``"exact"`` (n <= 10, no ties) or ``"normal approximation"``.
    slope, slope_lower, slope_upper : float
        Sen's slope (median of the pairwise slopes, per step in the series) and its
        confidence limits (Gilbert 1987); a limit is NaN when the series is too short to
        give one at this confidence level.
    confidence : float
        Confidence level, 0-1; also the significance level ``1 - confidence`` of the test.
    direction : str
        ``"increasing"``, ``"decreasing"`` or ``"no significant trend"``.
    """

    n: int
    s: int
    variance: float
    z: float
    tau: float
    p_value: float
    method: str
    slope: float
    slope_lower: float
    slope_upper: float
    confidence: float
    direction: str

    @property
    def summary(self) -> str:
        """One line of plain English describing the test and Sen's slope."""
        direction = self.direction[0].upper() + self.direction[1:]
        level = percent_text(self.confidence)
        return (
            f"{direction} (S = {self.s}, tau = {self.tau:.2f}, {format_p_value(self.p_value)}, "
            f"{self.method}); Sen's slope {self.slope:.3g} per period "
            f"({level}% CI {self.slope_lower:.3g} to {self.slope_upper:.3g})"
        )


def mann_kendall(values: ArrayLike, confidence: float = 0.95) -> MannKendall:
    """The Mann-Kendall test for a monotonic trend, with Sen's slope.

    For a series ``x_1 ... x_n`` in time order (equally spaced)::

        S = sum_{i < j} sign(x_j - x_i)
        Var(S) = (n(n-1)(2n+5) - sum_t t(t-1)(2t+5)) / 18

    the sum running over groups of ``t`` tied values. The two-sided p-value is exact
    (the null distribution of S, from the number of permutations with each number of
    inversions) when ``n <= 10`` and there are no ties, and otherwise from the normal
    score ``(S - sign(S)) / sqrt(Var(S))``. Sen's slope is the median of the slopes
    ``(x_j - x_i) / (j - i)``; its limits are the ``M1``-th and ``(M2 + 1)``-th smallest
    slopes, ``M1, M2 = (N -/+ z sqrt(Var(S))) / 2`` for ``N`` slopes, interpolating
    between neighbours (Gilbert 1987, section 16.5; Sen 1968).

    Parameters
    ----------
    values : array_like
        At least 3 numbers in time order, no missing values.
    confidence : float, default 0.95
        Confidence level for Sen's slope; ``1 - confidence`` is the significance level
        behind ``direction``.

    Returns
    -------
    MannKendall

    Examples
    --------
    >>> result = mann_kendall([10, 12, 11, 14, 15, 13, 17, 18])
    >>> result.s, result.method, round(result.p_value, 4), result.direction
    (22, 'exact', 0.0055, 'increasing')
    >>> round(result.slope, 3), round(result.tau, 3)
    (1.0, 0.786)
    """
    level = confidence_level(confidence)
    x = _series(values)
    n = len(x)
    first, second = np.triu_indices(n, k=1)
    differences = x[second] - x[first]
    s = int(np.sign(differences).sum())
    _, group_sizes = np.unique(x, return_counts=True)
    ties = group_sizes[group_sizes > 1].astype(np.float64)
    variance = float(n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18
    pairs = n * (n - 1) / 2
    tied_pairs = float(np.sum(ties * (ties - 1) / 2))
    tau = s / math.sqrt((pairs - tied_pairs) * pairs) if tied_pairs < pairs else math.nan
    z = (s - np.sign(s)) / math.sqrt(variance) if variance > 0 else 0.0
    if n <= EXACT_MAXIMUM and len(ties) == 0:
        p_value, method = exact_mann_kendall_p(n, s), "exact"
    else:
        p_value, method = float(2 * scipy_stats.norm.sf(abs(z))), "normal approximation"

    slopes = np.sort(differences / (second - first))
    width = z_value(level) * math.sqrt(variance)
    lower = _order_statistic(slopes, (len(slopes) - width) / 2)
    upper = _order_statistic(slopes, (len(slopes) + width) / 2 + 1)
    if p_value < 1 - level and s != 0:
        direction = "increasing" if s > 0 else "decreasing"
    else:
        direction = "no significant trend"
    return MannKendall(
        n=n,
        s=s,
        variance=variance,
        z=float(z),
        tau=tau,
        p_value=p_value,
        method=method,
        slope=float(np.median(slopes)),
        slope_lower=lower,
        slope_upper=upper,
        confidence=level,
        direction=direction,
    )


def exact_mann_kendall_p(n: int, s: int) -> float:
    """Exact two-sided p-value ``P(|S| >= |s|)`` of Mann-Kendall S for n untied values.

    Under no trend every ordering is equally likely and ``S = N - 2I`` with ``N = n(n-1)/2``
    and ``I`` the number of inversions; the counts of permutations by inversions (the
    Mahonian numbers) come from the recursion that adds one element at a time.

    Examples
    --------
    >>> round(exact_mann_kendall_p(5, 8), 4)  # Gilbert (1987) Table A18: 0.042 one-sided
    0.0833
    >>> exact_mann_kendall_p(4, 0)
    1.0
    """
    if n < 2:
        raise ValueError(f"n: need at least 2 values, not {n}")
    counts = np.ones(1, dtype=np.float64)
    for size in range(2, n + 1):
        counts = np.convolve(counts, np.ones(size))
    total = n * (n - 1) // 2
    if abs(s) > total or (total - s) % 2:
        raise ValueError(f"s: {s} is not a possible value of S for n = {n}")
    if s == 0:
        return 1.0
    most_inversions = (total - abs(s)) // 2
    tail = counts[: most_inversions + 1].sum() / counts.sum()
    return float(min(1.0, 2 * tail))


def _series(values: ArrayLike) -> FloatArray:
    """``values`` as a 1-D float array of at least 3 finite numbers."""
    try:
        x = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError("values: expected a sequence of numbers") from error
    if x.ndim != 1:
        raise ValueError(f"values: expected a 1-D series, not an array of shape {x.shape}")
    if np.isnan(x).any():
        raise ValueError(f"values: missing value at position {int(np.flatnonzero(np.isnan(x))[0])}")
    if np.isinf(x).any():
        raise ValueError(
            f"values: infinite value at position {int(np.flatnonzero(np.isinf(x))[0])}"
        )
    if len(x) < 3:
        raise ValueError(f"values: the Mann-Kendall test needs at least 3 values, not {len(x)}")
    return x


def _order_statistic(ordered: FloatArray, rank: float) -> float:
    """The ``rank``-th smallest value (1-based), interpolated; NaN outside 1 to N."""
    position = rank - 1
    if position < 0 or position > len(ordered) - 1:
        return float("nan")
    return float(np.interp(position, np.arange(len(ordered)), ordered))


@dataclass(frozen=True, eq=False)
class MannKendallSeries:
    """:func:`mann_kendall` for each row of a matrix, as arrays (one value per row).

    The attributes are those of :class:`MannKendall`; ``method`` and ``direction`` are
    arrays of strings, ``n`` and ``confidence`` are shared by every row.
    """

    n: int
    s: NDArray[np.int64]
    variance: FloatArray
    z: FloatArray
    tau: FloatArray
    p_value: FloatArray
    method: NDArray[np.str_]
    slope: FloatArray
    slope_lower: FloatArray
    slope_upper: FloatArray
    confidence: float
    direction: NDArray[np.str_]


def mann_kendall_rows(values: ArrayLike, confidence: float = 0.95) -> MannKendallSeries:
    """:func:`mann_kendall` on every row of ``values`` at once (rows are series).

    The same test, p-values and Sen's slope, row by row, vectorised for many series such
    as one per grid cell; rows are processed in blocks to bound memory.

    Examples
    --------
    >>> result = mann_kendall_rows([[10, 12, 11, 14, 15, 13, 17, 18], [5, 4, 4, 3, 1, 2, 2, 0]])
    >>> result.s.tolist(), result.method.tolist()
    ([22, -22], ['exact', 'normal approximation'])
    >>> result.direction.tolist()
    ['increasing', 'decreasing']
    """
    level = confidence_level(confidence)
    x = _matrix(values)
    rows, n = x.shape
    parts = [
        _mann_kendall_block(x[start : start + _ROW_BLOCK], level)
        for start in range(0, rows, _ROW_BLOCK)
    ] or [_mann_kendall_block(x, level)]
    joined = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    return MannKendallSeries(
        n=n,
        s=joined["s"].astype(np.int64),
        variance=joined["variance"],
        z=joined["z"],
        tau=joined["tau"],
        p_value=joined["p_value"],
        method=np.where(joined["exact"].astype(bool), "exact", "normal approximation"),
        slope=joined["slope"],
        slope_lower=joined["slope_lower"],
        slope_upper=joined["slope_upper"],
        confidence=level,
        direction=joined["direction"],
    )


#: Rows handled at once by :func:`mann_kendall_rows`.
_ROW_BLOCK = 5000


def _mann_kendall_block(x: FloatArray, level: float) -> dict[str, NDArray[Any]]:
    rows, n = x.shape
    first, second = np.triu_indices(n, k=1)
    differences = x[:, second] - x[:, first]
    s = np.sign(differences).sum(axis=1).astype(np.int64)

    ordered = np.sort(x, axis=1)
    starts = np.ones((rows, n), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    run_ids = np.cumsum(starts, axis=1) - 1 + (np.arange(rows) * n)[:, None]
    run_lengths = np.bincount(run_ids.ravel(), minlength=rows * n).astype(np.float64)
    run_rows = np.repeat(np.arange(rows), n)
    tie_term = np.bincount(
        run_rows, weights=run_lengths * (run_lengths - 1) * (2 * run_lengths + 5), minlength=rows
    )
    tied_pairs = np.bincount(run_rows, weights=run_lengths * (run_lengths - 1) / 2, minlength=rows)
    has_ties = (~starts[:, 1:]).any(axis=1) if n > 1 else np.zeros(rows, dtype=bool)

    variance = (n * (n - 1) * (2 * n + 5) - tie_term) / 18
    pairs = n * (n - 1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = np.where(tied_pairs < pairs, s / np.sqrt((pairs - tied_pairs) * pairs), np.nan)
        z = np.where(variance > 0, (s - np.sign(s)) / np.sqrt(variance), 0.0)
    exact = np.full(rows, n <= EXACT_MAXIMUM) & ~has_ties
    p_value = 2 * scipy_stats.norm.sf(np.abs(z))
    if exact.any():
        table = {value: exact_mann_kendall_p(n, value) for value in np.unique(s[exact]).tolist()}
        p_value[exact] = [table[value] for value in s[exact].tolist()]

    slopes = np.sort(differences / (second - first), axis=1)
    width = z_value(level) * np.sqrt(variance)
    count = slopes.shape[1]
    lower = _order_statistics(slopes, (count - width) / 2)
    upper = _order_statistics(slopes, (count + width) / 2 + 1)
    significant = (p_value < 1 - level) & (s != 0)
    direction = np.where(
        significant, np.where(s > 0, "increasing", "decreasing"), "no significant trend"
    )
    return {
        "s": s,
        "variance": variance,
        "z": z,
        "tau": tau,
        "p_value": p_value,
        "exact": exact,
        "slope": np.median(slopes, axis=1),
        "slope_lower": lower,
        "slope_upper": upper,
        "direction": direction,
    }


def _order_statistics(ordered: FloatArray, ranks: FloatArray) -> FloatArray:
    """:func:`_order_statistic` for each row of ``ordered`` at its own rank."""
    rows, count = ordered.shape
    position = ranks - 1
    valid = (position >= 0) & (position <= count - 1)
    clipped = np.clip(position, 0, count - 1)
    below = np.floor(clipped).astype(np.int64)
    above = np.minimum(below + 1, count - 1)
    index = np.arange(rows)
    low, high = ordered[index, below], ordered[index, above]
    values = (high - low) * (clipped - below) + low
    values = np.where(clipped == below, low, values)
    return np.where(valid, values, np.nan)


def _matrix(values: ArrayLike) -> FloatArray:
    """``values`` as a 2-D float array of series with at least 3 finite numbers each."""
    try:
        x = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError("values: expected a 2-D array of numbers") from error
    if x.ndim != 2:
        raise ValueError(f"values: expected a 2-D array (series x time), not shape {x.shape}")
    if not np.isfinite(x).all():
        row = int(np.flatnonzero(~np.isfinite(x).all(axis=1))[0])
        raise ValueError(f"values: missing or infinite value in row {row}")
    if x.shape[1] < 3:
        raise ValueError(f"values: the Mann-Kendall test needs at least 3 values, not {x.shape[1]}")
    return x
