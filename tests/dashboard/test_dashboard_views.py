"""The dashboard pages and CSV downloads: access, exact figures, empty states."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from vrn.accounts.roles import Role

ALPHA_CSP, BETA_CSP = "E22000901", "E22000902"  # as in conftest.py
NETWORK_URL = reverse("dashboard:street")
ALPHA_URL = reverse("dashboard:street-csp", args=[ALPHA_CSP])
MONTHLY_CSV = reverse("dashboard:street-monthly-csv")
TYPES_CSV = reverse("dashboard:street-types-csv")
RATES_CSV = reverse("dashboard:street-rates-csv", kwargs={"period": "all"})
ALPHA_RATES_CSV = reverse(
    "dashboard:street-csp-rates-csv", kwargs={"csp_code": ALPHA_CSP, "period": "all"}
)


def read_csv(response: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))  # type: ignore[attr-defined]


@pytest.fixture
def member(sign_in: Callable[..., Client]) -> Client:
    return sign_in(Role.BOARD_MEMBER)


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [NETWORK_URL, ALPHA_URL, MONTHLY_CSV, RATES_CSV])
def test_anonymous_users_are_sent_to_sign_in(
    client: Client, dashboard_data: None, url: str
) -> None:
    response = client.get(url)
    assertRedirects(response, f"{reverse('web:sign-in')}?next={url}", fetch_redirect_response=False)


@pytest.mark.parametrize("url", [NETWORK_URL, ALPHA_URL, MONTHLY_CSV, TYPES_CSV, RATES_CSV])
def test_users_without_the_permission_are_refused(
    sign_in: Callable[..., Client], dashboard_data: None, url: str
) -> None:
    response = sign_in(None).get(url)
    assert response.status_code == 403
    assertContains(response, "You cannot see this page", status_code=403)


@pytest.mark.parametrize("url", [NETWORK_URL, ALPHA_URL, MONTHLY_CSV, TYPES_CSV, RATES_CSV])
def test_board_members_see_pages_and_downloads(
    member: Client, dashboard_data: None, url: str
) -> None:
    assert member.get(url).status_code == 200


def test_viewing_without_download_permission_hides_and_refuses_downloads(
    sign_in: Callable[..., Client], dashboard_data: None
) -> None:
    client = sign_in(None, "view_network_dashboard")
    page = client.get(NETWORK_URL)
    assert page.status_code == 200
    assertNotContains(page, "Download the data (CSV)")
    assert client.get(MONTHLY_CSV).status_code == 403


def test_pages_accept_get_only(member: Client, dashboard_data: None) -> None:
    assert member.post(NETWORK_URL).status_code == 405


def test_an_unknown_csp_is_not_found(member: Client, dashboard_data: None) -> None:
    assert member.get(reverse("dashboard:street-csp", args=["E22999999"])).status_code == 404


# --- The network page -----------------------------------------------------------------


def test_network_page_shows_counts_rates_and_what_was_left_out(
    member: Client, dashboard_data: None
) -> None:
    response = member.get(NETWORK_URL)
    html = response.content.decode()
    assertContains(response, '<h1 class="govuk-heading-xl">Test Network</h1>', html=True)
    assert "January 2023 to February 2023 (2 months)" in html
    # Alpha: 3 crimes / 1,500 residents; Beta: 1 / 2,000; network 4 / 3,500.
    assert rate_cells(html, "Alpha") == ["3", "1,500", "2.0", "0.4 to 5.8", "Similar"]
    assert rate_cells(html, "Beta") == ["1", "2,000", "0.5", "0.0 to 2.8", "Similar"]
    assert rate_cells(html, "TN (whole network)") == [
        "4",
        "3,500",
        "1.1",
        "0.3 to 2.9",
        "Benchmark",
    ]
    assert "95% confidence interval" in html
    assert "4 crimes and 1 anti-social behaviour incidents located in Test Network" in html
    assert "1 with no location" in html
    assert "2 located outside Test Network" in html
    assert "3,500 (Census 2021 usual residents)" in html
    assert "data.police.uk street-level crime, Other Police, Test Police" in html
    assert "Locations are approximate" in html


def test_network_page_has_accessible_charts_and_tables(
    member: Client, dashboard_data: None
) -> None:
    html = member.get(NETWORK_URL).content.decode()
    assert html.count('role="img"') == 2  # monthly chart, and rates for the whole period
    assert '<title id="monthly-chart-title">' in html
    assert '<desc id="monthly-chart-desc">' in html
    assert "Records each month, Test Network</caption>" in html
    assert html.count("Download the data (CSV)") == 3
    for csp in (ALPHA_CSP, BETA_CSP):
        assert reverse("dashboard:street-csp", args=[csp]) in html


def test_monthly_table_has_all_crime_and_the_chosen_type(
    member: Client, dashboard_data: None
) -> None:
    html = member.get(NETWORK_URL, {"crime_type": "Robbery"}).content.decode()
    assert month_cells(html, "Jan 2023") == ["3", "0"]
    assert month_cells(html, "Feb 2023") == ["1", "1"]
    assert '<option value="Robbery" selected>' in html


def test_violence_is_the_default_crime_type(member: Client, dashboard_data: None) -> None:
    html = member.get(NETWORK_URL).content.decode()
    assert '<option value="Violence and sexual offences" selected>' in html
    assert month_cells(html, "Jan 2023") == ["3", "2"]


def test_an_unknown_crime_type_shows_an_error_and_the_default(
    member: Client, dashboard_data: None
) -> None:
    response = member.get(NETWORK_URL, {"crime_type": "Piracy"})
    assertContains(response, "There is a problem")
    assertContains(response, "Select a crime type from the list")
    assert "<title>Error: " in response.content.decode()
    assert month_cells(response.content.decode(), "Jan 2023") == ["3", "2"]


def test_page_runs_a_fixed_number_of_queries(
    member: Client, dashboard_data: None, django_assert_max_num_queries: Callable[..., object]
) -> None:
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        member.get(NETWORK_URL)


# --- A CSP page -------------------------------------------------------------------------


def test_csp_page_counts_only_its_local_authorities(member: Client, dashboard_data: None) -> None:
    response = member.get(ALPHA_URL)
    html = response.content.decode()
    assertContains(response, '<h1 class="govuk-heading-xl">Alpha CSP</h1>', html=True)
    assert rate_cells(html, "Alpha") == ["3", "1,500", "2.0", "0.4 to 5.8", "Similar"]
    assert rate_cells(html, "TN (whole network)") == [
        "4",
        "3,500",
        "1.1",
        "0.3 to 2.9",
        "Benchmark",
    ]
    assert "Beta</th>" not in html
    assert month_cells(html, "Jan 2023") == ["2", "2"]
    assert "3 crimes and 1 anti-social behaviour incidents located in Alpha CSP" in html
    assert "1 located elsewhere in Test Network" in html
    assert f'href="{NETWORK_URL}"' in html


# --- CSV downloads ----------------------------------------------------------------------


def test_monthly_csv_is_the_chart_data(member: Client, dashboard_data: None) -> None:
    response = member.get(MONTHLY_CSV, {"crime_type": "Robbery"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="tn-records-per-month-robbery.csv"'
    )
    assert read_csv(response) == [
        ["Month", "All crime (excluding anti-social behaviour)", "Robbery"],
        ["2023-01", "3", "0"],
        ["2023-02", "1", "1"],
    ]


def test_monthly_csv_refuses_an_unknown_crime_type(member: Client, dashboard_data: None) -> None:
    assert member.get(MONTHLY_CSV, {"crime_type": "Piracy"}).status_code == 400


def test_rates_csv_matches_the_chart(member: Client, dashboard_data: None) -> None:
    response = member.get(RATES_CSV)
    assert response["Content-Disposition"] == (
        'attachment; filename="tn-rates-2023-01-to-2023-02.csv"'
    )
    assert read_csv(response) == [
        [
            "period_start",
            "period_end",
            "area_code",
            "area_name",
            "crimes",
            "residents_census_2021",
            "crimes_per_1000_residents",
            "lower_95ci",
            "upper_95ci",
            "interval_method",
            "compared_with_network",
        ],
        # Exact Poisson limits for 3, 1 and 4 events: 0.6187-8.7673, 0.0253-5.5716, 1.0899-10.2416
        [
            "2023-01",
            "2023-02",
            "E06000901",
            "Alpha",
            "3",
            "1500",
            "2.0",
            "0.4",
            "5.8",
            "Exact",
            "Similar",
        ],
        [
            "2023-01",
            "2023-02",
            "E06000902",
            "Beta",
            "1",
            "2000",
            "0.5",
            "0.0",
            "2.8",
            "Exact",
            "Similar",
        ],
        [
            "2023-01",
            "2023-02",
            "TN",
            "TN (whole network)",
            "4",
            "3500",
            "1.1",
            "0.3",
            "2.9",
            "Exact",
            "",
        ],
    ]


def test_csp_rates_csv_has_its_authorities_and_the_network(
    member: Client, dashboard_data: None
) -> None:
    response = member.get(ALPHA_RATES_CSV)
    assert response["Content-Disposition"] == (
        'attachment; filename="alpha-csp-e22000901-rates-2023-01-to-2023-02.csv"'
    )
    assert [row[2] for row in read_csv(response)] == ["area_code", "E06000901", "TN"]


def test_rates_csv_for_an_unknown_period_is_not_found(member: Client, dashboard_data: None) -> None:
    url = reverse("dashboard:street-rates-csv", kwargs={"period": "2019-12"})
    assert member.get(url).status_code == 404


def test_types_csv_has_every_type_and_the_total(member: Client, dashboard_data: None) -> None:
    rows = read_csv(member.get(TYPES_CSV))
    assert rows == [
        ["crime_type", "records_2023-01_to_2023-02"],
        ["Violence and sexual offences", "2"],
        ["Anti-social behaviour", "1"],
        ["Burglary", "1"],
        ["Robbery", "1"],
        ["All crime (excluding anti-social behaviour)", "4"],
    ]


# --- Before data are loaded -------------------------------------------------------------


def test_with_no_data_the_page_says_how_to_load_it(
    member: Client, network: object, geography: None
) -> None:
    response = member.get(NETWORK_URL)
    assertContains(response, "No crime data loaded yet")
    assertContains(response, "vrn ingest police-uk FILE...")
    assertContains(response, "vrn demo")
    assertNotContains(response, 'class="vrn-chart"')


def test_without_population_rates_are_not_available(
    member: Client, network: object, crimes: None
) -> None:
    html = member.get(NETWORK_URL).content.decode()
    assert "Census 2021 population figures are not loaded" in html
    assert "vrn load-reference" in html
    assert rate_cells(html, "E06000901") == ["3", "0", "Not available", "", ""]


# --- Helpers ----------------------------------------------------------------------------


def rate_cells(html: str, area: str) -> list[str]:
    """The cells after the row header ``area`` in the first rates table."""
    return _row_cells(html[html.index('id="rates') :], area)


def month_cells(html: str, month: str) -> list[str]:
    return _row_cells(html[html.index('id="monthly-caption"') :], month)


def _row_cells(html: str, header: str) -> list[str]:
    start = html.index(f">{header}</th>")
    row = html[start : html.index("</tr>", start)]
    cells = row.split("</td>")[:-1]
    return [re.sub(r"<[^>]+>", "", cell.split("<td", 1)[1].split(">", 1)[1]) for cell in cells]


def test_records_only_outside_the_network_are_accounted_for(
    member: Client, network: object, geography: None, make_crime: Callable[..., object]
) -> None:
    make_crime(local_authority_code="E07000999", in_network_area=False)
    response = member.get(NETWORK_URL)
    html = response.content.decode()
    assert "0 crimes and 0 anti-social behaviour incidents located in Test Network" in html
    assert "1 located outside Test Network" in html
    assert 'name="crime_type"' not in html
