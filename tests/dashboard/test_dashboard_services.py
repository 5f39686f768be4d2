"""Periods, rates and record accounting, on hand-made data (no database)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from vrn.dashboard.queries import NamedArea, RecordGroup
from vrn.dashboard.services import (
    ALL_CRIME,
    DashboardData,
    RecordAccount,
    Scope,
    account,
    default_crime_type,
    missing_months,
    periods,
    rate_rows,
    scope_account,
    type_rows,
)
from vrn.geography.network import Network

NETWORK = Network("Test Network", "TN", ("A", "B", "C"))


def months(first: date, count: int) -> list[date]:
    index = first.year * 12 + first.month - 1
    return [date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(count)]


def test_eighteen_months_give_the_whole_period_and_the_year_ending_in_the_last() -> None:
    found = periods(months(date(2023, 1, 1), 18))
    assert [(p.key, p.label, p.span, p.months) for p in found] == [
        ("all", "Whole period (18 months)", "January 2023 to June 2024", 18),
        ("2024-06", "Year ending June 2024", "July 2023 to June 2024", 12),
    ]


def test_exactly_twelve_months_are_one_year_not_also_a_whole_period() -> None:
    found = periods(months(date(2023, 4, 1), 12))
    assert [p.label for p in found] == ["Year ending March 2024"]


def test_two_full_years_come_newest_first() -> None:
    found = periods(months(date(2022, 7, 1), 24))
    assert [p.key for p in found] == ["all", "2024-06", "2023-06"]


def test_a_year_with_a_missing_month_is_left_out() -> None:
    loaded = [m for m in months(date(2023, 1, 1), 18) if m != date(2023, 9, 1)]
    found = periods(loaded)
    assert [(p.key, p.months) for p in found] == [("all", 17)]
    assert missing_months(loaded) == [date(2023, 9, 1)]


def test_no_months_give_no_periods() -> None:
    assert periods([]) == []
    assert missing_months([]) == []


@given(st.dates(date(2011, 1, 1), date(2030, 12, 1)), st.integers(1, 60))
def test_every_year_is_twelve_loaded_months_inside_the_whole_period(first: date, n: int) -> None:
    loaded = months(first.replace(day=1), n)
    found = periods(loaded)
    assert found[0].first == loaded[0] and found[0].last == loaded[-1]
    years = [p for p in found if p.key != "all"]
    assert len(years) == n // 12
    for year in years:
        assert year.months == 12
        assert len([m for m in loaded if year.first <= m <= year.last]) == 12


def group(
    month: date, la: str, crime_type: str, asb: bool, records: int, in_network: bool = True
) -> RecordGroup:
    return RecordGroup(month, la, crime_type, asb, in_network, bool(la), "Test Police", records)


def data(counts: list[RecordGroup], scope: tuple[str, ...] = ("A", "B", "C")) -> DashboardData:
    return DashboardData(
        network=NETWORK,
        scope=Scope("Scope", "scope", tuple(NamedArea(c, f"Area {c}") for c in scope), "CSP1"),
        months=[date(2024, 1, 1), date(2024, 2, 1)],
        counts=counts,
        account=RecordAccount(total=20, in_network=15, no_location=3, outside_network=2),
        residents={"A": 1500, "B": 2000},
        forces=["Test Police"],
        last_loaded=None,
    )


JAN, FEB = date(2024, 1, 1), date(2024, 2, 1)
COUNTS = [
    group(JAN, "A", "Robbery", False, 2),
    group(FEB, "A", "Robbery", False, 1),
    group(FEB, "A", "Anti-social behaviour", True, 5),
    group(JAN, "B", "Burglary", False, 4),
    group(JAN, "C", "Burglary", False, 3),
]


def test_rates_per_thousand_with_a_missing_denominator() -> None:
    rows = rate_rows(data(COUNTS), periods(data(COUNTS).months)[0])
    assert [(r.code, r.crimes, r.residents, r.rate, r.is_benchmark) for r in rows] == [
        ("A", 3, 1500, 2.0, False),  # ties in rate go by name
        ("B", 4, 2000, 2.0, False),
        ("C", 3, 0, None, False),
        ("CSP1", 10, 3500, 2.9, False),
        ("TN", 10, 3500, 2.9, True),
    ]


def test_rates_carry_intervals_and_a_comparison_with_the_network() -> None:
    counts = [group(JAN, "A", "Robbery", False, 300), group(JAN, "B", "Burglary", False, 100)]
    rows = {r.code: r for r in rate_rows(data(counts), periods(data(counts).months)[0])}
    # A: 300 / 1,500 = 200 per 1,000 with Byar's limits 178.0 to 224.0; B: 50.0 (40.7-60.8);
    # the network: 400 / 3,500 = 114.3, outside both intervals.
    assert (rows["A"].rate, rows["A"].lower, rows["A"].upper) == (200.0, 178.0, 224.0)
    assert (rows["B"].rate, rows["B"].lower, rows["B"].upper) == (50.0, 40.7, 60.8)
    assert rows["A"].method == rows["B"].method == "Byars"
    assert (rows["A"].comparison, rows["B"].comparison) == ("Higher", "Lower")
    assert rows["CSP1"].comparison == "Similar"  # the CSP here is the whole network
    assert rows["TN"].comparison is None and rows["C"].lower is None


def test_the_account_adds_up_to_every_record_loaded() -> None:
    account = scope_account(data(COUNTS, scope=("A",)))
    assert account == {
        "total": 20,
        "crimes": 3,
        "anti_social_behaviour": 5,
        "elsewhere_in_network": 7,
        "no_location": 3,
        "outside_network": 2,
    }
    assert account["total"] == sum(v for k, v in account.items() if k != "total")


def test_every_record_falls_in_exactly_one_place() -> None:
    groups = [
        *COUNTS,
        group(JAN, "", "Burglary", False, 3, in_network=False),
        group(FEB, "Z", "Robbery", False, 2, in_network=False),
    ]
    assert account(groups) == RecordAccount(
        total=20, in_network=15, no_location=3, outside_network=2
    )


def test_type_rows_count_each_type_and_leave_anti_social_behaviour_out_of_the_total() -> None:
    rows, total = type_rows(data(COUNTS, scope=("A", "B")))
    assert [(r.crime_type, r.records, r.is_anti_social_behaviour) for r in rows] == [
        ("Anti-social behaviour", (5,), True),
        ("Burglary", (4,), False),
        ("Robbery", (3,), False),
    ]
    assert (total.crime_type, total.records) == (ALL_CRIME, (7,))


def test_default_crime_type_prefers_violence_then_the_most_frequent_crime() -> None:
    assert default_crime_type(data(COUNTS)) == "Burglary"
    violence = group(JAN, "A", "Violence and sexual offences", False, 1)
    assert default_crime_type(data([*COUNTS, violence])) == "Violence and sexual offences"
    asb_only = [group(JAN, "A", "Anti-social behaviour", True, 1)]
    assert default_crime_type(data(asb_only)) == "Anti-social behaviour"
    assert default_crime_type(data([])) is None
