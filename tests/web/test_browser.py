"""A board member signs in and reads the dashboard, in headless Chromium (Debian's package).

The browser is the ``browser`` fixture of :mod:`tests.web.browser` (skipped without
Chromium, except under CI).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from vrn.accounts.models import User
from vrn.crime.models import LsoaMatch, StreetCrime
from vrn.ingest.models import FileLoad

pytestmark = pytest.mark.browser


def crimes_in_leicester() -> None:
    """Three records in Leicester, one of the default (LLR) network's local authorities."""
    load = FileLoad.objects.create(
        dataset="police-uk-street",
        file_name="2024-06-leicestershire-street.csv",
        sha256="0" * 64,
        size_bytes=1,
        loaded_at=datetime(2024, 7, 1, tzinfo=UTC),
        loaded_by="tester",
        rows_read=3,
        rows_loaded=3,
        rows_quarantined=0,
    )
    for line, (month, crime_type) in enumerate(
        [(5, "Violence and sexual offences"), (6, "Violence and sexual offences"), (6, "Robbery")],
        start=2,
    ):
        StreetCrime.objects.create(
            load=load,
            line_number=line,
            month=date(2024, month, 1),
            reported_by="Leicestershire Police",
            falls_within="Leicestershire Police",
            lsoa_match=LsoaMatch.AS_PUBLISHED,
            crime_type=crime_type,
            local_authority_code="E06000016",
            is_anti_social_behaviour=False,
            has_location=True,
            in_network_area=True,
        )


def test_a_board_member_signs_in_and_sees_the_dashboard(
    browser: WebDriver,
    live_server: object,
    transactional_db: None,
    make_user: Callable[..., User],
    password: str,
) -> None:
    make_user(username="board")
    crimes_in_leicester()
    wait = WebDriverWait(browser, 10)

    browser.get(f"{live_server}/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "VRN Platform"
    browser.find_element(By.LINK_TEXT, "Sign in").click()

    wait.until(expected_conditions.title_contains("Sign in"))
    browser.find_element(By.ID, "id_username").send_keys("board")
    browser.find_element(By.ID, "id_password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()

    # Signing in leads a board member to the dashboard (vrn.web.views.start).
    dashboard = reverse("dashboard:overview")
    wait.until(expected_conditions.url_to_be(f"{live_server}{dashboard}"))
    # With police.uk data only, the dashboard has no measure to count and says so, with
    # the way to the street-level crime page.
    assert browser.find_element(By.TAG_NAME, "h1").text == "No data to show yet"
    browser.find_element(By.LINK_TEXT, "Street-level crime (data.police.uk)").click()
    wait.until(expected_conditions.url_contains(reverse("dashboard:street")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Leicester, Leicestershire and Rutland"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.vrn-chart[role=img]")
    assert chart.is_displayed()
    assert chart.size["width"] > 600
    caption = browser.find_element(By.CSS_SELECTOR, "#monthly-caption")
    assert caption.text == "Records each month, Leicester, Leicestershire and Rutland"
    rows = browser.find_elements(By.CSS_SELECTOR, "#monthly-caption ~ tbody tr")
    assert [row.text for row in rows] == ["May 2024 1 1", "Jun 2024 2 1"]

    # GOV.UK Frontend really loaded from the app: its font, and its JavaScript (tabs).
    assert browser.execute_script(
        "return document.fonts.check('19px \"GDS Transport\"')"
        " && [...document.fonts].some(f => f.status === 'loaded')"
    )
    assert "GDS Transport" in browser.find_element(By.TAG_NAME, "h1").value_of_css_property(
        "font-family"
    )
    assert browser.find_elements(By.CSS_SELECTOR, ".govuk-tabs__list[role=tablist]")
