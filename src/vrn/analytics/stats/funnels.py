"""Funnel plots: control limits around a baseline, and each area's significance against them.

Following the Fingertips technical guidance on funnel plots and Spiegelhalter (2005),
"Funnel plots for comparing institutional performance", Statistics in Medicine 24:1185-1202.
There are two pairs of limits: ``2s`` at 95% (a tail of 0.025 each side) and ``3s`` at 99.8%
(a tail of 0.001 each side).

Three kinds of statistic are supported:

``"proportion"``
    ``numerator`` cases out of ``denominator``; the baseline is the pooled proportion
    ``p0 = sum(numerator) / sum(denominator)`` and the limits are the normal
    approximation ``p0 -/+ z sqrt(p0 (1 - p0) / n)``.
``"ratio"``
    ``numerator`` observed events against ``denominator`` expected events (an SMR or other
    indirectly standardised ratio); the baseline is 1 (times ``ratio_refvalue``) and the
    limits are exact Poisson.
``"rate"``
    ``numerator`` events with a ``rate`` column per ``multiplier`` people, ``rate_type``
    ``"crude"`` or ``"dsr"``; each area's population is derived as
    ``multiplier * events / rate`` (the denominator itself for a crude rate with no events;
    a DSR with no events is left out), the baseline is ``sum(events) / sum(population)`` and
    the limits are Poisson.

Arguments that belong to one kind (``rate``, ``rate_type``, ``years_of_data``,
``ratio_refvalue``, and ``multiplier`` for ratios) are refused with another.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats as scipy_stats

from vrn.analytics.stats._checks import (
    FloatArray,
    array_argument,
    check_not_above,
    format_number,
    multiplier_argument,
    numeric_column,
    require_columns,
    z_value,
)
from vrn.analytics.stats.intervals import SMALL_COUNT, poisson_interval

#: (name, tail probability, confidence level) of the two pairs of control limits.
CONTROL_LIMITS: tuple[tuple[str, float, float], ...] = (
    ("2s", 0.025, 0.95),
    ("3s", 0.001, 0.998),
)
DSR_NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"
NOT_SIGNIFICANT = "Not significant"
#: The categories of the ``significance`` column, in this order.
SIGNIFICANCE_CATEGORIES = (
    "High (0.001)",
    "High (0.025)",
    "Low (0.001)",
    "Low (0.025)",
    NOT_SIGNIFICANT,
    DSR_NOT_APPLICABLE,
)
STATISTICS = ("proportion", "ratio", "rate")
RATE_TYPES = ("crude", "dsr")


@dataclass(frozen=True)
class _Funnel:
    """The checked data of a funnel: counts, denominators and the baseline."""

    statistic: str
    counts: FloatArray
    #: n (proportion), expected events (ratio) or derived populations (rate; NaN where a
    #: DSR has no events).
    denominators: FloatArray
    #: p0 (proportion), 1 (ratio) or events per person (rate).
    baseline: float
    #: multiplier (proportion, rate) or refvalue (ratio).
    scale: float
    label: str
    #: DSRs with fewer than 10 events, which are not classified.
    small_dsr: np.ndarray


def funnel_significance(
    data: pd.DataFrame,
    numerator: Hashable,
    denominator: Hashable,
    statistic: str,
    *,
    rate: Hashable | None = None,
    rate_type: str | None = None,
    multiplier: float | None = None,
) -> pd.DataFrame:
    """Whether each area lies outside the 95% or 99.8% funnel limits, high or low.

    - Proportions: ``x/n`` is compared with ``p0 -/+ z sqrt(p0 (1 - p0) / n)``. These are
      exactly the observed proportions whose Wilson score interval excludes ``p0``: the
      Wilson interval is the set of ``p`` with ``(x/n - p)^2 <= z^2 p (1 - p) / n`` (it
      inverts the score test), so ``p0`` lies outside it precisely when
      ``|x/n - p0| > z sqrt(p0 (1 - p0) / n)``.
    - Ratios: 1 is compared with the observed count's limits divided by the expected count,
      ``poisson_interval(O) / E`` (exact below 10 events, Byar's from 10): "High" if the
      lower limit is above 1, "Low" if the upper limit is below 1.
    - Rates: the baseline is compared with ``poisson_interval(x) / population`` for the
      derived population; DSRs with fewer than 10 events are not classified.

    An area exactly on a limit is not significant.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per area.
    numerator : column name
        Cases (proportion), observed events (ratio) or events (rate); ``>= 0``.
    denominator : column name
        Sample size (proportion; at least the numerator), expected events (ratio) or
        population (rate); ``> 0``.
    statistic : {"proportion", "ratio", "rate"}
    rate : column name, optional
        For rates: each area's rate per ``multiplier``.
    rate_type : {"crude", "dsr"}, optional
        For rates: crude or directly standardised.
    multiplier : float, optional
        For proportions and rates: the scale of ``rate`` (default 100,000 for rates; not
        used for proportions' significance). Not used for ratios.

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` with a categorical ``significance`` column whose categories are
        ``SIGNIFICANCE_CATEGORIES``: ``"High (0.001)"`` (above the 99.8% limit),
        ``"High (0.025)"`` (above the 95% limit only), ``"Low (0.001)"``,
        ``"Low (0.025)"``, ``"Not significant"`` and, for DSRs with fewer than 10 events,
        ``"Not applicable for events less than 10 for dsrs"``.

    Examples
    --------
    >>> areas = pd.DataFrame({"cases": [35, 52, 50, 80], "people": [500, 500, 500, 500]})
    >>> result = funnel_significance(areas, "cases", "people", "proportion")
    >>> list(result["significance"])
    ['Low (0.025)', 'Not significant', 'Not significant', 'High (0.001)']
    """
    funnel = _funnel(data, numerator, denominator, statistic, rate, rate_type, multiplier)
    counts, denominators, baseline = funnel.counts, funnel.denominators, funnel.baseline
    highs, lows = {}, {}
    for name, _, level in CONTROL_LIMITS:
        if funnel.statistic == "proportion":
            spread = z_value(level) * np.sqrt(baseline * (1 - baseline) / denominators)
            observed = counts / denominators
            highs[name] = observed > baseline + spread
            lows[name] = observed < baseline - spread
        else:
            lower, upper = poisson_interval(counts, level)
            with np.errstate(invalid="ignore"):
                highs[name] = lower / denominators > baseline
                lows[name] = upper / denominators < baseline
    labels = np.select(
        [highs["3s"], highs["2s"], lows["3s"], lows["2s"]],
        list(SIGNIFICANCE_CATEGORIES[:4]),
        NOT_SIGNIFICANT,
    ).astype(object)
    labels[funnel.small_dsr] = DSR_NOT_APPLICABLE
    result = data.copy()
    result["significance"] = pd.Categorical(labels, categories=SIGNIFICANCE_CATEGORIES)
    return result


def funnel_limits(
    data: pd.DataFrame,
    numerator: Hashable,
    denominator: Hashable,
    statistic: str,
    *,
    multiplier: float | None = None,
    rate: Hashable | None = None,
    rate_type: str | None = None,
    years_of_data: float = 1,
    ratio_refvalue: float = 1,
    points: int = 100,
    at: ArrayLike | None = None,
) -> pd.DataFrame:
    """The 95% and 99.8% control limits of a funnel plot, as a table for drawing it.

    The limits are evaluated on a grid spanning the data: from its smallest to its largest
    denominator (proportions), expected events (ratios) or expected events
    ``population * baseline`` (rates), geometrically spaced and rounded to whole numbers
    (at least 1, strictly increasing, so there can be fewer than ``points`` rows). Pass
    ``at`` to evaluate them at chosen populations (proportions) or numbers of events (ratios
    and rates) instead, in the order given.

    - Proportions: at population ``n``, ``p0 -/+ z sqrt(p0 (1 - p0) / n)``, times
      ``multiplier`` and clipped to ``[0, multiplier]``.
    - Ratios: for ``O`` observed events, the expected events at which ``O`` lies exactly on
      each exact Poisson limit: ``mu_L = chi2.ppf(1 - p, 2O + 2) / 2`` for the lower limit
      (so ``P(X <= O | mu_L) = p``) and ``mu_U = chi2.ppf(p, 2O) / 2`` for the upper
      (``P(X >= O | mu_U) = p``), where ``p`` is the tail (0.025 or 0.001). The limit is
      ``O / mu * ratio_refvalue``.
    - Rates: for ``x`` events, the population at which they lie on each limit,
      ``mu / baseline`` with ``mu`` as for ratios; the limit is
      ``x / population * multiplier``.

    Poisson limits are exact here, while :func:`funnel_significance` uses Byar's
    approximation from 10 events (as the field's rate and ratio limits do); the two agree
    except for areas within a fraction of a percent of a limit.

    Parameters
    ----------
    data, numerator, denominator, statistic, rate, rate_type
        As for :func:`funnel_significance`; they fix the baseline and the grid's range.
    multiplier : float, optional
        Proportions: the scale of the limits (default 1; 100 for percentages). Rates: the
        scale of ``rate`` and of the limits (default 100,000). Not used for ratios.
    years_of_data : float, default 1
        Rates: the years the events cover; populations are reported per year.
    ratio_refvalue : float, default 1
        Ratios: the scale of the ratio (100 for SMRs published that way).
    points : int, default 100
        The most rows of the grid (at least 2).
    at : array_like, optional
        Populations (proportions) or events (ratios, rates) to evaluate the limits at,
        all greater than zero.

    Returns
    -------
    pandas.DataFrame
        Proportions: ``population``, ``lower_2s_limit``, ``upper_2s_limit``,
        ``lower_3s_limit``, ``upper_3s_limit``, ``baseline``, ``statistic``
        (``"proportion"``) and ``method`` (``"Wilson"``).
        Ratios: ``observed_events``, then for ``2s`` and ``3s``
        ``lower_2s_exp_events``, ``lower_2s_limit``, ``upper_2s_exp_events``,
        ``upper_2s_limit``, and ``baseline``, ``statistic`` (``"ratio"``) and ``method``
        (``"Poisson"``).
        Rates: ``events``, then ``lower_2s_population_1_year``, ``lower_2s_limit``,
        ``upper_2s_population_1_year``, ``upper_2s_limit`` and the ``3s`` ones,
        ``baseline``, ``statistic`` (``"rate (crude per 100000)"`` or
        ``"rate (dsr per 100000)"``) and ``method`` (``"Poisson"``).

    Examples
    --------
    >>> areas = pd.DataFrame({"cases": [30, 52, 50, 75], "people": [400, 500, 500, 600]})
    >>> limits = funnel_limits(areas, "cases", "people", "proportion", at=[100, 1000])
    >>> limits[["population", "lower_3s_limit", "upper_3s_limit", "baseline"]].round(4)
       population  lower_3s_limit  upper_3s_limit  baseline
    0       100.0          0.0094          0.1976    0.1035
    1      1000.0          0.0737          0.1333    0.1035
    >>> limits.loc[0, "statistic"], limits.loc[0, "method"]
    ('proportion', 'Wilson')
    """
    funnel = _funnel(
        data,
        numerator,
        denominator,
        statistic,
        rate,
        rate_type,
        multiplier,
        ratio_refvalue=ratio_refvalue,
        years_of_data=years_of_data,
    )
    if funnel.statistic == "rate" and funnel.baseline <= 0:
        raise ValueError("numerator: there are no events, so a rate funnel has no baseline to draw")
    grid = _grid(funnel, points) if at is None else _at(at)
    if funnel.statistic == "proportion":
        return _proportion_limits(funnel, grid)
    years = float(years_of_data)
    table = pd.DataFrame({"observed_events" if funnel.statistic == "ratio" else "events": grid})
    for name, tail, _ in CONTROL_LIMITS:
        expected = {
            "lower": scipy_stats.chi2.ppf(1 - tail, 2 * grid + 2) / 2,
            "upper": scipy_stats.chi2.ppf(tail, 2 * grid) / 2,
        }
        for side, mu in expected.items():
            if funnel.statistic == "ratio":
                table[f"{side}_{name}_exp_events"] = mu
            else:
                table[f"{side}_{name}_population_1_year"] = mu / funnel.baseline / years
            table[f"{side}_{name}_limit"] = grid / mu * funnel.baseline * funnel.scale
    table["baseline"] = funnel.baseline * funnel.scale
    table["statistic"] = funnel.label
    table["method"] = "Poisson"
    return table


# --- helpers -------------------------------------------------------------------------------


def _funnel(
    data: pd.DataFrame,
    numerator: Hashable,
    denominator: Hashable,
    statistic: str,
    rate: Hashable | None,
    rate_type: str | None,
    multiplier: float | None,
    *,
    ratio_refvalue: float = 1,
    years_of_data: float = 1,
) -> _Funnel:
    """Check the arguments and derive the denominators and baseline of a funnel."""
    if statistic not in STATISTICS:
        raise ValueError(
            f"statistic: expected one of {', '.join(map(repr, STATISTICS))}, not {statistic!r}"
        )
    _refuse_others(statistic, rate, rate_type, multiplier, ratio_refvalue, years_of_data)
    require_columns(data, {"numerator": numerator, "denominator": denominator, "rate": rate})
    if data.empty:
        raise ValueError("data: there are no rows")
    counts = numeric_column(data, numerator, "count")
    denominators = numeric_column(data, denominator, "denominator", positive=True)
    no_small = np.zeros(len(counts), dtype=bool)
    if statistic == "proportion":
        check_not_above(counts, denominators, numerator, denominator, data.index)
        scale = multiplier_argument(1 if multiplier is None else multiplier)
        return _Funnel(
            statistic,
            counts,
            denominators,
            float(counts.sum() / denominators.sum()),
            scale,
            "proportion",
            no_small,
        )
    if statistic == "ratio":
        scale = multiplier_argument(ratio_refvalue, "ratio_refvalue")
        return _Funnel(statistic, counts, denominators, 1.0, scale, "ratio", no_small)
    if rate is None:
        raise ValueError("rate: a rate funnel needs the column of each area's rate")
    if rate_type not in RATE_TYPES:
        raise ValueError(
            f"rate_type: expected one of {', '.join(map(repr, RATE_TYPES))} for a rate "
            f"funnel, not {rate_type!r}"
        )
    scale = multiplier_argument(100_000 if multiplier is None else multiplier)
    multiplier_argument(years_of_data, "years_of_data")
    rates = numeric_column(data, rate, "rate")
    zero_rate = (counts > 0) & (rates == 0)
    if zero_rate.any():
        position = int(np.flatnonzero(zero_rate)[0])
        raise ValueError(
            f"column {rate!r}: rate 0 at row {data.index[position]!r}, which has "
            f"{counts[position]:g} events"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = scale * counts / rates
    empty = rate_type == "crude"
    derived = np.where(counts == 0, denominators if empty else np.nan, derived)
    used = ~np.isnan(derived)
    baseline = float(counts[used].sum() / derived[used].sum())
    small = (counts < SMALL_COUNT) if rate_type == "dsr" else no_small
    label = f"rate ({rate_type} per {format_number(scale)})"
    return _Funnel(statistic, counts, derived, baseline, scale, label, small)


def _refuse_others(
    statistic: str,
    rate: Hashable | None,
    rate_type: str | None,
    multiplier: float | None,
    ratio_refvalue: float,
    years_of_data: float,
) -> None:
    """Refuse arguments that only belong to another kind of funnel."""
    refused = []
    if statistic != "rate":
        refused += [("rate", rate is not None), ("rate_type", rate_type is not None)]
        refused += [("years_of_data", years_of_data != 1)]
    if statistic == "ratio":
        refused += [("multiplier", multiplier is not None)]
    else:
        refused += [("ratio_refvalue", ratio_refvalue != 1)]
    for argument, given in refused:
        if given:
            raise ValueError(f"{argument}: not used for a {statistic} funnel")


def _grid(funnel: _Funnel, points: int) -> FloatArray:
    """Whole numbers from the smallest to the largest denominator, geometrically spaced."""
    if isinstance(points, bool) or not isinstance(points, int | np.integer) or points < 2:
        raise ValueError(f"points: expected a whole number of at least 2, not {points!r}")
    span = funnel.denominators[~np.isnan(funnel.denominators)]
    if funnel.statistic == "rate":
        span = span * funnel.baseline
    start = max(1.0, float(np.floor(span.min())))
    stop = max(start, float(np.ceil(span.max())))
    grid = np.unique(np.round(np.geomspace(start, stop, int(points))))
    return np.asarray(grid, dtype=np.float64)


def _at(at: ArrayLike) -> FloatArray:
    values = array_argument(at, "at", positive=True)
    if values.ndim > 1 or values.size == 0:
        raise ValueError(f"at: give a number or a 1-d array of them, not shape {values.shape}")
    return np.atleast_1d(values)


def _proportion_limits(funnel: _Funnel, population: FloatArray) -> pd.DataFrame:
    baseline, scale = funnel.baseline, funnel.scale
    table = pd.DataFrame({"population": population})
    for name, _, level in CONTROL_LIMITS:
        spread = z_value(level) * np.sqrt(baseline * (1 - baseline) / population)
        table[f"lower_{name}_limit"] = np.clip(baseline - spread, 0, 1) * scale
        table[f"upper_{name}_limit"] = np.clip(baseline + spread, 0, 1) * scale
    table["baseline"] = baseline * scale
    table["statistic"] = funnel.label
    table["method"] = "Wilson"
    return table
