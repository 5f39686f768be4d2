"""The hotspot pages in headless Chromium with data behind them: no serious or critical
WCAG 2.2 AA violation (axe-core), every chart with its title, description and table, and
no Content-Security-Policy violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.dashboard.test_dashboard_browser import (
    PASSWORD,
    check_charts,
    make_board_member,
    policy_messages,
)
from tests.hotspots.conftest import street
from tests.web.axe import axe_violations, format_violations
from tests.web.browser import browser, sign_in

__all__ = ["browser", "street"]

pytestmark = pytest.mark.browser


@pytest.fixture
def committed(transactional_db: None, street: Path) -> Path:
    """The world and the street crime, committed where the live server sees them."""
    return street


def test_the_hotspot_pages_are_accessible_with_data(
    browser: WebDriver, live_server: object, committed: Path
) -> None:
    make_board_member()
    sign_in(browser, live_server, "board", PASSWORD)
    for name, heading in (
        ("dashboard:hotspots", "Where crime concentrates"),
        ("dashboard:tasking", "Tasking: next month's risk"),
        ("dashboard:hidden-hotspots", "What only the hospital sees"),
    ):
        browser.get(f"{live_server}{reverse(name)}")
        assert browser.find_element(By.TAG_NAME, "h1").text == heading
        assert "Not available" not in browser.find_element(By.TAG_NAME, "main").text
        assert check_charts(browser) >= (0 if name == "dashboard:hidden-hotspots" else 1)
        browser.execute_script(
            "document.querySelectorAll('main details').forEach(d => d.open = true)"
        )
        violations = axe_violations(browser)
        assert not violations, f"{name}:\n{format_violations(violations)}"
        assert policy_messages(browser) == [], name
