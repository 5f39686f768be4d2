"""Change over time: a regression trend for a monthly series of counts.

:func:`count_trend` fits a log-linear model to a monthly series of counts (Poisson, or
negative binomial when the counts are overdispersed) with Fourier terms for the season,
and reports the change as a percentage a year. For short series use
:func:`~vrn.analytics.stats.mann_kendall`.

docs/statistics/trends.md explains the methods, their references and when to use which.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from numpy.typing import ArrayLike
from scipy import optimize
from scipy import stats as scipy_stats

from vrn.analytics.stats._checks import (
    FloatArray,
    confidence_level,
    numeric_column,
    require_columns,
    z_value,
)
from vrn.analytics.stats._frames import format_p_value, percent_text

Family = Literal["auto", "poisson", "negative_binomial"]

#: Fewest months :func:`count_trend` accepts; shorter series need :func:`mann_kendall`.
MINIMUM_MONTHS = 12

#: Most pairs of Fourier terms (harmonics of the year) :func:`count_trend` fits.
MAXIMUM_HARMONICS = 2

#: ``family="auto"`` switches to negative binomial when the one-sided score test for
#: overdispersion (:func:`overdispersion_test`) has a p-value below this.
OVERDISPERSION_LEVEL = 0.05

#: Search range for the negative binomial dispersion ``alpha`` (variance mu + alpha mu^2).
_ALPHA_BOUNDS = (1e-8, 100.0)


_FAMILY_LABELS = {"poisson": "Poisson", "negative_binomial": "negative binomial"}


@dataclass(frozen=True)
class CountTrend:
    """The result of :func:`count_trend`.

    Attributes
    ----------
    annual_change, annual_change_lower, annual_change_upper : float
        Percentage change a year, ``100 * (exp(12 b) - 1)``, and its confidence limits.
    rate_ratio, rate_ratio_lower, rate_ratio_upper : float
        Ratio of one month's expected count (or rate) to the month before's,
        ``exp(b)``, with its limits.
    slope, standard_error : float
        ``b`` (log rate ratio per month) and its standard error.
    p_value : float
        Two-sided Wald test of ``b = 0``.
    family : str
        ``"poisson"`` or ``"negative_binomial"``: the model actually fitted.
    dispersion : float
        Pearson chi-square over residual degrees of freedom of the Poisson fit (about 1
        when the Poisson variance holds, well above 1 when the counts are overdispersed).
    overdispersion_p_value : float
        One-sided score test of Poisson against negative binomial variance
        (:func:`overdispersion_test`).
    alpha : float or None
        Negative binomial dispersion (variance ``mu + alpha mu^2``); None for Poisson.
    months : int
        Months in the series (rows used).
    first_month, last_month : str
        ``"YYYY-MM"``.
    missing_months : tuple of str
        Months between the first and the last that have no row.
    harmonics : int
        Pairs of seasonal Fourier terms fitted (0 for none).
    confidence : float
        Confidence level of the limits, 0-1.
    """

    annual_change: float
    annual_change_lower: float
    annual_change_upper: float
    rate_ratio: float
    rate_ratio_lower: float
    rate_ratio_upper: float
    slope: float
    standard_error: float
    p_value: float
    family: str
    dispersion: float
    overdispersion_p_value: float
    alpha: float | None
    months: int
    first_month: str
    last_month: str
    missing_months: tuple[str, ...]
    harmonics: int
    confidence: float

    @property
    def significant(self) -> bool:
        """Whether the confidence interval for the change excludes zero."""
        return self.p_value < 1 - self.confidence

    @property
    def summary(self) -> str:
        """One line of plain English, such as ``"Rising by 6.1% a year (95% CI ...)"``."""
        level = f"{percent_text(self.confidence)}% CI"
        if self.significant:
            verb = "Rising" if self.annual_change > 0 else "Falling"
            limits = sorted(
                (abs(self.annual_change_lower), abs(self.annual_change_upper)),
            )
            text = (
                f"{verb} by {abs(self.annual_change):.1f}% a year "
                f"({level} {limits[0]:.1f}% to {limits[1]:.1f}%)"
            )
        else:
            text = (
                f"No significant trend: {self.annual_change:+.1f}% a year "
                f"({level} {self.annual_change_lower:+.1f}% to {self.annual_change_upper:+.1f}%)"
            )
        seasonal = "seasonal terms" if self.harmonics else "no seasonal terms"
        text += f", {format_p_value(self.p_value)}; {_FAMILY_LABELS[self.family]}, {seasonal}"
        gaps = len(self.missing_months)
        if gaps:
            text += f"; {gaps} month{'s' if gaps > 1 else ''} missing"
        return text


def count_trend(
    data: pd.DataFrame,
    count: Hashable,
    period: Hashable,
    exposure: Hashable | None = None,
    *,
    seasonality: bool | int = True,
    family: Family = "auto",
    confidence: float = 0.95,
) -> CountTrend:
    """The trend in a monthly series of counts, as a percentage change a year.

    Fits a generalised linear model with a log link::

        log E[count] = log(exposure) + a + b t + sum_k (c_k sin(2 pi k m / 12)
                                                        + d_k cos(2 pi k m / 12))

    where ``t`` counts months from the start of the series and ``m`` is the calendar month
    (1-12). The Fourier pairs model a smooth seasonal cycle with 2 parameters each, where 11
    month dummies would use up a short series. The annual change is
    ``100 * (exp(12 b) - 1)`` with Wald limits.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per month; the order of the rows does not matter.
    count : column name
        Whole-number counts, zero or more (not all zero).
    period : column name
        The month of each row: dates (any day of the month names that month), monthly
        ``Period`` values or ``"YYYY-MM"`` text. Months must be unique; gaps are allowed
        and reported in ``missing_months``.
    exposure : column name, optional
        Population at risk (or days in the month) for each month, greater than zero. The
        trend is then in the rate; without it, in the count.
    seasonality : bool or int, default True
        Number of Fourier pairs: True or 1 for one (an annual cycle), 2 to add the
        half-year harmonic, False or 0 for none.
    family : {"auto", "poisson", "negative_binomial"}, default "auto"
        ``"auto"`` fits Poisson, then switches to negative binomial if the one-sided
        score test for overdispersion (:func:`overdispersion_test`) has p < 0.05. The
        negative binomial (NB2, variance ``mu + alpha mu^2``) is fitted by maximum
        likelihood with ``alpha`` maximising the profile likelihood; its limits and
        p-value use Student's t on the residual degrees of freedom.
    confidence : float, default 0.95
        Confidence level (95 is read as 0.95).

    Returns
    -------
    CountTrend
        Its ``summary`` is one line of plain English.

    Raises
    ------
    ValueError
        Fewer than 12 months (use :func:`mann_kendall`), repeated months, missing or
        negative counts, non-positive exposure, or a model that cannot be fitted.

    Examples
    --------
    >>> counts = [29, 48, 35, 50, 62, 58, 61, 56, 62, 48, 58, 44,
    ...           41, 39, 45, 60, 69, 70, 66, 77, 72, 57, 56, 57,
    ...           48, 51, 45, 65, 80, 81, 80, 53, 54, 55, 46, 52]
    >>> table = pd.DataFrame({"month": pd.period_range("2022-01", periods=36, freq="M"),
    ...                       "crimes": counts})
    >>> result = count_trend(table, "crimes", "month")
    >>> print(result.summary)
    Rising by 8.7% a year (95% CI 3.1% to 14.5%), p = 0.002; Poisson, seasonal terms
    >>> result.months, result.family, round(result.rate_ratio, 4), round(result.dispersion, 2)
    (36, 'poisson', 1.007, 1.08)
    """
    level = confidence_level(confidence)
    harmonics = _harmonics(seasonality)
    if family not in ("auto", "poisson", "negative_binomial"):
        raise ValueError(
            f"family: expected 'auto', 'poisson' or 'negative_binomial', not {family!r}"
        )
    require_columns(data, {"count": count, "period": period, "exposure": exposure})
    months = _months(data, period)
    counts = numeric_column(data, count, "count")
    fractional = counts != np.round(counts)
    if fractional.any():
        position = int(np.flatnonzero(fractional)[0])
        raise ValueError(
            f"column {count!r}: count {counts[position]:g} at row {data.index[position]!r} "
            "is not a whole number"
        )
    offset = (
        np.zeros(len(counts))
        if exposure is None
        else np.log(numeric_column(data, exposure, "exposure", positive=True))
    )
    if len(counts) < MINIMUM_MONTHS:
        raise ValueError(
            f"data: {len(counts)} months is too short for a regression trend; give at least "
            f"{MINIMUM_MONTHS} months, or use mann_kendall for a short series"
        )
    if not counts.any():
        raise ValueError(f"column {count!r}: every count is zero, so there is no trend to fit")

    order = np.argsort(months.asi8, kind="stable")
    months, counts, offset = months[order], counts[order], offset[order]
    design = _design(months, harmonics)

    poisson = _fit(counts, design, offset, sm.families.Poisson())
    mu = np.asarray(poisson.fittedvalues, dtype=np.float64)
    dispersion = float(poisson.pearson_chi2 / poisson.df_resid)
    overdispersion_p = overdispersion_test(counts, mu)
    chosen = family
    if family == "auto":
        chosen = "negative_binomial" if overdispersion_p < OVERDISPERSION_LEVEL else "poisson"

    if chosen == "poisson":
        slope, error = float(poisson.params[1]), float(poisson.bse[1])
        critical = z_value(level)
        p_value = float(2 * scipy_stats.norm.sf(abs(slope / error)))
        alpha: float | None = None
    else:
        negative_binomial, alpha = _fit_negative_binomial(counts, design, offset, poisson.params)
        slope, error = float(negative_binomial.params[1]), float(negative_binomial.bse[1])
        degrees = len(counts) - design.shape[1] - 1
        critical = float(scipy_stats.t.ppf(0.5 + level / 2, degrees))
        p_value = float(2 * scipy_stats.t.sf(abs(slope / error), degrees))

    lower, upper = slope - critical * error, slope + critical * error
    full = pd.period_range(months[0], months[-1], freq="M")
    missing = tuple(str(month) for month in full.difference(months))
    return CountTrend(
        annual_change=_annual(slope),
        annual_change_lower=_annual(lower),
        annual_change_upper=_annual(upper),
        rate_ratio=_exp(slope),
        rate_ratio_lower=_exp(lower),
        rate_ratio_upper=_exp(upper),
        slope=slope,
        standard_error=error,
        p_value=p_value,
        family=chosen,
        dispersion=dispersion,
        overdispersion_p_value=overdispersion_p,
        alpha=alpha,
        months=len(counts),
        first_month=str(months[0]),
        last_month=str(months[-1]),
        missing_months=missing,
        harmonics=harmonics,
        confidence=level,
    )


def overdispersion_test(counts: ArrayLike, fitted: ArrayLike) -> float:
    """One-sided p-value of the score test of Poisson against negative binomial variance.

    The Lagrange multiplier test of ``alpha = 0`` in the NB2 variance ``mu + alpha mu^2``
    (Dean and Lawless 1989; Cameron and Trivedi 2013, chapter 3), from the Poisson
    fitted values ``mu`` alone::

        T = sum((y - mu)^2 - y) / sqrt(2 sum(mu^2))

    referred to the standard normal; a large ``T`` means overdispersion. It needs no
    negative binomial fit, and in series of 12 to 60 months it keeps below its nominal
    size under Poisson counts.

    Examples
    --------
    Counts that vary far more than Poisson counts with the same mean, and counts that
    vary less:

    >>> round(overdispersion_test([2, 9, 1, 12, 0, 15, 3, 6], np.full(8, 6.0)), 6)
    0.0
    >>> round(overdispersion_test([4, 6, 5, 5, 4, 6], np.full(6, 5.0)), 4)
    0.9333
    """
    y = np.asarray(counts, dtype=np.float64)
    mu = np.asarray(fitted, dtype=np.float64)
    statistic = float(np.sum((y - mu) ** 2 - y) / math.sqrt(2 * float(mu @ mu)))
    return float(scipy_stats.norm.sf(statistic))


def _exp(value: float) -> float:
    try:
        return math.exp(value)
    except OverflowError:
        return math.inf


def _annual(slope: float) -> float:
    """The percentage change a year of a monthly log-linear slope (infinite where a
    degenerate fit, such as one event then none, gives a slope too steep to represent)."""
    try:
        return 100 * math.expm1(12 * slope)
    except OverflowError:
        return math.inf


def _harmonics(seasonality: bool | int) -> int:
    if isinstance(seasonality, bool):
        return int(seasonality)
    if isinstance(seasonality, int | np.integer) and 0 <= seasonality <= MAXIMUM_HARMONICS:
        return int(seasonality)
    raise ValueError(
        f"seasonality: expected True, False or a number of Fourier pairs from 0 to "
        f"{MAXIMUM_HARMONICS}, not {seasonality!r}"
    )


def _months(data: pd.DataFrame, column: Hashable) -> pd.PeriodIndex:
    """The ``period`` column as unique monthly periods, in row order."""
    values = data[column]
    missing = values.isna().to_numpy()
    if missing.any():
        position = int(np.flatnonzero(missing)[0])
        raise ValueError(f"column {column!r}: missing month at row {data.index[position]!r}")
    if isinstance(values.dtype, pd.PeriodDtype):
        if values.dtype.freq != pd.offsets.MonthEnd():
            raise ValueError(
                f"column {column!r}: periods of frequency {values.dtype.freq.name!r}; "
                "expected monthly periods"
            )
        months = pd.PeriodIndex(values)
    elif pd.api.types.is_datetime64_any_dtype(values):
        dates = values.dt.tz_localize(None) if values.dt.tz is not None else values
        months = pd.PeriodIndex(dates.dt.to_period("M"))
    elif pd.api.types.is_numeric_dtype(values):
        raise ValueError(
            f"column {column!r}: months must be dates, monthly periods or 'YYYY-MM' text, "
            f"not numbers ({values.dtype})"
        )
    else:
        months = pd.PeriodIndex(
            [_month(item, column, label) for item, label in zip(values, data.index, strict=True)]
        )
    repeated = months.duplicated(keep=False)
    if repeated.any():
        month = months[repeated][0]
        rows = [repr(label) for label in data.index[months == month]]
        raise ValueError(
            f"column {column!r}: month {month} appears {len(rows)} times (rows "
            f"{', '.join(rows)}); give one row per month"
        )
    return months


def _month(item: Any, column: Hashable, label: Hashable) -> pd.Period:
    problem = f"column {column!r}: {item!r} at row {label!r} is not a month"
    if isinstance(item, bool | int | float | np.number):
        raise ValueError(f"{problem} (use dates, monthly periods or 'YYYY-MM' text)")
    if isinstance(item, pd.Period) and item.start_time.to_period("M") != item.end_time.to_period(
        "M"
    ):
        raise ValueError(f"{problem}: the period spans more than one month")
    try:
        return pd.Period(item, freq="M")
    except (ValueError, TypeError) as error:
        raise ValueError(f"{problem} (use dates, monthly periods or 'YYYY-MM' text)") from error


def _design(months: pd.PeriodIndex, harmonics: int) -> FloatArray:
    """Columns: constant, months since the start (centred), then sin/cos pairs."""
    t = (months.asi8 - months.asi8[0]).astype(np.float64)
    angle = 2 * np.pi * np.asarray(months.month, dtype=np.float64) / 12
    columns = [np.ones(len(t)), t - t.mean()]
    for k in range(1, harmonics + 1):
        columns += [np.sin(k * angle), np.cos(k * angle)]
    return np.column_stack(columns)


#: The largest monthly slope on the log scale a fit may have (see :func:`_fit`).
MAX_LOG_SLOPE = 3.0


def _fit(counts: FloatArray, design: FloatArray, offset: FloatArray, family: Any, **kw: Any) -> Any:
    """A GLM fit, refusing one that did not converge or has no finite slope error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sm.GLM(counts, design, family=family, offset=offset).fit(**kw)
    # A slope (or its standard error) of more than 3 on the log scale, a 20-fold change a
    # month, is a fit running off to infinity (events only at one end of the series).
    runaway = max(abs(float(result.params[1])), float(result.bse[1])) > MAX_LOG_SLOPE
    if not result.converged or not np.all(np.isfinite(result.bse)) or runaway:
        raise ValueError(
            "data: the trend model could not be fitted to these counts (too few events, or "
            "months of zeros at one end of the series); use mann_kendall instead"
        )
    return result


def _fit_negative_binomial(
    counts: FloatArray, design: FloatArray, offset: FloatArray, start: Any
) -> tuple[Any, float]:
    """NB2 by maximum likelihood: ``alpha`` maximises the profile log-likelihood.

    For each ``alpha`` the coefficients come from the GLM with that fixed dispersion (the
    method of MASS::glm.nb); in NB2 the coefficients and ``alpha`` are orthogonal, so the
    GLM standard errors at the maximum are asymptotically the maximum-likelihood ones.
    """

    def negative_loglikelihood(log_alpha: float) -> float:
        family = sm.families.NegativeBinomial(alpha=math.exp(log_alpha))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = sm.GLM(counts, design, family=family, offset=offset).fit(start_params=start)
        return -float(fitted.llf)

    bounds = (math.log(_ALPHA_BOUNDS[0]), math.log(_ALPHA_BOUNDS[1]))
    search = optimize.minimize_scalar(
        negative_loglikelihood, bounds=bounds, method="bounded", options={"xatol": 1e-5}
    )
    alpha = math.exp(float(search.x))
    family = sm.families.NegativeBinomial(alpha=alpha)
    return _fit(counts, design, offset, family, start_params=start), alpha
