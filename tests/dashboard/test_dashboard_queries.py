"""The dashboard's aggregate queries against the hand-made data of conftest.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

from vrn.dashboard import queries
from vrn.dashboard.queries import CrimeCount, NamedArea, Partnership, RecordAccount

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


def test_counts_cover_only_records_in_the_network_area(crimes: None) -> None:
    assert sorted(queries.network_counts(), key=repr) == sorted(
        [
            CrimeCount(JAN, ALPHA, "Violence and sexual offences", False, 2),
            CrimeCount(FEB, ALPHA, "Robbery", False, 1),
            CrimeCount(FEB, ALPHA, "Anti-social behaviour", True, 1),
            CrimeCount(JAN, BETA, "Burglary", False, 1),
        ],
        key=repr,
    )


def test_every_record_is_accounted_for(crimes: None) -> None:
    assert queries.record_account() == RecordAccount(
        total=8, in_network=5, no_location=1, outside_network=2
    )


def test_months_forces_and_load_time(crimes: None) -> None:
    assert queries.months_loaded() == [JAN, FEB]
    assert queries.reporting_forces() == ["Other Police", "Test Police"]
    assert queries.last_loaded() == datetime(2024, 7, 1, 9, 30, tzinfo=UTC)


def test_nothing_loaded(db: None) -> None:
    assert queries.network_counts() == []
    assert queries.record_account() == RecordAccount(0, 0, 0, 0)
    assert queries.months_loaded() == []
    assert queries.last_loaded() is None
