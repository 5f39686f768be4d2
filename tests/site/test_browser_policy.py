"""In headless Chromium: pages keep to their Content-Security-Policy (the browser reports no
violation) and GOV.UK Frontend's scripts, now files, still run. Same needs as
tests/web/browser.py."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selenium.webdriver.remote.webdriver import WebDriver

from tests.web.browser import browser
from vrn.accounts.models import User

pytestmark = pytest.mark.browser

__all__ = ["browser"]  # the headless Chromium fixture of tests/web/browser.py


def _policy_messages(browser: WebDriver) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")  # type: ignore[attr-defined]
        if "Content Security Policy" in entry["message"] or "Refused" in entry["message"]
    ]


def test_pages_and_the_admin_run_under_the_policy(
    browser: WebDriver, live_server: object, transactional_db: None
) -> None:
    User.objects.create_superuser("root", "root@example.org", "a-long-test-password-42")
    browser.get(f"{live_server}{reverse('web:sign-in')}")
    browser.find_element("id", "id_username").send_keys("root")
    browser.find_element("id", "id_password").send_keys("a-long-test-password-42")
    browser.find_element("css selector", "main button[type=submit]").click()

    for url in [
        reverse("web:home"),
        reverse("web:sign-in"),
        reverse("web:synthetic-data"),
        reverse("dashboard:street"),
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
    ]:
        browser.get(f"{live_server}{url}")
        classes = browser.execute_script("return document.body.className")
        if not url.startswith("/admin/"):
            # The js-enabled script ran, and initAll (a module) started the components.
            assert "js-enabled" in classes and "govuk-frontend-supported" in classes, url
            assert browser.execute_script(
                "return document.querySelector('[data-module=govuk-skip-link]')"
                ".hasAttribute('data-govuk-skip-link-init')"
            ), url
        assert _policy_messages(browser) == [], url
    # The admin's own scripts ran (its theme script sets the theme from local storage).
    assert browser.execute_script("return typeof window.django === 'object'")

    # The browser enforces the policy and these checks would see a violation.
    browser.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        "document.body.appendChild(s);"
    )
    assert browser.execute_script("return window.ran") is None
    assert any("inline script" in message for message in _policy_messages(browser))
