"""Directly standardised rates: the Dobson method against direct computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrn.analytics.stats import ESP2013, dsr

Z = {0.95: 1.959963984540054, 0.998: 3.090232306167813}


def byars(count: float, level: float) -> tuple[float, float]:
    z = Z[level]
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return lower, upper


def dobson_by_hand(
    counts: list[float], pops: list[float], weights: list[float], level: float = 0.95
) -> tuple[float, float, float]:
    """DSR per 100,000 and its limits, written out term by term (Dobson et al. 1991)."""
    total_weight = sum(weights)
    value = sum(w * x / n for x, n, w in zip(counts, pops, weights, strict=True)) / total_weight
    variance = sum(x * (w / n) ** 2 for x, n, w in zip(counts, pops, weights, strict=True))
    variance /= total_weight**2
    total = sum(counts)
    low, high = byars(total, level)
    scale = math.sqrt(variance / total)
    return (
        value * 1e5,
        (value + scale * (low - total)) * 1e5,
        (value + scale * (high - total)) * 1e5,
    )


def test_esp2013_has_19_bands_summing_to_100000() -> None:
    assert len(ESP2013) == 19
    assert ESP2013.sum() == 100_000
    assert ESP2013.index[0] == "0-4" and ESP2013.index[-1] == "90+"
    assert ESP2013["40-44"] == 7000 and ESP2013["85-89"] == 1500


def test_a_three_band_example_worked_by_hand() -> None:
    table = pd.DataFrame({"x": [10, 20, 30], "n": [1000, 2000, 1500], "w": [3000, 5000, 2000]})
    result = dsr(table, "x", "n", "w").iloc[0]
    # value = (3000*0.01 + 5000*0.01 + 2000*0.02) / 10000 = 0.012 -> 1200 per 100,000
    assert result["value"] == pytest.approx(1200.0, rel=1e-12)
    assert result["total_count"] == 60 and result["total_pop"] == 4500
    expected = dobson_by_hand([10, 20, 30], [1000, 2000, 1500], [3000, 5000, 2000])
    assert result["lowercl"] == pytest.approx(expected[1], rel=1e-12)
    assert result["uppercl"] == pytest.approx(expected[2], rel=1e-12)
    assert result["statistic"] == "dsr per 100000"
    assert result["method"] == "Dobson"


bands = st.lists(st.tuples(st.integers(0, 400), st.integers(50, 200_000)), min_size=19, max_size=19)


@settings(max_examples=100, deadline=None)
@given(rows=bands, pair=st.booleans())
def test_dsr_agrees_with_a_direct_weighted_sum(rows: list[tuple[int, int]], pair: bool) -> None:
    counts = [float(x) for x, _ in rows]
    pops = [float(n) for _, n in rows]
    table = pd.DataFrame({"age_band": ESP2013.index, "x": counts, "n": pops})
    confidence = (0.95, 0.998) if pair else 0.95
    result = dsr(table, "x", "n", ESP2013, confidence=confidence, age_band="age_band").iloc[0]
    if sum(counts) < 10:
        assert np.isnan(result["value"])
        assert result["statistic"] == "dsr NA for total count < 10"
        return
    weights = list(ESP2013.astype(float))
    value, lower, upper = dobson_by_hand(counts, pops, weights)
    assert result["value"] == pytest.approx(value, rel=1e-10)
    lower_name, upper_name = ("lower95_0cl", "upper95_0cl") if pair else ("lowercl", "uppercl")
    assert result[lower_name] == pytest.approx(lower, rel=1e-9)
    assert result[upper_name] == pytest.approx(upper, rel=1e-9)
    assert result[lower_name] <= result["value"] <= result[upper_name]
    if pair:
        _, lower998, upper998 = dobson_by_hand(counts, pops, weights, 0.998)
        assert result["lower99_8cl"] == pytest.approx(lower998, rel=1e-9)
        assert result["upper99_8cl"] == pytest.approx(upper998, rel=1e-9)
        assert result["lower99_8cl"] <= result[lower_name]
        assert result["upper99_8cl"] >= result[upper_name]


def test_fewer_than_ten_events_are_not_published() -> None:
    table = pd.DataFrame({"x": [3, 6], "n": [1000, 1000], "w": [1, 1]})
    result = dsr(table, "x", "n", "w").iloc[0]
    assert result["total_count"] == 9
    assert np.isnan(result["value"]) and np.isnan(result["lowercl"])
    assert result["statistic"] == "dsr NA for total count < 10"


def test_groups_with_positional_standard_population() -> None:
    areas = pd.DataFrame(
        {
            "area": ["A"] * 19 + ["B"] * 19,
            "x": [5] * 19 + [0] * 18 + [7],
            "n": [10_000] * 38,
        }
    )
    result = dsr(areas, "x", "n", ESP2013.to_numpy(), group_by="area").set_index("area")
    assert result.loc["A", "value"] == pytest.approx(50.0)  # the same rate in every band
    assert np.isnan(result.loc["B", "value"])
    assert result.loc["B", "statistic"] == "dsr NA for total count < 10"
    assert result.loc["A", "total_pop"] == 190_000


def test_blank_counts_are_zero_events() -> None:
    table = pd.DataFrame({"x": [20, None], "n": [1000, 1000], "w": [1, 1]})
    assert dsr(table, "x", "n", "w").iloc[0]["value"] == pytest.approx(1000.0)


class TestNonIndependentEvents:
    def test_everyone_with_one_event_matches_independent_events(self) -> None:
        table = pd.DataFrame(
            {"band": ["a", "b"], "x": [15, 25], "n": [1000, 3000], "w": [40, 60], "f": [1, 1]}
        )
        plain = dsr(table, "x", "n", "w").iloc[0]
        adjusted = dsr(table, "x", "n", "w", age_band="band", event_frequency="f").iloc[0]
        for column in ("value", "lowercl", "uppercl", "total_count"):
            assert adjusted[column] == pytest.approx(plain[column], rel=1e-12)
        assert adjusted["method"] == "Dobson, with confidence adjusted for non-independent events"

    def test_repeat_events_widen_the_interval_as_the_formula_says(self) -> None:
        # Band a: 10 people with 1 event, 5 with 3; band b: 20 people with 2 events.
        table = pd.DataFrame(
            {
                "band": ["a", "a", "b"],
                "x": [10, 5, 20],
                "f": [1, 3, 2],
                "n": [1000, 1000, 4000],
                "w": [50, 50, 50],
            }
        )
        result = dsr(table, "x", "n", "w", age_band="band", event_frequency="f").iloc[0]
        events_a, events_b = 10 + 15, 40
        value = (50 * events_a / 1000 + 50 * events_b / 4000) / 100
        variance = ((10 * 1 + 5 * 9) * (50 / 1000) ** 2 + (20 * 4) * (50 / 4000) ** 2) / 100**2
        total = events_a + events_b
        low, high = byars(total, 0.95)
        spread = math.sqrt(variance / total)
        assert result["total_count"] == total and result["total_pop"] == 5000
        assert result["value"] == pytest.approx(value * 1e5, rel=1e-12)
        assert result["lowercl"] == pytest.approx((value + spread * (low - total)) * 1e5)
        assert result["uppercl"] == pytest.approx((value + spread * (high - total)) * 1e5)
        independent = dsr(
            pd.DataFrame({"x": [events_a, events_b], "n": [1000, 4000], "w": [50, 50]}),
            "x",
            "n",
            "w",
        ).iloc[0]
        assert result["value"] == pytest.approx(independent["value"])
        assert result["uppercl"] > independent["uppercl"]

    def test_needs_the_age_band(self) -> None:
        table = pd.DataFrame({"x": [1], "n": [10], "w": [1], "f": [2]})
        with pytest.raises(ValueError, match=r"event_frequency: .* need the age_band"):
            dsr(table, "x", "n", "w", event_frequency="f")

    def test_one_population_per_band(self) -> None:
        table = pd.DataFrame(
            {"band": ["a", "a"], "x": [1, 2], "n": [10, 11], "w": [1, 1], "f": [1, 2]}
        )
        with pytest.raises(ValueError, match=r"column 'n': band 'a' has rows with different"):
            dsr(table, "x", "n", "w", age_band="band", event_frequency="f")


class TestBadInput:
    def test_standard_population_of_the_wrong_length(self) -> None:
        table = pd.DataFrame({"x": [1, 2, 3], "n": [10, 10, 10]})
        with pytest.raises(ValueError, match="standard_population: 19 values given, but a group"):
            dsr(table, "x", "n")

    def test_band_not_in_the_standard(self) -> None:
        table = pd.DataFrame({"band": ["0-4", "95+"], "x": [1, 2], "n": [10, 10]})
        with pytest.raises(ValueError, match=r"column 'band': band '95\+' is not in the standard"):
            dsr(table, "x", "n", ESP2013, age_band="band")

    def test_zero_population(self) -> None:
        table = pd.DataFrame({"x": [1, 2], "n": [10, 0], "w": [1, 1]})
        with pytest.raises(ValueError, match=r"column 'n': denominator 0 at row 1 must be greater"):
            dsr(table, "x", "n", "w")

    def test_negative_count(self) -> None:
        table = pd.DataFrame({"x": [1, -2], "n": [10, 10], "w": [1, 1]})
        with pytest.raises(ValueError, match=r"column 'x': count -2 at row 1"):
            dsr(table, "x", "n", "w")
