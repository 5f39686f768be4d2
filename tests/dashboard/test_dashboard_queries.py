"""The dashboard's aggregate queries against the hand-made data of conftest.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

from vrn.dashboard import queries
from vrn.dashboard.queries import NamedArea, Partnership, RecordGroup

ALPHA, BETA = "E06000901", "E06000902"
JAN, FEB = date(2023, 1, 1), date(2023, 2, 1)


def test_partnerships_are_the_parents_of_the_local_authorities(geography: None) -> None:
    assert queries.partnerships([ALPHA, BETA]) == [
        Partnership("E22000901", "Alpha CSP", (NamedArea(ALPHA, "Alpha"),)),
        Partnership("E22000902", "Beta CSP", (NamedArea(BETA, "Beta"),)),
    ]
    assert queries.partnerships([BETA]) == [
        Partnership("E22000902", "Beta CSP", (NamedArea(BETA, "Beta"),))
    ]


def test_unknown_local_authorities_are_named_by_their_code(geography: None) -> None:
    assert queries.local_authorities([BETA, "E06000999"]) == [
        NamedArea(BETA, "Beta"),
        NamedArea("E06000999", "E06000999"),
    ]


def test_residents_are_census_2021_summed_over_age_groups(geography: None) -> None:
    assert queries.residents([ALPHA, BETA]) == {ALPHA: 1500, BETA: 2000}
    assert queries.residents([BETA]) == {BETA: 2000}


def test_records_are_counted_in_groups(crimes: None) -> None:
    def group(month: date, la: str, crime_type: str, records: int, **flags: object) -> RecordGroup:
        values = {"reported_by": "Test Police", "is_anti_social_behaviour": False}
        values |= {"in_network_area": True, "has_location": True} | flags
        return RecordGroup(
            month=month, local_authority_code=la, crime_type=crime_type, records=records, **values
        )

    violence = "Violence and sexual offences"
    assert sorted(queries.record_groups(), key=repr) == sorted(
        [
            group(JAN, ALPHA, violence, 2),
            group(FEB, ALPHA, "Robbery", 1),
            group(FEB, ALPHA, "Anti-social behaviour", 1, is_anti_social_behaviour=True),
            group(JAN, BETA, "Burglary", 1),
            group(JAN, "", violence, 1, in_network_area=False, has_location=False),
            group(FEB, "E07000999", violence, 2, in_network_area=False, reported_by="Other Police"),
        ],
        key=repr,
    )


def test_load_time_is_that_of_the_latest_current_file(crimes: None) -> None:
    assert queries.last_loaded() == datetime(2024, 7, 1, 9, 30, tzinfo=UTC)


def test_nothing_loaded(db: None) -> None:
    assert queries.record_groups() == []
    assert queries.last_loaded() is None
