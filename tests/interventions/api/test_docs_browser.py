"""In headless Chromium: the API's docs page (Swagger UI, served from this site) runs under
the Content-Security-Policy, reads the schema, and its "Try it out" works with the
session: a read, and a write that carries the page's CSRF token."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.browser import browser, sign_in
from vrn.interventions.models import CaseNote

from ..conftest import PASSWORD, Provider
from .conftest import Journey

pytestmark = pytest.mark.browser

__all__ = ["browser"]


def _policy_messages(driver: WebDriver) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")  # type: ignore[attr-defined]
        if "Content Security Policy" in entry["message"] or "Refused" in entry["message"]
    ]


def _operation(driver: WebDriver, operation_id: str, tag: str) -> WebElement:
    block = driver.find_element(By.ID, f"operations-{tag}-{operation_id}")
    block.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    WebDriverWait(driver, 10).until(lambda _: block.find_elements(By.CSS_SELECTOR, ".try-out__btn"))
    block.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
    return block


def _execute(driver: WebDriver, block: WebElement) -> str:
    block.find_element(By.CSS_SELECTOR, ".execute").click()
    cell = ".live-responses-table tbody .response-col_status"
    WebDriverWait(driver, 10).until(lambda _: block.find_elements(By.CSS_SELECTOR, cell))
    return str(block.find_element(By.CSS_SELECTOR, cell).text.strip())


def test_the_docs_page_runs_and_tries_the_api_with_the_session(
    browser: WebDriver,
    live_server: object,
    transactional_db: None,
    provider_a: Provider,
    journeys: dict[str, Journey],
) -> None:
    sign_in(browser, live_server, provider_a.caseworker.username, PASSWORD)
    browser.get(f"{live_server}/api/docs/")
    WebDriverWait(browser, 20).until(
        lambda driver: len(driver.find_elements(By.CSS_SELECTOR, ".opblock")) >= 16
    )
    title = browser.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text
    assert title.startswith("VRN Platform API")
    assert _policy_messages(browser) == []

    programmes = _operation(browser, "programmes_list", "programmes")
    assert _execute(browser, programmes) == "200"

    notes = _operation(browser, "participants_case_notes_create", "journey_records")
    field = notes.find_element(By.CSS_SELECTOR, "input[placeholder='participant_id']")
    field.send_keys(str(journeys["a"].participant.pk))
    assert _execute(browser, notes) == "201"
    assert CaseNote.objects.filter(case_reference="A-1", text="string").count() == 1
    assert _policy_messages(browser) == []
