"""Every page passes axe-core's WCAG 2.2 AA rules (no serious or critical violation), in
headless Chromium, as a visitor or signed in; and the skip link works from the keyboard.

To check a new page, add a row to ``PAGES``. The axe helpers are in :mod:`tests.web.axe`,
the browser in :mod:`tests.web.browser`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.axe import axe_violations, format_violations
from tests.web.browser import sign_in
from tests.web.test_browser import crimes_in_leicester
from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.ingest.models import FileLoad

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Page:
    path: str
    #: Signed in with this role first; None for a visitor.
    role: Role | None
    #: A part of the page's <title>, so that a redirect or an error page is not checked instead.
    title: str
    #: With a synthetic load, so that every page carries the synthetic-data banner.
    synthetic: bool = False


PAGES = [
    Page("/", None, "Home"),
    Page("/", None, "Home", synthetic=True),
    Page("/", Role.BOARD_MEMBER, "Home"),
    Page("/sign-in/", None, "Sign in"),
    Page("/synthetic-data/", None, "Synthetic and real data"),
    Page("/synthetic-data/", None, "Synthetic and real data", synthetic=True),
    Page("/dashboard/street/", Role.BOARD_MEMBER, "Dashboard"),
    Page("/profile/", Role.BOARD_MEMBER, "Problem profile"),
    Page("/profile/", Role.PUBLIC, "You cannot see this page"),  # 403
    Page("/no-such-page/", None, "Page not found"),  # 404
]


def _id(page: Page) -> str:
    role = page.role.value if page.role else "visitor"
    return f"{page.path} {role}{' synthetic' if page.synthetic else ''}"


def _synthetic_load() -> None:
    FileLoad.objects.create(
        dataset="police-extract",
        file_name="police-crimes.csv",
        sha256="1" * 64,
        size_bytes=1,
        loaded_at=datetime(2024, 7, 1, tzinfo=UTC),
        loaded_by="vrn demo",
        rows_read=10,
        rows_loaded=10,
        rows_quarantined=0,
        synthetic=True,
        table="police.Crime",
    )


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_no_serious_or_critical_violations(
    page: Page,
    browser: WebDriver,
    live_server: object,
    transactional_db: None,
    make_user: Callable[..., User],
    password: str,
) -> None:
    crimes_in_leicester()
    if page.synthetic:
        _synthetic_load()
    if page.role is not None:
        make_user(username="person", role=page.role)
        sign_in(browser, live_server, "person", password)

    browser.get(f"{live_server}{page.path}")
    assert page.title in browser.title, browser.title
    violations = axe_violations(browser)
    assert not violations, f"{page.path}:\n{format_violations(violations)}"


def test_the_check_finds_violations(
    browser: WebDriver, live_server: object, transactional_db: None
) -> None:
    """axe really runs (under the pages' Content-Security-Policy) and reports what it finds."""
    browser.get(f"{live_server}/")
    browser.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend', arguments[0])",
        '<img src="data:," id="no-alt"><button id="no-name"></button>',
    )
    violations = axe_violations(browser)
    assert {v["id"] for v in violations} >= {"image-alt", "button-name"}
    message = format_violations(violations)
    assert "image-alt (critical): Images must have alternative text" in message
    assert "    #no-alt" in message and "    #no-name" in message
    assert axe_violations(browser, impacts=["minor"]) == []


@pytest.mark.parametrize("path", ["/", "/sign-in/"])
def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(
    path: str, browser: WebDriver, live_server: object, transactional_db: None
) -> None:
    browser.get(f"{live_server}{path}")
    # GOV.UK Frontend's skip-link component has started (it is what moves the focus).
    WebDriverWait(browser, 10).until(
        lambda driver: driver.execute_script(
            "return document.querySelector('.govuk-skip-link')"
            ".hasAttribute('data-govuk-skip-link-init')"
        )
    )
    skip = browser.find_element(By.CSS_SELECTOR, ".govuk-skip-link")
    assert not skip.is_displayed() or skip.size["height"] <= 1  # visually hidden until focused

    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element == skip
    assert skip.text == "Skip to main content"
    assert skip.is_displayed()
    assert skip.size["width"] > 1 and skip.size["height"] > 1  # shown once focused

    ActionChains(browser).send_keys(Keys.ENTER).perform()
    main = browser.find_element(By.ID, "main-content")
    assert main.tag_name == "main"
    assert browser.switch_to.active_element == main
    assert browser.current_url.endswith("#main-content")
    # The next Tab goes on from the content, not back to the header.
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.switch_to.active_element
    assert browser.execute_script("return arguments[0].contains(arguments[1])", main, focused)
