"""A board member signs in and reads the dashboard, in headless Chromium (Debian's package).

Needs ``apt-get install -y chromium chromium-driver``. Without them the test is skipped,
except under CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from vrn.accounts.models import User
from vrn.crime.models import LsoaMatch, StreetCrime
from vrn.ingest.models import FileLoad

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1024",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = (
            f"needs Debian's Chromium at {CHROMIUM} and {CHROMEDRIVER}: "
            "apt-get install -y chromium chromium-driver"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"]:
        options.add_argument(flag)
    # The console log, where Chromium reports Content-Security-Policy violations.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


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

    wait.until(expected_conditions.url_to_be(f"{live_server}/dashboard/"))
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
