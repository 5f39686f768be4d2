"""The slope and relative indices of inequality (SII, RII) across deprivation quantiles.

The method of England's public-health inequality indicators (Low and Low 2004; the
OHID/PHE technical guidance "Slope index of inequality"): a line fitted by weighted least
squares through each quantile's value at the mid-point of its cumulative population share,
with confidence limits by simulation. docs/statistics/inequality.md explains it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from vrn.analytics.stats._checks import (
    ConfidenceArg,
    FloatArray,
    confidence_level,
    confidence_levels,
    format_number,
    group_columns,
    numeric_column,
    require_columns,
    z_value,
)

ValueType = Literal["rate", "proportion", "other"]
GroupBy = Hashable | Sequence[Hashable] | None
Seed = int | np.random.Generator

#: Fewest quantiles :func:`sii` accepts (deciles and quintiles are the usual choices).
MINIMUM_QUANTILES = 5

#: Fewest simulations :func:`sii` accepts for its confidence limits.
MINIMUM_REPEATS = 1_000

_SCALES = {"rate": "log", "proportion": "logit", "other": "linear"}


def line_weights(population: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mid-points and the weights that turn values into the WLS slope and intercept.

    For population shares ``a`` (ordered most deprived first) the mid-points are
    ``x = cumsum(a) - a / 2``. The line minimising ``sum a (y - intercept - slope x)^2``
    is linear in ``y``: ``slope = y @ c`` and ``intercept = y @ d`` with
    ``c = a (x - xbar) / sum(a (x - xbar)^2)`` and ``d = a - c xbar``, ``xbar = sum(a x)``.

    Returns
    -------
    x, c, d : numpy.ndarray

    Examples
    --------
    >>> x, c, d = line_weights(np.array([100.0, 100, 100, 100, 100]))
    >>> x
    array([0.1, 0.3, 0.5, 0.7, 0.9])
    >>> y = 2 + 3 * x
    >>> round(float(y @ c), 12), round(float(y @ d), 12)
    (3.0, 2.0)
    """
    shares = population / population.sum()
    x = np.cumsum(shares) - shares / 2
    centre = float(shares @ x)
    spread = shares * (x - centre)
    c = spread / float(spread @ (x - centre))
    d = shares - c * centre
    return x, c, d


def sii(
    data: pd.DataFrame,
    quantile: Hashable,
    population: Hashable,
    value: Hashable,
    lower: Hashable,
    upper: Hashable,
    *,
    value_type: ValueType = "rate",
    confidence: ConfidenceArg = 0.95,
    limits_confidence: float = 0.95,
    multiplier: float = 1,
    repeats: int = 100_000,
    seed: Seed = 0,
    rii: bool = True,
    group_by: GroupBy = None,
) -> pd.DataFrame:
    """Slope index of inequality (SII) and relative index of inequality (RII).

    Within each group the quantiles are sorted by ``quantile``, lowest first, and the
    lowest is taken as the most deprived (IMD deciles: 1 = most deprived). Each quantile's
    mid-point ``x`` is its cumulative population share, 0 at the most deprived end and 1 at
    the least; the line ``value = intercept + slope x`` is fitted by least squares weighted
    by population share (Low and Low 2004).

    - ``SII = multiplier * slope``: the fitted value at the least deprived end minus that
      at the most deprived end. With ``multiplier=1`` it is negative when the most deprived
      have the higher values (the usual pattern for violence).
    - ``RII = (intercept + slope) / intercept``: least deprived end over most deprived end.

    A negative ``multiplier`` reverses the direction of both: SII becomes most deprived
    minus least deprived (times ``|multiplier|``) and RII most deprived over least
    deprived, so that an RII above 1 always goes with a positive SII.

    Confidence limits come from simulation: each quantile's value is drawn ``repeats``
    times from a normal distribution on the scale of ``value_type`` (log for rates, logit
    for proportions, linear otherwise) with standard error
    ``(h(upper) - h(lower)) / (2 z)``, ``z`` for ``limits_confidence``; the draws are
    transformed back, the line refitted, and the limits are percentiles of the simulated
    SIIs and RIIs.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per quantile (per group, with ``group_by``).
    quantile : column name
        The quantile (e.g. IMD decile 1-10); sortable, unique within a group, at least 5.
    population : column name
        Each quantile's population (or denominator), greater than zero.
    value, lower, upper : column names
        Each quantile's value and its confidence limits, ``lower <= value <= upper``. Rates
        and their lower limits must be above zero; proportions on the 0-1 scale strictly
        between 0 and 1, limits included.
    value_type : {"rate", "proportion", "other"}, default "rate"
        The scale the values are simulated on: log, logit or linear.
    confidence : float or pair, default 0.95
        Level of the SII and RII limits, or two levels such as ``(0.95, 0.998)``.
    limits_confidence : float, default 0.95
        Level of the supplied ``lower`` and ``upper`` limits.
    multiplier : float, default 1
        Scales the SII (100 for a proportion in percentage points); negative to reverse
        the direction as described above. Not zero.
    repeats : int, default 100,000
        Simulations for the limits, at least 1,000. 100,000 puts the Monte Carlo error
        of a 95% limit well below the precision limits are reported to.
    seed : int or numpy.random.Generator, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives identical output. Each
        group is simulated from a fresh generator with this seed, so a group's result does
        not depend on the other groups in the table. A Generator is used as it is, its
        stream continuing from group to group.
    rii : bool, default True
        Also report the RII.
    group_by : column name or list of names, optional
        One SII per group (e.g. per area or year).

    Returns
    -------
    pandas.DataFrame
        One row per group: the group columns, ``sii``, ``sii_lowercl``, ``sii_uppercl``,
        ``rii``, ``rii_lowercl``, ``rii_uppercl`` (``..._lower95_0cl`` and so on for a pair
        of levels), ``quantiles`` (the number used), ``confidence``, ``statistic`` and
        ``method``. The RII is NaN when the fitted value at the denominator's end is not
        above zero, and its limits are NaN when that happens in any simulation (then
        report the SII alone).

    Raises
    ------
    ValueError
        Fewer than 5 quantiles in a group, a repeated or missing quantile, a missing or
        non-positive population, limits that do not enclose the value, values outside what
        ``value_type`` allows, or bad arguments.

    Examples
    --------
    Rates exactly on a line, 10 + 20 x (x = 0.1, 0.3, ..., 0.9 for equal populations):

    >>> table = pd.DataFrame({
    ...     "quintile": [1, 2, 3, 4, 5],
    ...     "people": [1000] * 5,
    ...     "rate": [12.0, 16.0, 20.0, 24.0, 28.0],
    ... })
    >>> table["low"], table["high"] = table["rate"] * 0.8, table["rate"] * 1.2
    >>> result = sii(table, "quintile", "people", "rate", "low", "high", repeats=10_000)
    >>> result[["sii", "rii", "quantiles"]].round(6)
        sii  rii  quantiles
    0  20.0  3.0          5
    >>> result[["sii_lowercl", "sii_uppercl"]].round(1)
       sii_lowercl  sii_uppercl
    0         13.5         27.3
    >>> for part in result.loc[0, "method"].split("; "):
    ...     print(part)
    Weighted least squares on population-share mid-points (Low & Low 2004)
    limits from 10000 simulations on the log scale
    """
    levels = confidence_levels(confidence)
    limits_level = confidence_level(limits_confidence, "limits_confidence")
    if value_type not in _SCALES:
        raise ValueError(
            f"value_type: expected 'rate', 'proportion' or 'other', not {value_type!r}"
        )
    scale = _multiplier(multiplier)
    if (
        isinstance(repeats, bool)
        or not isinstance(repeats, int | np.integer)
        or repeats < MINIMUM_REPEATS
    ):
        raise ValueError(f"repeats: expected a whole number of at least 1000, not {repeats!r}")
    if not isinstance(seed, int | np.integer | np.random.Generator) or isinstance(seed, bool):
        raise ValueError(f"seed: expected an integer or a numpy Generator, not {seed!r}")
    require_columns(
        data,
        {
            "quantile": quantile,
            "population": population,
            "value": value,
            "lower": lower,
            "upper": upper,
        },
    )
    keys = group_columns(data, group_by)
    columns = {
        "population": numeric_column(data, population, "population", positive=True),
        "value": numeric_column(data, value, "value", signed=True),
        "lower": numeric_column(data, lower, "lower limit", signed=True),
        "upper": numeric_column(data, upper, "upper limit", signed=True),
    }
    _check_values(data.index, columns, value_type, {"value": value, "lower": lower, "upper": upper})
    missing = data[quantile].isna().to_numpy()
    if missing.any():
        position = int(np.flatnonzero(missing)[0])
        raise ValueError(f"column {quantile!r}: missing quantile at row {data.index[position]!r}")

    frame = pd.DataFrame(columns, index=data.index)
    frame["_quantile"] = data[quantile]
    if keys:
        by = [data[key] for key in keys]
        groups = list(frame.groupby(by, sort=False, dropna=False, observed=True))
    else:
        groups = [((), frame)]

    simulation = _Simulation(
        value_type, z_value(limits_level), levels.column_names(), scale, repeats, rii
    )
    rows = []
    for key, group in groups:
        where = f"group {key if len(key) > 1 else key[0]!r}: " if keys else ""
        row: dict[Hashable, Any] = dict(zip(keys, key, strict=True))
        row.update(simulation.run(group, where, quantile, np.random.default_rng(seed)))
        rows.append(row)
    result = pd.DataFrame(rows)
    result["confidence"] = levels.label
    result["statistic"] = "SII and RII" if rii else "SII"
    result["method"] = (
        "Weighted least squares on population-share mid-points (Low & Low 2004); limits from "
        f"{format_number(repeats)} simulations on the {_SCALES[value_type]} scale"
    )
    return result


def _multiplier(multiplier: float) -> float:
    if isinstance(multiplier, bool) or not isinstance(multiplier, int | float | np.number):
        raise ValueError(f"multiplier: expected a number, not {multiplier!r}")
    if not np.isfinite(multiplier) or multiplier == 0:
        raise ValueError(f"multiplier: must be a finite number other than zero, not {multiplier!r}")
    return float(multiplier)


def _check_values(
    index: pd.Index,
    columns: dict[str, FloatArray],
    value_type: str,
    names: dict[str, Hashable],
) -> None:
    """Refuse limits that do not enclose the value, and values the scale cannot take."""
    value, lower, upper = columns["value"], columns["lower"], columns["upper"]

    def first(mask: np.ndarray) -> int | None:
        return int(np.flatnonzero(mask)[0]) if mask.any() else None

    def where(i: int) -> str:
        return f"at row {index[i]!r}"

    if (i := first(lower > value)) is not None:
        raise ValueError(
            f"column {names['lower']!r}: lower limit {lower[i]:g} {where(i)} is above the "
            f"value {value[i]:g}"
        )
    if (i := first(upper < value)) is not None:
        raise ValueError(
            f"column {names['upper']!r}: upper limit {upper[i]:g} {where(i)} is below the "
            f"value {value[i]:g}"
        )
    if value_type == "rate" and (i := first((value <= 0) | (lower <= 0))) is not None:
        raise ValueError(
            f"column {names['value']!r}: rate {value[i]:g} {where(i)} has lower limit "
            f"{lower[i]:g}; simulating on the log scale needs both above zero (use "
            "value_type='other' for zero rates)"
        )
    if value_type == "proportion":
        if (i := first((value > 1) | (upper > 1))) is not None:
            raise ValueError(
                f"column {names['value']!r}: proportion {value[i]:g} (upper limit "
                f"{upper[i]:g}) {where(i)} is above 1; give proportions on the 0-1 scale and "
                "use multiplier=100 for an SII in percentage points"
            )
        if (i := first((lower <= 0) | (upper >= 1))) is not None:
            raise ValueError(
                f"column {names['value']!r}: proportion {value[i]:g} {where(i)} has limits "
                f"{lower[i]:g} to {upper[i]:g}; the logit scale needs them strictly between 0 "
                "and 1 (use value_type='other')"
            )


@dataclass(frozen=True)
class _Simulation:
    """The settings shared by every group of one :func:`sii` call."""

    value_type: str
    z_limits: float
    names: list[tuple[float, str, str]]
    scale: float
    repeats: int
    with_rii: bool

    def run(
        self, group: pd.DataFrame, where: str, quantile: Hashable, rng: np.random.Generator
    ) -> dict[str, float]:
        """SII, RII and their simulated limits for one group's quantiles."""
        repeated = group["_quantile"].duplicated(keep=False)
        if repeated.any():
            raise ValueError(
                f"{where}column {quantile!r}: quantile "
                f"{group['_quantile'][repeated].iloc[0]!r} appears more than once"
            )
        if len(group) < MINIMUM_QUANTILES:
            raise ValueError(
                f"{where}{len(group)} quantiles; the SII needs at least {MINIMUM_QUANTILES} "
                "(for example deprivation quintiles or deciles)"
            )
        try:
            group = group.sort_values("_quantile", kind="stable")
        except TypeError as problem:
            raise ValueError(f"{where}column {quantile!r}: quantiles cannot be sorted") from problem
        values = group["value"].to_numpy()
        _, c, d = line_weights(group["population"].to_numpy())

        transform, inverse = _TRANSFORMS[self.value_type]
        error = (transform(group["upper"].to_numpy()) - transform(group["lower"].to_numpy())) / (
            2 * self.z_limits
        )
        noise = rng.standard_normal((self.repeats, len(values)))
        draws = inverse(transform(values) + error * noise)
        slopes, intercepts = draws @ c, draws @ d

        slope, intercept = np.array([values @ c]), np.array([values @ d])
        estimates = {"sii": slope * self.scale}
        simulated = {"sii": slopes * self.scale}
        if self.with_rii:
            # NaN in any simulation (a fitted value at or below zero) makes the limits NaN
            estimates["rii"] = _rii(intercept, slope, self.scale)
            simulated["rii"] = _rii(intercepts, slopes, self.scale)
        result: dict[str, float] = {}
        for statistic, estimate in estimates.items():
            result[statistic] = float(estimate[0])
            for level, lower_name, upper_name in self.names:
                tail = (1 - level) / 2
                if np.isnan(estimate[0]):
                    low = high = np.nan
                else:
                    low, high = np.quantile(simulated[statistic], [tail, 1 - tail])
                result[f"{statistic}_{lower_name}"] = float(low)
                result[f"{statistic}_{upper_name}"] = float(high)
        result["quantiles"] = len(values)
        return result


def _rii(intercepts: FloatArray, slopes: FloatArray, scale: float) -> FloatArray:
    """Least over most deprived fitted value (reversed for a negative multiplier).

    NaN where the denominator's fitted value is not above zero.
    """
    most, least = intercepts, intercepts + slopes
    numerator, denominator = (least, most) if scale > 0 else (most, least)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def _identity(values: FloatArray) -> FloatArray:
    return values


_TRANSFORMS: dict[
    str, tuple[Callable[[FloatArray], FloatArray], Callable[[FloatArray], FloatArray]]
] = {
    "rate": (np.log, np.exp),
    "proportion": (special.logit, special.expit),
    "other": (_identity, _identity),
}
