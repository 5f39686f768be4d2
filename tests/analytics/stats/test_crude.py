"""proportion, rate and mean: output layout, grouping, known values and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from vrn.analytics.stats import (
    byars_interval,
    exact_poisson_interval,
    mean,
    proportion,
    rate,
    wilson_interval,
)


@pytest.fixture
def areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": ["Blaby", "Charnwood", "Leicester", "Melton"],
            "district": ["county", "county", "city", "county"],
            "events": [4, 65, 1200, 0],
            "people": [101_000, 183_000, 368_000, 52_000],
        }
    )


class TestProportion:
    def test_one_row_per_input_row_keeps_other_columns(self, areas: pd.DataFrame) -> None:
        result = proportion(areas, "events", "people", multiplier=100)
        assert list(result["area"]) == list(areas["area"])
        assert list(result.columns[-6:]) == [
            "value",
            "lowercl",
            "uppercl",
            "confidence",
            "statistic",
            "method",
        ]
        lower, upper = wilson_interval(areas["events"], areas["people"])
        np.testing.assert_allclose(result["lowercl"], lower * 100, rtol=1e-12)
        np.testing.assert_allclose(result["uppercl"], upper * 100, rtol=1e-12)
        assert set(result["statistic"]) == {"percentage"}
        assert set(result["method"]) == {"Wilson"}
        assert set(result["confidence"]) == {"95%"}

    def test_statistic_names_the_multiplier(self, areas: pd.DataFrame) -> None:
        assert proportion(areas, "events", "people")["statistic"].iloc[0] == "proportion of 1"
        result = proportion(areas, "events", "people", multiplier=1000)
        assert result["statistic"].iloc[0] == "proportion of 1000"

    def test_group_by_sums_numerators_and_denominators(self, areas: pd.DataFrame) -> None:
        result = proportion(areas, "events", "people", group_by="district")
        assert list(result["district"]) == ["county", "city"]
        county = result.set_index("district").loc["county"]
        assert county["events"] == 69 and county["people"] == 336_000
        assert county["value"] == pytest.approx(69 / 336_000)

    def test_a_confidence_pair_gives_four_limit_columns(self, areas: pd.DataFrame) -> None:
        result = proportion(areas, "events", "people", confidence=(0.95, 0.998))
        assert {"lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"} <= set(result)
        assert "lowercl" not in result
        assert (result["lower99_8cl"] <= result["lower95_0cl"]).all()
        assert (result["upper99_8cl"] >= result["upper95_0cl"]).all()
        assert result["confidence"].iloc[0] == "95%, 99.8%"

    def test_the_callers_data_is_not_changed(self, areas: pd.DataFrame) -> None:
        before = areas.copy(deep=True)
        proportion(areas, "events", "people")
        rate(areas, "events", "people", group_by=["district"])
        pd.testing.assert_frame_equal(areas, before)

    def test_numerator_above_denominator_names_the_column_and_row(self) -> None:
        table = pd.DataFrame({"x": [1, 12], "n": [10, 10]}, index=["a", "b"])
        with pytest.raises(ValueError, match=r"column 'x': count 12 at row 'b' is greater"):
            proportion(table, "x", "n")


class TestRate:
    def test_exact_below_ten_and_byars_from_ten(self, areas: pd.DataFrame) -> None:
        result = rate(areas, "events", "people")
        assert list(result["method"]) == ["Exact", "Byars", "Byars", "Exact"]
        assert result["statistic"].iloc[0] == "rate per 100000"
        blaby = result.iloc[0]
        lower, upper = exact_poisson_interval(4)
        assert blaby["lowercl"] == pytest.approx(float(lower) / 101_000 * 100_000)
        assert blaby["uppercl"] == pytest.approx(float(upper) / 101_000 * 100_000)
        charnwood = result.iloc[1]
        lower, upper = byars_interval(65)
        assert charnwood["lowercl"] == pytest.approx(float(lower) / 183_000 * 100_000)

    def test_the_issue_example_of_5_per_100(self) -> None:
        table = pd.DataFrame({"x": [5], "n": [100]})
        result = rate(table, "x", "n", multiplier=100).iloc[0]
        assert result["lowercl"] == pytest.approx(1.62348639, abs=1e-8)
        assert result["uppercl"] == pytest.approx(11.66833208, abs=1e-8)

    def test_zero_events_give_a_zero_lower_limit(self, areas: pd.DataFrame) -> None:
        melton = rate(areas, "events", "people").iloc[3]
        assert melton["value"] == 0 and melton["lowercl"] == 0 and melton["uppercl"] > 0

    def test_grouped_rates_use_the_group_totals(self, areas: pd.DataFrame) -> None:
        result = rate(areas, "events", "people", multiplier=1000, group_by="district")
        city = result.set_index("district").loc["city"]
        assert city["value"] == pytest.approx(1200 / 368_000 * 1000)
        assert result["statistic"].iloc[0] == "rate per 1000"


class TestMean:
    @settings(max_examples=50, deadline=None)
    @given(values=st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=200))
    def test_agrees_with_scipy_t_interval(self, values: list[float]) -> None:
        result = mean(pd.DataFrame({"v": values}), "v").iloc[0]
        sample = np.array(values)
        scale = scipy_stats.sem(sample)
        if scale == 0:
            assert result["lowercl"] == result["uppercl"] == pytest.approx(sample.mean())
            return
        lower, upper = scipy_stats.t.interval(0.95, len(sample) - 1, sample.mean(), scale)
        assert result["lowercl"] == pytest.approx(lower, rel=1e-9, abs=1e-6)
        assert result["uppercl"] == pytest.approx(upper, rel=1e-9, abs=1e-6)

    def test_grouped_means_and_labels(self) -> None:
        table = pd.DataFrame({"site": ["a", "a", "a", "b"], "age": [10, 20, 30, 40]})
        result = mean(table, "age", confidence=(0.95, 0.998), group_by="site")
        a = result.set_index("site").loc["a"]
        assert a["value_sum"] == 60 and a["value_count"] == 3 and a["stdev"] == 10
        assert a["lower99_8cl"] < a["lower95_0cl"] < 20 < a["upper95_0cl"] < a["upper99_8cl"]
        b = result.set_index("site").loc["b"]
        assert np.isnan(b["lower95_0cl"])  # one value: no standard deviation
        assert result["method"].iloc[0] == "Student's t-distribution"

    def test_negative_values_are_allowed(self) -> None:
        result = mean(pd.DataFrame({"change": [-2.0, -1.0, 0.0]}), "change").iloc[0]
        assert result["value"] == -1.0


class TestBadInput:
    @pytest.mark.parametrize(
        ("table", "message"),
        [
            (pd.DataFrame({"x": [-1], "n": [10]}), r"column 'x': count -1 at row 0 must be"),
            (pd.DataFrame({"x": [1], "n": [np.nan]}), r"column 'n': missing denominator at row 0"),
            (pd.DataFrame({"x": [np.nan], "n": [5]}), r"column 'x': missing count at row 0"),
            (pd.DataFrame({"x": [1], "n": [0]}), r"column 'n': denominator 0 at row 0 must be"),
            (pd.DataFrame({"x": ["two"], "n": [5]}), r"column 'x': count 'two' at row 0 is not"),
            (pd.DataFrame({"x": [1], "m": [5]}), r"n: column 'n' is not in the data"),
        ],
    )
    @pytest.mark.parametrize("function", [proportion, rate])
    def test_bad_columns(self, function: object, table: pd.DataFrame, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            function(table, "x", "n")  # type: ignore[operator]

    @pytest.mark.parametrize("confidence", [0.8, 80, 1.5, (0.95, 0.9), (0.9, 0.95, 0.99)])
    def test_bad_confidence(self, areas: pd.DataFrame, confidence: object) -> None:
        with pytest.raises(ValueError, match="confidence"):
            rate(areas, "events", "people", confidence=confidence)  # type: ignore[arg-type]

    def test_bad_multiplier_and_group(self, areas: pd.DataFrame) -> None:
        with pytest.raises(ValueError, match="multiplier: must be a positive number"):
            rate(areas, "events", "people", multiplier=0)
        with pytest.raises(ValueError, match=r"group_by\[0\]: column 'region' is not"):
            rate(areas, "events", "people", group_by="region")

    def test_not_a_dataframe(self) -> None:
        with pytest.raises(ValueError, match="data: expected a pandas DataFrame"):
            rate([[1, 2]], "x", "n")  # type: ignore[arg-type]
