"""Reach: priority group shares and area shares against need."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.analytics.interventions.frames import participants
from vrn.analytics.interventions import Reach, area_reach, group_reach, reach
from vrn.analytics.stats import wilson_interval

STARTED = {"start_date": "2024-02-01"}


def flagged() -> pd.DataFrame:
    frame = participants([STARTED] * 8 + [{}] * 2)
    frame["group:care_experienced"] = [True] * 3 + [False] * 5 + [True] * 2
    frame["group:excluded"] = [True] * 2 + [False] * 5 + [None] + [False] * 2
    return frame


def resident() -> pd.DataFrame:
    """100 started: 70 in E01, 20 in E02, 5 in E03 (outside need), 5 unknown; 10 unstarted."""
    areas = ["E01"] * 70 + ["E02"] * 20 + ["E03"] * 5 + [""] * 5
    rows = [{**STARTED, "residence_area": area} for area in areas]
    rows += [{"residence_area": "E02"}] * 10
    return participants(rows)


NEED = pd.DataFrame({"area": ["E01", "E02", "E04"], "need_count": [50.0, 40.0, 10.0]})


def test_group_shares_with_wilson_limits() -> None:
    table = group_reach(flagged())
    assert list(table["group"]) == ["care_experienced", "excluded"]
    assert list(table["column"]) == ["group:care_experienced", "group:excluded"]
    assert list(table["participants"]) == [8, 8]
    assert list(table["in_group"]) == [3, 2]
    assert list(table["unknown"]) == [0, 1]
    lower, upper = wilson_interval(3, 8)
    assert table["share"].iloc[0] == pytest.approx(3 / 8)
    assert table["share_lowercl"].iloc[0] == pytest.approx(float(lower))
    assert table["share_uppercl"].iloc[0] == pytest.approx(float(upper))
    assert table["note"].iloc[0] is None
    assert "missing" in table["note"].iloc[1]


def test_group_population_referred_and_chosen_groups() -> None:
    table = group_reach(flagged(), ["care_experienced"], population="referred")
    assert list(table["participants"]) == [10] and list(table["in_group"]) == [5]
    assert table["population"].iloc[0] == "referred"
    with pytest.raises(ValueError, match=r"column 'group:unknown' is missing"):
        group_reach(flagged(), ["unknown"])
    with pytest.raises(ValueError, match=r"population: expected"):
        group_reach(flagged(), population="everyone")


def test_group_shares_by_programme() -> None:
    frame = flagged()
    frame.loc[4:, "programme"] = "sports"
    table = group_reach(frame, ["care_experienced"], by=("programme",))
    assert list(table["programme"]) == ["mentoring", "sports"]
    assert list(table["in_group"]) == [3, 0]
    assert list(table["participants"]) == [4, 4]


def test_area_shares_against_need() -> None:
    table = area_reach(resident(), NEED)
    assert list(table["area"]) == ["E01", "E02", "E04"]
    assert list(table["participants"]) == [70, 20, 0]
    assert set(table["participants_in_need_areas"]) == {90}
    assert set(table["unknown_area"]) == {5} and set(table["outside_need_areas"]) == {5}
    assert list(table["need_share"]) == pytest.approx([0.5, 0.4, 0.1])
    lower, upper = wilson_interval(70, 90)
    first = table.iloc[0]
    assert first["participant_share"] == pytest.approx(70 / 90)
    assert first["participant_share_lowercl"] == pytest.approx(float(lower))
    assert first["reach_ratio"] == pytest.approx(70 / 90 / 0.5)
    assert first["reach_ratio_lowercl"] == pytest.approx(float(lower) / 0.5)
    assert first["reach_ratio_uppercl"] == pytest.approx(float(upper) / 0.5)
    # E01: lower limit 0.68 > 0.5; E02: upper 0.32 < 0.4; E04: no one, upper 0.04 < 0.1.
    assert list(table["reach"]) == ["over-reached", "under-reached", "under-reached"]
    assert table["reach_ratio"].iloc[2] == 0.0


def test_area_with_no_need_and_no_participants() -> None:
    need = pd.DataFrame({"area": ["E01", "E02"], "need_count": [10, 0]})
    table = area_reach(resident(), need)
    assert np.isnan(table["reach_ratio"].iloc[1])
    assert table["reach"].iloc[1] == "over-reached"  # participants where no need recorded
    assert "no need recorded in this area" in table["note"].iloc[1]
    nobody = area_reach(participants([{}]), need)
    assert list(nobody["reach"]) == ["not compared", "not compared"]
    assert nobody["participant_share"].isna().all()


def test_reach_returns_both_tables() -> None:
    frame = resident()
    frame["group:knife_carrying"] = False
    result = reach(frame, NEED, ["knife_carrying"])
    assert isinstance(result, Reach)
    assert list(result.groups["in_group"]) == [0]
    assert len(result.areas) == 3
    assert reach(frame, None).areas.empty


def test_bad_need() -> None:
    with pytest.raises(ValueError, match=r"need: column 'need_count' is missing"):
        area_reach(resident(), NEED.drop(columns="need_count"))
    with pytest.raises(ValueError, match=r"need: area 'E01' appears more than once"):
        area_reach(resident(), pd.DataFrame({"area": ["E01", "E01"], "need_count": [1, 2]}))
    with pytest.raises(ValueError, match=r"need_count' must be zero or more"):
        area_reach(resident(), pd.DataFrame({"area": ["E01"], "need_count": [-1]}))
    with pytest.raises(ValueError, match=r"participants: column 'residence_area' is missing"):
        area_reach(resident().drop(columns="residence_area"), NEED)


def test_empty_participants() -> None:
    result = reach(pd.DataFrame(), NEED)
    assert result.groups.empty
    named = group_reach(pd.DataFrame(), ["care_experienced"])
    assert list(named["participants"]) == [0] and np.isnan(named["share"].iloc[0])
    assert named["note"].iloc[0] == "no one started"
    assert len(result.areas) == 3 and result.areas["participant_share"].isna().all()
