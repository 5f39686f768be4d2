"""Comparing two rates or proportions, and classifying areas against a benchmark.

The first five functions take numbers or equal-length arrays (numpy arrays, lists or pandas
Series) for the two groups, group 1 and group 2, and return one row per comparison in a
DataFrame laid out like :func:`~vrn.analytics.stats.rate`'s output: ``x1``, ``n1``,
``x2``, ``n2``, ``value``, the limits (``lowercl``/``uppercl``, or ``lower95_0cl`` ... for a
pair of levels), ``confidence``, ``statistic``, ``method`` and ``note`` (why a value is
missing or a limit infinite; otherwise ``None``). Pandas Series inputs lend their index to
the result. :func:`compare_with_benchmark` classifies any table of limits, including these.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats as scipy_stats

from vrn.analytics.stats._checks import (
    ConfidenceArg,
    FloatArray,
    Levels,
    array_argument,
    confidence_level,
    confidence_levels,
    format_number,
    multiplier_argument,
    require_columns,
    z_value,
)
from vrn.analytics.stats._frames import add_labels, add_limits
from vrn.analytics.stats.intervals import poisson_interval, poisson_method, wilson_interval

RATIO_METHOD = "Exact conditional (Clopper-Pearson)"
NEWCOMBE_METHOD = "Newcombe hybrid score (Wilson)"
KATZ_METHOD = "Katz log"

NO_EVENTS = "no events in either group: ratio undefined"
NO_EVENTS_IN_GROUP_2 = "no events in group 2: ratio infinite, so no value and no upper limit"
NO_EVENTS_EITHER_PERIOD = "no events in either period: change undefined"
NO_EVENTS_IN_PERIOD_1 = "no events in period 1: change infinite, so no value and no upper limit"
NO_CASES = "no cases in either group: ratio undefined"
NO_CASES_IN_GROUP_1 = "no cases in group 1: ratio 0, Katz log limits undefined"
NO_CASES_IN_GROUP_2 = "no cases in group 2: ratio infinite, Katz log limits undefined"

HIGH_IS_GOOD = "high is good"
LOW_IS_GOOD = "low is good"
NOT_COMPARED = "Not compared"
_UNRANKED = ("Higher", "Similar", "Lower", NOT_COMPARED)
_RANKED = ("Better", "Similar", "Worse", NOT_COMPARED)


def rate_ratio(
    x1: ArrayLike,
    n1: ArrayLike,
    x2: ArrayLike,
    n2: ArrayLike,
    confidence: ConfidenceArg = 0.95,
) -> pd.DataFrame:
    """The ratio of two Poisson rates, ``(x1/n1) / (x2/n2)``, with exact conditional limits.

    Given the total ``x1 + x2``, the count ``x1`` is binomial with probability
    ``pi = RR n1 / (RR n1 + n2)``. The Clopper-Pearson limits ``(pi_L, pi_U)`` for the share
    ``x1 / (x1 + x2)`` are transformed to ``RR = pi / (1 - pi) * n2 / n1`` (Ederer and Mantel
    1974; Breslow and Day 1987, section 2.9). Each limit is an exact one-sided test at
    ``(1 - confidence) / 2``, so coverage is at least the confidence level.

    Use group 1 = the area and group 2 = the comparator, or group 1 = the later period and
    group 2 = the earlier (see :func:`percentage_change`).

    Parameters
    ----------
    x1, n1, x2, n2 : array_like
        Events (``>= 0``) and populations or person-time (``> 0``) of the two groups;
        numbers or equal-length arrays.
    confidence : float or pair, default 0.95
        One level, or two such as ``(0.95, 0.998)``.

    Returns
    -------
    pandas.DataFrame
        As described in the module docstring; ``statistic`` is ``"rate ratio"``.
        With ``x1 = 0`` the ratio and lower limit are 0. With ``x2 = 0`` (and ``x1 > 0``)
        the ratio is infinite: ``value`` is NaN, the lower limit is finite and the upper
        limit is ``inf``. With no events in either group ``value`` and limits are NaN.
        ``note`` explains both cases.

    Examples
    --------
    >>> result = rate_ratio([20, 5, 0], 10_000, [10, 0, 0], 10_000)
    >>> result[["value", "lowercl", "uppercl"]].round(4)
       value  lowercl  uppercl
    0    2.0   0.8935   4.7846
    1    NaN   0.9164      inf
    2    NaN      NaN      NaN
    >>> print(result.loc[1, "note"])
    no events in group 2: ratio infinite, so no value and no upper limit
    """
    levels = confidence_levels(confidence)
    index, (c1, p1, c2, p2) = _inputs(x1=x1, n1=n1, x2=x2, n2=n2)
    return _ratio_table(index, c1, p1, c2, p2, levels, group_notes=True)


def percentage_change(
    x1: ArrayLike,
    n1: ArrayLike,
    x2: ArrayLike,
    n2: ArrayLike,
    confidence: ConfidenceArg = 0.95,
) -> pd.DataFrame:
    """The percentage change in a rate from period 1 to period 2, with exact limits.

    ``100 * (RR - 1)`` where ``RR = (x2/n2) / (x1/n1)`` is the :func:`rate_ratio` of period
    2 to period 1; the limits are the rate ratio's exact conditional limits transformed the
    same way. For a change in counts, give equal ``n`` (such as 1).

    Parameters
    ----------
    x1, n1 : array_like
        Events and population (or exposure) in period 1, the earlier period.
    x2, n2 : array_like
        Events and population in period 2, the later period.
    confidence : float or pair, default 0.95

    Returns
    -------
    pandas.DataFrame
        As described in the module docstring; ``statistic`` is ``"percentage change"``.
        No events in period 2 gives -100% with a lower limit of -100%. No events in period
        1 (but some in period 2) gives a NaN value and an infinite upper limit; none in
        either period, NaN value and limits; ``note`` says which.

    Examples
    --------
    >>> result = percentage_change(x1=[40, 40], n1=1, x2=[60, 48], n2=1)
    >>> result[["value", "lowercl", "uppercl"]].round(2)
       value  lowercl  uppercl
    0   50.0    -1.11   129.71
    1   20.0   -22.77    87.36
    """
    levels = confidence_levels(confidence)
    index, (c1, p1, c2, p2) = _inputs(x1=x1, n1=n1, x2=x2, n2=n2)
    ratio = _ratio_table(index, c2, p2, c1, p1, levels, group_notes=False)
    table = pd.DataFrame({"x1": c1, "n1": p1, "x2": c2, "n2": p2}, index=index)
    table["value"] = 100 * (ratio["value"] - 1)
    for _, lower_name, upper_name in levels.column_names():
        table[lower_name] = 100 * (ratio[lower_name] - 1)
        table[upper_name] = 100 * (ratio[upper_name] - 1)
    add_labels(table, levels, "percentage change", RATIO_METHOD)
    table["note"] = _notes(
        [(c1 + c2 == 0, NO_EVENTS_EITHER_PERIOD), ((c1 == 0) & (c2 > 0), NO_EVENTS_IN_PERIOD_1)],
        len(c1),
    )
    return table


def rate_difference(
    x1: ArrayLike,
    n1: ArrayLike,
    x2: ArrayLike,
    n2: ArrayLike,
    confidence: ConfidenceArg = 0.95,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """The difference of two rates, ``r1 - r2``, with MOVER limits.

    MOVER (method of variance estimates recovery; Zou and Donner 2008, after Newcombe
    1998) builds the difference's limits from each rate's own limits ``(l_i, u_i)``::

        lower = r1 - r2 - sqrt((r1 - l1)^2 + (u2 - r2)^2)
        upper = r1 - r2 + sqrt((u1 - r1)^2 + (r2 - l2)^2)

    Each rate's limits are the ones :func:`~vrn.analytics.stats.rate` reports (exact
    Poisson below 10 events, Byar's from 10), so the difference agrees with the two rates
    shown beside it.

    Parameters
    ----------
    x1, n1, x2, n2 : array_like
        Events (``>= 0``) and populations (``> 0``) of the two groups.
    confidence : float or pair, default 0.95
    multiplier : float, default 100,000
        Rates are per this many people.

    Returns
    -------
    pandas.DataFrame
        As described in the module docstring; ``statistic`` is
        ``"rate difference per 100000"`` and ``method`` names the limits used for each
        rate, such as ``"MOVER (Exact, Byars)"``. Every input gives finite limits.

    Examples
    --------
    >>> result = rate_difference(65, 100, 5, 100, multiplier=100)
    >>> result[["value", "lowercl", "uppercl", "method"]].round(4)
       value  lowercl  uppercl                method
    0   60.0  43.7335  78.1657  MOVER (Byars, Exact)
    """
    levels = confidence_levels(confidence)
    scale = multiplier_argument(multiplier)
    index, (c1, p1, c2, p2) = _inputs(x1=x1, n1=n1, x2=x2, n2=n2)
    rate1, rate2 = c1 / p1 * scale, c2 / p2 * scale

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        lower1, upper1 = poisson_interval(c1, level)
        lower2, upper2 = poisson_interval(c2, level)
        return _mover(
            rate1,
            (lower1 / p1 * scale, upper1 / p1 * scale),
            rate2,
            (lower2 / p2 * scale, upper2 / p2 * scale),
        )

    methods = np.char.add(
        np.char.add(np.char.add("MOVER (", poisson_method(c1)), ", "),
        np.char.add(poisson_method(c2), ")"),
    )
    return _difference_table(
        index,
        (c1, p1, c2, p2),
        rate1 - rate2,
        levels,
        limits,
        f"rate difference per {format_number(scale)}",
        methods,
    )


def proportion_difference(
    x1: ArrayLike,
    n1: ArrayLike,
    x2: ArrayLike,
    n2: ArrayLike,
    confidence: ConfidenceArg = 0.95,
    multiplier: float = 1,
) -> pd.DataFrame:
    """The difference of two independent proportions, ``x1/n1 - x2/n2``, with Newcombe limits.

    Newcombe's (1998) hybrid score interval, his method 10: the MOVER combination (see
    :func:`rate_difference`) of the two proportions' Wilson score limits, the limits
    :func:`~vrn.analytics.stats.proportion` reports.

    Parameters
    ----------
    x1, n1, x2, n2 : array_like
        Cases (``0 <= x <= n``) and sample sizes (``n > 0``) of the two groups.
    confidence : float or pair, default 0.95
    multiplier : float, default 1
        1 for a difference of proportions, 100 for percentage points.

    Returns
    -------
    pandas.DataFrame
        As described in the module docstring; ``statistic`` is ``"proportion difference
        of 1"`` or ``"percentage point difference"``; ``method`` is
        ``"Newcombe hybrid score (Wilson)"``. The limits lie within ``[-1, 1]`` times the
        multiplier.

    Examples
    --------
    Newcombe (1998), Table II, example (a): 56/70 against 48/80.

    >>> result = proportion_difference(56, 70, 48, 80)
    >>> result[["value", "lowercl", "uppercl"]].round(4)
       value  lowercl  uppercl
    0    0.2   0.0524   0.3339
    """
    levels = confidence_levels(confidence)
    scale = multiplier_argument(multiplier)
    index, (c1, p1, c2, p2) = _inputs(x1=x1, n1=n1, x2=x2, n2=n2)
    _check_cases(c1, p1, c2, p2)
    share1, share2 = c1 / p1, c2 / p2

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        lower, upper = _mover(
            share1, wilson_interval(c1, p1, level), share2, wilson_interval(c2, p2, level)
        )
        return lower * scale, upper * scale

    statistic = (
        "percentage point difference"
        if scale == 100
        else f"proportion difference of {format_number(scale)}"
    )
    return _difference_table(
        index,
        (c1, p1, c2, p2),
        (share1 - share2) * scale,
        levels,
        limits,
        statistic,
        NEWCOMBE_METHOD,
    )


def proportion_ratio(
    x1: ArrayLike,
    n1: ArrayLike,
    x2: ArrayLike,
    n2: ArrayLike,
    confidence: ConfidenceArg = 0.95,
) -> pd.DataFrame:
    """The ratio of two independent proportions (a risk ratio), with Katz log limits.

    ``RR = (x1/n1) / (x2/n2)``; the limits are ``exp(log RR -/+ z SE)`` with
    ``SE = sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)``, the delta-method standard error of the log
    ratio (Katz, Baptista, Azen and Pike 1978), R's ``epitools::riskratio.wald``.

    Parameters
    ----------
    x1, n1, x2, n2 : array_like
        Cases (``0 <= x <= n``) and sample sizes (``n > 0``) of the two groups.
    confidence : float or pair, default 0.95

    Returns
    -------
    pandas.DataFrame
        As described in the module docstring; ``statistic`` is ``"risk ratio"``,
        ``method`` ``"Katz log"``. The log interval needs a case in each group: with none
        in group 1 the ratio is 0, with none in group 2 it is infinite (``value`` NaN), with
        none in either undefined; the limits are then NaN and ``note`` says why. No
        continuity correction is added.

    Examples
    --------
    R: ``epitools::riskratio.wald(matrix(c(14, 12, 7, 27), nrow = 2))``, 27/39 against
    7/21: 2.076923 (1.09512 to 3.938939).

    >>> result = proportion_ratio([27, 0], [39, 10], [7, 3], [21, 10])
    >>> result[["value", "lowercl", "uppercl"]].round(6)
          value  lowercl   uppercl
    0  2.076923  1.09512  3.938939
    1  0.000000      NaN       NaN
    >>> print(result.loc[1, "note"])
    no cases in group 1: ratio 0, Katz log limits undefined
    """
    levels = confidence_levels(confidence)
    index, (c1, p1, c2, p2) = _inputs(x1=x1, n1=n1, x2=x2, n2=n2)
    _check_cases(c1, p1, c2, p2)
    table = pd.DataFrame({"x1": c1, "n1": p1, "x2": c2, "n2": p2}, index=index)
    defined = (c1 > 0) & (c2 > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(c2 > 0, (c1 / p1) / np.where(c2 > 0, c2 / p2, 1.0), np.nan)
        log_ratio = np.log(np.where(defined, ratio, 1.0))
        standard_error = np.sqrt(
            np.where(defined, 1 / np.where(defined, c1, 1) - 1 / p1, 0.0)
            + np.where(defined, 1 / np.where(defined, c2, 1) - 1 / p2, 0.0)
        )
    table["value"] = ratio

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        spread = z_value(level) * standard_error
        lower = np.where(defined, np.exp(log_ratio - spread), np.nan)
        upper = np.where(defined, np.exp(log_ratio + spread), np.nan)
        return lower, upper

    add_limits(table, levels, limits)
    add_labels(table, levels, "risk ratio", KATZ_METHOD)
    table["note"] = _notes(
        [
            (c1 + c2 == 0, NO_CASES),
            ((c1 == 0) & (c2 > 0), NO_CASES_IN_GROUP_1),
            ((c2 == 0) & (c1 > 0), NO_CASES_IN_GROUP_2),
        ],
        len(c1),
    )
    return table


def compare_with_benchmark(
    data: pd.DataFrame,
    benchmark: float | Hashable,
    *,
    confidence: float = 0.95,
    polarity: str | None = None,
    lower: Hashable | None = None,
    upper: Hashable | None = None,
) -> pd.DataFrame:
    """Classify each row's confidence interval against a benchmark, as Fingertips does.

    ``"Higher"`` if the lower limit is above the benchmark, ``"Lower"`` if the upper limit
    is below it, ``"Similar"`` otherwise (an interval that touches the benchmark is
    similar), and ``"Not compared"`` when a limit or the benchmark is missing. With a
    ``polarity`` the words are ``"Better"``, ``"Worse"`` and ``"Similar"``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per area, with its limits: for example the output of
        :func:`~vrn.analytics.stats.rate`, :func:`~vrn.analytics.stats.proportion` or
        :func:`rate_ratio`.
    benchmark : float or column name
        A number (such as England's value, or 1 for a ratio), or a column of ``data``
        holding each row's own benchmark. Numbers are values; anything else names a column.
    confidence : float, default 0.95
        The level whose limits are compared. Without ``lower``/``upper`` it picks the
        columns: ``lower95_0cl``/``upper95_0cl`` (and so on) if present, else
        ``lowercl``/``uppercl``, which must then be at this level if ``data`` has a
        ``confidence`` column saying so.
    polarity : {None, "high is good", "low is good"}
        Whether a higher value is better, worse or neither.
    lower, upper : column names, optional
        The limit columns, if not named as above. Give both or neither.

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` with ``comparison`` (categorical: ``Higher, Similar, Lower,
        Not compared``, or ``Better, Similar, Worse, Not compared``) and
        ``comparison_method`` (such as ``"95% confidence interval compared with benchmark
        value 123.4"``).

    Examples
    --------
    >>> areas = pd.DataFrame(
    ...     {"area": ["A", "B", "C", "D"], "lowercl": [130.0, 100.0, 80.0, None],
    ...      "uppercl": [150.0, 140.0, 120.0, None]}
    ... )
    >>> result = compare_with_benchmark(areas, 123.4, polarity="low is good")
    >>> list(result["comparison"])
    ['Worse', 'Similar', 'Better', 'Not compared']
    >>> result.loc[0, "comparison_method"]
    '95% confidence interval compared with benchmark value 123.4'
    """
    level = confidence_level(confidence)
    words = _polarity_words(polarity)
    lower_name, upper_name = _limit_columns(data, level, lower, upper)
    low = _limit_values(data, lower_name, "lower")
    high = _limit_values(data, upper_name, "upper")
    swapped = low > high
    if swapped.any():
        position = int(np.flatnonzero(swapped)[0])
        raise ValueError(
            f"lower: column {lower_name!r} is above column {upper_name!r} at row "
            f"{data.index[position]!r} ({low[position]:g} > {high[position]:g}); "
            "are the limit columns swapped?"
        )
    percent = Levels((level,)).label
    if isinstance(benchmark, int | float | np.number) and not isinstance(benchmark, bool):
        reference = np.full(len(data), float(benchmark))
        described = [_format_benchmark(float(benchmark))] * len(data)
    else:
        require_columns(data, {"benchmark": benchmark})
        reference = _limit_values(data, benchmark, "benchmark")
        described = [_format_benchmark(value) for value in reference]
    missing = np.isnan(low) | np.isnan(high) | np.isnan(reference)
    above, below = low > reference, high < reference
    labels = np.select(
        [missing, above, below], [NOT_COMPARED, words["above"], words["below"]], "Similar"
    )
    result = data.copy()
    result["comparison"] = pd.Categorical(labels, categories=words["categories"])
    result["comparison_method"] = [
        f"{percent} confidence interval compared with benchmark value {text}" for text in described
    ]
    return result


# --- helpers -------------------------------------------------------------------------------


def _inputs(**values: ArrayLike) -> tuple[pd.Index, list[FloatArray]]:
    """Check and broadcast x1, n1, x2, n2 to equal-length 1-d arrays, with an index."""
    checked = [
        array_argument(value, name, positive=name.startswith("n")) for name, value in values.items()
    ]
    try:
        arrays = np.broadcast_arrays(*checked)
    except ValueError:
        shapes = ", ".join(
            f"{name} {np.shape(array)}" for name, array in zip(values, checked, strict=True)
        )
        raise ValueError(f"x1, n1, x2, n2: lengths do not match ({shapes})") from None
    if arrays[0].ndim > 1:
        raise ValueError(f"x1, n1, x2, n2: give numbers or 1-d arrays, not shape {arrays[0].shape}")
    flat = [np.atleast_1d(np.array(array, dtype=np.float64)) for array in arrays]
    index: pd.Index = pd.RangeIndex(len(flat[0]))
    for value in values.values():
        if isinstance(value, pd.Series) and len(value) == len(flat[0]):
            index = value.index
            break
    return index, flat


def _check_cases(c1: FloatArray, p1: FloatArray, c2: FloatArray, p2: FloatArray) -> None:
    """Refuse more cases than the sample size in either group."""
    for count, size, name in ((c1, p1, "x1"), (c2, p2, "x2")):
        above = count > size
        if above.any():
            position = int(np.flatnonzero(above)[0])
            raise ValueError(
                f"{name}: {count[position]:g} cases at position {position} is more than "
                f"the sample size n{name[1]} ({size[position]:g})"
            )


def _clopper_pearson(
    successes: FloatArray, trials: FloatArray, level: float
) -> tuple[FloatArray, FloatArray]:
    """Exact binomial limits; NaN when there are no trials."""
    alpha = 1 - level
    failures = trials - successes
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = scipy_stats.beta.ppf(alpha / 2, successes, failures + 1)
        upper = scipy_stats.beta.ppf(1 - alpha / 2, successes + 1, failures)
    lower = np.where(successes == 0, 0.0, lower)
    upper = np.where(failures == 0, 1.0, upper)
    none = trials == 0
    return np.where(none, np.nan, lower), np.where(none, np.nan, upper)


def _ratio_table(
    index: pd.Index,
    c1: FloatArray,
    p1: FloatArray,
    c2: FloatArray,
    p2: FloatArray,
    levels: Levels,
    *,
    group_notes: bool,
) -> pd.DataFrame:
    """The rate ratio (c1/p1) / (c2/p2) with exact conditional limits."""
    table = pd.DataFrame({"x1": c1, "n1": p1, "x2": c2, "n2": p2}, index=index)
    scale = p2 / p1
    with np.errstate(invalid="ignore", divide="ignore"):
        table["value"] = np.where(c2 > 0, c1 / np.where(c2 > 0, c2, 1) * scale, np.nan)

    def limits(level: float) -> tuple[FloatArray, FloatArray]:
        lower, upper = _clopper_pearson(c1, c1 + c2, level)
        with np.errstate(invalid="ignore", divide="ignore"):
            return lower / (1 - lower) * scale, upper / (1 - upper) * scale

    add_limits(table, levels, limits)
    add_labels(table, levels, "rate ratio", RATIO_METHOD)
    if group_notes:
        table["note"] = _notes(
            [(c1 + c2 == 0, NO_EVENTS), ((c2 == 0) & (c1 > 0), NO_EVENTS_IN_GROUP_2)], len(c1)
        )
    return table


def _mover(
    estimate1: FloatArray,
    limits1: tuple[FloatArray, FloatArray],
    estimate2: FloatArray,
    limits2: tuple[FloatArray, FloatArray],
) -> tuple[FloatArray, FloatArray]:
    """MOVER limits for estimate1 - estimate2 from each estimate's own limits."""
    lower1, upper1 = limits1
    lower2, upper2 = limits2
    difference = estimate1 - estimate2
    lower = difference - np.sqrt((estimate1 - lower1) ** 2 + (upper2 - estimate2) ** 2)
    upper = difference + np.sqrt((upper1 - estimate1) ** 2 + (estimate2 - lower2) ** 2)
    return lower, upper


def _difference_table(
    index: pd.Index,
    inputs: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    value: FloatArray,
    levels: Levels,
    limits: Callable[[float], tuple[FloatArray, FloatArray]],
    statistic: str,
    method: Any,
) -> pd.DataFrame:
    c1, p1, c2, p2 = inputs
    table = pd.DataFrame({"x1": c1, "n1": p1, "x2": c2, "n2": p2}, index=index)
    table["value"] = value
    add_limits(table, levels, limits)
    add_labels(table, levels, statistic, method)
    table["note"] = _notes([], len(c1))
    return table


def _notes(rules: list[tuple[np.ndarray, str]], length: int) -> np.ndarray:
    """The ``note`` column: the first matching rule's text, else None."""
    notes = np.full(length, None, dtype=object)
    for mask, text in reversed(rules):
        notes[mask] = text
    return notes


def _polarity_words(polarity: str | None) -> dict[str, Any]:
    if polarity is None:
        return {"above": "Higher", "below": "Lower", "categories": _UNRANKED}
    if polarity == HIGH_IS_GOOD:
        return {"above": "Better", "below": "Worse", "categories": _RANKED}
    if polarity == LOW_IS_GOOD:
        return {"above": "Worse", "below": "Better", "categories": _RANKED}
    raise ValueError(
        f"polarity: expected None, {HIGH_IS_GOOD!r} or {LOW_IS_GOOD!r}, not {polarity!r}"
    )


def _limit_columns(
    data: pd.DataFrame, level: float, lower: Hashable | None, upper: Hashable | None
) -> tuple[Hashable, Hashable]:
    """The lower and upper limit columns to compare (see compare_with_benchmark)."""
    require_columns(data, {"lower": lower, "upper": upper})
    if (lower is None) != (upper is None):
        raise ValueError("lower, upper: give both limit columns or neither")
    if lower is not None and upper is not None:
        return lower, upper
    suffix = f"{level * 100:.1f}".replace(".", "_")
    paired = (f"lower{suffix}cl", f"upper{suffix}cl")
    if all(name in data.columns for name in paired):
        return paired
    if "lowercl" in data.columns and "uppercl" in data.columns:
        wanted = Levels((level,)).label
        if "confidence" in data.columns:
            stated = set(data["confidence"].dropna().astype(str))
            if stated and stated != {wanted}:
                raise ValueError(
                    f"confidence: the data's lowercl/uppercl are {', '.join(sorted(stated))} "
                    f"limits (its 'confidence' column), not {wanted}"
                )
        return "lowercl", "uppercl"
    raise ValueError(
        f"lower, upper: no limit columns for {Levels((level,)).label} in the data (looked for "
        f"{paired[0]!r}/{paired[1]!r} and 'lowercl'/'uppercl'); name them with lower= and "
        "upper="
    )


def _limit_values(data: pd.DataFrame, column: Hashable, argument: str) -> FloatArray:
    """A column as floats, blanks as NaN, refusing text that is not a number."""
    values = data[column]
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna()
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{argument}: column {column!r} has {values.iloc[position]!r} at row "
            f"{values.index[position]!r}, which is not a number"
        )
    return np.asarray(converted.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _format_benchmark(value: float) -> str:
    """The benchmark as the method text shows it: six significant figures, no exponent."""
    if np.isnan(value):
        return "missing"
    return str(
        np.format_float_positional(value, precision=6, unique=True, fractional=False, trim="-")
    )
