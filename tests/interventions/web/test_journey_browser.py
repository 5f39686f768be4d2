"""A caseworker's journey in headless Chromium: sign in, declare a purpose, record a
referral (after correcting a mistake), an assessment, two distance-travelled reviews and
an outcome, and see them on the participant's page. Every page visited has one heading,
its title, no Content-Security-Policy violation and no serious or critical axe-core
violation.

The browser is the ``browser`` fixture of :mod:`tests.web.browser` (skipped without
Chromium, except under CI).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from tests.web.axe import axe_violations, format_violations
from tests.web.browser import browser, sign_in, wait_until_replaced
from vrn.interventions import reference
from vrn.interventions.models import Assessment, Outcome, Participant, Review

from ..conftest import PASSWORD, Provider

__all__ = ["browser"]

pytestmark = pytest.mark.browser


def policy_messages(driver: WebDriver) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")  # type: ignore[attr-defined]
        if "Content Security Policy" in entry["message"] or "Refused" in entry["message"]
    ]


def check_page(driver: WebDriver, title: str) -> None:
    """The page shown: its title, one h1, no policy violation, no axe violation."""
    where = driver.current_url
    assert driver.title.startswith(f"{title} - "), (where, driver.title)
    assert " - Intervention monitoring - VRN Platform" in driver.title, (where, driver.title)
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1, where
    assert policy_messages(driver) == [], where
    violations = axe_violations(driver)
    assert not violations, f"{where}:\n{format_violations(violations)}"


def submit(driver: WebDriver) -> None:
    button = driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    button.click()
    wait_until_replaced(driver, button)


def click_link(driver: WebDriver, text: str) -> None:
    link = driver.find_element(By.LINK_TEXT, text)
    link.click()
    wait_until_replaced(driver, link)


def choose(driver: WebDriver, name: str, value: str) -> None:
    """Tick a radio or checkbox by clicking its label, as a person does."""
    field = driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']")
    driver.find_element(By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']").click()
    assert field.is_selected(), (name, value)


def type_into(driver: WebDriver, field_id: str, text: str) -> None:
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)


def type_date(driver: WebDriver, name: str, day: dt.date) -> None:
    type_into(driver, f"id_{name}", str(day.day))
    type_into(driver, f"id_{name}_month", str(day.month))
    type_into(driver, f"id_{name}_year", str(day.year))


def test_a_caseworker_records_a_journey(
    browser: WebDriver, live_server: object, transactional_db: None, provider_a: Provider
) -> None:
    base = str(live_server)
    sign_in(browser, base, "caseworker-a", PASSWORD)
    browser.get(f"{base}{reverse('interventions:home')}")
    check_page(browser, "Programmes")
    assert "Turning Point programme" in browser.find_element(By.TAG_NAME, "main").text

    # Opening records asks for the purpose first, then goes where the user was going.
    click_link(browser, "Find a participant")
    check_page(browser, "Why are you opening participant records")
    choose(browser, "purpose", "casework")
    submit(browser)
    assert browser.current_url.endswith(reverse("interventions:participants"))
    check_page(browser, "Participants")

    # A referral with a mistake: the error summary takes the focus and links to the field.
    click_link(browser, "Record a referral")
    check_page(browser, "Record a referral")
    type_into(browser, "id_case_reference", "Jo Bloggs")
    type_date(browser, "referral_date", dt.date(2024, 3, 4))
    Select(browser.find_element(By.ID, "id_referral_source")).select_by_value("school")
    Select(browser.find_element(By.ID, "id_reachable_moment")).select_by_value("school_exclusion")
    choose(browser, "consent_status", "given")
    choose(browser, "lawful_basis", "consent")
    type_into(browser, "id_nhs_number", "943 476 5919")
    type_date(browser, "date_of_birth", dt.date(2008, 1, 15))
    type_into(browser, "id_postcode", "LE1 5WW")
    choose(browser, "sex", "F")
    choose(browser, "ethnicity", "asian")
    choose(browser, "priority_groups", "absent_or_excluded")
    submit(browser)
    check_page(browser, "Error: Record a referral")
    focused = browser.switch_to.active_element
    assert "govuk-error-summary" in (focused.get_attribute("class") or "")
    link = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary__list a")
    assert link.text.startswith("Case reference must be your own record number")
    assert (link.get_attribute("href") or "").endswith("#id_case_reference")
    assert Participant.objects.count() == 0
    # What was typed stays (but the NHS number must be typed again only if changed).
    assert browser.find_element(By.ID, "id_nhs_number").get_attribute("value") == "943 476 5919"
    type_into(browser, "id_case_reference", "TP-2024-017")
    submit(browser)

    participant = Participant.objects.get()
    assert browser.current_url.endswith(reverse("interventions:participant", args=[participant.pk]))
    check_page(browser, f"Participant {participant.pk}")
    banner = browser.find_element(By.CSS_SELECTOR, ".govuk-notification-banner--success")
    assert f"Referral recorded: participant {participant.pk}" in banner.text
    assert participant.age_at_referral == 16 and participant.case_reference == "TP-2024-017"

    # The assessment of need.
    click_link(browser, "An assessment of need")
    check_page(browser, "Record an assessment of need")
    type_date(browser, "assessed_on", dt.date(2024, 3, 6))
    choose(browser, "factor_impulsivity", "yes")
    choose(browser, "factor_low_self_esteem", "yes")
    choose(browser, "factor_male", "no")
    submit(browser)
    check_page(browser, f"Participant {participant.pk}")
    assessment = Assessment.objects.get()
    assert assessment.risk_score == 2.0 and assessment.stage == "entry"

    # Two reviews on the self-report scale, three weeks apart.
    for day, scores in ((dt.date(2024, 3, 7), ("3", "4")), (dt.date(2024, 3, 28), ("6", "8"))):
        click_link(browser, "A distance-travelled review")
        check_page(browser, "Choose the scale of a review")
        choose(browser, "scale", "vrn_self_report_journey")
        submit(browser)
        check_page(browser, "Record a review")
        type_date(browser, "review_date", day)
        type_into(browser, "id_score_feeling_safe", scores[0])
        type_into(browser, "id_score_managing_emotions", scores[1])
        submit(browser)
        check_page(browser, f"Participant {participant.pk}")
    assert sorted(r.mean_score for r in Review.objects.all()) == [3.5, 7.0]

    # An outcome, with its evidence.
    click_link(browser, "An outcome")
    check_page(browser, "Record an outcome")
    Select(browser.find_element(By.ID, "id_kind")).select_by_value("entered_education")
    type_date(browser, "outcome_date", dt.date(2024, 4, 15))
    choose(browser, "evidence", "document_seen")
    submit(browser)
    check_page(browser, f"Participant {participant.pk}")
    outcome = Outcome.objects.get()
    assert outcome.verified and outcome.kind == "entered_education"

    # All of it on the participant's page.
    main = browser.find_element(By.TAG_NAME, "main").text
    assert re.search(r"Case reference\s+TP-2024-017", main)
    assert "Impulsivity" in main and "Low self-esteem" in main
    risk_max = reference.checklist().score({}).risk_max
    assert re.search(rf"Risk score\s+2 of {risk_max:g}\b", main)
    table = browser.find_element(By.ID, "scale-vrn_self_report_journey")
    rows = [row.text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert "Feeling safe 3 6" in rows and "Managing emotions 4 8" in rows
    assert "Mean score 3.5 7.0" in rows
    headers = table.find_element(By.TAG_NAME, "thead").text
    assert "7 Mar 2024" in headers and "28 Mar 2024" in headers
    assert "Change in the mean from the first review to the latest: +3.5" in main
    assert "Entered education" in main and "Document seen" in main
