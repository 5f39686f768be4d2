"""Published reports give back no count the disclosure rule withheld: every share beside
a rounded count is computed from the published counts, not the exact ones."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pandas as pd

from vrn.analytics.interventions import journey_counts
from vrn.analytics.stats import HesRule
from vrn.dashboard.published import Audience
from vrn.interventions import published


def _participants(programme: str, referred: int, started: int) -> pd.DataFrame:
    day = pd.Timestamp("2024-01-10")
    return pd.DataFrame(
        {
            "participant_id": range(referred),
            "programme": programme,
            "start_date": [day if i < started else pd.NaT for i in range(referred)],
            "exit_date": pd.NaT,
            "exit_reason": "",
        }
    )


def _report() -> Any:
    people = pd.concat([_participants("A", 6, 3), _participants("B", 42, 27)], ignore_index=True)
    people["participant_id"] = range(len(people))
    return SimpleNamespace(
        journey=journey_counts(people, ["completed"], by=("programme",)),
        journey_total=journey_counts(people, ["completed"], by=()),
    )


def test_shares_for_the_board_come_from_the_published_counts() -> None:
    rows = published.journey_table(_report(), Audience(policy=HesRule())).rows
    a, b, total = rows
    assert a[1:4] == ["*", "*", ""]
    # B: 42 and 27 published as 40 and 25: 62.5%, not the exact 64.3%.
    assert b[1:3] == ["40", "25"]
    assert b[3].startswith("62.5% (")
    # All: 48 and 30 published as 50 and 30: 60.0%; A is not B's difference from it.
    assert total[1:3] == ["50", "30"]
    assert total[3].startswith("60.0% (")


def test_exact_figures_for_the_network_team() -> None:
    rows = published.journey_table(_report(), Audience(policy=None)).rows
    assert rows[1][1:4][:2] == ["42", "27"]
    assert rows[1][3].startswith("64.3% (")
