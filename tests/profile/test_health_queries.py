"""The health and indicator frames of the problem profile, read from loaded data."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from vrn.analytics.measures import Period
from vrn.definitions import load_definitions
from vrn.ingest.pipeline import LoadContext
from vrn.profile.health_queries import (
    INDICATOR_COLUMNS,
    admission_events,
    attendance_events,
    indicator_values,
)

from ..partners import KEY, PARTNERS, context, load, pseudonym_key, reference

__all__ = ["context", "pseudonym_key", "reference"]

pytestmark = pytest.mark.django_db

NHS_KEY = hmac.new(KEY.encode(), b"nhs:9434765919", hashlib.sha256).hexdigest()
FEBRUARY = Period.of("2024-02", "2024-02")


@pytest.fixture
def health(reference: None, context: LoadContext, pseudonym_key: str) -> None:
    """The admissions (4 episodes) and ISTV (5 attendances) fixtures."""
    assert load("admissions", PARTNERS / "admissions.csv", context).rows_loaded == 4
    assert load("istv", PARTNERS / "istv.csv", context).rows_loaded == 5


def test_only_violence_related_admissions_with_cause_and_flags(health: None) -> None:
    """EP-0003 is elective and EP-0004 a second episode: not violence-related admissions."""
    rows = admission_events(load_definitions()).sort_values("age").reset_index(drop=True)
    assert len(rows) == 2
    knife, punch = rows.iloc[0], rows.iloc[1]
    assert (knife["age"], knife["sex"], knife["length_of_stay"]) == (17, "male", 2)
    assert (knife["cause"], knife["mental_health"], knife["alcohol"]) == (
        "sharp_object",
        True,
        False,
    )
    assert knife["person_key"] == NHS_KEY
    assert knife[["lsoa", "ward", "local_authority", "csp", "imd_decile"]].tolist() == [
        "E01013776",
        "E05010476",
        "E06000016",
        "E22000168",
        2,
    ]
    assert (punch["cause"], punch["sex"], punch["length_of_stay"]) == ("bodily_force", "female", 0)
    assert punch["lsoa"] == "E01034020"  # the 2011 LSOA's single 2021 successor
    assert list(rows["month"]) == ["2024-01", "2024-01"]
    # The episode columns are kept, for the success measures.
    assert {"admission_method", "episode_order", "episode_status", "diag_01", "diag_04"} <= set(
        rows.columns
    )
    assert not rows["synthetic"].any()


def test_a_period_limits_the_admissions(health: None) -> None:
    table = admission_events(load_definitions(), FEBRUARY)
    assert table.empty
    assert {"cause", "mental_health", "local_authority", "imd_decile"} <= set(table.columns)


def test_attendances_with_incident_and_residence(health: None) -> None:
    table = attendance_events().set_index(pd.Index(range(1, 6)))
    assert table["month"].tolist() == ["2024-01"] * 4 + ["2024-02"]
    first = table.loc[1]
    assert (first["person_key"], first["means_of_assault"], first["sex"]) == (
        NHS_KEY,
        "knife_sharp",
        "male",
    )
    assert (first["hour"], first["weekday"], first["public_place"]) == (14, 5, True)
    assert (first["incident_local_authority"], first["local_authority"]) == (
        "E06000016",
        "E06000016",
    )
    assert first["imd_decile"] == 2
    assert table.loc[2, "person_key"] is None  # no identifier given
    assert pd.isna(table.loc[3, "hour"]) and table.loc[3, "weekday"] == 7
    assert table.loc[3, "incident_local_authority"] is None  # geocoded to an area only
    assert table.loc[4, "local_authority"] == "E06000016"  # 2011 split: authority kept
    assert pd.isna(table.loc[4, "lsoa"])
    assert table.loc[5, "local_authority"] == "E07000129"
    assert list(table["hour"].cat.categories) == list(range(24))
    assert attendance_events(FEBRUARY)["means_of_assault"].tolist() == ["blunt_object"]


def test_indicator_values_for_whole_areas(reference: None, context: LoadContext) -> None:
    assert load("indicators", PARTNERS / "indicators.csv", context).rows_loaded == 5
    table = indicator_values()
    assert list(table.columns) == list(INDICATOR_COLUMNS)
    assert len(table) == 4  # the deprivation-decile breakdown is left out
    city = table[(table["indicator_id"] == 11201) & (table["area_code"] == "E06000016")].iloc[0]
    assert (city["value"], city["lower_ci_95"], city["upper_ci_95"]) == (52.1, 48.3, 56.1)
    assert (city["compared_to_england"], city["time_period_sortable"]) == ("Worse", 20200000)
    suppressed = table[table["area_code"] == "E06000017"].iloc[0]
    assert pd.isna(suppressed["value"]) and suppressed["count"] == 3
