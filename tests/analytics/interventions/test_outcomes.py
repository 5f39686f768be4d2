"""Outcome rates: participants with an outcome over a journey denominator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.analytics.interventions.frames import journey_ten
from vrn.analytics.interventions import outcome_rates
from vrn.analytics.stats import wilson_interval


def outcomes() -> pd.DataFrame:
    # journey_ten: ids 1-3 completed, 4-5 disengaged, 6-7 in programme, 8 declined, 9-10 waiting.
    return pd.DataFrame(
        {
            "participant_id": [1, 1, 2, 4, 6, 8, 99],
            "kind": ["education"] * 3 + ["employment"] + ["education"] * 3,
            "outcome_date": pd.to_datetime(["2024-06-01"] * 7),
            "verified": [True, False, False, True, True, True, True],
        }
    )


def test_started_denominator() -> None:
    table = outcome_rates(journey_ten(), outcomes(), ["education", "employment"])
    assert list(table["kind"]) == ["education", "employment"]
    assert list(table["participants"]) == [7, 7]
    # education: 1, 2, 6 (8 never started; 99 is not a participant)
    assert list(table["with_outcome"]) == [3, 1]
    lower, upper = wilson_interval(3, 7)
    assert table["proportion"].iloc[0] == pytest.approx(3 / 7)
    assert table["proportion_lowercl"].iloc[0] == pytest.approx(float(lower))
    assert table["proportion_uppercl"].iloc[0] == pytest.approx(float(upper))
    assert set(table["denominator"]) == {"started"}


def test_exited_and_referred_denominators_and_verified_only() -> None:
    exited = outcome_rates(journey_ten(), outcomes(), ["education"], "exited", by=())
    assert exited[["participants", "with_outcome"]].iloc[0].tolist() == [5, 2]
    referred = outcome_rates(journey_ten(), outcomes(), ["education"], "referred", by=())
    assert referred[["participants", "with_outcome"]].iloc[0].tolist() == [10, 4]
    verified = outcome_rates(journey_ten(), outcomes(), ["education"], verified_only=True)
    assert verified["with_outcome"].iloc[0] == 2  # 1 (one verified of two) and 6
    assert bool(verified["verified_only"].iloc[0]) is True


def test_by_programme_with_a_kind_nobody_achieved() -> None:
    frame = journey_ten()
    frame.loc[5:, "programme"] = "sports"
    table = outcome_rates(frame, outcomes(), ["education", "housing"])
    assert list(table["programme"]) == ["mentoring", "mentoring", "sports", "sports"]
    assert list(table["kind"]) == ["education", "housing", "education", "housing"]
    assert list(table["participants"]) == [5, 5, 2, 2]
    assert list(table["with_outcome"]) == [2, 0, 1, 0]
    assert table["proportion"].iloc[1] == 0.0


def test_no_one_started_and_empty_frames() -> None:
    frame = journey_ten().assign(start_date=pd.NaT)
    row = outcome_rates(frame, outcomes(), ["education"], by=()).iloc[0]
    assert row["participants"] == 0 and np.isnan(row["proportion"])
    assert row["note"] == "no one started"
    empty = outcome_rates(pd.DataFrame(), pd.DataFrame(), ["education"], by=())
    assert len(empty) == 1 and empty["participants"].iloc[0] == 0
    assert outcome_rates(pd.DataFrame(), pd.DataFrame(), ["education"]).empty
    assert outcome_rates(journey_ten(), outcomes(), []).empty


def test_bad_input() -> None:
    with pytest.raises(ValueError, match=r"outcomes: column 'verified' is missing"):
        outcome_rates(journey_ten(), outcomes().drop(columns="verified"), ["education"])
    with pytest.raises(ValueError, match=r"denominator: expected"):
        outcome_rates(journey_ten(), outcomes(), ["education"], "completed")
    with pytest.raises(ValueError, match=r"kinds: give a list"):
        outcome_rates(journey_ten(), outcomes(), "education")
    with pytest.raises(ValueError, match=r"verified.*is not true or false"):
        outcome_rates(journey_ten(), outcomes().assign(verified="yes"), ["education"])
