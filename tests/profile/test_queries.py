"""The event frames of the problem profile, read from loaded data."""

from __future__ import annotations

import pandas as pd
import pytest

from vrn.analytics.crosstab import ANALYSIS_VARIABLES, Rates, crosstab
from vrn.analytics.measures import Period
from vrn.definitions import load_definitions
from vrn.ingest.pipeline import LoadContext
from vrn.profile.queries import crime_events, lsoa_places, person_events, residents

from ..partners import PARTNERS, context, load, reference

__all__ = ["context", "reference"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def crimes(reference: None, context: LoadContext) -> pd.DataFrame:
    """The police extract fixture: 10 crimes in January and February 2024."""
    assert load("police-extract", PARTNERS / "police-crimes.csv", context).rows_loaded == 10
    return crime_events(load_definitions())


def test_each_lsoa_has_its_ward_authority_csp_and_decile(reference: None) -> None:
    places = lsoa_places().set_index("lsoa")
    assert places.loc["E01013776"].tolist() == ["E05010476", "E06000016", "E22000168", 2]
    # North Northamptonshire sits under its force area, not a CSP, in the lookup.
    assert places.loc["E01027342", "csp"] is None
    assert list(places["imd_decile"].cat.categories) == list(range(1, 11))


def test_a_crime_frame_has_the_dimensions_of_three_variables(crimes: pd.DataFrame) -> None:
    dimensions = [*ANALYSIS_VARIABLES["nature"], *ANALYSIS_VARIABLES["time"]]
    dimensions += ANALYSIS_VARIABLES["location"]
    assert set(dimensions) <= set(crimes.columns)
    first = crimes.set_index("crime_id").loc["E23000021LE/24/0001"]
    assert (first["offence"], first["crime_group"]) == ("8N", "Violence against the person")
    assert (first["month"], first["weekday"], first["hour"]) == ("2024-01", 5, 14)
    assert (first["weapon"], first["public_place"], first["domestic"]) == (
        "knife_or_sharp",
        True,
        False,
    )
    assert first[["lsoa", "ward", "local_authority", "csp", "imd_decile"]].tolist() == [
        "E01013776",
        "E05010476",
        "E06000016",
        "E22000168",
        2,
    ]


def test_a_crime_without_a_time_of_day_has_no_hour_or_weekday(crimes: pd.DataFrame) -> None:
    """As loaded: a crime recorded by date only is left out of the time profile."""
    undated = crimes.set_index("crime_id").loc["E23000021LE/24/0008"]
    assert pd.isna(undated["hour"]) and pd.isna(undated["weekday"])


def test_the_frames_feed_the_cross_tabulation(crimes: pd.DataFrame) -> None:
    by_hour = crosstab(crimes, ["hour"])
    assert len(by_hour) == 25  # 24 hours and "no time of day"
    assert by_hour["count"].sum() == 10
    by_authority = crosstab(crimes, ["local_authority"]).set_index("local_authority")
    assert by_authority["count"].sum() == 10


def test_a_period_limits_the_crimes(reference: None, context: LoadContext) -> None:
    load("police-extract", PARTNERS / "police-crimes.csv", context)
    february = Period(pd.Timestamp("2024-02-01").date(), pd.Timestamp("2024-02-01").date())
    assert crime_events(load_definitions(), february)["month"].unique().tolist() == ["2024-02"]


@pytest.fixture
def people(crimes: pd.DataFrame, context: LoadContext) -> None:
    """The people of the fixture's crimes: 6 victims, a suspect and an offender."""
    assert load("police-extract", PARTNERS / "police-people.csv", context).rows_loaded == 8


def test_victims_with_their_dimensions_and_their_crimes(people: None) -> None:
    victims = person_events(load_definitions(), "victim")

    assert len(victims) == 6 and set(victims["role"]) == {"victim"}
    first = victims[victims["crime_id"] == "E23000021LE/24/0001"].iloc[0]
    assert (first["victim_age_band"], first["victim_sex"], first["victim_residence"]) == (
        "15-19",  # aged 17, in the SNA's bands
        "Male",
        "E06000016",
    )
    assert (first["crime_group"], first["local_authority"]) == (
        "Violence against the person",
        "E06000016",
    )
    # Repeat victimisation: one pseudonym is the victim of two crimes.
    assert victims["person_key"].value_counts().max() == 2
    by_sex = crosstab(victims, ["victim_sex"]).set_index("victim_sex")["count"]
    assert by_sex.to_dict() == {"Female": 2, "Male": 3, "Unknown": 1}


def test_suspects_and_offenders_are_the_perpetrators(people: None) -> None:
    perpetrators = person_events(load_definitions(), "perpetrator", age_scheme="under25")
    assert sorted(perpetrators["role"]) == ["offender", "suspect"]
    assert perpetrators["suspect_age_band"].tolist() == ["0-24", "0-24"]
    assert set(perpetrators.columns) >= set(ANALYSIS_VARIABLES["perpetrator"])


def test_residents_by_location_feed_rates(crimes: pd.DataFrame) -> None:
    by_lsoa = residents(["lsoa"]).set_index("lsoa")["population"]
    by_authority = residents().set_index("local_authority")["population"]
    places = lsoa_places().set_index("lsoa")
    leicester = places.index[places["local_authority"] == "E06000016"]
    assert by_authority["E06000016"] == by_lsoa[leicester].sum() > 0

    deciles = residents(["imd_decile"])
    table = crosstab(crimes, ["imd_decile"], population=Rates(deciles, ("imd_decile",)))
    decile_2 = table.set_index("imd_decile").loc[2]
    placed = crimes["imd_decile"] == 2
    assert decile_2["count"] == placed.sum()
    assert decile_2["rate"] == pytest.approx(placed.sum() / decile_2["population"] * 1000)
    assert table["rate"].isna().sum() == (table["population"].fillna(0) == 0).sum()


def test_residents_refuse_a_dimension_that_is_not_a_place(reference: None) -> None:
    with pytest.raises(ValueError, match="not location dimensions"):
        residents(["victim_sex"])
