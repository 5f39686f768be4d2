"""Known values, oracles and properties of the interval primitives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import proportion_confint

from vrn.analytics.stats import byars_interval, exact_poisson_interval, wilson_interval
from vrn.analytics.stats.intervals import poisson_interval

Z95 = 1.959963984540054
Z998 = 3.090232306167813


class TestKnownValues:
    """Values published or given in the issue; tolerances are stated per test."""

    def test_wilson_1_of_100_matches_the_issue_to_13_places(self) -> None:
        lower, _ = wilson_interval(1, 100)
        assert float(lower) == pytest.approx(0.0017674320641, abs=1e-13)

    def test_byars_65_matches_the_issue_to_9_places(self) -> None:
        lower, upper = byars_interval(65)
        assert float(lower) == pytest.approx(50.163187710, abs=1e-9)
        assert float(upper) == pytest.approx(82.849138546, abs=1e-9)

    def test_exact_5_matches_the_issue_to_8_places(self) -> None:
        lower, upper = exact_poisson_interval(5)
        assert float(lower) == pytest.approx(1.62348639, abs=1e-8)
        assert float(upper) == pytest.approx(11.66833208, abs=1e-8)

    @pytest.mark.parametrize(
        ("x", "n", "lower", "upper"),
        [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ],
    )
    def test_wilson_matches_newcombe_1998_table_1(
        self, x: int, n: int, lower: float, upper: float
    ) -> None:
        # Newcombe (1998) Stat Med 17:857, Table I, method 3; published to 4 places.
        got_lower, got_upper = wilson_interval(x, n)
        assert float(got_lower) == pytest.approx(lower, abs=5e-5)
        assert float(got_upper) == pytest.approx(upper, abs=5e-5)

    @pytest.mark.parametrize(
        ("x", "lower", "upper"),
        [(0, 0.0, 3.6889), (1, 0.0253, 5.5716), (2, 0.2422, 7.2247), (10, 4.7954, 18.3904)],
    )
    def test_exact_poisson_matches_published_95_percent_tables(
        self, x: int, lower: float, upper: float
    ) -> None:
        # Standard tables of exact Poisson limits (e.g. Ulm 1990), to 4 places.
        got_lower, got_upper = exact_poisson_interval(x)
        assert float(got_lower) == pytest.approx(lower, abs=5e-5)
        assert float(got_upper) == pytest.approx(upper, abs=5e-5)

    @pytest.mark.parametrize("x", [10, 65, 250, 1000])
    def test_byars_at_998_matches_the_formula_worked_by_hand(self, x: int) -> None:
        # Breslow and Day (1987) eq. with z = 3.090232306167813, computed with math only.
        lower = x * (1 - 1 / (9 * x) - Z998 / (3 * math.sqrt(x))) ** 3
        upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + Z998 / (3 * math.sqrt(x + 1))) ** 3
        got_lower, got_upper = byars_interval(x, confidence=0.998)
        assert float(got_lower) == pytest.approx(lower, rel=1e-12)
        assert float(got_upper) == pytest.approx(upper, rel=1e-12)

    def test_wilson_at_998_matches_the_formula_worked_by_hand(self) -> None:
        x, n = 30, 120
        spread = Z998 * math.sqrt(Z998**2 + 4 * x * (1 - x / n))
        lower = (2 * x + Z998**2 - spread) / (2 * (n + Z998**2))
        upper = (2 * x + Z998**2 + spread) / (2 * (n + Z998**2))
        got_lower, got_upper = wilson_interval(x, n, 0.998)
        assert float(got_lower) == pytest.approx(lower, rel=1e-12)
        assert float(got_upper) == pytest.approx(upper, rel=1e-12)

    def test_percent_style_confidence_means_the_same_level(self) -> None:
        assert wilson_interval(3, 40, 95) == pytest.approx(wilson_interval(3, 40, 0.95))
        assert byars_interval(40, 99.8) == pytest.approx(byars_interval(40, 0.998))


class TestSmallNumberConventions:
    def test_byars_lower_is_nan_where_the_formula_is_negative_or_undefined(self) -> None:
        lower, upper = byars_interval([0, 1, 2], confidence=0.998)
        assert np.isnan(lower[0]) and np.isnan(lower[1])  # 0: undefined; 1: negative
        assert lower[2] > 0
        assert np.all(upper > 0)

    def test_exact_lower_is_zero_for_no_events(self) -> None:
        lower, upper = exact_poisson_interval(0, 0.998)
        assert float(lower) == 0.0
        assert float(upper) == pytest.approx(-math.log(0.001), rel=1e-12)  # P(X=0) = 0.001

    def test_wilson_is_exactly_0_and_1_at_the_ends(self) -> None:
        lower, upper = wilson_interval([0, 50], [50, 50])
        assert lower[0] == 0.0 and upper[1] == 1.0

    def test_poisson_interval_switches_from_exact_to_byars_at_ten(self) -> None:
        lower, _ = poisson_interval([9, 10])
        assert lower[0] == pytest.approx(float(exact_poisson_interval(9)[0]))
        assert lower[1] == pytest.approx(float(byars_interval(10)[0]))

    def test_arrays_keep_their_shape(self) -> None:
        lower, upper = exact_poisson_interval(np.array([[1, 2], [3, 4]]))
        assert lower.shape == upper.shape == (2, 2)


def _exact_by_root_finding(x: int, confidence: float) -> tuple[float, float]:
    """Exact Poisson limits from the Poisson distribution itself, not chi-square."""
    tail = (1 - confidence) / 2
    upper = optimize.brentq(lambda mu: scipy_stats.poisson.cdf(x, mu) - tail, 1e-12, 10 * x + 50)
    if x == 0:
        return 0.0, upper
    lower = optimize.brentq(lambda mu: scipy_stats.poisson.sf(x - 1, mu) - tail, 1e-12, upper)
    return lower, upper


levels = st.sampled_from([0.9, 0.95, 0.99, 0.998])


class TestOracles:
    @settings(max_examples=200, deadline=None)
    @given(n=st.integers(1, 100_000), share=st.floats(0, 1), confidence=levels)
    def test_wilson_agrees_with_statsmodels(self, n: int, share: float, confidence: float) -> None:
        x = round(share * n)
        expected = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
        lower, upper = wilson_interval(x, n, confidence)
        assert float(lower) == pytest.approx(expected[0], abs=1e-12)
        assert float(upper) == pytest.approx(expected[1], abs=1e-12)

    @settings(max_examples=100, deadline=None)
    @given(x=st.integers(0, 5_000), confidence=levels)
    def test_exact_poisson_agrees_with_the_poisson_distribution(
        self, x: int, confidence: float
    ) -> None:
        expected_lower, expected_upper = _exact_by_root_finding(x, confidence)
        lower, upper = exact_poisson_interval(x, confidence)
        assert float(lower) == pytest.approx(expected_lower, rel=1e-8, abs=1e-10)
        assert float(upper) == pytest.approx(expected_upper, rel=1e-8)


class TestProperties:
    @settings(max_examples=200, deadline=None)
    @given(n=st.integers(1, 10_000), share=st.floats(0, 1))
    def test_wilson_998_contains_95_and_brackets_the_proportion(self, n: int, share: float) -> None:
        x = round(share * n)
        lower95, upper95 = wilson_interval(x, n, 0.95)
        lower998, upper998 = wilson_interval(x, n, 0.998)
        assert 0 <= lower998 <= lower95 <= x / n <= upper95 <= upper998 <= 1

    @settings(max_examples=200, deadline=None)
    @given(x=st.integers(0, 100_000))
    def test_poisson_998_contains_95_and_brackets_the_count(self, x: int) -> None:
        for interval in (exact_poisson_interval, poisson_interval):
            lower95, upper95 = interval(x, 0.95)
            lower998, upper998 = interval(x, 0.998)
            assert 0 <= lower998 <= lower95 <= x <= upper95 <= upper998

    @settings(max_examples=100, deadline=None)
    @given(x=st.integers(10, 100_000))
    def test_byars_brackets_the_count_from_ten(self, x: int) -> None:
        lower, upper = byars_interval(x, 0.998)
        assert 0 < lower < x < upper

    def test_limits_rise_with_the_count(self) -> None:
        counts = np.arange(0, 500)
        for interval in (exact_poisson_interval, poisson_interval):
            lower, upper = interval(counts)
            assert np.all(np.diff(upper) > 0)
            assert np.all(np.diff(lower) >= 0)
        lower, upper = wilson_interval(counts, 500)
        assert np.all(np.diff(lower) > 0) and np.all(np.diff(upper) > 0)


class TestBadInput:
    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda: wilson_interval(-1, 10), "x: must be zero or more"),
            (lambda: wilson_interval(11, 10), "greater than its sample size"),
            (lambda: wilson_interval(1, 0), "n: must be greater than zero"),
            (lambda: wilson_interval(float("nan"), 10), "x: missing value"),
            (lambda: byars_interval(-3), "x: must be zero or more"),
            (lambda: exact_poisson_interval(5, 0.8), "below|outside 0.9"),
            (lambda: exact_poisson_interval(5, 1.0), "outside 0.9"),
            (lambda: byars_interval(5, "95%"), "expected a number"),  # type: ignore[arg-type]
        ],
    )
    def test_bad_input_raises_a_clear_value_error(self, call: object, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            call()  # type: ignore[operator]
