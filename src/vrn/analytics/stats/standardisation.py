"""Directly standardised rates (Dobson method) and the 2013 European Standard Population."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, TypeAlias

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
from vrn.analytics.stats._frames import add_labels, add_limits, nan_where, values_by_position
from vrn.analytics.stats.intervals import SMALL_COUNT, byars_interval

_ESP2013_WEIGHTS: tuple[int, ...] = (5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000)
_ESP2013_WEIGHTS += (7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000)
#: The 2013 European Standard Population: 19 five-year bands, 0-4 to 85-89, then 90+,
#: summing to 100,000 (Eurostat 2013, as used for DSRs by ONS and OHID).
ESP2013 = pd.Series(
    _ESP2013_WEIGHTS,
    index=pd.Index(
        [*(f"{start}-{start + 4}" for start in range(0, 90, 5)), "90+"], name="age_band"
    ),
    name="esp2013",
    dtype="int64",
)

StandardPopulation: TypeAlias = Hashable | ArrayLike | pd.Series

SUPPRESSED_STATISTIC = "dsr NA for total count < 10"
NON_INDEPENDENT_METHOD = "Dobson, with confidence adjusted for non-independent events"


def dsr(
    data: pd.DataFrame,
    x: Hashable,
    n: Hashable,
    standard_population: StandardPopulation = ESP2013,
    confidence: ConfidenceArg = 0.95,
    multiplier: float = 100_000,
    group_by: Hashable | Sequence[Hashable] | None = None,
    *,
    age_band: Hashable | None = None,
    event_frequency: Hashable | None = None,
) -> pd.DataFrame:
    """Directly standardised rates with Dobson et al. (1991) confidence limits.

    The rate is ``sum(w_i * x_i / n_i) / sum(w_i)`` over the standardisation bands ``i``
    (usually age bands) with standard population weights ``w_i``. Its limits are
    ``DSR + sqrt(var(DSR) / O) * (O_limit - O)``, where ``O`` is the total count and
    ``O_limit`` Byar's limit for it, and ``var(DSR) = sum(w_i^2 x_i / n_i^2) / sum(w_i)^2``.
    Where the total count is below 10 the value and limits are NaN and ``statistic`` says
    ``"dsr NA for total count < 10"``, as Fingertips publishes them.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per band (per group); with ``event_frequency``, one row per band and
        frequency.
    x, n : column names
        Events (a blank is read as 0 events) and the band's population (``n > 0``).
    standard_population : column name, Series or array, default ESP2013
        The weights: a column of ``data``; a Series indexed by band label, matched to the
        ``age_band`` column; or values in the order of the rows of each group (each group
        must then have exactly that many rows).
    confidence : float or pair, default 0.95
    multiplier : float, default 100,000
    group_by : column name or list of names, optional
        Without it the whole table is one group.
    age_band : column name, optional
        The band of each row; needed with ``event_frequency`` or to match a Series.
    event_frequency : column name, optional
        For non-independent events (one person counted several times): each row counts
        the people in a band with this many events. The DSR uses ``frequency * people``
        events and the variance ``sum_i (w_i / n_i)^2 sum_f f^2 p_if / sum(w_i)^2`` for
        ``p_if`` people with ``f`` events in band ``i``.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``total_count``, ``total_pop``, ``value``, limits,
        ``confidence``, ``statistic`` (``"dsr per 100000"``) and ``method`` (``"Dobson"``).

    Examples
    --------
    >>> bands = pd.DataFrame({"age_band": ESP2013.index, "deaths": range(1, 20),
    ...                       "population": [5000] * 19})
    >>> result = dsr(bands, "deaths", "population", ESP2013, age_band="age_band")
    >>> result[["total_count", "total_pop", "value", "lowercl", "uppercl"]].round(3)
       total_count  total_pop  value  lowercl  uppercl
    0        190.0    95000.0  178.5  151.641  208.414
    """
    levels = confidence_levels(confidence)
    scale = multiplier_argument(multiplier)
    require_columns(
        data,
        {"x": x, "n": n, "age_band": age_band, "event_frequency": event_frequency},
    )
    if event_frequency is not None and age_band is None:
        raise ValueError("event_frequency: non-independent events need the age_band column too")
    keys = group_columns(data, group_by)
    rows = pd.DataFrame(
        {
            "count": numeric_column(data, x, "count", missing_as_zero=True),
            "pop": numeric_column(data, n, "denominator", positive=True),
            "weight": _weights(data, standard_population, keys, age_band),
            "frequency": (
                numeric_column(data, event_frequency, "event frequency", positive=True)
                if event_frequency is not None
                else 1.0
            ),
        },
        index=data.index,
    )
    for position, key in enumerate(keys):
        rows[f"_key{position}"] = data[key]
    if age_band is not None:
        rows["band"] = data[age_band]
    bands = _bands(rows, keys, age_band, n)
    table = _group_totals(bands, keys)

    total_count = table["total_count"].to_numpy(np.float64)
    base = table["weighted"].to_numpy(np.float64) / table["weight"].to_numpy(np.float64)
    variance = table["squared"].to_numpy(np.float64) / table["weight"].to_numpy(np.float64) ** 2
    too_few = total_count < SMALL_COUNT
    output = table[[*keys, "total_count", "total_pop"]].copy()
    output["value"] = nan_where(too_few, base * scale)

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        lower, upper = byars_interval(total_count, level)
        with np.errstate(divide="ignore", invalid="ignore"):
            spread = np.sqrt(variance / total_count)
        return (
            nan_where(too_few, (base + spread * (lower - total_count)) * scale),
            nan_where(too_few, (base + spread * (upper - total_count)) * scale),
        )

    add_limits(output, levels, limits)
    statistic = np.where(too_few, SUPPRESSED_STATISTIC, f"dsr per {format_number(scale)}")
    method = "Dobson" if event_frequency is None else NON_INDEPENDENT_METHOD
    return add_labels(output, levels, statistic, method)


def _weights(
    data: pd.DataFrame,
    standard_population: StandardPopulation,
    keys: list[Any],
    age_band: Hashable | None,
) -> FloatArray:
    """The standard population weight of each row."""
    if isinstance(standard_population, Hashable) and not isinstance(
        standard_population, tuple | pd.Series
    ):
        require_columns(data, {"standard_population": standard_population})
        return numeric_column(data, standard_population, "standard population")
    if isinstance(standard_population, pd.Series) and age_band is not None:
        weights = data[age_band].map(standard_population)
        unknown = weights.isna()
        if unknown.any():
            label = data[age_band][unknown].iloc[0]
            raise ValueError(
                f"column {age_band!r}: band {label!r} is not in the standard population "
                f"(its bands are {', '.join(map(str, standard_population.index))})"
            )
        return np.asarray(weights.to_numpy(np.float64), dtype=np.float64)
    values = np.asarray(standard_population, dtype=np.float64).ravel()
    if np.isnan(values).any() or (values < 0).any():
        raise ValueError("standard_population: weights must be zero or more, with none missing")
    return values_by_position(data, values, "standard_population", keys)


def _bands(
    rows: pd.DataFrame,
    keys: list[Any],
    age_band: Hashable | None,
    n: Hashable,
) -> pd.DataFrame:
    """One row per group and band: events, population, weight and the variance term."""
    rows = rows.assign(
        events=rows["count"] * rows["frequency"],
        squared_events=rows["count"] * rows["frequency"] ** 2,
    )
    key_columns = [f"_key{position}" for position in range(len(keys))]
    if age_band is None:
        return rows
    grouped = rows.groupby([*key_columns, "band"], sort=False, dropna=False)
    bands = grouped.agg(
        events=("events", "sum"),
        squared_events=("squared_events", "sum"),
        pop=("pop", "first"),
        weight=("weight", "first"),
        pops=("pop", "nunique"),
        weights=("weight", "nunique"),
    ).reset_index()
    inconsistent = bands[(bands["pops"] > 1) | (bands["weights"] > 1)]
    if len(inconsistent):
        band = inconsistent["band"].iloc[0]
        raise ValueError(
            f"column {n!r}: band {band!r} has rows with different populations or standard "
            "populations within one group; each band needs one population"
        )
    return bands


def _group_totals(bands: pd.DataFrame, keys: list[Any]) -> pd.DataFrame:
    """Sum the band terms within each group."""
    pop = bands["pop"]
    terms = pd.DataFrame(
        {
            "total_count": bands["events"],
            "total_pop": pop,
            "weighted": bands["weight"] * bands["events"] / pop,
            "weight": bands["weight"],
            "squared": bands["squared_events"] * (bands["weight"] / pop) ** 2,
        }
    )
    key_columns = [f"_key{position}" for position in range(len(keys))]
    if not keys:
        return terms.sum().to_frame().T
    for key_column, key in zip(key_columns, keys, strict=True):
        terms[key] = bands[key_column].to_numpy()
    return terms.groupby(keys, sort=False, dropna=False).sum().reset_index()
