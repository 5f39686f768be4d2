"""Journey counts: stages, conversion and completion with Wilson limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.analytics.interventions.frames import journey_ten, participants
from vrn.analytics.interventions import journey_counts
from vrn.analytics.stats import wilson_interval


def test_ten_referred_seven_started_five_exited_three_completed() -> None:
    table = journey_counts(journey_ten(), {"completed"}, by=())
    assert len(table) == 1
    row = table.iloc[0]
    assert row[["referred", "started", "exited", "completed", "open"]].tolist() == [10, 7, 5, 3, 4]
    assert row["in_programme"] == 2 and row["awaiting_start"] == 2
    assert row["closed_without_start"] == 1
    assert row["referred"] == row["open"] + row["exited"] + row["closed_without_start"]
    for name, (x, n) in {
        "conversion": (7, 10),
        "completion_of_exited": (3, 5),
        "completion_of_started": (3, 7),
    }.items():
        lower, upper = wilson_interval(x, n)
        assert row[name] == pytest.approx(x / n)
        assert row[f"{name}_lowercl"] == pytest.approx(float(lower), abs=1e-12)
        assert row[f"{name}_uppercl"] == pytest.approx(float(upper), abs=1e-12)
    assert row["confidence"] == "95%"
    assert row["note"] is None


def test_conversion_limits_at_a_stated_level() -> None:
    row = journey_counts(journey_ten(), ["completed"], by=(), confidence=0.99).iloc[0]
    lower, upper = wilson_interval(7, 10, 0.99)
    assert row["conversion_lowercl"] == pytest.approx(float(lower))
    assert row["conversion_uppercl"] == pytest.approx(float(upper))
    assert row["confidence"] == "99%"


def test_by_programme_and_by_provider() -> None:
    frame = journey_ten()
    frame.loc[7:, "programme"] = "sports"
    frame.loc[:4, "provider"] = "Second Chance"
    by_programme = journey_counts(frame, ["completed"])
    assert list(by_programme["programme"]) == ["mentoring", "sports"]
    assert list(by_programme["referred"]) == [7, 3]
    assert list(by_programme["started"]) == [7, 0]
    sports = by_programme.iloc[1]
    assert sports["conversion"] == 0.0
    assert np.isnan(sports["completion_of_exited"])
    assert sports["note"] == "no one started; no one exited"
    by_provider = journey_counts(frame, ["completed"], by=("provider",))
    assert list(by_provider["provider"]) == ["Second Chance", "Youth Trust"]
    assert list(by_provider["completed"]) == [3, 0]
    assert by_provider["referred"].sum() == 10


def test_several_completion_reasons() -> None:
    frame = journey_ten()
    frame.loc[3, "exit_reason"] = "goals met"
    row = journey_counts(frame, ["completed", "goals met"], by=()).iloc[0]
    assert row["completed"] == 4


def test_all_participants_open() -> None:
    frame = participants([{"start_date": "2024-02-01"}] * 4 + [{}] * 2)
    row = journey_counts(frame, ["completed"], by=()).iloc[0]
    assert row[["referred", "started", "exited", "completed", "open"]].tolist() == [6, 4, 0, 0, 6]
    assert np.isnan(row["completion_of_exited"]) and np.isnan(row["completion_of_exited_uppercl"])
    assert row["completion_of_started"] == 0.0
    assert row["note"] == "no one exited"


def test_empty_frames() -> None:
    network = journey_counts(pd.DataFrame(), ["completed"], by=())
    assert len(network) == 1 and network["referred"].iloc[0] == 0
    assert np.isnan(network["conversion"].iloc[0])
    assert network["note"].iloc[0] == "no one referred; no one started; no one exited"
    grouped = journey_counts(journey_ten().iloc[0:0], ["completed"])
    assert grouped.empty and "programme" in grouped.columns and "conversion" in grouped.columns


def test_bad_input() -> None:
    with pytest.raises(ValueError, match=r"participants: column 'exit_reason' is missing"):
        journey_counts(journey_ten().drop(columns="exit_reason"), ["completed"])
    with pytest.raises(ValueError, match=r"participants: column 'provider' \(named in by\)"):
        journey_counts(journey_ten().drop(columns="provider"), ["completed"], by=("provider",))
    with pytest.raises(ValueError, match=r"completed_reasons: give a list"):
        journey_counts(journey_ten(), "completed")
    with pytest.raises(ValueError, match=r"by: give a tuple"):
        journey_counts(journey_ten(), ["completed"], by="programme")
    with pytest.raises(ValueError, match=r"start_date.*not a date"):
        journey_counts(journey_ten().assign(start_date="soon"), ["completed"])


def test_the_callers_frame_is_not_changed() -> None:
    frame = journey_ten()
    copy = frame.copy()
    journey_counts(frame, ["completed"])
    pd.testing.assert_frame_equal(frame, copy)
