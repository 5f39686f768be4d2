"""The serious violence dashboard in headless Chromium, on a loaded synthetic world.

- Every page kind, on each face: its heading and title, no serious or critical axe-core
  violation, no Content-Security-Policy violation, and every chart has a title, a
  description and its figures as a table (explore and risk factors send a visitor to sign
  in).
- Explore from the keyboard alone, with and without JavaScript.
- The board member's question: "is serious violence among under-25s falling in my CSP,
  and where is it concentrated?", from the overview to the measure page and the map.

Screenshots for the docs: with ``VRN_SCREENSHOTS=<folder>`` each page kind and face is
saved there, whole, as ``dashboard-<kind>-<face>.png``; without it nothing is written.

The browser is the ``browser`` fixture of :mod:`tests.web.browser` (skipped without
Chromium, except under CI).
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.axe import axe_violations, format_violations
from tests.web.browser import (
    CHROMEDRIVER,
    CHROMIUM,
    FLAGS,
    browser,
    require_chromium,
    sign_in,
    wait_until_replaced,
)
from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.analytics.dashboard_events import DashboardEvents
from vrn.analytics.explore import Query, explore
from vrn.analytics.headlines import headlines
from vrn.dashboard import sitemap, store

from ..profile.test_command import world

__all__ = ["browser", "world"]

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-42"
LEICESTER_CSP = "E22000168"
SV, SV_U25 = "serious_violence", "serious_violence_u25"
TABLE_SUMMARY = "Show the figures as a table"
SIGNED_IN, PUBLIC = "signed-in", "public"
#: What each page kind's <h1> says (the overview: the area's name; a measure: its label).
HEADINGS = {
    "explore": "Explore",
    "map": "Map",
    "risk": "Risk factors and deprivation",
    "about": "About this data",
    "hotspots": "Where crime concentrates",
    "tasking": "Tasking: next month's risk",
    "hidden": "What only the hospital sees",
}
#: The first part of each page kind's <title>.
TITLES = {
    "overview": "Overview",
    "explore": "Explore",
    "map": "Map",
    "risk": "Risk factors",
    "about": "About this data",
    "hotspots": "Hotspots",
    "tasking": "Tasking",
    "hidden": "What only the hospital sees",
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def events(transactional_db: None, world: Path) -> DashboardEvents:
    """The world, loaded where the live server sees it (committed, not in a transaction),
    and the dashboard's events built from it (shared with the live server's thread)."""
    return store.current()


def make_board_member(username: str = "board") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.BOARD_MEMBER.label))
    return user


@pytest.fixture
def no_js_browser(tmp_path: Path) -> Iterator[WebDriver]:
    """A headless Chromium as :mod:`tests.web.browser` starts it, with JavaScript off."""
    require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={tmp_path / 'chromium-no-js'}"]:
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


# --------------------------------------------------------------------------- helpers


#: The sitemap's page of these kinds that is shown (else the first of its kind and face):
#: serious violence's measure page, and Explore with a filter and a breakdown.
PREFERRED = {
    "measure": f"measure {SV}",
    "explore": "explore by day and hour, knives",
}


def representative_pages(events: DashboardEvents) -> dict[tuple[str, str], sitemap.Page]:
    """One page of each kind and face, from the sitemap (see :data:`PREFERRED`)."""
    chosen: dict[tuple[str, str], sitemap.Page] = {}
    for page in sitemap.pages(events):
        face = SIGNED_IN if page.signed_in else PUBLIC
        preferred = PREFERRED.get(page.kind)
        if preferred is None or page.name.endswith(f": {preferred}"):
            chosen.setdefault((page.kind, face), page)
    return chosen


def policy_messages(driver: WebDriver) -> list[str]:
    """Content-Security-Policy violations in the console since the last call."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")  # type: ignore[attr-defined]
        if "Content Security Policy" in entry["message"] or "Refused" in entry["message"]
    ]


def screenshot(driver: WebDriver, kind: str, face: str) -> Path | None:
    """Save the whole page as ``dashboard-<kind>-<face>.png`` in ``$VRN_SCREENSHOTS``, if set."""
    folder = os.environ.get("VRN_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder) / f"dashboard-{kind}-{face}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]  # type: ignore[attr-defined]
    shot = driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


CHART_CHECK = """
const summary = arguments[0];
const bodyRows = (element) => element.querySelectorAll("table tbody tr").length;
// The table of a chart's figures: the dashboard's "Show the figures as a table" details
// after it, in the chart's figure's nearest containers; the problem profile's data table
// in the chart's finding (or the one it links to, "Data: as for ..."); for a headline
// tile's sparkline, the tile's link to its measure page, which has the table.
function tableOf(svg) {
  const tile = svg.closest(".vrn-tile");
  if (tile) {
    const link = tile.querySelector("a[href*='/measure/']");
    return link ? {where: `tile links to ${link.getAttribute("href")}`, rows: 1} : null;
  }
  let box = svg.closest("figure") || svg;
  for (let up = 0; up < 3 && box; up++, box = box.parentElement) {
    for (const details of box.querySelectorAll("details")) {
      const text = details.querySelector("summary")?.textContent.trim();
      const after = details.compareDocumentPosition(svg) & Node.DOCUMENT_POSITION_PRECEDING;
      if (text === summary && after) return {where: "details", rows: bodyRows(details)};
    }
    if (box.matches("article.vrn-report__finding")) {
      const table = box.querySelector("table.vrn-report__data");
      if (table) return {where: "data table", rows: bodyRows(table)};
      const same = [...box.querySelectorAll("p")]
        .find((p) => p.textContent.trim().startsWith("Data: as for"))?.querySelector("a");
      const target = same && document.querySelector(same.getAttribute("href"));
      if (target) return {where: `table of ${same.getAttribute("href")}`, rows: bodyRows(target)};
    }
  }
  return null;
}
return [...document.querySelectorAll("main svg[role=img]")].map((svg, index) => {
  const found = tableOf(svg) || {where: "", rows: 0};
  return {
    name: svg.id || svg.getAttribute("aria-labelledby") || `chart ${index + 1}`,
    title: svg.querySelector(":scope > title")?.textContent.trim() || "",
    desc: svg.querySelector(":scope > desc")?.textContent.trim() || "",
    where: found.where,
    rows: found.rows,
  };
});
"""


def check_charts(driver: WebDriver) -> int:
    """Every chart has a title, a description and a table of its figures with rows; the
    number of charts."""
    charts = driver.execute_script(CHART_CHECK, TABLE_SUMMARY)
    for chart in charts:
        where = f"{driver.current_url}: {chart['name']}"
        assert chart["title"], f"{where} has no <title>"
        assert chart["desc"], f"{where} has no <desc>"
        assert chart["where"], f"{where} has no table of its figures nearby"
        assert chart["rows"] > 0, f"{where}: its table ({chart['where']}) has no rows"
    return len(charts)


def check_page(driver: WebDriver, kind: str, face: str, events: DashboardEvents) -> int:
    """The page now shown: heading, title, axe, policy and charts; its number of charts."""
    url = driver.current_url
    h1 = driver.find_element(By.TAG_NAME, "h1").text
    expected = HEADINGS.get(kind)
    if kind == "overview":
        expected = events.scope.name
    elif kind == "measure":
        expected = events.measure(SV).label
    assert h1 == expected, url
    title = TITLES.get(kind, events.measure(SV).label)
    ending = "Public dashboard" if face == PUBLIC else "Dashboard"
    assert driver.title.startswith(f"{title} - "), (url, driver.title)
    assert f" - {ending} - " in driver.title or driver.title.endswith(f" - {ending}"), (
        url,
        driver.title,
    )
    assert policy_messages(driver) == [], url
    if kind == "overview" and face == SIGNED_IN:  # exact figures: nothing is withheld
        assert "too small to publish" not in driver.find_element(By.TAG_NAME, "main").text
    charts = check_charts(driver)
    screenshot(driver, kind, face)
    # axe checks what is shown: open every details element (tables, filters) first.
    driver.execute_script("document.querySelectorAll('main details').forEach(d => d.open = true)")
    violations = axe_violations(driver)
    assert not violations, f"{url}:\n{format_violations(violations)}"
    return charts


# --------------------------------------------------------------------------- 1. each page


def test_each_page_kind_on_each_face(
    browser: WebDriver, live_server: object, events: DashboardEvents
) -> None:
    make_board_member()
    pages = representative_pages(events)
    assert {kind for kind, _ in pages} == {
        "overview",
        "measure",
        "explore",
        "map",
        "risk",
        "about",
        "hotspots",
        "tasking",
        "hidden",
    }
    sign_in_path = reverse("web:sign-in")

    # A visitor sees the public face; every signed-in page (Explore and risk factors have
    # no public face) asks them to sign in first.
    for (kind, face), page in pages.items():
        browser.get(f"{live_server}{page.path}")
        if face == SIGNED_IN:
            url = urlsplit(browser.current_url)
            assert url.path == sign_in_path, (page.path, browser.current_url)
            assert parse_qs(url.query)["next"] == [page.path]
            continue
        charts = check_page(browser, kind, face, events)
        print(f"{face} {kind}: {page.path} ({charts} charts)")

    sign_in(browser, live_server, "board", PASSWORD)
    for (kind, face), page in pages.items():
        if face != SIGNED_IN:
            continue
        browser.get(f"{live_server}{page.path}")
        charts = check_page(browser, kind, face, events)
        print(f"{face} {kind}: {page.path} ({charts} charts)")

    # The chart check would see a chart without a description or a table of its figures.
    browser.execute_script(
        "document.querySelector('main').insertAdjacentHTML('beforeend', arguments[0])",
        '<figure><svg role="img" id="bare"><title>A chart</title><desc></desc></svg></figure>',
    )
    with pytest.raises(AssertionError, match="bare has no <desc>"):
        check_charts(browser)


# --------------------------------------------------------------------------- 2. Explore


def press(driver: WebDriver, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver: WebDriver, wanted: Callable[[WebElement], bool], limit: int = 250) -> WebElement:
    """Press Tab until the focused element is ``wanted``; that element."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        focused = driver.switch_to.active_element
        if wanted(focused):
            return focused
    pytest.fail(f"{limit} presses of Tab did not reach the element wanted on {driver.current_url}")


def gap(above: WebElement, below: WebElement) -> float:
    """The vertical space between two elements, in CSS pixels."""
    return below.rect["y"] - (above.rect["y"] + above.rect["height"])


def is_summary(text: str) -> Callable[[WebElement], bool]:
    return lambda element: element.tag_name == "summary" and element.text.startswith(text)


def table_rows(container: WebElement) -> list[list[str]]:
    """The text of each body row's cells (shown or not) of the first table in ``container``."""
    return [
        [cell.get_attribute("textContent").strip() for cell in row.find_elements(By.XPATH, "*")]
        for row in container.find_elements(By.CSS_SELECTOR, "table tbody tr")
    ]


def expected_rows(events: DashboardEvents, query: Query) -> list[list[str]]:
    """The label and count of each row of ``query``'s breakdown, as the signed-in face shows."""
    table = explore(events, query).table
    name = query.by[0]
    return [
        [str(label), f"{int(count):,}"]
        for label, count in zip(table[f"{name}_label"], table["count"], strict=True)
    ]


def test_explore_from_the_keyboard_and_without_javascript(
    browser: WebDriver,
    no_js_browser: WebDriver,
    live_server: object,
    events: DashboardEvents,
) -> None:
    make_board_member()
    sign_in(browser, live_server, "board", PASSWORD)
    browser.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Browser.grantPermissions",
        {
            "origin": str(live_server),
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
        },
    )
    browser.get(f"{live_server}{reverse('dashboard:explore')}")
    policy_messages(browser)
    # The months are a group of their own, apart from the next field.
    assert (
        gap(
            browser.find_element(By.ID, "to"),
            browser.find_element(By.CSS_SELECTOR, "label[for=by]"),
        )
        >= 15
    )

    # Break down by victim's age: the select takes the arrow keys.
    by = tab_to(browser, lambda element: element.get_attribute("id") == "by")
    chosen = Select(by)
    for _ in range(40):
        if chosen.first_selected_option.text == "Victim's age":
            break
        press(browser, Keys.ARROW_DOWN)
    assert chosen.first_selected_option.get_attribute("value") == "victim_age_band"

    # Open the weapon filter and tick knives.
    summary = tab_to(browser, is_summary("Weapon"))
    details = summary.find_element(By.XPATH, "..")
    assert details.get_attribute("open") is None
    press(browser, Keys.ENTER)
    assert details.get_attribute("open") is not None
    knife = tab_to(browser, lambda element: element.get_attribute("value") == "knife_or_sharp")
    press(browser, Keys.SPACE)
    assert knife.is_selected()
    assert summary.text == "Weapon (1 chosen)"  # dashboard.js counts what is ticked

    # Submit with the form's button.
    show = tab_to(browser, lambda element: element.get_attribute("type") == "submit")
    assert show.text == "Show"
    press(browser, Keys.ENTER)
    wait_until_replaced(browser, show)
    params = parse_qs(urlsplit(browser.current_url).query)
    assert params["measure"] == [SV]
    assert params["by"] == ["victim_age_band"]
    assert params["weapon"] == ["knife_or_sharp"]
    assert browser.find_element(By.TAG_NAME, "h1").text == "Explore"

    # The result: a chart and its table, opened from the keyboard.
    query = Query(SV, by=("victim_age_band",), filters={"weapon": frozenset({"knife_or_sharp"})})
    section = browser.find_element(
        By.CSS_SELECTOR, "section[aria-labelledby=victim_age_band-heading]"
    )
    assert section.find_element(By.TAG_NAME, "h3").text == "By victim's age"
    assert section.find_element(By.CSS_SELECTOR, "svg[role=img]").is_displayed()
    summary = tab_to(browser, is_summary(TABLE_SUMMARY))
    press(browser, Keys.ENTER)
    table = section.find_element(By.TAG_NAME, "table")
    assert table.is_displayed()
    shown = [row[:2] for row in table_rows(section)]
    assert shown == expected_rows(events, query)
    assert len(shown) > 1

    # Copy link, shown by dashboard.js, copies the address of the view.
    copy = browser.find_element(By.CSS_SELECTOR, "[data-vrn-copy-link]")
    assert copy.is_displayed()
    assert tab_to(browser, lambda element: element == copy)
    press(browser, Keys.ENTER)
    status = browser.find_element(By.CSS_SELECTOR, ".vrn-copy-status[role=status]")
    WebDriverWait(browser, 5).until(lambda _: status.text)
    assert status.text == "Link copied."
    assert policy_messages(browser) == []

    # Without JavaScript: the same address shows the same result, with no Copy link; the
    # form still works.
    url = browser.current_url
    sign_in(no_js_browser, live_server, "board", PASSWORD)
    no_js_browser.get(url)
    assert no_js_browser.find_element(By.TAG_NAME, "h1").text == "Explore"
    section = no_js_browser.find_element(
        By.CSS_SELECTOR, "section[aria-labelledby=victim_age_band-heading]"
    )
    assert [row[:2] for row in table_rows(section)] == expected_rows(events, query)
    assert not no_js_browser.find_element(By.CSS_SELECTOR, "[data-vrn-copy-link]").is_displayed()
    assert not no_js_browser.find_elements(By.CSS_SELECTOR, ".vrn-copy-status")
    Select(no_js_browser.find_element(By.ID, "by")).select_by_value("victim_sex")
    show = no_js_browser.find_element(By.CSS_SELECTOR, ".vrn-explore-form button[type=submit]")
    show.click()
    wait_until_replaced(no_js_browser, show)
    params = parse_qs(urlsplit(no_js_browser.current_url).query)
    assert params["by"] == ["victim_sex"] and params["weapon"] == ["knife_or_sharp"]
    section = no_js_browser.find_element(
        By.CSS_SELECTOR, "section[aria-labelledby=victim_sex-heading]"
    )
    by_sex = Query(SV, by=("victim_sex",), filters={"weapon": frozenset({"knife_or_sharp"})})
    assert [row[:2] for row in table_rows(section)] == expected_rows(events, by_sex)


# --------------------------------------------------------------------------- 3. the question

SIGNIFICANCE = {
    "lower": "Significantly lower",
    "higher": "Significantly higher",
    "not significant": "No significant change",
}


def test_is_serious_violence_among_under_25s_falling_in_my_csp_and_where(
    browser: WebDriver, live_server: object, events: DashboardEvents
) -> None:
    """A board member's question, answered through the pages as they would: the overview
    for their CSP, the under-25 tile, its measure page broken down by ward, then the map."""
    make_board_member()
    csp_name = events.scope.name_of(LEICESTER_CSP)
    u25 = events.measure(SV_U25)
    tile_figures = {h.measure: h for h in headlines(events.results[LEICESTER_CSP])}[SV_U25]
    change = tile_figures.change
    assert change is not None and change.value is not None
    by_ward = Query(SV_U25, LEICESTER_CSP, by=("ward",))
    wards = expected_rows(events, by_ward)
    busiest = max(wards, key=lambda row: int(row[1].replace(",", "")))
    wait = WebDriverWait(browser, 10)
    started = time.perf_counter()

    sign_in(browser, live_server, "board", PASSWORD)
    browser.get(f"{live_server}{reverse('dashboard:overview')}")

    # The overview for Leicester, chosen in the area picker.
    Select(browser.find_element(By.ID, "area")).select_by_visible_text(csp_name)
    show = browser.find_element(By.CSS_SELECTOR, ".vrn-area-picker button[type=submit]")
    show.click()
    wait_until_replaced(browser, show)
    assert parse_qs(urlsplit(browser.current_url).query)["area"] == [LEICESTER_CSP]
    assert browser.find_element(By.TAG_NAME, "h1").text == csp_name

    # The under-25 tile: its count, the year before, the change and whether it is significant.
    tile = browser.find_element(
        By.XPATH, f"//li[contains(@class, 'vrn-tile')][.//h2/a[normalize-space()='{u25.label}']]"
    )
    assert tile.find_element(By.CSS_SELECTOR, ".vrn-tile__number").text == f"{change.later_count:,}"
    assert f"A year earlier: {change.earlier_count:,} (" in tile.text
    assert tile.find_element(By.CSS_SELECTOR, ".vrn-tile__change strong").text == (
        f"{change.value:+.1f}%"
    )
    tag = tile.find_element(By.CSS_SELECTOR, ".govuk-tag").text
    assert tag == SIGNIFICANCE[change.significance]
    print(
        f"\n{u25.label}, {csp_name}: {change.later_count} against {change.earlier_count} "
        f"a year earlier ({change.value:+.1f}%): {tag}"
    )

    # Its measure page for Leicester, broken down by ward.
    link = tile.find_element(By.CSS_SELECTOR, "h2 a")
    link.click()
    wait_until_replaced(browser, link)
    url = urlsplit(browser.current_url)
    assert url.path == reverse("dashboard:measure", args=[SV_U25])
    assert parse_qs(url.query)["area"] == [LEICESTER_CSP]
    assert browser.find_element(By.TAG_NAME, "h1").text == u25.label
    assert browser.find_element(By.CSS_SELECTOR, ".govuk-caption-xl").text == csp_name
    section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=ward-heading]")
    assert section.find_element(By.TAG_NAME, "h3").text == "By ward"
    assert section.find_element(By.CSS_SELECTOR, "svg[role=img]").is_displayed()
    section.find_element(By.CSS_SELECTOR, "summary").click()
    assert section.find_element(By.TAG_NAME, "table").is_displayed()
    shown = [row[:2] for row in table_rows(section)]
    assert shown == wards
    assert busiest in shown
    print(f"Most in one ward: {busiest[0]} ({busiest[1]} of {u25.label.lower()})")

    # The map of the CSP by ward, for the same measure.
    browser.find_element(By.CSS_SELECTOR, "nav.vrn-subnav").find_element(
        By.LINK_TEXT, "Map"
    ).click()
    wait.until(expected_conditions.title_contains("Map"))
    assert parse_qs(urlsplit(browser.current_url).query)["area"] == [LEICESTER_CSP]
    Select(browser.find_element(By.ID, "map-measure")).select_by_value(SV_U25)
    Select(browser.find_element(By.ID, "map-level")).select_by_value("ward")
    show = browser.find_element(By.CSS_SELECTOR, ".vrn-map-form button[type=submit]")
    show.click()
    wait_until_replaced(browser, show)
    params = parse_qs(urlsplit(browser.current_url).query)
    assert params == {"measure": [SV_U25], "level": ["ward"], "area": [LEICESTER_CSP]}
    form = browser.find_element(By.CSS_SELECTOR, ".vrn-map-form")
    assert gap(form, form.find_element(By.XPATH, "following-sibling::p[1]")) >= 15
    assert browser.find_element(By.CSS_SELECTOR, ".govuk-caption-xl").text == csp_name
    drawn = browser.find_elements(By.CSS_SELECTOR, "figure.vrn-map svg[role=img] path > title")
    names = [title.get_attribute("textContent") for title in drawn]
    assert any(name.startswith(busiest[0]) for name in names), names
    details = browser.find_element(By.CSS_SELECTOR, "main details")
    details.find_element(By.TAG_NAME, "summary").click()
    assert [row[:2] for row in table_rows(details)] == wards
    elapsed = time.perf_counter() - started
    print(f"Journey: {elapsed:.1f} s from signing in to the map")
