"""Indirectly standardised ratios and rates."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from vrn.analytics.stats import MissingBandWarning, byars_interval, israte, isratio

REFERENCE_EVENTS = [40, 300, 900]
REFERENCE_PEOPLE = [10_000, 30_000, 20_000]


@pytest.fixture
def areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": ["A"] * 3 + ["B"] * 3,
            "band": ["young", "middle", "old"] * 2,
            "observed": [5, 20, 60, 0, 1, 3],
            "people": [1000, 2000, 1500, 300, 200, 100],
            "ref_x": REFERENCE_EVENTS * 2,
            "ref_n": REFERENCE_PEOPLE * 2,
        }
    )


def expected_for(people: list[int]) -> float:
    return sum(
        x / n * p for x, n, p in zip(REFERENCE_EVENTS, REFERENCE_PEOPLE, people, strict=True)
    )


def test_ratio_worked_by_hand_with_byars_limits(areas: pd.DataFrame) -> None:
    result = isratio(areas, "observed", "people", "ref_x", "ref_n", group_by="area")
    a = result.set_index("area").loc["A"]
    expected = expected_for([1000, 2000, 1500])  # 4 + 20 + 67.5 = 91.5
    assert a["observed"] == 85 and a["expected"] == pytest.approx(91.5)
    assert a["value"] == pytest.approx(85 / 91.5)
    lower, upper = byars_interval(85)
    assert a["lowercl"] == pytest.approx(float(lower) / expected)
    assert a["uppercl"] == pytest.approx(float(upper) / expected)
    assert a["method"] == "Byars"
    assert a["statistic"] == "indirectly standardised ratio x 1"


def test_small_counts_use_exact_limits(areas: pd.DataFrame) -> None:
    result = isratio(areas, "observed", "people", "ref_x", "ref_n", 0.998, group_by="area")
    b = result.set_index("area").loc["B"]
    expected = expected_for([300, 200, 100])
    assert b["method"] == "Exact"
    assert b["lowercl"] == pytest.approx(scipy_stats.chi2.ppf(0.001, 8) / 2 / expected)
    assert b["uppercl"] == pytest.approx(scipy_stats.chi2.ppf(0.999, 10) / 2 / expected)
    assert b["confidence"] == "99.8%"


def test_reference_as_vectors_matches_reference_as_columns(areas: pd.DataFrame) -> None:
    from_columns = isratio(areas, "observed", "people", "ref_x", "ref_n", group_by="area")
    from_vectors = isratio(
        areas, "observed", "people", REFERENCE_EVENTS, REFERENCE_PEOPLE, group_by="area"
    )
    pd.testing.assert_frame_equal(from_columns, from_vectors)


def test_refvalue_scales_value_and_limits(areas: pd.DataFrame) -> None:
    one = isratio(areas, "observed", "people", "ref_x", "ref_n", group_by="area")
    hundred = isratio(areas, "observed", "people", "ref_x", "ref_n", refvalue=100, group_by="area")
    for column in ("value", "lowercl", "uppercl"):
        np.testing.assert_allclose(hundred[column], one[column] * 100)
    assert hundred["statistic"].iloc[0] == "indirectly standardised ratio x 100"


def test_rate_is_the_ratio_times_the_reference_rate(areas: pd.DataFrame) -> None:
    ratio = isratio(areas, "observed", "people", "ref_x", "ref_n", (0.95, 0.998), group_by="area")
    rates = israte(areas, "observed", "people", "ref_x", "ref_n", (0.95, 0.998), group_by="area")
    reference_rate = sum(REFERENCE_EVENTS) / sum(REFERENCE_PEOPLE) * 100_000
    for column in ("value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"):
        np.testing.assert_allclose(rates[column], ratio[column] * reference_rate, rtol=1e-12)
    assert rates["statistic"].iloc[0] == "indirectly standardised rate per 100000"


def test_whole_table_is_one_group_by_default(areas: pd.DataFrame) -> None:
    result = isratio(areas.iloc[:3], "observed", "people", "ref_x", "ref_n")
    assert len(result) == 1 and result["observed"].iloc[0] == 85


def test_zero_observed_gives_zero_lower_limit(areas: pd.DataFrame) -> None:
    none = areas.assign(observed=0)
    result = isratio(none, "observed", "people", "ref_x", "ref_n", group_by="area")
    assert (result["lowercl"] == 0).all() and (result["uppercl"] > 0).all()


class TestBadInput:
    def test_wrong_number_of_reference_values(self, areas: pd.DataFrame) -> None:
        with pytest.raises(ValueError, match="x_ref: 2 values given, but a group has 3 rows"):
            isratio(areas, "observed", "people", [1, 2], [10, 20], group_by="area")

    def test_nothing_expected(self, areas: pd.DataFrame) -> None:
        with pytest.raises(ValueError, match="x_ref: no events are expected in A"):
            isratio(areas, "observed", "people", [0, 0, 0], REFERENCE_PEOPLE, group_by="area")

    def test_negative_reference(self, areas: pd.DataFrame) -> None:
        with pytest.raises(ValueError, match="x_ref: every value must be zero or more"):
            isratio(areas, "observed", "people", [-1, 2, 3], REFERENCE_PEOPLE, group_by="area")

    def test_missing_reference_population(self, areas: pd.DataFrame) -> None:
        broken = areas.astype({"ref_n": float})
        broken.loc[2, "ref_n"] = np.nan
        with pytest.raises(ValueError, match=r"column 'ref_n': missing reference n at row 2"):
            isratio(broken, "observed", "people", "ref_x", "ref_n", group_by="area")

    def test_negative_or_non_numeric_population(self, areas: pd.DataFrame) -> None:
        with pytest.raises(ValueError, match=r"column 'people': denominator -1 at row 0"):
            isratio(
                areas.assign(people=[-1, 2, 3, 4, 5, 6]), "observed", "people", "ref_x", "ref_n"
            )
        text = areas.astype({"people": object})
        text.loc[1, "people"] = "many"
        with pytest.raises(ValueError, match=r"column 'people': denominator 'many' at row 1"):
            isratio(text, "observed", "people", "ref_x", "ref_n")

    def test_zero_reference_population(self, areas: pd.DataFrame) -> None:
        with pytest.raises(ValueError, match=r"column 'ref_n': reference n 0 at row 0"):
            isratio(areas.assign(ref_n=0), "observed", "people", "ref_x", "ref_n")


class TestMissingBandsCountAsZero:
    """The reference convention (PHEindicatormethods' ``na.zero``): a band whose count,
    population or reference count is missing adds nothing, with a warning naming it."""

    def test_a_missing_population_is_a_band_of_no_one(self, areas: pd.DataFrame) -> None:
        broken = areas.astype({"people": float})
        broken.loc[2, "people"] = np.nan
        with pytest.warns(MissingBandWarning, match=r"column 'people' at rows 2"):
            result = isratio(broken, "observed", "people", "ref_x", "ref_n", group_by="area")
        expected = expected_for([1000, 2000, 0])
        assert result.loc[0, "expected"] == pytest.approx(expected)
        assert result.loc[0, "value"] == pytest.approx(85 / expected)
        assert result.loc[1, "expected"] == pytest.approx(expected_for([300, 200, 100]))

    def test_missing_counts_observed_and_reference(self, areas: pd.DataFrame) -> None:
        broken = areas.astype({"observed": float, "ref_x": float})
        broken.loc[1, "observed"] = np.nan
        broken.loc[0, "ref_x"] = np.nan
        with pytest.warns(MissingBandWarning) as caught:
            result = israte(broken, "observed", "people", "ref_x", "ref_n", group_by="area")
        message = str(caught[0].message)
        assert "column 'observed' at rows 1" in message and "column 'ref_x' at rows 0" in message
        zero_ref = [0, *REFERENCE_EVENTS[1:]]
        observed, expected = (
            65,
            sum(
                x / n * p
                for x, n, p in zip(zero_ref, REFERENCE_PEOPLE, [1000, 2000, 1500], strict=True)
            ),
        )
        reference_rate = sum(zero_ref) / sum(REFERENCE_PEOPLE)
        assert result.loc[0, "observed"] == observed
        assert result.loc[0, "value"] == pytest.approx(
            observed / expected * reference_rate * 100_000
        )

    def test_a_missing_reference_count_given_as_values(self, areas: pd.DataFrame) -> None:
        with pytest.warns(MissingBandWarning, match=r"x_ref: missing values at positions \[0\]"):
            result = isratio(
                areas, "observed", "people", [np.nan, 300, 900], REFERENCE_PEOPLE, group_by="area"
            )
        with_zero = isratio(
            areas, "observed", "people", [0, 300, 900], REFERENCE_PEOPLE, group_by="area"
        )
        pd.testing.assert_frame_equal(result, with_zero)

    def test_complete_bands_give_no_warning(self, areas: pd.DataFrame) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            isratio(areas, "observed", "people", "ref_x", "ref_n", group_by="area")
