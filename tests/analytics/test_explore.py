"""The dashboard's events and Explore, on hand-made crimes whose answers are worked out by
hand: which crimes each measure counts (the same as ``compute_measures``), what is counted
by each breakdown, filters on either side, rates by place, periods and areas."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from vrn.analytics.dashboard_events import ALL_CRIME, FLAG, DashboardEvents, events_from_inputs
from vrn.analytics.explore import Query, QueryError, explore, label
from vrn.analytics.stats import rate

from .findings_inputs import CITY, TOWN, crimes, inputs, people

SV = "serious_violence"


@pytest.fixture(scope="module")
def events() -> DashboardEvents:
    """Five crimes of 2024:

    - C0: public violence with injury with a knife in Leicester (L1, ward W1), January,
      Monday noon; a male victim of 17 and a suspect of 19;
    - C1: public violence with injury in Leicester (L2, W1), February; victims: a woman of
      30 and a man of 40;
    - C2: violence with injury in a private place in Blaby (L3, W2): not serious violence;
    - C3: domestic violence with injury in a public place in Blaby (L4, W2): not either;
    - C4: a theft in Leicester: all crime only.
    """
    crime_frame = crimes(
        [
            {"weapon": "knife_or_sharp", "month": "2024-01"},
            {"lsoa": "L2", "month": "2024-02", "weekday": 6, "hour": 23},
            {"lsoa": "L3", "public_place": False, "month": "2024-03"},
            {"lsoa": "L4", "domestic": True, "month": "2024-03"},
            {"offence": "49", "crime_group": "Theft offences", "month": "2024-04"},
        ]
    )
    victims = people(
        crime_frame,
        [
            (0, "victim", 17, "male", "v0"),
            (1, "victim", 30, "female", "v1"),
            (1, "victim", 40, "male", "v2"),
        ],
        "victim",
    )
    suspects = people(crime_frame, [(0, "suspect", 19, "male", "s0")], "suspect")
    profile_inputs = inputs(crimes=crime_frame, victims=victims, perpetrators=suspects)
    return events_from_inputs(profile_inputs, areas={CITY: [CITY], TOWN: [TOWN]})


def test_the_flags_count_what_the_measures_count(events: DashboardEvents) -> None:
    assert events.crimes is not None
    for code in ("", CITY, TOWN):
        summary = events.results[code].summary.set_index("measure")["count"]
        crimes = events.crimes
        inside = crimes if not code else crimes[crimes["local_authority"] == code]
        for measure, count in summary.items():
            assert int(inside[FLAG + str(measure)].sum()) == int(count), (code, measure)
    assert list(events.crimes.loc[events.crimes[FLAG + SV], "crime_id"]) == ["C0", "C1"]
    assert int(events.crimes[FLAG + ALL_CRIME].sum()) == 5


def test_a_total_counts_crimes_with_its_rate(events: DashboardEvents) -> None:
    result = explore(events, Query(SV))
    assert (result.unit, result.total) == ("crimes", 2)
    # 4,000 residents over 12 months: 2 per 4,000 a year = 0.5 per 1,000, exact limits.
    expected = rate(pd.DataFrame({"n": [2], "d": [4_000]}), "n", "d", multiplier=1_000)
    assert result.total_rate == pytest.approx(
        (0.5, expected["lowercl"].iloc[0], expected["uppercl"].iloc[0])
    )


def test_a_breakdown_by_the_victim_counts_victims(events: DashboardEvents) -> None:
    result = explore(events, Query(SV, by=("victim_sex",)))
    assert result.unit == "victims"
    counts = dict(zip(result.table["victim_sex"], result.table["count"], strict=True))
    assert counts == {"female": 1, "male": 2}
    assert "a crime with two victims counts twice" in " ".join(result.notes)


def test_a_filter_on_the_victim_keeps_crimes_with_such_a_victim(events: DashboardEvents) -> None:
    female = explore(events, Query(SV, filters={"victim_sex": frozenset({"female"})}))
    assert (female.unit, female.total) == ("crimes", 1)
    by_suspect = explore(
        events, Query(SV, by=("suspect_age_band",), filters={"weapon": frozenset({"none"})})
    )
    assert by_suspect.unit == "perpetrators" and by_suspect.total == 0  # C1 has no suspect
    knives = explore(events, Query(SV, by=("suspect_sex",)))
    assert dict(zip(knives.table["suspect_sex"], knives.table["count"], strict=True)) == {"male": 1}


def test_a_breakdown_by_place_has_rates_per_1000_a_year(events: DashboardEvents) -> None:
    result = explore(events, Query(SV, by=("ward",)))
    table = result.table.set_index("ward")
    assert list(table.index) == ["W1", "W2"]  # every ward of the area, zeros included
    assert table.loc["W1", "count"] == 2 and table.loc["W2", "count"] == 0
    assert table.loc["W1", "population"] == 2_000  # two LSOAs of 1,000, a whole year
    assert table.loc["W1", "rate"] == pytest.approx(1.0)
    assert table.loc["W1", "ward_label"] == "Ward one"
    assert math.isclose(table.loc["W1", "share"], 1.0)


def test_every_month_of_the_period_is_shown(events: DashboardEvents) -> None:
    result = explore(events, Query(SV, by=("month",)))
    assert list(result.table["month"]) == [f"2024-{m:02d}" for m in range(1, 13)]
    assert list(result.table["count"])[:3] == [1, 1, 0]
    assert result.table["month_label"].iloc[0] == "January 2024"


def test_areas_and_periods_narrow_the_count(events: DashboardEvents) -> None:
    assert explore(events, Query(SV, area=TOWN)).total == 0
    assert explore(events, Query(ALL_CRIME, area=TOWN)).total == 2
    assert explore(events, Query(SV, first="2024-02")).total == 1
    assert explore(events, Query(SV, by=("weekday", "hour"))).table["count"].sum() == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (Query("no_such"), "no measure"),
        (Query(SV, by=("colour",)), "no dimension"),
        (Query(SV, by=("victim_sex", "suspect_sex")), "not both"),
        (Query(SV, area="E06000099"), "not an area"),
        (Query(SV, first="2019-01"), "not a month"),
        (Query(SV, first="2024-05", last="2024-02"), "before it starts"),
        (Query(SV, by=("month", "hour", "weekday")), "at most two"),
    ],
)
def test_a_query_the_data_cannot_answer_says_why(
    events: DashboardEvents, query: Query, message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        explore(events, query)


def test_values_read_as_words(events: DashboardEvents) -> None:
    assert label(events, "weekday", "6") == "Saturday"
    assert label(events, "hour", "7") == "07:00 to 07:59"
    assert label(events, "imd_decile", "1") == "Decile 1 (most deprived)"
    assert label(events, "weapon", "knife_or_sharp") == "Knife or sharp instrument"
    assert label(events, "local_authority", CITY) == "Leicester"
    assert label(events, "public_place", "yes") == "Yes"
    assert label(events, "victim_sex", "") == "Not known"
