"""Accessibility checks with axe-core (vendored in ``tests/vendor/axe-core/``) in a browser.

    from tests.web.axe import axe_violations, format_violations

    browser.get(url)
    violations = axe_violations(browser)
    assert not violations, format_violations(violations)

Only the WCAG 2.0, 2.1 and 2.2 A and AA rules run (WCAG 2.2 AA is the target); by default
only violations of serious or critical impact are returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from selenium.webdriver.remote.webdriver import WebDriver

AXE_JS = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"

#: The axe-core rule tags of WCAG 2.2 level AA (axe-core tags no rule "wcag22a").
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
IMPACTS = ("minor", "moderate", "serious", "critical")

_RUN = """
const [tags, done] = arguments;
axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(results => done({violations: results.violations}))
  .catch(error => done({error: String(error && error.stack || error)}));
"""


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(
    driver: WebDriver,
    *,
    impacts: Iterable[str] = ("serious", "critical"),
    tags: Iterable[str] = WCAG_TAGS,
) -> list[dict[str, Any]]:
    """Run axe-core on the page ``driver`` shows; the violations of the given impacts.

    Each violation is axe's dict: ``id``, ``impact``, ``help``, ``helpUrl``, ``tags`` and
    ``nodes`` (each with ``target``, a list of CSS selectors, ``html`` and
    ``failureSummary``).
    """
    wanted = set(impacts)
    unknown = wanted - set(IMPACTS)
    if unknown:
        raise ValueError(f"unknown impacts {sorted(unknown)}; axe has {IMPACTS}")
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(_axe_source())
    driver.set_script_timeout(60)
    result = driver.execute_async_script(_RUN, list(tags))
    if "error" in result:
        raise RuntimeError(f"axe.run failed on {driver.current_url}: {result['error']}")
    return [v for v in result["violations"] if v["impact"] in wanted]


def format_violations(violations: Iterable[dict[str, Any]], *, targets: int = 3) -> str:
    """One paragraph per violation: rule, impact, help, and the first ``targets`` elements."""
    lines: list[str] = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{len(nodes)} element{'s' if len(nodes) != 1 else ''}]"
            f" {violation['helpUrl']}"
        )
        for node in nodes[:targets]:
            lines.append(f"    {' >> '.join(map(str, node['target']))}")
        if len(nodes) > targets:
            lines.append(f"    ... and {len(nodes) - targets} more")
    return "\n".join(lines) if lines else "no violations"
