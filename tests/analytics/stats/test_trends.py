"""Tests for vrn.analytics.stats.trends: the monthly count trend and Mann-Kendall."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as scipy_stats
from statsmodels.discrete.diagnostic import PoissonDiagnostic
from statsmodels.discrete.discrete_model import NegativeBinomial

from vrn.analytics.stats.trends import count_trend, overdispersion_test

TEN_PERCENT_A_YEAR = math.log(1.1) / 12


def monthly_means(
    months: int, monthly_slope: float, *, base: float = 50.0, season: float = 0.3
) -> np.ndarray:
    """Expected counts for a series starting in January: trend times an annual cycle."""
    t = np.arange(months)
    calendar_month = t % 12 + 1
    return base * np.exp(monthly_slope * t + season * np.sin(2 * np.pi * calendar_month / 12))


def series(counts: np.ndarray, start: str = "2020-01") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.period_range(start, periods=len(counts), freq="M"),
            "crimes": np.asarray(counts, dtype=np.int64),
        }
    )


# count_trend: planted truth


def test_planted_trend_is_recovered() -> None:
    rng = np.random.default_rng(20240601)
    counts = rng.poisson(monthly_means(60, TEN_PERCENT_A_YEAR))
    result = count_trend(series(counts), "crimes", "month")
    assert result.family == "poisson"
    assert result.months == 60
    assert result.annual_change_lower < 10 < result.annual_change_upper
    assert result.rate_ratio_lower < math.exp(TEN_PERCENT_A_YEAR) < result.rate_ratio_upper
    assert result.p_value < 0.05
    assert result.summary.startswith("Rising by ")
    assert result.summary.endswith("; Poisson, seasonal terms")
    assert 0.7 < result.dispersion < 1.4


def test_annual_change_and_rate_ratio_are_consistent() -> None:
    rng = np.random.default_rng(7)
    result = count_trend(series(rng.poisson(monthly_means(36, 0.01))), "crimes", "month")
    assert result.rate_ratio == pytest.approx(math.exp(result.slope))
    assert result.annual_change == pytest.approx(100 * (math.exp(12 * result.slope) - 1))
    assert result.annual_change_lower == pytest.approx(100 * (result.rate_ratio_lower**12 - 1))
    assert result.annual_change_upper == pytest.approx(100 * (result.rate_ratio_upper**12 - 1))
    z = scipy_stats.norm.ppf(0.975)
    assert math.log(result.rate_ratio_upper) == pytest.approx(
        result.slope + z * result.standard_error
    )


def test_matches_a_direct_poisson_glm() -> None:
    rng = np.random.default_rng(11)
    counts = rng.poisson(monthly_means(30, -0.005))
    result = count_trend(series(counts), "crimes", "month", seasonality=2, family="poisson")
    t = np.arange(30.0)
    angle = 2 * np.pi * (t % 12 + 1) / 12
    design = np.column_stack(
        [np.ones(30), t, np.sin(angle), np.cos(angle), np.sin(2 * angle), np.cos(2 * angle)]
    )
    direct = sm.GLM(counts, design, family=sm.families.Poisson()).fit()
    assert result.slope == pytest.approx(direct.params[1], rel=1e-8)
    assert result.standard_error == pytest.approx(direct.bse[1], rel=1e-8)
    assert result.p_value == pytest.approx(direct.pvalues[1], rel=1e-6)
    assert result.dispersion == pytest.approx(direct.pearson_chi2 / direct.df_resid)
    assert result.harmonics == 2


def test_exposure_makes_it_a_rate_trend() -> None:
    # Counts rise only because the population does: the rate has no trend.
    rng = np.random.default_rng(5)
    population = 100_000 * 1.2 ** (np.arange(48) / 12)
    counts = rng.poisson(monthly_means(48, 0.0) * population / 100_000)
    table = series(counts).assign(people=population)
    as_counts = count_trend(table, "crimes", "month")
    as_rates = count_trend(table, "crimes", "month", exposure="people")
    assert as_counts.family == as_rates.family
    assert as_counts.annual_change_lower > 5
    assert as_rates.annual_change_lower < 0 < as_rates.annual_change_upper
    # a population growing 20% a year moves the count trend by exactly that factor
    assert 1 + as_counts.annual_change / 100 == pytest.approx(
        1.2 * (1 + as_rates.annual_change / 100), rel=1e-6
    )


def test_falling_and_flat_summaries() -> None:
    rng = np.random.default_rng(3)
    falling = count_trend(series(rng.poisson(monthly_means(48, -0.02))), "crimes", "month")
    assert falling.annual_change < 0
    assert falling.summary.startswith("Falling by ")
    magnitudes = sorted([-falling.annual_change_lower, -falling.annual_change_upper])
    assert f"(95% CI {magnitudes[0]:.1f}% to {magnitudes[1]:.1f}%)" in falling.summary
    flat = count_trend(
        series(rng.poisson(monthly_means(24, 0.0))), "crimes", "month", confidence=99
    )
    assert flat.confidence == 0.99
    assert flat.summary.startswith("No significant trend: ")
    assert "(99% CI " in flat.summary


def test_period_formats_and_row_order_do_not_matter() -> None:
    rng = np.random.default_rng(8)
    counts = rng.poisson(monthly_means(24, 0.01))
    periods = series(counts)
    reference = count_trend(periods, "crimes", "month")
    dates = periods.assign(month=periods["month"].dt.to_timestamp() + pd.Timedelta(days=14))
    text = periods.assign(month=periods["month"].astype(str))
    shuffled = periods.sample(frac=1, random_state=1)
    objects = periods.assign(month=periods["month"].astype(object))
    for variant in (dates, text, shuffled, objects):
        assert count_trend(variant, "crimes", "month") == reference
    aware = periods.assign(month=periods["month"].dt.to_timestamp().dt.tz_localize("UTC"))
    assert count_trend(aware, "crimes", "month") == reference


def test_gaps_are_reported_and_the_fit_uses_calendar_time() -> None:
    rng = np.random.default_rng(9)
    table = series(rng.poisson(monthly_means(36, TEN_PERCENT_A_YEAR)))
    gapped = table.drop(index=[5, 6, 20])
    result = count_trend(gapped, "crimes", "month")
    assert result.months == 33
    assert result.missing_months == ("2020-06", "2020-07", "2021-09")
    assert result.first_month == "2020-01" and result.last_month == "2022-12"
    assert result.summary.endswith("; 3 months missing")
    # the same as fitting on the months that exist, with time in calendar months
    t = np.delete(np.arange(36.0), [5, 6, 20])
    angle = 2 * np.pi * (t % 12 + 1) / 12
    design = np.column_stack([np.ones(len(t)), t, np.sin(angle), np.cos(angle)])
    direct = sm.GLM(gapped["crimes"].to_numpy(), design, family=sm.families.Poisson()).fit()
    assert result.slope == pytest.approx(direct.params[1], rel=1e-8)


def test_no_seasonal_terms() -> None:
    rng = np.random.default_rng(2)
    result = count_trend(
        series(rng.poisson(monthly_means(24, 0.0, season=0.0))),
        "crimes",
        "month",
        seasonality=False,
    )
    assert result.harmonics == 0
    assert "no seasonal terms" in result.summary


# count_trend: overdispersion


def test_overdispersion_test_is_the_dean_score_statistic() -> None:
    rng = np.random.default_rng(4)
    counts = rng.poisson(monthly_means(40, 0.0) * rng.gamma(4, 1 / 4, 40))
    t = np.arange(40.0)
    design = np.column_stack([np.ones(40), t])
    fit = sm.GLM(counts, design, family=sm.families.Poisson()).fit()
    frame = PoissonDiagnostic(fit).test_dispersion().summary_frame().set_index("method")
    expected = scipy_stats.norm.sf(frame.loc["Dean B", "statistic"])
    assert overdispersion_test(counts, fit.fittedvalues) == pytest.approx(expected, rel=1e-9)


def test_negative_binomial_fit_is_the_maximum_likelihood_one() -> None:
    rng = np.random.default_rng(12)
    counts = rng.poisson(monthly_means(60, TEN_PERCENT_A_YEAR) * rng.gamma(5, 1 / 5, 60))
    result = count_trend(series(counts), "crimes", "month")
    assert result.family == "negative_binomial"
    assert result.dispersion > 2
    assert result.overdispersion_p_value < 0.05
    assert "negative binomial" in result.summary
    t = np.arange(60.0)
    angle = 2 * np.pi * (t % 12 + 1) / 12
    design = np.column_stack([np.ones(60), t - t.mean(), np.sin(angle), np.cos(angle)])
    poisson = sm.GLM(counts, design, family=sm.families.Poisson()).fit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = NegativeBinomial(counts, design, loglike_method="nb2").fit(
            start_params=np.append(poisson.params, 0.1), method="newton", disp=0
        )
    assert result.slope == pytest.approx(direct.params[1], rel=1e-4)
    assert result.alpha == pytest.approx(direct.params[-1], rel=1e-3)
    assert result.standard_error == pytest.approx(direct.bse[1], rel=0.1)


def test_forced_negative_binomial_on_poisson_counts_is_close_to_poisson() -> None:
    rng = np.random.default_rng(13)
    table = series(rng.poisson(monthly_means(36, 0.01)))
    poisson = count_trend(table, "crimes", "month", family="poisson")
    negative_binomial = count_trend(table, "crimes", "month", family="negative_binomial")
    assert negative_binomial.family == "negative_binomial"
    assert negative_binomial.alpha is not None and negative_binomial.alpha < 0.01
    assert negative_binomial.slope == pytest.approx(poisson.slope, rel=1e-2)
    assert poisson.alpha is None


# count_trend: behaviour over many simulated series


def test_no_trend_gives_uniform_p_values() -> None:
    rng = np.random.default_rng(20240602)
    means = monthly_means(60, 0.0)
    p_values = np.array(
        [count_trend(series(rng.poisson(means)), "crimes", "month").p_value for _ in range(200)]
    )
    rejections = int(np.sum(p_values < 0.05))
    assert scipy_stats.binomtest(rejections, 200, 0.05).pvalue > 0.001
    assert scipy_stats.kstest(p_values, "uniform").pvalue > 0.001


@pytest.mark.slow
def test_overdispersed_counts_select_negative_binomial_and_keep_coverage() -> None:
    rng = np.random.default_rng(20240603)
    means = monthly_means(60, TEN_PERCENT_A_YEAR)
    truth = 10.0
    chosen, covered_auto, covered_poisson = 0, 0, 0
    runs = 200
    for _ in range(runs):
        table = series(rng.poisson(means * rng.gamma(5, 1 / 5, 60)))
        auto = count_trend(table, "crimes", "month")
        poisson = count_trend(table, "crimes", "month", family="poisson")
        chosen += auto.family == "negative_binomial"
        covered_auto += auto.annual_change_lower < truth < auto.annual_change_upper
        covered_poisson += poisson.annual_change_lower < truth < poisson.annual_change_upper
    assert chosen >= 0.95 * runs
    # nominal 95%: within binomial tolerance of it, and far better than Poisson's
    assert scipy_stats.binomtest(covered_auto, runs, 0.95).pvalue > 0.001
    assert covered_poisson < covered_auto - 0.2 * runs


# count_trend: bad input


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.assign(crimes=t["crimes"].astype(float).mask(t.index == 3)), "missing count"),
        (lambda t: t.assign(crimes=t["crimes"].mask(t.index == 3, -1)), "zero or more"),
        (lambda t: t.assign(crimes=t["crimes"] + 0.5), "not a whole number"),
        (lambda t: t.assign(crimes=0), "every count is zero"),
        (lambda t: t.head(11), "at least 12 months.*mann_kendall"),
        (
            lambda t: t.assign(month=t["month"].mask(t.index == 4, t["month"][3])),
            r"month 2020-04 appears 2 times \(rows 3, 4\)",
        ),
        (
            lambda t: t.assign(month=t["month"].dt.to_timestamp() + pd.Timedelta(days=20)).iloc[
                [0, 0, *range(1, 24)]
            ],
            "appears 2 times",
        ),
        (lambda t: t.assign(month=t["month"].astype(object).mask(t.index == 2)), "missing month"),
        (lambda t: t.assign(month=range(24)), "not numbers"),
        (lambda t: t.assign(month=t["month"].astype(str).mask(t.index == 2, "soon")), "'soon'"),
        (
            lambda t: t.assign(month=pd.period_range("2020Q1", periods=24, freq="Q")),
            "expected monthly periods",
        ),
        (
            lambda t: t.assign(month=[pd.Period("2020Q1"), *t["month"][1:]]),
            "spans more than one month",
        ),
    ],
)
def test_bad_series_are_refused(change: object, message: str) -> None:
    rng = np.random.default_rng(1)
    table = series(rng.poisson(monthly_means(24, 0.0)))
    with pytest.raises(ValueError, match=message):
        count_trend(change(table), "crimes", "month")  # type: ignore[operator]


def test_bad_arguments_are_refused() -> None:
    table = series(np.random.default_rng(1).poisson(monthly_means(24, 0.0)))
    with pytest.raises(ValueError, match="family"):
        count_trend(table, "crimes", "month", family="gaussian")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seasonality"):
        count_trend(table, "crimes", "month", seasonality=3)
    with pytest.raises(ValueError, match="confidence"):
        count_trend(table, "crimes", "month", confidence=0.5)
    with pytest.raises(ValueError, match="'offences' is not in the data"):
        count_trend(table, "offences", "month")
    with pytest.raises(ValueError, match="greater than zero"):
        count_trend(table.assign(people=0), "crimes", "month", exposure="people")


def test_a_series_with_events_only_in_its_last_month_is_refused() -> None:
    # the likelihood keeps rising as the slope grows: there is no estimate
    counts = np.r_[np.zeros(23), 5]
    with pytest.raises(ValueError, match="could not be fitted"):
        count_trend(series(counts), "crimes", "month", seasonality=False)


@pytest.mark.parametrize("counts", [np.r_[1, np.zeros(11)], np.r_[np.zeros(11), 1]])
def test_a_fit_running_off_to_infinity_is_refused_not_overflowed(counts: np.ndarray) -> None:
    # one event at one end of a year: with seasonality the slope runs off instead of
    # failing to converge
    with pytest.raises(ValueError, match="could not be fitted"):
        count_trend(series(counts), "crimes", "month")
