"""Confidence limits for a proportion and for a Poisson count: the array primitives.

Each function accepts scalars or numpy arrays, works element-wise and returns a pair of
float arrays ``(lower, upper)``. The formulas are the ones England's public-health
indicators use (Fingertips technical guidance; Breslow and Day 1987; Wilson 1927).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats as scipy_stats

from vrn.analytics.stats._checks import FloatArray, array_argument, confidence_level, z_value

#: Counts below this use exact Poisson limits; at or above it, Byar's approximation.
SMALL_COUNT = 10


def wilson_interval(
    x: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score limits for the proportion ``x / n``, on the 0-1 scale.

    Wilson (1927), as given by Newcombe and Altman (2000)::

        (2x + z^2 -/+ z * sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))

    Parameters
    ----------
    x : array_like
        Numbers of cases with the characteristic, ``0 <= x <= n``.
    n : array_like
        Sample sizes, greater than zero.
    confidence : float, default 0.95
        Confidence level, 0.9 to 1 (95 is read as 0.95).

    Returns
    -------
    lower, upper : numpy.ndarray
        The limits; 0 and 1 exactly when ``x`` is 0 or ``n``.

    Examples
    --------
    >>> lower, upper = wilson_interval(1, 100)
    >>> print(f"{float(lower):.13f} {float(upper):.13f}")
    0.0017674320641 0.0544861961787
    """
    x_values = array_argument(x, "x")
    n_values = array_argument(n, "n", positive=True)
    if (x_values > n_values).any():
        raise ValueError("x: a count is greater than its sample size n")
    z = z_value(confidence_level(confidence))
    centre = 2 * x_values + z**2
    spread = z * np.sqrt(z**2 + 4 * x_values * (1 - x_values / n_values))
    denominator = 2 * (n_values + z**2)
    lower = np.where(x_values == 0, 0.0, (centre - spread) / denominator)
    upper = np.where(x_values == n_values, 1.0, (centre + spread) / denominator)
    return _pair(np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0))


def byars_interval(x: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximate limits for a Poisson count (Breslow and Day 1987).

    ``lower = x (1 - 1/(9x) - z/(3 sqrt(x)))^3`` and
    ``upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3``.

    The lower limit is NaN where the formula is undefined or negative (``x = 0``, or very
    small counts at high confidence), as in the reference implementation: use
    :func:`exact_poisson_interval` for counts below 10.

    Examples
    --------
    >>> lower, upper = byars_interval(65)
    >>> print(f"{float(lower):.9f} {float(upper):.9f}")
    50.163187710 82.849138546
    """
    counts = array_argument(x, "x")
    z = z_value(confidence_level(confidence))
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = counts * (1 - 1 / (9 * counts) - z / (3 * np.sqrt(counts))) ** 3
    lower = np.where((counts > 0) & (lower >= 0), lower, np.nan)
    above = counts + 1
    upper = above * (1 - 1 / (9 * above) + z / (3 * np.sqrt(above))) ** 3
    return _pair(lower, upper)


def exact_poisson_interval(x: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Exact (chi-square) limits for a Poisson count.

    ``lower = chi2.ppf(alpha/2, 2x) / 2`` (0 when ``x = 0``) and
    ``upper = chi2.ppf(1 - alpha/2, 2x + 2) / 2``, the Garwood (1936) limits.

    Examples
    --------
    >>> lower, upper = exact_poisson_interval(5)
    >>> print(f"{float(lower):.8f} {float(upper):.8f}")
    1.62348639 11.66833208
    >>> exact_poisson_interval(0)[0]
    array(0.)
    """
    counts = array_argument(x, "x")
    alpha = 1 - confidence_level(confidence)
    with np.errstate(invalid="ignore"):
        lower = scipy_stats.chi2.ppf(alpha / 2, 2 * counts) / 2
    lower = np.where(counts == 0, 0.0, lower)
    upper = scipy_stats.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2
    return _pair(lower, upper)


def poisson_interval(x: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """The field's limits for a count: exact below 10, Byar's from 10 up.

    Examples
    --------
    >>> lower, upper = poisson_interval([5, 65])
    >>> [round(float(v), 4) for v in lower]
    [1.6235, 50.1632]
    """
    counts = array_argument(x, "x")
    exact_lower, exact_upper = exact_poisson_interval(counts, confidence)
    byars_lower, byars_upper = byars_interval(counts, confidence)
    small = counts < SMALL_COUNT
    return _pair(
        np.where(small, exact_lower, byars_lower), np.where(small, exact_upper, byars_upper)
    )


def poisson_method(x: FloatArray) -> np.ndarray:
    """The ``method`` label for each count: ``"Exact"`` below 10, ``"Byars"`` otherwise."""
    return np.where(x < SMALL_COUNT, "Exact", "Byars")


def _pair(lower: ArrayLike, upper: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)
