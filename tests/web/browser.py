"""Headless Chromium (Debian's package) for browser tests, as a fixture and a plain helper.

Needs ``apt-get install -y chromium chromium-driver``. Without them a test that asks for
the browser is skipped, except under CI (``CI=true``), where a missing browser is a failure.

The ``browser`` fixture is available to every test under ``tests/web/`` (its conftest
imports it). Elsewhere, import it into the test module (or that folder's conftest)::

    from tests.web.browser import browser

    __all__ = ["browser"]

or drive a browser of your own with :func:`chromium_driver`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

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


def require_chromium() -> None:
    """Skip the calling test if Chromium or its driver is missing (fail under CI)."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    message = (
        f"needs Debian's Chromium at {CHROMIUM} and {CHROMEDRIVER}: "
        "apt-get install -y chromium chromium-driver"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium_driver(profile_dir: Path) -> Iterator[WebDriver]:
    """A headless Chromium with its profile in ``profile_dir``, quit on exit.

    Its console log (``driver.get_log("browser")``), where Chromium reports
    Content-Security-Policy violations, keeps every level. Call :func:`require_chromium`
    first to skip cleanly where Chromium is not installed.
    """
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile_dir}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    """A fresh headless Chromium for one test."""
    require_chromium()
    with chromium_driver(tmp_path / "chromium-profile") as driver:
        yield driver


def wait_until_replaced(driver: WebDriver, element: WebElement, timeout: float = 10) -> None:
    """Wait until ``element`` has left the page: the next page has loaded.

    Selenium's ``staleness_of`` expects a stale-element error; newer ChromeDriver builds
    sometimes answer for a replaced document's element with "Node with given id does not
    belong to the document" instead, which means the same.
    """

    def replaced(_: WebDriver) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in (error.msg or ""):
                return True
            raise
        return False

    WebDriverWait(driver, timeout).until(replaced)


def sign_in(driver: WebDriver, base_url: object, username: str, password: str) -> None:
    """Sign in through the real sign-in page, as a person would.

    ``base_url`` is the live server (pytest-django's ``live_server``, or its ``url``).
    Fails if the sign-in page comes back (a wrong password, a lockout).
    """
    driver.get(f"{base_url}{reverse('web:sign-in')}")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    submit = driver.find_element(By.CSS_SELECTOR, "main button[type=submit]")
    submit.click()
    wait_until_replaced(driver, submit)
    if driver.current_url.startswith(f"{base_url}{reverse('web:sign-in')}"):
        pytest.fail(f"could not sign in as {username!r}: {driver.title}")
