"""Indirectly standardised ratios and rates: observed events against those expected."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from typing import Any, TypeAlias, TypeGuard

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from vrn.analytics.stats._checks import (
    ConfidenceArg,
    FloatArray,
    confidence_levels,
    format_number,
    group_columns,
    multiplier_argument,
    numeric_column,
    require_columns,
)
from vrn.analytics.stats._frames import add_labels, add_limits, group_sums, values_by_position
from vrn.analytics.stats.intervals import poisson_interval, poisson_method

Reference: TypeAlias = Hashable | ArrayLike


def isratio(
    data: pd.DataFrame,
    x: Hashable,
    n: Hashable,
    x_ref: Reference,
    n_ref: Reference,
    confidence: ConfidenceArg = 0.95,
    refvalue: float = 1,
    group_by: Hashable | Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Indirectly standardised ratios (observed / expected), such as an SMR.

    Expected events are ``sum(x_ref_i / n_ref_i * n_i)`` over the standardisation bands
    ``i``: the reference population's band rates applied to the area's band populations.
    Limits are the observed count's limits divided by the expected count: exact Poisson
    below 10 observed events, Byar's from 10 (``method`` says which).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per band (per group).
    x, n : column names
        Observed events (a blank is read as 0) and the band's population (``n >= 0``).
    x_ref, n_ref : column names or arrays
        Reference events and population for each band: columns of ``data``, or values in
        the order of the rows of each group (each group must then have that many rows).
    confidence : float or pair, default 0.95
    refvalue : float, default 1
        Scale of the ratio: 1, or 100 as SMRs are often published.
    group_by : column name or list of names, optional
        Without it the whole table is one group.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``observed``, ``expected``, ``value``, limits, ``confidence``,
        ``statistic`` (``"indirectly standardised ratio x 1"``) and ``method``.

    Examples
    --------
    >>> bands = pd.DataFrame({"observed": [5, 20], "people": [1000, 2000]})
    >>> result = isratio(bands, "observed", "people", x_ref=[40, 300], n_ref=[10_000, 30_000])
    >>> result[["observed", "expected", "value", "lowercl", "uppercl", "method"]].round(4)
       observed  expected   value  lowercl  uppercl method
    0      25.0      24.0  1.0417   0.6739   1.5378  Byars
    """
    table, observed, expected, _ = _observed_and_expected(data, x, n, x_ref, n_ref, group_by)
    scale = multiplier_argument(refvalue, "refvalue")
    return _standardised(
        table,
        observed,
        expected,
        scale,
        confidence,
        f"indirectly standardised ratio x {format_number(scale)}",
    )


def israte(
    data: pd.DataFrame,
    x: Hashable,
    n: Hashable,
    x_ref: Reference,
    n_ref: Reference,
    confidence: ConfidenceArg = 0.95,
    multiplier: float = 100_000,
    group_by: Hashable | Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Indirectly standardised rates: the ratio times the reference population's crude rate.

    ``value = observed / expected * (sum(x_ref) / sum(n_ref)) * multiplier``, with limits
    scaled the same way. Arguments are as for :func:`isratio`.

    Examples
    --------
    >>> bands = pd.DataFrame({"observed": [5, 20], "people": [1000, 2000]})
    >>> result = israte(bands, "observed", "people", x_ref=[40, 300], n_ref=[10_000, 30_000])
    >>> result[["value", "lowercl", "uppercl", "statistic"]].round(2)
        value  lowercl  uppercl                                statistic
    0  885.42   572.84   1307.1  indirectly standardised rate per 100000
    """
    table, observed, expected, reference_rate = _observed_and_expected(
        data, x, n, x_ref, n_ref, group_by
    )
    scale = multiplier_argument(multiplier)
    return _standardised(
        table,
        observed,
        expected / reference_rate,
        scale,
        confidence,
        f"indirectly standardised rate per {format_number(scale)}",
    )


def _standardised(
    table: pd.DataFrame,
    observed: FloatArray,
    divisor: FloatArray,
    scale: float,
    confidence: ConfidenceArg,
    statistic: str,
) -> pd.DataFrame:
    levels = confidence_levels(confidence)
    table["value"] = observed / divisor * scale

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        lower, upper = poisson_interval(observed, level)
        return lower / divisor * scale, upper / divisor * scale

    add_limits(table, levels, limits)
    return add_labels(table, levels, statistic, poisson_method(observed))


def _observed_and_expected(
    data: pd.DataFrame,
    x: Hashable,
    n: Hashable,
    x_ref: Reference,
    n_ref: Reference,
    group_by: Hashable | Sequence[Hashable] | None,
) -> tuple[pd.DataFrame, FloatArray, FloatArray, FloatArray]:
    """Per group: the table of observed and expected counts, and the reference crude rate."""
    require_columns(data, {"x": x, "n": n})
    keys = group_columns(data, group_by)
    _warn_missing_bands(data, [x, n, *([x_ref] if _is_column(x_ref) else [])])
    observed = numeric_column(data, x, "count", missing_as_zero=True)
    population = numeric_column(data, n, "denominator", missing_as_zero=True)
    reference_events = _reference(data, x_ref, "x_ref", keys, positive=False)
    reference_population = _reference(data, n_ref, "n_ref", keys, positive=True)
    table = group_sums(
        data,
        keys,
        {
            "observed": observed,
            "expected": reference_events / reference_population * population,
            "reference_events": reference_events,
            "reference_population": reference_population,
        },
    )
    expected = table["expected"].to_numpy(np.float64)
    if (expected <= 0).any():
        position = int(np.flatnonzero(expected <= 0)[0])
        group = ", ".join(str(table[key].iloc[position]) for key in keys) or "the data"
        raise ValueError(
            f"x_ref: no events are expected in {group} (the reference rates give 0 expected "
            "events), so a ratio cannot be formed"
        )
    reference_rate = (table["reference_events"] / table["reference_population"]).to_numpy(
        np.float64
    )
    table = table.drop(columns=["reference_events", "reference_population"])
    return table, table["observed"].to_numpy(np.float64), expected, reference_rate


def _reference(
    data: pd.DataFrame, values: Reference, name: str, keys: list[Any], *, positive: bool
) -> FloatArray:
    """Reference events or population for each row: a column, or values per group row.

    A missing reference count (``x_ref``) is zero, as in the reference implementation; a
    reference population (``n_ref``) must be given and greater than zero."""
    counts = not positive
    if _is_column(values):
        require_columns(data, {name: values})
        return numeric_column(
            data, values, f"reference {name[0]}", positive=positive, missing_as_zero=counts
        )
    array = np.asarray(values, dtype=np.float64).ravel()
    if counts and np.isnan(array).any():
        missing = [int(i) for i in np.flatnonzero(np.isnan(array))]
        warnings.warn(
            f"{name}: missing values at positions {missing} are treated as 0",
            MissingBandWarning,
            stacklevel=4,
        )
        array = np.where(np.isnan(array), 0.0, array)
    if np.isnan(array).any() or (array < 0).any() or (positive and (array <= 0).any()):
        rule = "greater than zero" if positive else "zero or more"
        raise ValueError(f"{name}: every value must be {rule}, with none missing")
    return values_by_position(data, array, name, keys)


def _is_column(values: Reference) -> TypeGuard[Hashable]:
    """Whether a reference argument names a column (rather than giving values)."""
    return isinstance(values, Hashable) and not isinstance(values, tuple)


class MissingBandWarning(UserWarning):
    """Bands with a missing count or population were treated as zero (the reference's
    convention in indirect standardisation)."""


def _warn_missing_bands(data: pd.DataFrame, columns: list[Any]) -> None:
    """Name the rows whose count, population or reference count is missing: they count as
    zero, as in the reference implementation (PHEindicatormethods' ``na.zero``)."""
    problems = []
    for column in columns:
        missing = data[column].isna().to_numpy()
        if missing.any():
            rows = ", ".join(repr(row) for row in data.index[missing][:10])
            more = f" and {int(missing.sum()) - 10} more" if missing.sum() > 10 else ""
            problems.append(f"column {column!r} at rows {rows}{more}")
    if problems:
        warnings.warn(
            "missing values treated as 0 (a band with no count or population adds nothing "
            "observed or expected): " + "; ".join(problems),
            MissingBandWarning,
            stacklevel=4,
        )
