"""Tests for vrn.analytics.stats.inequality: the slope and relative indices of inequality."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats as scipy_stats

from vrn.analytics.stats.inequality import line_weights, sii
from vrn.analytics.stats.intervals import poisson_interval, wilson_interval

COLUMNS = ("decile", "people", "value", "low", "high")


def on_a_line(
    intercept: float, slope: float, population: np.ndarray, spread: float = 0.1
) -> pd.DataFrame:
    """Deciles whose values lie exactly on ``intercept + slope * x``, shuffled."""
    x, _, _ = line_weights(population)
    values = intercept + slope * x
    table = pd.DataFrame(
        {
            "decile": np.arange(1, len(population) + 1),
            "people": population,
            "value": values,
            "low": values * (1 - spread),
            "high": values * (1 + spread),
        }
    )
    return table.sample(frac=1, random_state=3)


UNEQUAL = np.array(
    [80_000, 95_000, 100_000, 110_000, 90_000, 105_000, 120_000, 99_000, 85_000, 70_000.0]
)


# the point estimates


def test_midpoints_follow_cumulative_population_share() -> None:
    x, _, _ = line_weights(np.array([1.0, 3.0, 2.0, 4.0, 10.0]))
    assert x == pytest.approx([0.025, 0.125, 0.25, 0.4, 0.75])


def test_values_on_a_line_give_the_line() -> None:
    table = on_a_line(30.0, -12.0, UNEQUAL)
    result = sii(table, *COLUMNS, repeats=2_000)
    assert result.loc[0, "sii"] == pytest.approx(-12.0, abs=1e-9)
    assert result.loc[0, "rii"] == pytest.approx((30.0 - 12.0) / 30.0, abs=1e-9)
    assert result.loc[0, "quantiles"] == 10
    assert result.loc[0, "sii_lowercl"] < -12 < result.loc[0, "sii_uppercl"]
    assert result.loc[0, "rii_lowercl"] < 0.6 < result.loc[0, "rii_uppercl"]
    assert list(result.columns) == [
        "sii",
        "sii_lowercl",
        "sii_uppercl",
        "rii",
        "rii_lowercl",
        "rii_uppercl",
        "quantiles",
        "confidence",
        "statistic",
        "method",
    ]
    assert (result.loc[0, "confidence"], result.loc[0, "statistic"]) == ("95%", "SII and RII")
    assert "2000 simulations on the log scale" in result.loc[0, "method"]


positive_populations = arrays(
    np.float64,
    st.integers(min_value=5, max_value=20),
    elements=st.floats(min_value=1.0, max_value=1e6),
)


@settings(max_examples=40, deadline=None)
@given(positive_populations, st.integers(min_value=0, max_value=2**32 - 1))
def test_closed_form_matches_weighted_least_squares(
    population: np.ndarray, value_seed: int
) -> None:
    values = np.random.default_rng(value_seed).uniform(1, 100, len(population))
    x, c, d = line_weights(population)
    shares = population / population.sum()
    wls = sm.WLS(values, sm.add_constant(x), weights=shares).fit()
    slope, intercept = np.polyfit(x, values, 1, w=np.sqrt(shares))
    assert values @ c == pytest.approx(wls.params[1], rel=1e-7, abs=1e-7)
    assert values @ d == pytest.approx(wls.params[0], rel=1e-7, abs=1e-7)
    assert values @ c == pytest.approx(slope, rel=1e-7, abs=1e-7)
    assert values @ d == pytest.approx(intercept, rel=1e-7, abs=1e-7)
    # the same line as regressing value*sqrt(a) on sqrt(a) and x*sqrt(a) without intercept
    root = np.sqrt(shares)
    transformed, *_ = np.linalg.lstsq(np.column_stack([root, x * root]), values * root)
    assert values @ c == pytest.approx(transformed[1], rel=1e-7, abs=1e-7)


def test_sii_through_the_public_function_matches_wls() -> None:
    rng = np.random.default_rng(4)
    values = rng.uniform(20, 80, 10)
    table = pd.DataFrame(
        {
            "decile": range(1, 11),
            "people": UNEQUAL,
            "value": values,
            "low": values * 0.9,
            "high": values * 1.1,
        }
    )
    x, _, _ = line_weights(UNEQUAL)
    wls = sm.WLS(values, sm.add_constant(x), weights=UNEQUAL).fit()
    result = sii(table, *COLUMNS, repeats=1_000)
    assert result.loc[0, "sii"] == pytest.approx(wls.params[1], rel=1e-9)
    assert result.loc[0, "rii"] == pytest.approx(
        (wls.params[0] + wls.params[1]) / wls.params[0], rel=1e-9
    )


# polarity and scaling


def test_negative_multiplier_reverses_sii_and_inverts_rii() -> None:
    table = on_a_line(30.0, -12.0, UNEQUAL)
    forward = sii(table, *COLUMNS, repeats=5_000, seed=1)
    reverse = sii(table, *COLUMNS, repeats=5_000, seed=1, multiplier=-1)
    assert reverse.loc[0, "sii"] == pytest.approx(12.0)
    assert reverse.loc[0, "sii_lowercl"] == pytest.approx(-forward.loc[0, "sii_uppercl"])
    assert reverse.loc[0, "sii_uppercl"] == pytest.approx(-forward.loc[0, "sii_lowercl"])
    assert reverse.loc[0, "rii"] == pytest.approx(1 / forward.loc[0, "rii"])
    # percentiles of 1/RII are 1/percentiles of RII only up to interpolation between draws
    assert reverse.loc[0, "rii_lowercl"] == pytest.approx(1 / forward.loc[0, "rii_uppercl"], 1e-3)
    assert reverse.loc[0, "rii_uppercl"] == pytest.approx(1 / forward.loc[0, "rii_lowercl"], 1e-3)
    scaled = sii(table, *COLUMNS, repeats=5_000, seed=1, multiplier=-100)
    assert scaled.loc[0, "sii"] == pytest.approx(1200.0)
    assert scaled.loc[0, "sii_lowercl"] == pytest.approx(100 * reverse.loc[0, "sii_lowercl"])
    assert scaled.loc[0, "rii"] == pytest.approx(reverse.loc[0, "rii"])


def test_proportions_and_other_values() -> None:
    population = np.full(5, 2_000.0)
    x, _, _ = line_weights(population)
    values = 0.30 - 0.10 * x
    table = pd.DataFrame({"decile": range(1, 6), "people": population, "value": values})
    table["low"], table["high"] = wilson_interval(values * population, population)
    result = sii(table, *COLUMNS, value_type="proportion", multiplier=100, repeats=5_000)
    assert result.loc[0, "sii"] == pytest.approx(-10.0)
    assert result.loc[0, "sii_lowercl"] < -10 < result.loc[0, "sii_uppercl"]
    assert "logit scale" in result.loc[0, "method"]
    signed = table.assign(value=values - 0.2, low=table["low"] - 0.2, high=table["high"] - 0.2)
    other = sii(signed, *COLUMNS, value_type="other", repeats=5_000, rii=False)
    assert other.loc[0, "sii"] == pytest.approx(-0.1)
    assert "rii" not in other.columns
    assert other.loc[0, "statistic"] == "SII"
    assert "linear scale" in other.loc[0, "method"]


def test_rii_is_missing_when_the_most_deprived_fitted_value_is_not_positive() -> None:
    population = np.full(5, 100.0)
    x, _, _ = line_weights(population)
    values = -1.0 + 10 * x  # fitted value at x = 0 is -1
    table = pd.DataFrame(
        {
            "decile": range(1, 6),
            "people": population,
            "value": values,
            "low": values - 1,
            "high": values + 1,
        }
    )
    result = sii(table, *COLUMNS, value_type="other", repeats=1_000)
    assert result.loc[0, "sii"] == pytest.approx(10.0)
    assert np.isnan(result.loc[0, ["rii", "rii_lowercl", "rii_uppercl"]].astype(float)).all()


# the simulated limits


def test_same_seed_same_output_different_seed_different() -> None:
    table = on_a_line(50.0, -20.0, UNEQUAL, spread=0.2)
    first = sii(table, *COLUMNS, repeats=5_000, seed=42)
    again = sii(table, *COLUMNS, repeats=5_000, seed=42)
    other = sii(table, *COLUMNS, repeats=5_000, seed=43)
    pd.testing.assert_frame_equal(first, again)
    assert first.loc[0, "sii_lowercl"] != other.loc[0, "sii_lowercl"]
    assert first.loc[0, "sii"] == other.loc[0, "sii"]
    from_generator = sii(table, *COLUMNS, repeats=5_000, seed=np.random.default_rng(42))
    pd.testing.assert_frame_equal(first, from_generator)


def test_limits_match_the_standard_error_of_a_linear_combination() -> None:
    # on the linear scale the simulated SII is normal with variance sum(c^2 se^2)
    table = on_a_line(50.0, -20.0, UNEQUAL)
    table["high"] = table["value"] + 3.0
    table["low"] = table["value"] - 3.0
    result = sii(table, *COLUMNS, value_type="other", repeats=200_000, seed=5)
    _, c, _ = line_weights(UNEQUAL)
    standard_error = np.sqrt(np.sum(c**2 * (3.0 / scipy_stats.norm.ppf(0.975)) ** 2))
    z = scipy_stats.norm.ppf(0.975)
    assert result.loc[0, "sii_lowercl"] == pytest.approx(-20 - z * standard_error, rel=0.01)
    assert result.loc[0, "sii_uppercl"] == pytest.approx(-20 + z * standard_error, rel=0.01)


def test_simulated_deciles_from_a_known_gradient_cover_the_truth() -> None:
    # rates per 1,000 falling from 12 to 4 across deciles; counts are Poisson
    rng = np.random.default_rng(20240604)
    population = np.full(10, 8_000.0)
    x, _, _ = line_weights(population)
    true_intercept, true_slope = 12.0, -8.0
    rates = true_intercept + true_slope * x
    true_rii = (true_intercept + true_slope) / true_intercept
    runs, covered_sii, covered_rii = 400, 0, 0
    for run in range(runs):
        counts = rng.poisson(rates * population / 1_000)
        low, high = poisson_interval(counts)
        table = pd.DataFrame(
            {
                "decile": range(1, 11),
                "people": population,
                "value": counts / population * 1_000,
                "low": low / population * 1_000,
                "high": high / population * 1_000,
            }
        )
        result = sii(table, *COLUMNS, repeats=2_000, seed=run)
        covered_sii += result.loc[0, "sii_lowercl"] < true_slope < result.loc[0, "sii_uppercl"]
        covered_rii += result.loc[0, "rii_lowercl"] < true_rii < result.loc[0, "rii_uppercl"]
    for covered in (covered_sii, covered_rii):
        assert scipy_stats.binomtest(covered, runs, 0.95).pvalue > 0.001


def test_a_pair_of_confidence_levels() -> None:
    table = on_a_line(50.0, -20.0, UNEQUAL)
    result = sii(table, *COLUMNS, confidence=(95, 99.8), repeats=20_000)
    assert result.loc[0, "confidence"] == "95%, 99.8%"
    assert (
        result.loc[0, "sii_lower99_8cl"]
        < result.loc[0, "sii_lower95_0cl"]
        < result.loc[0, "sii"]
        < result.loc[0, "sii_upper95_0cl"]
        < result.loc[0, "sii_upper99_8cl"]
    )
    assert result.loc[0, "rii_lower99_8cl"] < result.loc[0, "rii_lower95_0cl"]


def test_limits_confidence_sets_the_width_of_the_input_limits() -> None:
    table = on_a_line(50.0, -20.0, UNEQUAL, spread=0.2)
    as_95 = sii(table, *COLUMNS, repeats=20_000)
    as_99 = sii(table, *COLUMNS, repeats=20_000, limits_confidence=0.99)
    width_95 = as_95.loc[0, "sii_uppercl"] - as_95.loc[0, "sii_lowercl"]
    width_99 = as_99.loc[0, "sii_uppercl"] - as_99.loc[0, "sii_lowercl"]
    assert width_99 < width_95


# groups


def test_groups_are_independent_of_each_other() -> None:
    north = on_a_line(40.0, -10.0, UNEQUAL).assign(area="North", year=2024)
    south = on_a_line(20.0, 5.0, UNEQUAL[:5]).assign(area="South", year=2024)
    south = south.assign(decile=south["decile"] * 2)  # quintiles numbered 2, 4, ... 10
    both = pd.concat([north, south], ignore_index=True)
    result = sii(both, *COLUMNS, repeats=2_000, group_by=["area", "year"])
    assert list(result[["area", "year", "quantiles"]].itertuples(index=False, name=None)) == [
        ("North", 2024, 10),
        ("South", 2024, 5),
    ]
    assert result.loc[0, "sii"] == pytest.approx(-10.0)
    assert result.loc[1, "sii"] == pytest.approx(5.0)
    alone = sii(south, *COLUMNS, repeats=2_000)
    assert result.loc[1, "sii_lowercl"] == alone.loc[0, "sii_lowercl"]
    single_key = sii(both, *COLUMNS, repeats=2_000, group_by="area")
    assert list(single_key["area"]) == ["North", "South"]


# bad input


def base_table() -> pd.DataFrame:
    return on_a_line(30.0, -12.0, UNEQUAL).sort_values("decile").reset_index(drop=True)


@pytest.mark.parametrize(
    ("change", "arguments", "message"),
    [
        (lambda t: t.head(4), {}, "4 quantiles; the SII needs at least 5"),
        (lambda t: t.assign(people=t["people"].mask(t.index == 2)), {}, "missing population"),
        (lambda t: t.assign(people=t["people"].mask(t.index == 2, 0)), {}, "greater than zero"),
        (lambda t: t.assign(people=t["people"].mask(t.index == 2, -5)), {}, "greater than zero"),
        (lambda t: t.assign(value=t["value"].mask(t.index == 1)), {}, "missing value"),
        (lambda t: t.assign(low=t["high"]), {}, "lower limit .* is above the value"),
        (lambda t: t.assign(high=t["low"]), {}, "upper limit .* is below the value"),
        (lambda t: t.assign(decile=t["decile"].mask(t.index == 3, 1)), {}, "appears more"),
        (lambda t: t.assign(decile=t["decile"].mask(t.index == 3)), {}, "missing quantile"),
        (
            lambda t: t.assign(value=t["value"].mask(t.index == 0, 0.0), low=0.0),
            {},
            "simulating on the log scale needs both above zero",
        ),
        (lambda t: t, {"value_type": "proportion"}, "above 1; give proportions on the 0-1"),
        (
            lambda t: t.assign(value=0.5, low=0.0, high=0.9),
            {"value_type": "proportion"},
            "strictly between 0 and 1",
        ),
        (lambda t: t, {"value_type": "ratio"}, "value_type"),
        (lambda t: t, {"multiplier": 0}, "multiplier"),
        (lambda t: t, {"repeats": 10}, "repeats"),
        (lambda t: t, {"repeats": 5000.0}, "repeats"),
        (lambda t: t, {"seed": "abc"}, "seed"),
        (lambda t: t, {"confidence": 0.5}, "confidence"),
        (lambda t: t, {"limits_confidence": 5}, "limits_confidence"),
        (lambda t: t, {"group_by": "region"}, "'region' is not in the data"),
        (
            lambda t: t.assign(decile=[1, "2", 3, 4, 5, 6, 7, 8, 9, 10]),
            {},
            "cannot be sorted",
        ),
    ],
)
def test_bad_input_is_refused(change: object, arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sii(change(base_table()), *COLUMNS, **{"repeats": 1_000, **arguments})  # type: ignore[operator, arg-type]


def test_a_short_group_is_named() -> None:
    table = pd.concat(
        [base_table().assign(area="A"), base_table().head(3).assign(area="B")],
        ignore_index=True,
    )
    with pytest.raises(ValueError, match="group 'B': 3 quantiles"):
        sii(table, *COLUMNS, repeats=1_000, group_by="area")
