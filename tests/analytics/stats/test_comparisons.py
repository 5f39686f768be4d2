"""Rate ratios, differences and changes, and classification against a benchmark."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep_test

from vrn.analytics.stats.comparisons import (
    compare_with_benchmark,
    percentage_change,
    proportion_difference,
    proportion_ratio,
    rate_difference,
    rate_ratio,
)
from vrn.analytics.stats.crude import proportion, rate

counts = st.integers(min_value=0, max_value=2_000)
positive_counts = st.integers(min_value=1, max_value=2_000)
populations = st.floats(min_value=1.0, max_value=1e7, allow_nan=False, allow_infinity=False)
levels = st.sampled_from([0.9, 0.95, 0.99, 0.998])


@st.composite
def samples(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """(x1, n1, x2, n2) with 0 <= x <= n."""
    n1 = draw(st.integers(min_value=1, max_value=500))
    n2 = draw(st.integers(min_value=1, max_value=500))
    return draw(st.integers(0, n1)), n1, draw(st.integers(0, n2)), n2


class TestLayout:
    def test_columns_and_labels(self) -> None:
        result = rate_ratio([20, 5], 1000, [10, 4], 2000)
        assert list(result.columns) == [
            "x1",
            "n1",
            "x2",
            "n2",
            "value",
            "lowercl",
            "uppercl",
            "confidence",
            "statistic",
            "method",
            "note",
        ]
        assert list(result["statistic"]) == ["rate ratio"] * 2
        assert set(result["method"]) == {"Exact conditional (Clopper-Pearson)"}
        assert list(result["n2"]) == [2000.0, 2000.0]
        assert result["note"].isna().all()

    def test_a_confidence_pair_gives_four_limit_columns_for_every_function(self) -> None:
        for function in (rate_ratio, percentage_change, rate_difference, proportion_difference):
            result = function(5, 10, 3, 10, confidence=(95, 99.8))
            assert {"lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"} <= set(result)
            assert result["confidence"].iloc[0] == "95%, 99.8%"
            assert "lowercl" not in result

    def test_series_inputs_lend_their_index(self) -> None:
        table = pd.DataFrame(
            {"x1": [3, 8], "n1": [100, 200], "x2": [4, 1], "n2": [90, 80]}, index=["a", "b"]
        )
        result = rate_difference(table.x1, table.n1, table.x2, table.n2)
        assert list(result.index) == ["a", "b"]
        assert list(result["x2"]) == [4.0, 1.0]

    def test_statistic_labels(self) -> None:
        assert rate_difference(1, 2, 1, 2)["statistic"].iloc[0] == "rate difference per 100000"
        assert rate_difference(1, 2, 1, 2, multiplier=1000)["statistic"].iloc[0] == (
            "rate difference per 1000"
        )
        assert proportion_difference(1, 2, 1, 2)["statistic"].iloc[0] == (
            "proportion difference of 1"
        )
        assert proportion_difference(1, 2, 1, 2, multiplier=100)["statistic"].iloc[0] == (
            "percentage point difference"
        )
        assert percentage_change(1, 2, 1, 2)["statistic"].iloc[0] == "percentage change"


class TestRateRatio:
    def test_exact_conditional_limits_worked_by_hand(self) -> None:
        # 20 events in 10,000 against 10 in 20,000: RR = 4. The Clopper-Pearson limits for
        # the share 20/30 solve P(X >= 20 | 30, pi_L) = 0.025 and P(X <= 20 | 30, pi_U) = 0.025.
        pi_lower = scipy_stats.beta.ppf(0.025, 20, 11)
        pi_upper = scipy_stats.beta.ppf(0.975, 21, 10)
        assert scipy_stats.binom.sf(19, 30, pi_lower) == pytest.approx(0.025, rel=1e-9)
        assert scipy_stats.binom.cdf(20, 30, pi_upper) == pytest.approx(0.025, rel=1e-9)
        result = rate_ratio(20, 10_000, 10, 20_000).iloc[0]
        assert result["value"] == pytest.approx(4.0)
        assert result["lowercl"] == pytest.approx(pi_lower / (1 - pi_lower) * 2, rel=1e-12)
        assert result["uppercl"] == pytest.approx(pi_upper / (1 - pi_upper) * 2, rel=1e-12)

    def test_closed_forms_when_one_group_has_no_events(self) -> None:
        # x2 = 0: pi_L solves pi^x1 = alpha/2. x1 = 0: 1 - pi_U solves (1 - pi)^x2 = alpha/2.
        alpha = 1 - 0.998
        pi_lower = (alpha / 2) ** (1 / 7)
        pi_upper = 1 - (alpha / 2) ** (1 / 4)
        result = rate_ratio([7, 0], [500, 300], [0, 4], [1500, 600], confidence=0.998)
        assert result["lowercl"].iloc[0] == pytest.approx(pi_lower / (1 - pi_lower) * 3)
        assert result["uppercl"].iloc[0] == math.inf
        assert math.isnan(result["value"].iloc[0])
        assert "no events in group 2" in result["note"].iloc[0]
        assert result["value"].iloc[1] == 0
        assert result["lowercl"].iloc[1] == 0
        assert result["uppercl"].iloc[1] == pytest.approx(pi_upper / (1 - pi_upper) * 2)
        assert result["note"].iloc[1] is None

    def test_no_events_in_either_group_gives_nan_and_a_note(self) -> None:
        result = rate_ratio(0, 100, 0, 100).iloc[0]
        assert math.isnan(result["value"])
        assert math.isnan(result["lowercl"]) and math.isnan(result["uppercl"])
        assert result["note"] == "no events in either group: ratio undefined"

    @settings(max_examples=60, deadline=None)
    @given(positive_counts, populations, positive_counts, populations, levels)
    def test_each_limit_is_an_exact_one_sided_test_at_alpha_over_2(
        self, x1: int, n1: float, x2: int, n2: float, level: float
    ) -> None:
        """statsmodels' exact conditional test has p = alpha/2 at each limit."""
        result = rate_ratio(x1, n1, x2, n2, confidence=level).iloc[0]
        larger = poisson_2indep_test(
            x1, n1, x2, n2, value=result["lowercl"], method="exact-cond", alternative="larger"
        )
        smaller = poisson_2indep_test(
            x1, n1, x2, n2, value=result["uppercl"], method="exact-cond", alternative="smaller"
        )
        alpha = 1 - level
        assert larger.pvalue == pytest.approx(alpha / 2, rel=1e-6)
        assert smaller.pvalue == pytest.approx(alpha / 2, rel=1e-6)

    @settings(max_examples=100, deadline=None)
    @given(counts, populations, counts, populations)
    def test_agrees_with_scipys_clopper_pearson_interval(
        self, x1: int, n1: float, x2: int, n2: float
    ) -> None:
        assume(x1 + x2 > 0)
        share = scipy_stats.binomtest(x1, x1 + x2).proportion_ci(0.95, method="exact")
        result = rate_ratio(x1, n1, x2, n2).iloc[0]
        with np.errstate(divide="ignore"):
            lower = share.low / (1 - share.low) * n2 / n1
            upper = np.float64(share.high) / (1 - np.float64(share.high)) * n2 / n1
        assert result["lowercl"] == pytest.approx(lower, rel=1e-8, abs=1e-300)
        assert result["uppercl"] == pytest.approx(upper, rel=1e-8)

    @settings(max_examples=100, deadline=None)
    @given(counts, populations, counts, populations)
    def test_properties(self, x1: int, n1: float, x2: int, n2: float) -> None:
        assume(x1 + x2 > 0)
        both = rate_ratio(x1, n1, x2, n2, confidence=(0.95, 0.998)).iloc[0]
        swapped = rate_ratio(x2, n2, x1, n1, confidence=(0.95, 0.998)).iloc[0]
        assert both["lower99_8cl"] <= both["lower95_0cl"]
        assert both["upper95_0cl"] <= both["upper99_8cl"]
        if x2 > 0:
            assert both["lower95_0cl"] <= both["value"] <= both["upper95_0cl"]
        if x1 > 0 and x2 > 0:
            assert swapped["value"] == pytest.approx(1 / both["value"], rel=1e-12)
            assert swapped["lower95_0cl"] == pytest.approx(1 / both["upper95_0cl"], rel=1e-8)
            assert swapped["upper99_8cl"] == pytest.approx(1 / both["lower99_8cl"], rel=1e-8)

    def test_vectorised_rows_match_one_at_a_time(self) -> None:
        x1, n1, x2, n2 = [3, 0, 40], [100, 50, 900], [9, 2, 35], [300, 50, 800]
        together = rate_ratio(x1, n1, x2, n2)
        for i in range(3):
            alone = rate_ratio(x1[i], n1[i], x2[i], n2[i])
            np.testing.assert_allclose(
                together[["value", "lowercl", "uppercl"]].iloc[i].to_numpy(dtype=float),
                alone[["value", "lowercl", "uppercl"]].iloc[0].to_numpy(dtype=float),
            )


class TestPercentageChange:
    def test_is_the_later_over_earlier_rate_ratio_transformed(self) -> None:
        change = percentage_change([40, 12], [1000, 500], [60, 3], [1100, 450])
        ratio = rate_ratio([60, 3], [1100, 450], [40, 12], [1000, 500])
        for column in ("value", "lowercl", "uppercl"):
            np.testing.assert_allclose(change[column], 100 * (ratio[column] - 1), rtol=1e-12)
        assert list(change["x1"]) == [40, 12]

    def test_no_events_later_is_minus_100_and_none_earlier_is_unbounded(self) -> None:
        result = percentage_change([5, 0, 0], 1, [0, 5, 0], 1)
        assert result["value"].iloc[0] == -100 and result["lowercl"].iloc[0] == -100
        assert result["uppercl"].iloc[0] < math.inf
        assert result["note"].iloc[0] is None
        assert math.isnan(result["value"].iloc[1]) and result["uppercl"].iloc[1] == math.inf
        assert result["note"].iloc[1].startswith("no events in period 1")
        assert result["note"].iloc[2] == "no events in either period: change undefined"


class TestRateDifference:
    def test_mover_worked_by_hand(self) -> None:
        # 65 and 5 events per 100 people. Byar's limits for 65 are 50.163187710 and
        # 82.849138546; exact limits for 5 are 1.62348639 and 11.66833208.
        lower = 60 - math.sqrt((65 - 50.163187710) ** 2 + (11.66833208 - 5) ** 2)
        upper = 60 + math.sqrt((82.849138546 - 65) ** 2 + (5 - 1.62348639) ** 2)
        result = rate_difference(65, 100, 5, 100, multiplier=100).iloc[0]
        assert result["value"] == pytest.approx(60)
        assert result["lowercl"] == pytest.approx(lower, rel=1e-8)
        assert result["uppercl"] == pytest.approx(upper, rel=1e-8)
        assert result["method"] == "MOVER (Byars, Exact)"

    @settings(max_examples=60, deadline=None)
    @given(counts, populations, counts, populations, levels)
    def test_built_from_the_limits_rate_reports(
        self, x1: int, n1: float, x2: int, n2: float, level: float
    ) -> None:
        table = pd.DataFrame({"x": [x1, x2], "n": [n1, n2]})
        rates = rate(table, "x", "n", confidence=level, multiplier=1000)
        r1, r2 = rates["value"]
        l1, l2 = rates["lowercl"]
        u1, u2 = rates["uppercl"]
        result = rate_difference(x1, n1, x2, n2, confidence=level, multiplier=1000).iloc[0]
        assert result["value"] == pytest.approx(r1 - r2, abs=1e-9 * (r1 + r2 + 1))
        assert result["lowercl"] == pytest.approx(
            r1 - r2 - math.hypot(r1 - l1, u2 - r2), rel=1e-9, abs=1e-9
        )
        assert result["uppercl"] == pytest.approx(
            r1 - r2 + math.hypot(u1 - r1, r2 - l2), rel=1e-9, abs=1e-9
        )

    @settings(max_examples=100, deadline=None)
    @given(counts, populations, counts, populations)
    def test_properties(self, x1: int, n1: float, x2: int, n2: float) -> None:
        both = rate_difference(x1, n1, x2, n2, confidence=(0.95, 0.998)).iloc[0]
        swapped = rate_difference(x2, n2, x1, n1, confidence=(0.95, 0.998)).iloc[0]
        assert both["lower99_8cl"] <= both["lower95_0cl"] <= both["value"]
        assert both["value"] <= both["upper95_0cl"] <= both["upper99_8cl"]
        assert swapped["value"] == pytest.approx(-both["value"])
        assert swapped["lower95_0cl"] == pytest.approx(-both["upper95_0cl"])
        assert swapped["upper99_8cl"] == pytest.approx(-both["lower99_8cl"])


class TestProportionDifference:
    @pytest.mark.parametrize(
        ("x1", "n1", "x2", "n2", "lower", "upper"),
        [
            # Newcombe (1998), Table II, method 10, examples (a), (b) and (d) to (g).
            (56, 70, 48, 80, 0.0524, 0.3339),
            (9, 10, 3, 10, 0.1705, 0.8090),
            (5, 56, 0, 29, -0.0381, 0.1926),
            (0, 10, 0, 20, -0.1611, 0.2775),
            (0, 10, 0, 10, -0.2775, 0.2775),
            (10, 10, 0, 20, 0.6791, 1.0000),
        ],
    )
    def test_newcombe_1998_table_ii(
        self, x1: int, n1: int, x2: int, n2: int, lower: float, upper: float
    ) -> None:
        """Published to 4 decimal places: agree within half a unit in the 4th place."""
        result = proportion_difference(x1, n1, x2, n2).iloc[0]
        assert result["lowercl"] == pytest.approx(lower, abs=5e-5)
        assert result["uppercl"] == pytest.approx(upper, abs=5e-5)

    @settings(max_examples=100, deadline=None)
    @given(samples(), levels)
    def test_agrees_with_statsmodels_newcombe(
        self, sample: tuple[int, int, int, int], level: float
    ) -> None:
        x1, n1, x2, n2 = sample
        lower, upper = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", alpha=1 - level)
        result = proportion_difference(x1, n1, x2, n2, confidence=level).iloc[0]
        assert result["lowercl"] == pytest.approx(lower, abs=1e-10)
        assert result["uppercl"] == pytest.approx(upper, abs=1e-10)

    @settings(max_examples=100, deadline=None)
    @given(samples())
    def test_properties(self, sample: tuple[int, int, int, int]) -> None:
        x1, n1, x2, n2 = sample
        both = proportion_difference(x1, n1, x2, n2, (0.95, 0.998), multiplier=100).iloc[0]
        swapped = proportion_difference(x2, n2, x1, n1, (0.95, 0.998), multiplier=100).iloc[0]
        assert -100 - 1e-9 <= both["lower99_8cl"] <= both["lower95_0cl"] <= both["value"]
        assert both["value"] <= both["upper95_0cl"] <= both["upper99_8cl"] <= 100 + 1e-9
        assert swapped["value"] == pytest.approx(-both["value"])
        assert swapped["lower95_0cl"] == pytest.approx(-both["upper95_0cl"])

    def test_built_from_the_limits_proportion_reports(self) -> None:
        table = pd.DataFrame({"x": [12, 30], "n": [40, 60]})
        shares = proportion(table, "x", "n", multiplier=100)
        p1, p2 = shares["value"]
        l1, l2 = shares["lowercl"]
        u1, u2 = shares["uppercl"]
        result = proportion_difference(12, 40, 30, 60, multiplier=100).iloc[0]
        assert result["lowercl"] == pytest.approx(p1 - p2 - math.hypot(p1 - l1, u2 - p2))
        assert result["uppercl"] == pytest.approx(p1 - p2 + math.hypot(u1 - p1, p2 - l2))


class TestProportionRatio:
    def test_matches_r_epitools_riskratio_wald(self) -> None:
        # R: epitools::riskratio.wald(matrix(c(14, 12, 7, 27), nrow = 2)) compares the
        # second column's share, 27/39 against 7/21: estimate 2.076923, 95% CI 1.09512 to
        # 3.938939 (Unconditional MLE & normal approximation (Wald) CI).
        result = proportion_ratio(27, 39, 7, 21).iloc[0]
        assert result["value"] == pytest.approx(2.076923, abs=5e-7)
        assert result["lowercl"] == pytest.approx(1.09512, abs=5e-6)
        assert result["uppercl"] == pytest.approx(3.938939, abs=5e-7)
        assert result["statistic"] == "risk ratio"
        assert result["method"] == "Katz log"
        assert result["note"] is None

    def test_katz_formula_by_hand(self) -> None:
        # Katz et al. (1978): log RR -/+ z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2).
        x1, n1, x2, n2 = 20, 200, 40, 250
        ratio = (x1 / n1) / (x2 / n2)
        spread = scipy_stats.norm.ppf(0.995) * math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
        result = proportion_ratio(x1, n1, x2, n2, confidence=0.99).iloc[0]
        assert result["value"] == pytest.approx(0.625)
        assert result["lowercl"] == pytest.approx(ratio * math.exp(-spread))
        assert result["uppercl"] == pytest.approx(ratio * math.exp(spread))
        assert result["confidence"] == "99%"

    @settings(max_examples=100, deadline=None)
    @given(samples(), levels)
    def test_agrees_with_statsmodels_log_ratio(
        self, sample: tuple[int, int, int, int], level: float
    ) -> None:
        x1, n1, x2, n2 = sample
        assume(x1 > 0 and x2 > 0)
        lower, upper = confint_proportions_2indep(
            x1, n1, x2, n2, method="log", compare="ratio", alpha=1 - level
        )
        result = proportion_ratio(x1, n1, x2, n2, confidence=level).iloc[0]
        assert result["lowercl"] == pytest.approx(lower, rel=1e-10)
        assert result["uppercl"] == pytest.approx(upper, rel=1e-10)

    def test_zero_cases(self) -> None:
        result = proportion_ratio([0, 4, 0], 10, [3, 0, 0], 10)
        assert result["value"].iloc[0] == 0.0
        assert np.isnan(result["value"].iloc[1]) and np.isnan(result["value"].iloc[2])
        assert result[["lowercl", "uppercl"]].isna().all().all()
        assert list(result["note"]) == [
            "no cases in group 1: ratio 0, Katz log limits undefined",
            "no cases in group 2: ratio infinite, Katz log limits undefined",
            "no cases in either group: ratio undefined",
        ]

    def test_swapping_groups_inverts_the_ratio_and_a_pair_gives_four_limits(self) -> None:
        both = proportion_ratio(12, 40, 30, 60, (0.95, 0.998)).iloc[0]
        swapped = proportion_ratio(30, 60, 12, 40, (0.95, 0.998)).iloc[0]
        assert swapped["value"] == pytest.approx(1 / both["value"])
        assert swapped["lower95_0cl"] == pytest.approx(1 / both["upper95_0cl"])
        assert both["lower99_8cl"] < both["lower95_0cl"] < both["value"] < both["upper95_0cl"]
        assert both["upper95_0cl"] < both["upper99_8cl"]

    def test_more_cases_than_the_sample(self) -> None:
        with pytest.raises(ValueError, match=r"x1: 12 cases at position 0 is more than .* n1"):
            proportion_ratio(12, 10, 2, 10)


class TestBadInput:
    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ((-1, 10, 2, 10), r"x1: must be zero or more"),
            ((1, 0, 2, 10), r"n1: must be greater than zero"),
            ((1, 10, 2, -5), r"n2: must be greater than zero"),
            ((1, 10, float("nan"), 10), r"x2: missing value"),
            (([1, 2], 10, [1, 2, 3], 10), r"lengths do not match"),
            (([[1, 2], [3, 4]], 10, 1, 10), r"1-d arrays"),
        ],
    )
    def test_counts_and_populations(self, arguments: tuple[object, ...], message: str) -> None:
        for function in (
            rate_ratio,
            rate_difference,
            percentage_change,
            proportion_difference,
            proportion_ratio,
        ):
            with pytest.raises(ValueError, match=message):
                function(*arguments)

    def test_more_cases_than_the_sample(self) -> None:
        with pytest.raises(ValueError, match=r"x2: 12 cases at position 1 is more than .* n2"):
            proportion_difference([1, 1], 10, [2, 12], 10)

    def test_confidence_and_multiplier(self) -> None:
        with pytest.raises(ValueError, match=r"confidence: confidence level 50"):
            rate_ratio(1, 10, 2, 10, confidence=50)
        with pytest.raises(ValueError, match=r"multiplier: must be a positive number"):
            rate_difference(1, 10, 2, 10, multiplier=0)


@pytest.fixture
def rates() -> pd.DataFrame:
    table = pd.DataFrame(
        {"area": ["A", "B", "C", "D"], "events": [400, 120, 30, 0], "people": [1e5] * 4}
    )
    return rate(table, "events", "people", confidence=(0.95, 0.998))


class TestCompareWithBenchmark:
    def test_higher_lower_similar_and_not_compared(self) -> None:
        table = pd.DataFrame(
            {
                "lowercl": [10.0, 1.0, 2.0, np.nan, 5.0, 3.0],
                "uppercl": [12.0, 4.0, 9.0, 6.0, 7.0, 5.0],
            }
        )
        result = compare_with_benchmark(table, 5)
        assert list(result["comparison"]) == [
            "Higher",
            "Lower",
            "Similar",
            "Not compared",
            "Similar",  # touching the benchmark is similar
            "Similar",
        ]
        assert list(result["comparison"].cat.categories) == [
            "Higher",
            "Similar",
            "Lower",
            "Not compared",
        ]
        assert set(result["comparison_method"]) == {
            "95% confidence interval compared with benchmark value 5"
        }
        assert "comparison" not in table

    def test_polarity(self) -> None:
        table = pd.DataFrame({"lowercl": [10.0, 1.0, 2.0], "uppercl": [12.0, 4.0, 9.0]})
        good_high = compare_with_benchmark(table, 5, polarity="high is good")
        good_low = compare_with_benchmark(table, 5, polarity="low is good")
        assert list(good_high["comparison"]) == ["Better", "Worse", "Similar"]
        assert list(good_low["comparison"]) == ["Worse", "Better", "Similar"]
        assert list(good_low["comparison"].cat.categories) == [
            "Better",
            "Similar",
            "Worse",
            "Not compared",
        ]

    def test_picks_the_level_from_rate_output(self, rates: pd.DataFrame) -> None:
        # B (120 per 100,000) has 95% limits 99.5-143.5 and 99.8% limits 89.0-157.9.
        at_95 = compare_with_benchmark(rates, 95.0)
        at_998 = compare_with_benchmark(rates, 95.0, confidence=99.8)
        assert list(at_95["comparison"]) == ["Higher", "Higher", "Lower", "Lower"]
        assert list(at_998["comparison"]) == ["Higher", "Similar", "Lower", "Lower"]
        assert at_998["comparison_method"].iloc[0] == (
            "99.8% confidence interval compared with benchmark value 95"
        )
        assert list(at_95["area"]) == ["A", "B", "C", "D"]

    def test_single_level_output_must_be_at_the_level_asked_for(self, rates: pd.DataFrame) -> None:
        single = rate(rates[["area", "events", "people"]], "events", "people", confidence=0.998)
        result = compare_with_benchmark(single, 95, confidence=0.998)
        assert list(result["comparison"]) == ["Higher", "Similar", "Lower", "Lower"]
        with pytest.raises(ValueError, match=r"confidence: the data's lowercl/uppercl are 99.8%"):
            compare_with_benchmark(single, 95)

    def test_named_limit_columns_and_a_benchmark_column(self) -> None:
        table = pd.DataFrame(
            {"lo": [1.0, 1.0, 1.0], "hi": [2.0, 2.0, 2.0], "region": [0.5, 1.5, 2.5]}
        )
        result = compare_with_benchmark(table, "region", lower="lo", upper="hi")
        assert list(result["comparison"]) == ["Higher", "Similar", "Lower"]
        assert list(result["comparison_method"].str.rsplit(" ", n=1).str[1]) == [
            "0.5",
            "1.5",
            "2.5",
        ]

    def test_rate_ratios_against_one(self) -> None:
        # 8 against 0: the lower limit is 0.025^(1/8) / (1 - 0.025^(1/8)) = 1.71.
        ratios = rate_ratio([40, 12, 8, 0], 1000, [10, 10, 0, 0], 1000)
        result = compare_with_benchmark(ratios, 1)
        assert list(result["comparison"]) == ["Higher", "Similar", "Higher", "Not compared"]

    def test_benchmark_formatting(self) -> None:
        table = pd.DataFrame({"lowercl": [1.0], "uppercl": [2.0]})
        for benchmark, text in [(123.4, "123.4"), (57 + 1 / 3, "57.3333"), (1e6, "1000000")]:
            method = compare_with_benchmark(table, benchmark)["comparison_method"].iloc[0]
            assert method.endswith(f"benchmark value {text}")

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ({"polarity": "higher"}, r"polarity: expected None, 'high is good' or 'low is good'"),
            ({"lower": "lowercl"}, r"lower, upper: give both limit columns or neither"),
            ({"lower": "low", "upper": "uppercl"}, r"lower: column 'low' is not in the data"),
            ({"confidence": 0.99}, r"confidence: the data's lowercl/uppercl are 95% limits"),
        ],
    )
    def test_bad_arguments(self, arguments: dict[str, object], message: str) -> None:
        table = pd.DataFrame({"lowercl": [1.0], "uppercl": [2.0], "confidence": ["95%"]})
        with pytest.raises(ValueError, match=message):
            compare_with_benchmark(table, 1.5, **arguments)

    def test_bad_columns(self) -> None:
        with pytest.raises(ValueError, match=r"no limit columns for 99.8% .* lower= and upper="):
            compare_with_benchmark(pd.DataFrame({"lo": [1.0], "hi": [2.0]}), 1, confidence=0.998)
        with pytest.raises(ValueError, match=r"benchmark: column 'england' is not in the data"):
            compare_with_benchmark(pd.DataFrame({"lowercl": [1.0], "uppercl": [2.0]}), "england")
        text = pd.DataFrame({"lowercl": ["1", "n/a"], "uppercl": [2.0, 3.0]})
        with pytest.raises(ValueError, match=r"lower: column 'lowercl' has 'n/a' at row 1"):
            compare_with_benchmark(text, 1.5)
        swapped = pd.DataFrame({"lowercl": [3.0], "uppercl": [2.0]})
        with pytest.raises(ValueError, match=r"limit columns swapped"):
            compare_with_benchmark(swapped, 1.5)
        with pytest.raises(ValueError, match=r"data: expected a pandas DataFrame"):
            compare_with_benchmark([1, 2], 1.5)
