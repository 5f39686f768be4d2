"""Costs per participant started and per participant with an outcome."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.analytics.interventions.frames import journey_ten
from vrn.analytics.interventions import costs, journey_counts, outcome_rates
from vrn.analytics.stats import wilson_interval


def programmes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "programme": ["mentoring", "sports", "sports"],
            "provider": ["Youth Trust", "Active Futures", "Active Futures"],
            "funding": [70_000.0, 20_000.0, 10_000.0],
            "capacity": [14, 10, np.nan],
            "period_start": pd.Timestamp("2024-04-01"),
            "period_end": pd.Timestamp("2025-03-31"),
        }
    )


def outcomes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "participant_id": [1, 2, 6],
            "kind": ["education"] * 3,
            "outcome_date": pd.Timestamp("2024-06-01"),
            "verified": True,
        }
    )


def test_cost_per_started_and_per_outcome_with_wilson_derived_limits() -> None:
    people = journey_ten()
    journey = journey_counts(people, ["completed"])
    rates = outcome_rates(people, outcomes(), ["education", "housing"])
    table = costs(programmes(), journey, rates)
    assert list(table["programme"]) == ["mentoring", "mentoring", "sports", "sports"]
    mentoring = table.iloc[0]
    assert mentoring["started"] == 7 and mentoring["funding"] == 70_000
    assert mentoring["cost_per_started"] == pytest.approx(10_000)
    assert mentoring["started_per_place"] == pytest.approx(0.5)
    assert mentoring["with_outcome"] == 3 and mentoring["outcome_denominator"] == "started"
    assert mentoring["cost_per_outcome"] == pytest.approx(70_000 / 3)
    lower, upper = wilson_interval(3, 7)
    assert mentoring["cost_per_outcome_lowercl"] == pytest.approx(70_000 / (7 * float(upper)))
    assert mentoring["cost_per_outcome_uppercl"] == pytest.approx(70_000 / (7 * float(lower)))
    housing = table.iloc[1]
    assert math.isnan(housing["cost_per_outcome"])
    assert housing["note"] == "no one had the outcome: no cost per outcome"
    sports = table.iloc[2]  # two funding lines, no participants in the journey
    assert sports["funding"] == 30_000 and sports["capacity"] == 10
    assert sports["started"] == 0 and math.isnan(sports["cost_per_started"])
    assert "no one started" in sports["note"]


def test_exited_denominator_projects_to_starts() -> None:
    people = journey_ten()
    journey = journey_counts(people, ["completed"], by=())
    rates = outcome_rates(people, outcomes(), ["education"], "exited", by=())
    row = costs(programmes(), journey, rates).iloc[0]
    assert "programme" not in row.index
    assert row["funding"] == 100_000 and row["started"] == 7
    # 2 of the 5 who exited had the outcome: expected 7 * 2/5 = 2.8 among those started.
    assert row["expected_with_outcome"] == pytest.approx(2.8)
    assert row["cost_per_outcome"] == pytest.approx(100_000 / 2.8)
    assert row["provider"] == "Active Futures, Youth Trust"


def test_without_outcomes_and_with_empty_frames() -> None:
    journey = journey_counts(journey_ten(), ["completed"])
    table = costs(programmes(), journey)
    assert list(table["programme"]) == ["mentoring", "sports"]
    assert table["kind"].isna().all() and table["cost_per_outcome"].isna().all()
    empty = costs(pd.DataFrame(), pd.DataFrame())
    assert len(empty) == 1 and math.isnan(empty["cost_per_started"].iloc[0])
    assert "no funding recorded" in empty["note"].iloc[0]
    unfunded = costs(pd.DataFrame(), journey)
    assert list(unfunded["programme"]) == ["mentoring"]
    assert "no funding recorded" in unfunded["note"].iloc[0]


def test_bad_input() -> None:
    journey = journey_counts(journey_ten(), ["completed"])
    with pytest.raises(ValueError, match=r"programmes: column 'funding' is missing"):
        costs(programmes().drop(columns="funding"), journey)
    with pytest.raises(ValueError, match=r"journey: column 'started' is missing"):
        costs(programmes(), journey.drop(columns="started"))
    rates = outcome_rates(journey_ten(), outcomes(), ["education"])
    with pytest.raises(ValueError, match=r"outcome_counts: column 'with_outcome' is missing"):
        costs(programmes(), journey, rates.drop(columns="with_outcome"))
    with pytest.raises(ValueError, match=r"programmes: column 'funding' must be zero or more"):
        costs(programmes().assign(funding=-1.0), journey)
    network = journey_counts(journey_ten(), ["completed"], by=())
    with pytest.raises(ValueError, match=r"outcome_counts: has a 'programme' column"):
        costs(programmes(), network, rates)
