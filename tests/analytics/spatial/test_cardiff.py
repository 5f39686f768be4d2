"""The Cardiff Model comparison: hand-built matches, one-to-one matching, hidden hotspots."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from vrn.analytics.spatial.cardiff import (
    GREEDY_METHOD,
    MATCHED,
    NOT_MATCHABLE,
    UNKNOWN,
    chance_matches,
    compare_ed_with_police,
    corrected_share_unknown,
    hidden_hotspots,
    share_unknown,
)
from vrn.analytics.stats import rate_ratio, wilson_interval

DAY = pd.Timestamp("2024-05-10")  # a Friday


def day(offset: int) -> pd.Timestamp:
    return DAY + pd.Timedelta(days=offset)


def ed_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """ED assaults with defaults for the columns a test does not care about."""
    defaults = {
        "geocode_confidence": "exact",
        "means_of_assault": "body_part",
        "area_code": "E01000001",
        "hour": 23,
        "date_source": "incident",
    }
    return pd.DataFrame([{**defaults, **row} for row in rows])


# Clusters 10 km apart, so nothing matches across them.
HAND_ED = ed_frame(
    [
        # a: the crime is exactly 250 m (150-200-250 triangle) and exactly 3 days later.
        {"x": 0.0, "y": 0.0, "date": DAY},
        # b: one crime 250.5 m away the same day, another 100 m away but 4 days later.
        {"x": 10_000.0, "y": 0.0, "date": DAY},
        # c: the crime is at the same place, exactly 3 days earlier.
        {"x": 20_000.0, "y": 0.0, "date": DAY},
        # d: not geocoded.
        {"x": np.nan, "y": np.nan, "date": DAY, "geocode_confidence": "none"},
        # e: a crime at the same place and day, but the geocode confidence is "none".
        {"x": 30_000.0, "y": 0.0, "date": DAY, "geocode_confidence": "none"},
        # f and g: one crime near both; g is the same day (190 m), f a day apart (10 m).
        {"x": 40_000.0, "y": 0.0, "date": DAY},
        {"x": 40_000.0, "y": 200.0, "date": day(1)},
    ],
)
HAND_POLICE = pd.DataFrame(
    {
        "x": [150.0, 10_000.0, 10_000.0, 20_000.0, 30_000.0, 40_000.0],
        "y": [200.0, 250.5, 100.0, 0.0, 0.0, 10.0],
        "date": [day(3), DAY, day(4), day(-3), DAY, day(1)],
        "area_code": ["E01000001"] * 5 + ["E01000002"],
    },
    index=["p0", "p1", "p2", "p3", "p4", "p5"],
)


class TestMatching:
    def test_hand_built_matches_at_the_boundaries(self) -> None:
        result = compare_ed_with_police(HAND_ED, HAND_POLICE)
        assaults = result.assaults
        assert assaults["status"].tolist() == [
            MATCHED,
            UNKNOWN,
            MATCHED,
            NOT_MATCHABLE,
            NOT_MATCHABLE,
            UNKNOWN,
            MATCHED,
        ]
        matches = [label if pd.notna(label) else None for label in assaults["police_match"]]
        assert matches == ["p0", None, "p3", None, None, None, "p5"]
        assert assaults.loc[0, "metres_apart"] == 250.0
        assert assaults.loc[0, "days_apart"] == 3
        assert assaults.loc[2, "days_apart"] == 3
        assert assaults["reason"].tolist()[3:5] == ["no coordinates", "geocode confidence none"]
        assert result.method == GREEDY_METHOD
        overall = result.overall.iloc[0]
        assert overall[
            ["ed_assaults", "not_matchable", "matched", "unknown_to_police"]
        ].tolist() == [
            7,
            2,
            3,
            2,
        ]
        assert overall["share_unknown"] == pytest.approx(2 / 5)

    def test_limits_are_parameters(self) -> None:
        # At 249.9 m the first assault no longer matches; at 2 days neither do the first and
        # the third; at 251 m the second does (250.5 m away).
        tighter = compare_ed_with_police(HAND_ED, HAND_POLICE, distance=249.9)
        assert tighter.assaults["status"].tolist()[0] == UNKNOWN
        shorter = compare_ed_with_police(HAND_ED, HAND_POLICE, days=2)
        assert shorter.assaults["status"].tolist()[:3] == [UNKNOWN, UNKNOWN, UNKNOWN]
        wider = compare_ed_with_police(HAND_ED, HAND_POLICE, distance=251)
        assert wider.assaults.loc[1, "police_match"] == "p1"

    def test_one_police_crime_matches_one_assault(self) -> None:
        ed = ed_frame(
            [
                {"x": 0.0, "y": 0.0, "date": DAY},
                {"x": 0.0, "y": 20.0, "date": DAY},
            ]
        )
        police = pd.DataFrame({"x": [0.0], "y": [10.0], "date": [DAY]})
        result = compare_ed_with_police(ed, police)
        # Equal in time and space: row order decides, and only one is matched.
        assert result.assaults["status"].tolist() == [MATCHED, UNKNOWN]
        assert result.matched_if_maximised == 1

    def test_greedy_and_the_maximum_matching(self) -> None:
        # Assault A is 0 days from crime P and 2 days from Q; assault B is 1 day from P only.
        # Greedy takes A-P (closest in time) and leaves B; a maximum matching pairs A-Q, B-P.
        ed = ed_frame(
            [
                {"x": 0.0, "y": 0.0, "date": DAY},
                {"x": 0.0, "y": 200.0, "date": day(1)},
            ]
        )
        police = pd.DataFrame({"x": [0.0, 0.0], "y": [0.0, -200.0], "date": [DAY, day(-2)]})
        result = compare_ed_with_police(ed, police)
        assert result.assaults["status"].tolist() == [MATCHED, UNKNOWN]
        assert result.assaults.loc[0, "police_match"] == 0
        assert result.matched_if_maximised == 2

    def test_greedy_agrees_with_a_plain_reference(self) -> None:
        rng = np.random.default_rng(4)
        n_ed, n_police = 150, 400
        ed = ed_frame(
            [
                {
                    "x": float(rng.uniform(0, 2000)),
                    "y": float(rng.uniform(0, 2000)),
                    "date": day(int(rng.integers(0, 30))),
                }
                for _ in range(n_ed)
            ]
        )
        police = pd.DataFrame(
            {
                "x": rng.uniform(0, 2000, n_police).round(),
                "y": rng.uniform(0, 2000, n_police).round(),
                "date": [day(int(offset)) for offset in rng.integers(0, 30, n_police)],
            }
        )
        result = compare_ed_with_police(ed, police)
        candidates = []
        for i in range(n_ed):
            for j in range(n_police):
                metres = math.hypot(ed.x[i] - police.x[j], ed.y[i] - police.y[j])
                apart = abs((ed.date[i] - police.date[j]).days)
                if metres <= 250 and apart <= 3:
                    candidates.append((apart, metres, i, j))
        expected: dict[int, int] = {}
        taken: set[int] = set()
        for _, _, i, j in sorted(candidates):
            if i not in expected and j not in taken:
                expected[i] = j
                taken.add(j)
        matches = result.assaults["police_match"]
        assert {i: int(matches[i]) for i in range(n_ed) if pd.notna(matches[i])} == expected
        assert len(expected) > 20
        assert result.matched_if_maximised >= len(expected)

    def test_month_dated_police_data(self) -> None:
        ed = ed_frame(
            [
                {"x": 0.0, "y": 0.0, "date": pd.Timestamp("2024-05-31")},
                {"x": 5000.0, "y": 0.0, "date": pd.Timestamp("2024-06-01")},
            ]
        )
        police = pd.DataFrame(
            {"x": [0.0, 5000.0], "y": [0.0, 0.0], "date": pd.to_datetime(["2024-05-01"] * 2)}
        )
        result = compare_ed_with_police(ed, police, dated_by="month")
        assert result.assaults["status"].tolist() == [MATCHED, UNKNOWN]
        assert result.assaults.loc[0, "months_apart"] == 0
        assert "same calendar month" in result.caveats[0]
        assert result.days == 0 and result.dated_by == "month"

    def test_month_dates_passed_as_days_are_refused(self) -> None:
        police = pd.DataFrame(
            {
                "x": np.arange(24.0),
                "y": 0.0,
                "date": pd.date_range("2022-01-01", periods=24, freq="MS"),
            }
        )
        with pytest.raises(ValueError, match="dated_by='month'"):
            compare_ed_with_police(HAND_ED, police)

    def test_bad_input_is_refused(self) -> None:
        with pytest.raises(ValueError, match="ed: missing column"):
            compare_ed_with_police(HAND_ED.drop(columns="means_of_assault"), HAND_POLICE)
        with pytest.raises(ValueError, match="distance"):
            compare_ed_with_police(HAND_ED, HAND_POLICE, distance=0)
        with pytest.raises(ValueError, match="days"):
            compare_ed_with_police(HAND_ED, HAND_POLICE, days=-1)
        with pytest.raises(ValueError, match="hour"):
            compare_ed_with_police(HAND_ED.assign(hour=24), HAND_POLICE)


class TestShares:
    def test_groupings(self) -> None:
        result = compare_ed_with_police(
            HAND_ED.assign(hour=[0, 5, 6, 12, 18, 21, np.nan]), HAND_POLICE
        )
        hours = result.by_hour_band.set_index("group")
        assert list(hours.index) == ["00-05", "06-11", "12-17", "18-23", "hour unknown"]
        assert hours["ed_assaults"].tolist() == [2, 1, 1, 2, 1]
        night = result.by_night_time_economy.set_index("group")
        # Hours 0, 5 and 21 are night-time economy; 6, 12 and 18 are not.
        assert night["ed_assaults"].tolist() == [3, 3, 1]
        weekday = result.by_weekday.set_index("group")
        assert list(weekday.index) == ["Friday", "Saturday"]
        assert weekday["ed_assaults"].tolist() == [6, 1]
        assert result.by_month["group"].tolist() == ["2024-05"]
        confidence = result.by_geocode_confidence.set_index("group")
        assert list(confidence.index) == ["exact", "none"]
        assert confidence.loc["none", "not_matchable"] == 2
        assert math.isnan(confidence.loc["none", "share_unknown"])
        assert math.isnan(confidence.loc["none", "lower"])
        area = result.by_area.set_index("group")
        assert area.loc["E01000001", "police_recorded"] == 5
        assert result.by_date_source["group"].tolist() == ["incident"]

    def test_share_unknown_carries_wilson_intervals(self) -> None:
        statuses = [MATCHED] * 7 + [UNKNOWN] * 13 + [NOT_MATCHABLE] * 4 + [UNKNOWN] * 3
        assaults = pd.DataFrame({"status": statuses, "area": ["A"] * 24 + ["B"] * 3})
        table = share_unknown(assaults, "area", confidence=0.95)
        assert table.columns.tolist() == [
            "group",
            "ed_assaults",
            "not_matchable",
            "matched",
            "unknown_to_police",
            "share_unknown",
            "lower",
            "upper",
        ]
        lower, upper = wilson_interval([13, 3], [20, 3], 0.95)
        assert table["lower"].tolist() == lower.tolist()
        assert table["upper"].tolist() == upper.tolist()
        assert table["share_unknown"].tolist() == [13 / 20, 1.0]
        assert table["ed_assaults"].tolist() == [24, 3]

    def test_confidence_moves_the_share(self) -> None:
        # Street-geocoded assaults are matched; area-level ones, placed 400 m off, are not.
        ed = ed_frame(
            [{"x": 0.0, "y": 0.0, "date": DAY, "geocode_confidence": "street"}] * 5
            + [{"x": 400.0, "y": 0.0, "date": DAY, "geocode_confidence": "area"}] * 5
        )
        police = pd.DataFrame({"x": [0.0] * 10, "y": [0.0] * 10, "date": [DAY] * 10})
        table = compare_ed_with_police(ed, police).by_geocode_confidence.set_index("group")
        assert table.loc["street", "share_unknown"] == 0.0
        assert table.loc["area", "share_unknown"] == 1.0
        assert list(table.index) == ["street", "area"]


class TestHiddenHotspots:
    def test_planted_hotspot_found_and_proportional_cell_not(self) -> None:
        ed = np.array([10] * 20 + [40, 100, 0])
        police = np.array([20] * 20 + [20, 200, 0])
        cells = hidden_hotspots(ed, police)
        assert cells["hidden_hotspot"].tolist() == [False] * 20 + [True, False, False]
        share = ed.sum() / (ed.sum() + police.sum())
        assert cells.loc[20, "p_value"] == pytest.approx(scipy_stats.binom.sf(39, 60, share))
        assert cells.loc[20, "expected_ed"] == pytest.approx(60 * share)
        assert not cells.loc[22, "tested"]
        assert math.isnan(cells.loc[22, "p_value"]) and math.isnan(cells.loc[22, "q_value"])
        ratio = rate_ratio(ed, ed.sum(), police, police.sum())
        assert cells["ratio"].tolist()[:22] == ratio["value"].tolist()[:22]
        assert cells["lower"].tolist()[:22] == ratio["lowercl"].tolist()[:22]
        assert cells.loc[20, "ratio"] == pytest.approx((40 / ed.sum()) / (20 / police.sum()))
        assert cells.loc[20, "lower"] > 1
        assert cells.loc[21, "lower"] < 1 < cells.loc[21, "upper"]

    def test_benjamini_hochberg_is_applied_across_tested_cells(self) -> None:
        # One cell with a modest excess among 40 ordinary cells: p < 0.05 alone, but not
        # after the false discovery rate correction.
        ed = np.array([10] * 40 + [18, 0])
        police = np.array([20] * 40 + [18, 0])
        cells = hidden_hotspots(ed, police)
        tested = cells[cells["tested"]]
        assert len(tested) == 41
        assert cells.loc[40, "p_value"] < 0.05
        assert cells.loc[40, "q_value"] > 0.05
        assert not cells["hidden_hotspot"].any()
        adjusted = scipy_stats.false_discovery_control(tested["p_value"], method="bh")
        assert tested["q_value"].tolist() == pytest.approx(list(adjusted))

    def test_minimum_ed_count(self) -> None:
        # Four ED assaults and no police crimes: p = p0^4, small, but below the minimum of 5.
        ed, police = [4, 10, 10], [0, 40, 40]
        cells = hidden_hotspots(ed, police)
        assert cells.loc[0, "q_value"] < 0.05
        assert not cells.loc[0, "hidden_hotspot"]
        assert hidden_hotspots(ed, police, minimum_ed=4).loc[0, "hidden_hotspot"]
        assert math.isnan(cells.loc[0, "ratio"]) and cells.loc[0, "upper"] == math.inf

    def test_series_index_and_bad_input(self) -> None:
        ed = pd.Series([30, 10], index=["cell a", "cell b"])
        cells = hidden_hotspots(ed, [10, 30])
        assert list(cells.index) == ["cell a", "cell b"]
        with pytest.raises(ValueError, match="same cells"):
            hidden_hotspots([1, 2], [1, 2, 3])
        with pytest.raises(ValueError, match="whole counts"):
            hidden_hotspots([1.5, 2], [1, 2])
        with pytest.raises(ValueError, match="at least one event"):
            hidden_hotspots([0, 0], [1, 2])


def _planted_world(known: float, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """2,000 ED assaults over a year in a 3 km square; a share ``known`` of them has a
    police crime at the same place and day; 6,000 unrelated police crimes besides, dense
    enough that many assaults match one by coincidence."""
    rng = np.random.default_rng(seed)
    n, background = 2_000, 1_500
    start = pd.Timestamp("2024-01-01")
    ed_days = rng.integers(0, 366, n)
    ed = pd.DataFrame(
        {
            "x": rng.uniform(0, 3_000, n),
            "y": rng.uniform(0, 3_000, n),
            "date": start + pd.to_timedelta(ed_days, unit="D"),
            "geocode_confidence": "exact",
            "means_of_assault": rng.choice(["body_part", "knife_sharp"], n),
            "area_code": rng.choice(["A", "B"], n),
        }
    )
    linked = rng.random(n) < known
    police = pd.DataFrame(
        {
            "x": np.r_[
                ed["x"][linked] + rng.normal(0, 30, linked.sum()), rng.uniform(0, 3_000, background)
            ],
            "y": np.r_[
                ed["y"][linked] + rng.normal(0, 30, linked.sum()), rng.uniform(0, 3_000, background)
            ],
            "date": np.r_[
                ed["date"][linked].to_numpy(),
                (start + pd.to_timedelta(rng.integers(0, 366, background), unit="D")).to_numpy(),
            ],
        }
    )
    return ed, police


@pytest.mark.parametrize("known", [0.2, 0.4, 0.7])
def test_coincidental_matches_are_measured_and_corrected_for(known: float) -> None:
    ed, police = _planted_world(known)
    result = compare_ed_with_police(ed, police)
    chance = chance_matches(ed, police)
    assert chance.shape == (len(ed),) and chance.min() >= 0 and chance.max() <= 1
    row = corrected_share_unknown(result.assaults, chance, police_crimes=len(police)).iloc[0]
    truth = 1 - known
    # Coincidences make the naive share unknown far too low ...
    assert row["chance_match_share"] > 0.2
    assert row["share_unknown"] < truth - 0.1
    # ... and the corrected share comes back to within a few points of the planted one
    # (a little low: the Poisson model of coincidence is approximate; docs/hotspots.md).
    assert -0.06 < row["share_unknown_corrected"] - truth < 0.02
    assert row["lower"] < row["share_unknown_corrected"] < row["upper"]
    # Without the crimes taken by true links, coincidence is overstated.
    naive = corrected_share_unknown(result.assaults, chance).iloc[0]
    assert naive["chance_match_share"] > row["chance_match_share"]


def test_the_correction_is_made_within_each_group() -> None:
    ed, police = _planted_world(known=0.4, seed=5)
    result = compare_ed_with_police(ed, police)
    chance = chance_matches(ed, police, shifts=(-42, 42))
    by_area = corrected_share_unknown(result.assaults, chance, "area")
    assert by_area["group"].tolist() == ["A", "B"]
    for _, row in by_area.iterrows():
        in_group = (result.assaults["area"] == row["group"]).to_numpy()
        assert row["chance_match_share"] == pytest.approx(chance[in_group].mean())
        assert row["share_unknown_corrected"] == pytest.approx(
            row["share_unknown"] / (1 - row["chance_match_share"])
        )


def test_no_coincidence_without_police_nearby() -> None:
    ed, police = _planted_world(known=0.5)
    far = police.assign(x=police["x"] + 100_000)
    result = compare_ed_with_police(ed, far)
    table = corrected_share_unknown(result.assaults, chance_matches(ed, far))
    assert table["chance_match_share"].iloc[0] == 0
    assert table["share_unknown_corrected"].iloc[0] == 1


def test_month_dated_police_are_shifted_by_whole_months() -> None:
    ed, police = _planted_world(known=0.4)
    monthly = police.assign(date=police["date"].dt.to_period("M").dt.to_timestamp())
    chance = chance_matches(ed, monthly, dated_by="month")
    assert 0 < chance.mean() < 1
    with pytest.raises(ValueError, match="at least one shift"):
        chance_matches(ed, monthly, dated_by="month", shifts=())
    with pytest.raises(ValueError, match="would keep true links"):
        chance_matches(ed, police, days=3, shifts=(6, 7))
