"""Crude indicators with confidence limits: proportions, rates and means."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from vrn.analytics.stats._checks import (
    ConfidenceArg,
    FloatArray,
    check_not_above,
    confidence_levels,
    format_number,
    group_columns,
    multiplier_argument,
    numeric_column,
    require_columns,
)
from vrn.analytics.stats._frames import add_labels, add_limits, group_sums
from vrn.analytics.stats.intervals import poisson_interval, poisson_method, wilson_interval

GroupBy = Hashable | Sequence[Hashable] | None


def _counts_and_denominators(
    data: pd.DataFrame, x: Hashable, n: Hashable, group_by: GroupBy
) -> tuple[pd.DataFrame, FloatArray, FloatArray]:
    """The table to append results to, with its numerators and denominators.

    Without ``group_by`` every row is its own group and keeps all its columns (a copy);
    with it, ``x`` and ``n`` are summed within each group.
    """
    require_columns(data, {"x": x, "n": n})
    keys = group_columns(data, group_by)
    counts = numeric_column(data, x, "count")
    denominators = numeric_column(data, n, "denominator", positive=True)
    if not keys:
        return data.copy(), counts, denominators
    table = group_sums(data, keys, {x: counts, n: denominators})
    return table, table[x].to_numpy(np.float64), table[n].to_numpy(np.float64)


def proportion(
    data: pd.DataFrame,
    x: Hashable,
    n: Hashable,
    confidence: ConfidenceArg = 0.95,
    multiplier: float = 1,
    group_by: GroupBy = None,
) -> pd.DataFrame:
    """Proportions with Wilson score confidence limits.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per area (or per row of a breakdown to be summed by ``group_by``).
    x, n : column names
        Numerator (cases with the characteristic) and denominator (cases in the sample);
        ``0 <= x <= n`` and ``n > 0``.
    confidence : float or pair, default 0.95
        One level, or two such as ``(0.95, 0.998)``.
    multiplier : float, default 1
        1 for a proportion of 1, 100 for a percentage.
    group_by : column name or list of names, optional
        Sum ``x`` and ``n`` within these groups first. Without it, each row is a result and
        keeps its other columns.

    Returns
    -------
    pandas.DataFrame
        ``value``, ``lowercl``, ``uppercl`` (or ``lower95_0cl`` ... for a pair),
        ``confidence``, ``statistic`` and ``method`` (``"Wilson"``).

    Examples
    --------
    >>> table = pd.DataFrame({"area": ["A", "B"], "cases": [65, 1], "people": [100, 100]})
    >>> result = proportion(table, "cases", "people", multiplier=100)
    >>> result[["area", "value", "lowercl", "uppercl"]].round(4)
      area  value  lowercl  uppercl
    0    A   65.0  55.2544  73.6358
    1    B    1.0   0.1767   5.4486
    >>> result.loc[0, "statistic"], result.loc[0, "method"], result.loc[0, "confidence"]
    ('percentage', 'Wilson', '95%')
    """
    levels = confidence_levels(confidence)
    scale = multiplier_argument(multiplier)
    table, counts, denominators = _counts_and_denominators(data, x, n, group_by)
    check_not_above(counts, denominators, x, n, table.index)
    table["value"] = counts / denominators * scale

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        lower, upper = wilson_interval(counts, denominators, level)
        return lower * scale, upper * scale

    add_limits(table, levels, limits)
    statistic = "percentage" if scale == 100 else f"proportion of {format_number(scale)}"
    return add_labels(table, levels, statistic, "Wilson")


def rate(
    data: pd.DataFrame,
    x: Hashable,
    n: Hashable,
    confidence: ConfidenceArg = 0.95,
    multiplier: float = 100_000,
    group_by: GroupBy = None,
) -> pd.DataFrame:
    """Crude rates with exact Poisson limits below 10 events and Byar's limits from 10.

    Parameters
    ----------
    data : pandas.DataFrame
    x, n : column names
        Events and the population at risk (``n > 0``).
    confidence : float or pair, default 0.95
    multiplier : float, default 100,000
        The rate is per this many people.
    group_by : column name or list of names, optional
        Sum ``x`` and ``n`` within these groups first.

    Returns
    -------
    pandas.DataFrame
        ``value``, limits, ``confidence``, ``statistic`` (``"rate per 100000"``) and
        ``method`` (``"Exact"`` or ``"Byars"`` for each row).

    Examples
    --------
    >>> table = pd.DataFrame({"area": ["A", "B"], "events": [5, 65], "people": [100, 100]})
    >>> result = rate(table, "events", "people", multiplier=100)
    >>> result[["area", "value", "lowercl", "uppercl", "method"]].round(6)
      area  value    lowercl    uppercl method
    0    A    5.0   1.623486  11.668332  Exact
    1    B   65.0  50.163188  82.849139  Byars
    """
    levels = confidence_levels(confidence)
    scale = multiplier_argument(multiplier)
    table, counts, denominators = _counts_and_denominators(data, x, n, group_by)
    table["value"] = counts / denominators * scale

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        lower, upper = poisson_interval(counts, level)
        return lower / denominators * scale, upper / denominators * scale

    add_limits(table, levels, limits)
    return add_labels(table, levels, f"rate per {format_number(scale)}", poisson_method(counts))


def mean(
    data: pd.DataFrame,
    x: Hashable,
    confidence: ConfidenceArg = 0.95,
    group_by: GroupBy = None,
) -> pd.DataFrame:
    """Means with Student's t confidence limits: ``mean -/+ t(n-1) * sd / sqrt(n)``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per observation.
    x : column name
        The observed values (no missing values).
    confidence : float or pair, default 0.95
    group_by : column name or list of names, optional
        Without it the whole table is one group.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``value_sum``, ``value_count``, ``stdev`` (sample standard
        deviation), ``value``, limits, ``confidence``, ``statistic`` (``"mean"``) and
        ``method`` (``"Student's t-distribution"``). A group of one value has NaN limits.

    Examples
    --------
    >>> table = pd.DataFrame({"age": [20, 22, 24, 26, 28]})
    >>> mean(table, "age")[["value_count", "value", "lowercl", "uppercl"]].round(4)
       value_count  value  lowercl  uppercl
    0            5   24.0  20.0735  27.9265
    """
    levels = confidence_levels(confidence)
    require_columns(data, {"x": x})
    keys = group_columns(data, group_by)
    values = pd.Series(numeric_column(data, x, "value", signed=True), index=data.index)
    grouped = (
        values.groupby([data[key] for key in keys], sort=False, dropna=False) if keys else None
    )
    if grouped is None:
        table = pd.DataFrame(
            {
                "value_sum": [values.sum()],
                "value_count": [len(values)],
                "stdev": [values.std(ddof=1)],
            }
        )
    else:
        table = grouped.agg(value_sum="sum", value_count="count", stdev="std").reset_index()
    counts = table["value_count"].to_numpy(np.float64)
    table["value"] = table["value_sum"] / counts
    centre = table["value"].to_numpy(np.float64)
    standard_error = table["stdev"].to_numpy(np.float64) / np.sqrt(counts)

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        with np.errstate(invalid="ignore"):
            t = scipy_stats.t.ppf(0.5 + level / 2, counts - 1)
        return centre - t * standard_error, centre + t * standard_error

    add_limits(table, levels, limits)
    return add_labels(table, levels, "mean", "Student's t-distribution")
