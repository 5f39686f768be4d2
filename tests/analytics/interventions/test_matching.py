"""Matched comparison: eligibility, matching, outcome windows, rates and determinism."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.analytics.interventions.frames import planted_matching
from vrn.analytics.interventions import MatchedComparison, age_band, matched_comparison
from vrn.analytics.stats import proportion_difference, proportion_ratio, wilson_interval

DATA_END = pd.Timestamp("2024-06-30")


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return planted_matching(seed=7)


@pytest.fixture(scope="module")
def result(planted: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> MatchedComparison:
    treated, pool, events = planted
    return matched_comparison(treated, pool, events, window_days=365, data_end=DATA_END, seed=11)


def test_planted_difference_is_recovered(result: MatchedComparison) -> None:
    assert result.difference_lowercl < -0.10 < result.difference_uppercl
    assert result.difference_uppercl < 0
    assert result.treated_lowercl < 0.2 < result.treated_uppercl
    assert result.comparison_lowercl < 0.3 < result.comparison_uppercl
    assert result.risk_ratio_lowercl < 2 / 3 < result.risk_ratio_uppercl


def test_only_eligible_people_are_used(
    planted: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], result: MatchedComparison
) -> None:
    treated, pool, _ = planted
    late = treated["index_date"] + pd.Timedelta(days=365) > DATA_END
    assert result.treated_total == len(treated)
    assert result.treated_excluded_window == int(late.sum()) > 0
    assert result.treated_eligible == len(treated) - int(late.sum())
    assert result.pool_excluded_treated == 50
    pool_late = pool["index_date"] + pd.Timedelta(days=365) > DATA_END
    kept = ~pool["person_key"].isin(treated["person_key"])
    assert result.pool_excluded_window == int((pool_late & kept).sum())
    matches = result.matches
    assert (matches["treated_index_date"] + pd.Timedelta(days=365) <= DATA_END).all()
    assert (matches["control_index_date"] + pd.Timedelta(days=365) <= DATA_END).all()
    assert not matches["control_key"].isin(treated["person_key"]).any()
    assert matches["control_key"].is_unique and matches["treated_key"].is_unique
    gap = (matches["treated_index_date"] - matches["control_index_date"]).dt.days.abs()
    assert (gap <= 90).all()
    assert result.treated_matched + result.treated_unmatched == result.treated_eligible
    assert result.comparison_matched == result.treated_matched == len(matches)
    assert "365 days" in result.method and "2024-06-30" in result.method


def test_matches_are_exact_on_the_matching_columns(
    planted: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], result: MatchedComparison
) -> None:
    treated, pool, _ = planted
    matches = result.matches
    treated_cells = treated.set_index("person_key").loc[matches["treated_key"]]
    pool_cells = pool.drop_duplicates("person_key").set_index("person_key")
    pool_cells = pool_cells.loc[matches["control_key"]]
    for column in ("age_band", "sex"):
        assert list(treated_cells[column]) == list(pool_cells[column])


def test_rates_use_the_shared_interval_methods(result: MatchedComparison) -> None:
    x1, n1 = result.treated_events, result.treated_matched
    x2, n2 = result.comparison_events, result.comparison_matched
    assert result.treated_rate == pytest.approx(x1 / n1)
    lower, upper = wilson_interval(x1, n1)
    assert result.treated_lowercl == pytest.approx(float(lower))
    assert result.treated_uppercl == pytest.approx(float(upper))
    difference = proportion_difference(x1, n1, x2, n2).iloc[0]
    assert result.difference_lowercl == pytest.approx(difference["lowercl"])
    ratio = proportion_ratio(x1, n1, x2, n2).iloc[0]
    assert result.risk_ratio == pytest.approx(ratio["value"])
    assert result.risk_ratio_uppercl == pytest.approx(ratio["uppercl"])


def test_same_seed_same_result_whatever_the_row_order(
    planted: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], result: MatchedComparison
) -> None:
    treated, pool, events = planted
    again = matched_comparison(
        treated.sample(frac=1, random_state=1),
        pool.sample(frac=1, random_state=2),
        events.sample(frac=1, random_state=3),
        window_days=365,
        data_end=DATA_END,
        seed=11,
    )
    pd.testing.assert_frame_equal(again.matches, result.matches)
    pd.testing.assert_frame_equal(again.to_frame(), result.to_frame())
    other = matched_comparison(treated, pool, events, window_days=365, data_end=DATA_END, seed=12)
    assert not other.matches["control_key"].equals(result.matches["control_key"])


def hand_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    treated = pd.DataFrame(
        {
            "person_key": ["t1", "t2", "t3", "t4", None],
            "index_date": pd.to_datetime(
                ["2023-01-10", "2023-02-01", "2023-03-01", "2024-05-01", "2023-01-01"]
            ),
            "age_band": ["14-17", "14-17", "18-20", "14-17", "14-17"],
            "sex": ["male", "male", "female", "male", "male"],
        }
    )
    pool = pd.DataFrame(
        {
            "person_key": ["p1", "p2", "p3", "p4", "t1", "p5"],
            "index_date": pd.to_datetime(
                ["2023-01-01", "2023-02-10", "2023-06-15", "2023-03-05", "2023-01-10", "2023-02-20"]
            ),
            "age_band": ["14-17", "14-17", "18-20", "18-20", "14-17", "14-17"],
            "sex": ["male", "male", "female", "male", "male", "male"],
        }
    )
    events = pd.DataFrame(
        {
            "person_key": ["t1", "t2", "p1", "p2", "p2", "p5"],
            "event_date": pd.to_datetime(
                ["2023-01-10", "2023-06-01", "2023-12-31", "2023-03-01", "2024-06-01", "2024-01-01"]
            ),
        }
    )
    return treated, pool, events


def test_hand_worked_matching_and_windows() -> None:
    treated, pool, events = hand_frames()
    result = matched_comparison(
        treated, pool, events, window_days=365, data_end="2024-06-30", seed=3
    )
    # t4's window ends after the data; the keyless row is excluded; t3 (18-20 female)
    # has only p3, 106 days away, beyond the 90-day caliper.
    assert result.treated_excluded_no_key == 1 and result.treated_excluded_window == 1
    assert result.treated_eligible == 3 and result.treated_matched == 2
    assert result.treated_unmatched == 1
    assert result.pool_excluded_treated == 1 and result.pool_eligible == 5
    assert set(result.matches["treated_key"]) == {"t1", "t2"}
    assert set(result.matches["control_key"]) <= {"p1", "p2", "p5"}
    # t1's only event is on its index date (not counted); t2 has one 120 days later.
    assert result.treated_events == 1 and result.treated_rate == 0.5
    assert "1 of 3 eligible treated people could not be matched" in (result.note or "")


def test_ratio_two_to_one_and_caliper() -> None:
    treated, pool, events = hand_frames()
    result = matched_comparison(
        treated, pool, events, window_days=365, data_end="2024-06-30", ratio=2, seed=3
    )
    # Three 14-17 male candidates (p1, p2, p5) for t1 and t2: only one can have two.
    assert result.treated_matched == 1 and result.comparison_matched == 2
    assert result.controls_per_treated == 2
    wide = matched_comparison(
        treated, pool, events, window_days=365, data_end="2024-06-30", seed=3, caliper_days=200
    )
    assert wide.treated_matched == 3


def test_no_pool_and_no_treated() -> None:
    treated, pool, events = hand_frames()
    result = matched_comparison(
        treated, pool.iloc[0:0], events, window_days=365, data_end="2024-06-30", seed=1
    )
    assert result.treated_matched == 0 and result.treated_unmatched == 3
    assert math.isnan(result.comparison_rate) and math.isnan(result.difference)
    assert "no comparison pool" in (result.note or "")
    bare = matched_comparison(
        pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), window_days=365, data_end=DATA_END, seed=1
    )
    assert bare.treated_total == 0 and math.isnan(bare.treated_rate)
    assert bare.matches.empty
    frame = bare.to_frame()
    assert len(frame) == 1 and frame["match_on"].iloc[0] == "age_band, sex"


def test_bad_input() -> None:
    treated, pool, events = hand_frames()
    arguments = {"window_days": 365, "data_end": DATA_END, "seed": 1}
    with pytest.raises(ValueError, match=r"pool: column 'sex' is missing"):
        matched_comparison(treated, pool.drop(columns="sex"), events, **arguments)
    with pytest.raises(ValueError, match=r"events: column 'event_date' is missing"):
        matched_comparison(treated, pool, events.drop(columns="event_date"), **arguments)
    with pytest.raises(ValueError, match=r"treated: column 'index_date' is missing"):
        matched_comparison(treated.drop(columns="index_date"), pool, events, **arguments)
    with pytest.raises(ValueError, match=r"window_days: expected a whole number"):
        matched_comparison(treated, pool, events, window_days=0, data_end=DATA_END, seed=1)
    with pytest.raises(ValueError, match=r"ratio: expected a whole number"):
        matched_comparison(treated, pool, events, ratio=0, **arguments)
    with pytest.raises(ValueError, match=r"seed: expected an integer"):
        matched_comparison(
            treated,
            pool,
            events,
            window_days=1,
            data_end=DATA_END,
            seed=None,  # type: ignore[arg-type]
        )


def test_age_band() -> None:
    bands = age_band([9.9, 10, 13.9, 14, 25, np.nan])
    assert bands.tolist() == ["under 10", "10-13", "10-13", "14-17", "25+", ""]
    assert age_band([17, 18], edges=(18,)).tolist() == ["under 18", "18+"]
    with pytest.raises(ValueError, match=r"edges: expected increasing ages"):
        age_band([1], edges=(18, 10))
