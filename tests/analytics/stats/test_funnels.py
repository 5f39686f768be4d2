"""Funnel plot limits and significance: known values, duality, agreement and planted truth."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from vrn.analytics.stats.funnels import (
    DSR_NOT_APPLICABLE,
    SIGNIFICANCE_CATEGORIES,
    funnel_limits,
    funnel_significance,
)
from vrn.analytics.stats.intervals import wilson_interval

Z_95, Z_998 = 1.959963984540054, 3.090232306167813
#: Byar's lower limit differs from the exact one by up to 1.5% (10 events, 99.8%), and
#: funnel_significance uses Byar's from 10 events while funnel_limits draws exact limits.
BYARS_TOLERANCE = 0.02


@pytest.fixture
def shares() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": list("ABCDEF"),
            "cases": [35, 52, 50, 80, 1, 300],
            "people": [500, 500, 500, 500, 20, 2000],
        }
    )


@pytest.fixture
def observed() -> pd.DataFrame:
    return pd.DataFrame(
        {"area": list("ABCDEF"), "o": [0, 3, 20, 50, 100, 4], "e": [2.5, 1.2, 10, 60, 80, 12]}
    )


@pytest.fixture
def events() -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "area": list("ABCDEFG"),
            "x": [0, 5, 50, 300, 16, 150, 9],
            "n": [1000, 20_000, 30_000, 50_000, 2000, 40_000, 3000],
        }
    )
    table["r"] = table["x"] / table["n"] * 100_000
    return table


class TestProportionLimits:
    def test_known_values(self, shares: pd.DataFrame) -> None:
        p0 = (35 + 52 + 50 + 80 + 1 + 300) / (500 * 4 + 20 + 2000)
        limits = funnel_limits(
            shares, "cases", "people", "proportion", at=[200, 800], multiplier=100
        )
        for row, n in enumerate([200, 800]):
            se = math.sqrt(p0 * (1 - p0) / n)
            assert limits["lower_2s_limit"].iloc[row] == pytest.approx(100 * (p0 - Z_95 * se))
            assert limits["upper_2s_limit"].iloc[row] == pytest.approx(100 * (p0 + Z_95 * se))
            assert limits["lower_3s_limit"].iloc[row] == pytest.approx(100 * (p0 - Z_998 * se))
            assert limits["upper_3s_limit"].iloc[row] == pytest.approx(100 * (p0 + Z_998 * se))
        assert list(limits.columns) == [
            "population",
            "lower_2s_limit",
            "upper_2s_limit",
            "lower_3s_limit",
            "upper_3s_limit",
            "baseline",
            "statistic",
            "method",
        ]
        np.testing.assert_allclose(limits["baseline"], 100 * p0)
        assert set(limits["statistic"]) == {"proportion"}
        assert set(limits["method"]) == {"Wilson"}

    def test_clipped_to_zero_and_the_multiplier(self) -> None:
        table = pd.DataFrame({"x": [1, 99], "n": [100, 100]})
        limits = funnel_limits(table, "x", "n", "proportion", at=[1, 2], multiplier=100)
        assert (limits["lower_3s_limit"] == 0).all()
        assert (limits["upper_3s_limit"] == 100).all()

    def test_default_grid(self, shares: pd.DataFrame) -> None:
        limits = funnel_limits(shares, "cases", "people", "proportion")
        population = limits["population"].to_numpy()
        assert population[0] == 20 and population[-1] == 2000
        assert (np.diff(population) > 0).all()
        assert (population == np.round(population)).all()
        assert 50 < len(limits) <= 100
        ratios = population[1:] / population[:-1]
        assert ratios.max() < 1.1  # roughly geometric, 100 points over a 100-fold range

    def test_a_narrow_range_gives_fewer_whole_number_rows(self) -> None:
        table = pd.DataFrame({"x": [1, 2], "n": [10, 15]})
        limits = funnel_limits(table, "x", "n", "proportion", points=100)
        assert list(limits["population"]) == list(range(10, 16))

    def test_limits_narrow_as_the_population_grows(self, shares: pd.DataFrame) -> None:
        limits = funnel_limits(shares, "cases", "people", "proportion")
        for name in ("2s", "3s"):
            assert (np.diff(limits[f"upper_{name}_limit"]) <= 0).all()
            assert (np.diff(limits[f"lower_{name}_limit"]) >= 0).all()
        assert (limits["upper_3s_limit"] >= limits["upper_2s_limit"]).all()
        assert (limits["lower_3s_limit"] <= limits["lower_2s_limit"]).all()


class TestProportionSignificance:
    def test_labels_and_categories(self, shares: pd.DataFrame) -> None:
        result = funnel_significance(shares, "cases", "people", "proportion")
        assert list(result["significance"].cat.categories) == list(SIGNIFICANCE_CATEGORIES)
        assert list(result["significance"].cat.categories) == [
            "High (0.001)",
            "High (0.025)",
            "Low (0.001)",
            "Low (0.025)",
            "Not significant",
            "Not applicable for events less than 10 for dsrs",
        ]
        assert list(result["area"]) == list(shares["area"])
        assert "significance" not in shares

    def test_known_values(self) -> None:
        # p0 = 217/2000 = 0.1085; at n = 500, se = sqrt(p0 (1 - p0) / 500) = 0.013909, so
        # the 95% limits are 0.0812-0.1358 and the 99.8% limits 0.0655-0.1515.
        table = pd.DataFrame({"cases": [35, 52, 50, 80], "people": [500] * 4})
        result = funnel_significance(table, "cases", "people", "proportion")
        assert list(result["significance"]) == [
            "Low (0.025)",
            "Not significant",
            "Not significant",
            "High (0.001)",
        ]

    @settings(max_examples=150, deadline=None)
    @given(
        st.integers(min_value=1, max_value=5000),
        st.data(),
        st.integers(min_value=1, max_value=999),
        st.sampled_from([(Z_95, 0.95), (Z_998, 0.998)]),
    )
    def test_outside_the_limits_exactly_when_the_wilson_interval_excludes_p0(
        self, n: int, data: st.DataObject, thousandths: int, z_level: tuple[float, float]
    ) -> None:
        x = data.draw(st.integers(min_value=0, max_value=n))
        p0 = thousandths / 1000
        z, level = z_level
        spread = z * math.sqrt(p0 * (1 - p0) / n)
        lower, upper = (float(v) for v in wilson_interval(x, n, level))
        # Keep away from exact ties, where rounding could fall either way.
        assume(min(abs(x / n - p0 - spread), abs(x / n - p0 + spread)) > 1e-9)
        assert (x / n > p0 + spread) == (p0 < lower)
        assert (x / n < p0 - spread) == (p0 > upper)

    def test_agrees_with_the_limits_at_each_areas_own_denominator(self) -> None:
        rng = np.random.default_rng(11)
        n = rng.integers(20, 3000, size=300)
        table = pd.DataFrame({"x": rng.binomial(n, rng.uniform(0.05, 0.4, size=300)), "n": n})
        result = funnel_significance(table, "x", "n", "proportion")
        limits = funnel_limits(table, "x", "n", "proportion", at=table["n"])
        share = (table["x"] / table["n"]).to_numpy()
        _assert_agrees(result["significance"], share, limits, higher_is_outside=True)


class TestRatio:
    def test_limits_known_values(self, observed: pd.DataFrame) -> None:
        limits = funnel_limits(observed, "o", "e", "ratio", at=[5, 40], ratio_refvalue=100)
        assert list(limits.columns) == [
            "observed_events",
            "lower_2s_exp_events",
            "lower_2s_limit",
            "upper_2s_exp_events",
            "upper_2s_limit",
            "lower_3s_exp_events",
            "lower_3s_limit",
            "upper_3s_exp_events",
            "upper_3s_limit",
            "baseline",
            "statistic",
            "method",
        ]
        for row, o in enumerate([5, 40]):
            for name, tail in (("2s", 0.025), ("3s", 0.001)):
                mu_lower = scipy_stats.chi2.ppf(1 - tail, 2 * o + 2) / 2
                mu_upper = scipy_stats.chi2.ppf(tail, 2 * o) / 2
                # O sits on the lower limit: P(X <= O | mu_L) = tail, and on the upper
                # limit: P(X >= O | mu_U) = tail.
                assert scipy_stats.poisson.cdf(o, mu_lower) == pytest.approx(tail)
                assert scipy_stats.poisson.sf(o - 1, mu_upper) == pytest.approx(tail)
                assert limits[f"lower_{name}_exp_events"].iloc[row] == pytest.approx(mu_lower)
                assert limits[f"upper_{name}_exp_events"].iloc[row] == pytest.approx(mu_upper)
                assert limits[f"lower_{name}_limit"].iloc[row] == pytest.approx(o / mu_lower * 100)
                assert limits[f"upper_{name}_limit"].iloc[row] == pytest.approx(o / mu_upper * 100)
        assert set(limits["baseline"]) == {100}
        assert set(limits["statistic"]) == {"ratio"}
        assert set(limits["method"]) == {"Poisson"}

    def test_hand_worked_numbers(self) -> None:
        # 5 observed events: the 95% upper funnel line passes through 5 / 1.6235 = 3.0798
        # (1.6235 = exact lower limit for 5), the lower through 5 / 11.6683 = 0.4285.
        limits = funnel_limits(pd.DataFrame({"o": [5], "e": [5]}), "o", "e", "ratio", at=5)
        assert limits["upper_2s_limit"].iloc[0] == pytest.approx(3.0798, abs=5e-5)
        assert limits["lower_2s_limit"].iloc[0] == pytest.approx(0.4285, abs=5e-5)

    def test_significance(self, observed: pd.DataFrame) -> None:
        # 3 against 1.2: exact 95% limits 0.62-8.77 events include 1.2. 20 against 10: Byar's
        # 95% limits 12.2-30.9 exclude 10; 99.8% limits 8.9-38.1 include it. 100 against 80:
        # 95% lower 81.4, 99.8% lower 71.9. 4 against 12: exact 95% upper 10.24 excludes 12;
        # 99.8% upper 14.79 includes it.
        result = funnel_significance(observed, "o", "e", "ratio")
        assert list(result["significance"]) == [
            "Not significant",
            "Not significant",
            "High (0.025)",
            "Not significant",
            "High (0.025)",
            "Low (0.025)",
        ]

    def test_default_grid_spans_the_expected_events(self, observed: pd.DataFrame) -> None:
        limits = funnel_limits(observed, "o", "e", "ratio", points=20)
        grid = limits["observed_events"].to_numpy()
        assert grid[0] == 1 and grid[-1] == 80
        assert (np.diff(grid) > 0).all() and (grid == np.round(grid)).all()
        assert len(limits) <= 20

    def test_limits_narrow_as_events_grow(self, observed: pd.DataFrame) -> None:
        limits = funnel_limits(observed, "o", "e", "ratio")
        for name in ("2s", "3s"):
            assert (np.diff(limits[f"upper_{name}_limit"]) < 0).all()
            assert (np.diff(limits[f"lower_{name}_limit"]) > 0).all()
            assert (limits[f"lower_{name}_limit"] < 1).all()
            assert (limits[f"upper_{name}_limit"] > 1).all()

    def test_agrees_with_the_limits_at_each_areas_own_events(self) -> None:
        rng = np.random.default_rng(5)
        expected = rng.uniform(0.5, 300, size=400)
        table = pd.DataFrame({"o": rng.poisson(expected * rng.uniform(0.5, 2, 400)), "e": expected})
        table = table[table["o"] > 0].reset_index(drop=True)
        result = funnel_significance(table, "o", "e", "ratio")
        limits = funnel_limits(table, "o", "e", "ratio", at=table["o"])
        # Outside the upper line at O events means fewer expected events than mu_U(O).
        _assert_agrees(
            result["significance"],
            table["e"].to_numpy(),
            limits.rename(columns=lambda c: c.replace("exp_events", "at")),
            higher_is_outside=False,
            small=table["o"].to_numpy() < 10,
        )


class TestRate:
    def test_significance_crude_and_dsr(self, events: pd.DataFrame) -> None:
        crude = funnel_significance(events, "x", "n", "rate", rate="r", rate_type="crude")
        dsr = funnel_significance(events, "x", "n", "rate", rate="r", rate_type="dsr")
        # Baseline: 530 events in 146,000 people, 363.0 per 100,000 (365.5 for the DSRs,
        # leaving out A). Limits per 100,000 from poisson_interval / n.
        assert list(crude["significance"]) == [
            "Not significant",  # 0 in 1,000: 95% upper 368.9
            "Low (0.001)",  # 99.8% upper 82.3
            "Low (0.001)",  # 99.8% upper 253.2
            "High (0.001)",  # 99.8% lower 498.6
            "High (0.025)",  # 16 in 2,000: 95% lower 457.0, 99.8% lower 318.3
            "Not significant",
            "Not significant",
        ]
        expected_dsr = list(crude["significance"])
        expected_dsr[0] = expected_dsr[1] = expected_dsr[6] = DSR_NOT_APPLICABLE
        assert list(dsr["significance"]) == expected_dsr

    def test_a_dsr_without_events_is_left_out_of_the_baseline(self, events: pd.DataFrame) -> None:
        crude = funnel_limits(events, "x", "n", "rate", rate="r", rate_type="crude", at=10)
        dsr = funnel_limits(events, "x", "n", "rate", rate="r", rate_type="dsr", at=10)
        assert crude["baseline"].iloc[0] == pytest.approx(530 / 146_000 * 100_000)
        assert dsr["baseline"].iloc[0] == pytest.approx(530 / 145_000 * 100_000)
        assert crude["statistic"].iloc[0] == "rate (crude per 100000)"
        assert dsr["statistic"].iloc[0] == "rate (dsr per 100000)"

    def test_the_population_comes_from_the_rate_column(self) -> None:
        # A DSR of 200 per 100,000 from 50 events stands for 25,000 people, whatever the
        # denominator column says; 10 events at 100 per 100,000 stand for 10,000.
        table = pd.DataFrame({"x": [50, 10], "n": [1, 1], "r": [200.0, 100.0]})
        limits = funnel_limits(table, "x", "n", "rate", rate="r", rate_type="dsr", at=[7])
        assert limits["baseline"].iloc[0] == pytest.approx(60 / 35_000 * 100_000)

    def test_limits_known_values(self, events: pd.DataFrame) -> None:
        baseline = 530 / 146_000
        limits = funnel_limits(
            events, "x", "n", "rate", rate="r", rate_type="crude", at=[3, 60], years_of_data=3
        )
        assert list(limits.columns[:5]) == [
            "events",
            "lower_2s_population_1_year",
            "lower_2s_limit",
            "upper_2s_population_1_year",
            "upper_2s_limit",
        ]
        for row, x in enumerate([3, 60]):
            for name, tail in (("2s", 0.025), ("3s", 0.001)):
                mu_lower = scipy_stats.chi2.ppf(1 - tail, 2 * x + 2) / 2
                mu_upper = scipy_stats.chi2.ppf(tail, 2 * x) / 2
                lower_people = limits[f"lower_{name}_population_1_year"].iloc[row]
                upper_people = limits[f"upper_{name}_population_1_year"].iloc[row]
                assert lower_people == pytest.approx(mu_lower / baseline / 3)
                assert upper_people == pytest.approx(mu_upper / baseline / 3)
                assert limits[f"lower_{name}_limit"].iloc[row] == pytest.approx(
                    x / (mu_lower / baseline) * 100_000
                )
                assert limits[f"upper_{name}_limit"].iloc[row] == pytest.approx(
                    x / (mu_upper / baseline) * 100_000
                )
        assert set(limits["method"]) == {"Poisson"}

    def test_default_grid_is_in_events(self, events: pd.DataFrame) -> None:
        limits = funnel_limits(events, "x", "n", "rate", rate="r", rate_type="crude", points=30)
        grid = limits["events"].to_numpy()
        baseline = 530 / 146_000
        assert grid[0] == math.floor(1000 * baseline)
        assert grid[-1] == math.ceil(50_000 * baseline)
        assert (np.diff(grid) > 0).all() and (grid == np.round(grid)).all()

    def test_limits_narrow_as_events_grow(self, events: pd.DataFrame) -> None:
        limits = funnel_limits(events, "x", "n", "rate", rate="r", rate_type="crude")
        for name in ("2s", "3s"):
            assert (np.diff(limits[f"upper_{name}_limit"]) < 0).all()
            assert (np.diff(limits[f"lower_{name}_limit"]) > 0).all()
            assert (np.diff(limits[f"upper_{name}_population_1_year"]) > 0).all()

    def test_agrees_with_the_limits_at_each_areas_own_events(self) -> None:
        rng = np.random.default_rng(8)
        people = rng.integers(500, 60_000, size=400)
        x = rng.poisson(people * 4e-3 * rng.uniform(0.5, 2, size=400))
        table = pd.DataFrame({"x": x, "n": people, "r": x / people * 100_000})
        table = table[table["x"] > 0].reset_index(drop=True)
        result = funnel_significance(table, "x", "n", "rate", rate="r", rate_type="crude")
        limits = funnel_limits(table, "x", "n", "rate", rate="r", rate_type="crude", at=table["x"])
        _assert_agrees(
            result["significance"],
            table["n"].to_numpy(dtype=float),
            limits.rename(columns=lambda c: c.replace("population_1_year", "at")),
            higher_is_outside=False,
            small=table["x"].to_numpy() < 10,
        )


def _assert_agrees(
    significance: pd.Series[str],
    position: np.ndarray,
    limits: pd.DataFrame,
    *,
    higher_is_outside: bool,
    small: np.ndarray | None = None,
) -> None:
    """Each area's label matches where ``position`` lies against its own limits.

    For proportions ``position`` is the share, compared with ``*_limit``. For ratios and
    rates it is the expected events or population, compared with the ``*_at`` values at
    which the area's own events sit on each line: fewer than the upper line's means above
    it. Away from the exact Poisson lines, Byar's limits (10 events or more) may disagree
    only within BYARS_TOLERANCE.
    """
    column = "limit" if higher_is_outside else "at"
    if higher_is_outside:
        high3, high2 = position > limits["upper_3s_limit"], position > limits["upper_2s_limit"]
        low3, low2 = position < limits["lower_3s_limit"], position < limits["lower_2s_limit"]
    else:
        high3, high2 = position < limits["upper_3s_at"], position < limits["upper_2s_at"]
        low3, low2 = position > limits["lower_3s_at"], position > limits["lower_2s_at"]
    expected = np.select(
        [high3, high2, low3, low2],
        ["High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"],
        "Not significant",
    )
    disagree = expected != significance.to_numpy(dtype=object)
    assert len(position) > 100
    assert len(set(expected)) == 5  # every label occurs, so the check has teeth
    if small is None:
        assert not disagree.any()
        return
    assert not (disagree & small).any()
    lines = limits[
        [f"{side}_{name}_{column}" for side in ("lower", "upper") for name in ("2s", "3s")]
    ]
    nearest = np.min(np.abs(position[:, None] / lines.to_numpy() - 1), axis=1)
    assert (nearest[disagree] < BYARS_TOLERANCE).all()


class TestPlantedTruth:
    """200 areas from one common rate; then 5 of them replaced by areas at 3 times it.

    The false alarms are counted before planting: the planted areas raise the pooled
    baseline, which pushes large areas towards "Low".
    """

    def test_proportions(self) -> None:
        rng = np.random.default_rng(2024)
        n = rng.integers(200, 5000, size=200)
        table = pd.DataFrame({"x": rng.binomial(n, 0.2), "n": n})
        _assert_false_alarm_rates(funnel_significance(table, "x", "n", "proportion"))
        table.loc[:4, "x"] = rng.binomial(n[:5], 0.6)
        planted = funnel_significance(table, "x", "n", "proportion")["significance"]
        assert (planted[:5] == "High (0.001)").all()

    def test_rates(self) -> None:
        rng = np.random.default_rng(7)
        people = rng.integers(5000, 100_000, size=200)
        table = pd.DataFrame({"x": rng.poisson(people * 300 / 100_000), "n": people})
        table["r"] = table["x"] / table["n"] * 100_000
        arguments = {"rate": "r", "rate_type": "crude"}
        _assert_false_alarm_rates(funnel_significance(table, "x", "n", "rate", **arguments))
        table.loc[:4, "x"] = rng.poisson(people[:5] * 900 / 100_000)
        table["r"] = table["x"] / table["n"] * 100_000
        planted = funnel_significance(table, "x", "n", "rate", **arguments)["significance"]
        assert (planted[:5] == "High (0.001)").all()

    def test_ratios(self) -> None:
        rng = np.random.default_rng(3)
        expected = rng.uniform(10, 400, size=200)
        table = pd.DataFrame({"o": rng.poisson(expected), "e": expected})
        _assert_false_alarm_rates(funnel_significance(table, "o", "e", "ratio"))
        table.loc[:4, "o"] = rng.poisson(3 * expected[:5])
        planted = funnel_significance(table, "o", "e", "ratio")["significance"]
        assert (planted[:5] == "High (0.001)").all()


def _assert_false_alarm_rates(result: pd.DataFrame) -> None:
    """About 5% outside the 95% limits and 0.2% outside 99.8%, within generous bounds.

    The bounds are the 0.01% and 99.99% points of the binomial count of areas outside, so a
    correct method fails by chance about once in 5,000 seeds.
    """
    significance = result["significance"]
    areas = len(significance)
    outside_95 = int((significance != "Not significant").sum())
    outside_998 = int(significance.isin(["High (0.001)", "Low (0.001)"]).sum())
    low, high = scipy_stats.binom.ppf([1e-4, 1 - 1e-4], areas, 0.05)
    assert low <= outside_95 <= high
    assert outside_998 <= scipy_stats.binom.ppf(1 - 1e-4, areas, 0.002)


class TestBadInput:
    @pytest.mark.parametrize(
        ("table", "statistic", "extra", "message"),
        [
            ({"x": [-1, 2], "n": [5, 5]}, "proportion", {}, r"column 'x': count -1 at row 0"),
            ({"x": [1, 2], "n": [5, 0]}, "proportion", {}, r"column 'n': denominator 0 at row 1"),
            ({"x": [1, 7], "n": [5, 5]}, "proportion", {}, r"column 'x': count 7 at row 1 is "),
            ({"x": [1, 2], "n": [5, 5]}, "percentage", {}, r"statistic: expected one of"),
            ({"x": [1, 2], "n": [5, 5]}, "rate", {"rate_type": "crude"}, r"rate: a rate funnel"),
            ({"x": [1, 2], "n": [5, 5]}, "rate", {"rate": "r"}, r"rate: column 'r' is not in"),
            (
                {"x": [1, 2], "n": [5, 5], "r": [1.0, 2.0]},
                "rate",
                {"rate": "r"},
                r"rate_type: expected one of 'crude', 'dsr'",
            ),
            (
                {"x": [1, 2], "n": [5, 5], "r": [0.0, 2.0]},
                "rate",
                {"rate": "r", "rate_type": "dsr"},
                r"column 'r': rate 0 at row 0, which has 1 events",
            ),
            ({"x": [1, 2], "n": [5, 5]}, "ratio", {"multiplier": 100}, r"multiplier: not used"),
            ({"x": [1, 2], "n": [5, 5]}, "proportion", {"rate": "x"}, r"rate: not used for a"),
            ({"x": [1, None], "n": [5, 5]}, "ratio", {}, r"column 'x': missing count at row 1"),
            ({"x": [], "n": []}, "ratio", {}, r"data: there are no rows"),
            ({"x": [1, 2]}, "ratio", {}, r"denominator: column 'n' is not in the data"),
        ],
    )
    def test_both_functions_refuse(
        self, table: dict[str, list[object]], statistic: str, extra: dict[str, object], message: str
    ) -> None:
        frame = pd.DataFrame(table)
        with pytest.raises(ValueError, match=message):
            funnel_significance(frame, "x", "n", statistic, **extra)
        with pytest.raises(ValueError, match=message):
            funnel_limits(frame, "x", "n", statistic, **extra)

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            ({"points": 1}, r"points: expected a whole number of at least 2"),
            ({"points": 2.5}, r"points: expected a whole number"),
            ({"at": [10, 0]}, r"at: must be greater than zero"),
            ({"at": [[1, 2]]}, r"at: give a number or a 1-d array"),
            ({"years_of_data": 3}, r"years_of_data: not used for a proportion funnel"),
            ({"ratio_refvalue": 100}, r"ratio_refvalue: not used for a proportion funnel"),
        ],
    )
    def test_limits_refuse(self, extra: dict[str, object], message: str) -> None:
        frame = pd.DataFrame({"x": [1, 2], "n": [5, 5]})
        with pytest.raises(ValueError, match=message):
            funnel_limits(frame, "x", "n", "proportion", **extra)

    def test_a_rate_funnel_needs_events(self) -> None:
        frame = pd.DataFrame({"x": [0, 0], "n": [5, 5], "r": [0.0, 0.0]})
        with pytest.raises(ValueError, match=r"numerator: there are no events"):
            funnel_limits(frame, "x", "n", "rate", rate="r", rate_type="crude")
        with pytest.raises(ValueError, match=r"numerator: there are no events"):
            funnel_limits(frame, "x", "n", "rate", rate="r", rate_type="crude", at=[5])
