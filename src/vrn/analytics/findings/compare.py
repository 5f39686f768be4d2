"""Each finding of one area against the same finding of another (``--compare-to``).

Shares of independent rows, with their counts, are compared by the difference of the two
proportions with Newcombe's hybrid score limits
(:func:`vrn.analytics.stats.proportion_difference`). Other
estimates are compared by their 95% intervals: intervals that do not overlap show a
difference; intervals that overlap do not show one (a conservative check). Where one area
is part of the other (a CSP against its network) the two are not independent, and both
checks are conservative.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vrn.analytics.findings.base import (
    PROPORTION,
    WILSON,
    Estimate,
    Finding,
    number,
    significance_of,
)
from vrn.analytics.stats import proportion_difference

NEWCOMBE = "difference of proportions, Newcombe hybrid score limits"
OVERLAP = "comparison of the two 95% intervals (no overlap: different; a conservative check)"


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _counts(finding: Finding) -> tuple[float, float] | None:
    x, n = finding.numerator, finding.denominator
    if _numeric(x) and _numeric(n) and n is not None and x is not None and 0 <= x <= n and n > 0:
        return float(x), float(n)
    return None


def comparison(finding: Finding, other: Finding, area: str) -> dict[str, Any] | None:
    """``finding`` against ``other`` (the same finding for ``area``); None when either has
    no number to compare."""
    if not (_numeric(finding.value) and _numeric(other.value)):
        return None
    result: dict[str, Any] = {
        "area": area,
        "value": other.value,
        "lower": other.lower,
        "upper": other.upper,
    }
    mine, theirs = _counts(finding), _counts(other)
    independent_rows = finding.method == WILSON and other.method == WILSON
    if finding.unit == PROPORTION and independent_rows and mine and theirs:
        table = proportion_difference(mine[0], mine[1], theirs[0], theirs[1])
        estimate = Estimate(
            number(table["value"].iloc[0]),
            number(table["lowercl"].iloc[0]),
            number(table["uppercl"].iloc[0]),
        )
        result |= {
            "difference": estimate.value,
            "difference_lower": estimate.lower,
            "difference_upper": estimate.upper,
            "significance": significance_of(estimate, 0.0),
            "method": NEWCOMBE,
        }
        return result
    if None in (finding.lower, finding.upper, other.lower, other.upper):
        result |= {"significance": None, "method": "no intervals to compare"}
        return result
    assert finding.lower is not None and finding.upper is not None
    assert other.lower is not None and other.upper is not None
    if finding.lower > other.upper:
        verdict = "higher"
    elif finding.upper < other.lower:
        verdict = "lower"
    else:
        verdict = "not shown to differ"
    result |= {"significance": verdict, "method": OVERLAP}
    return result


def compare(
    findings: Mapping[str, Finding], others: Mapping[str, Finding], area: str
) -> dict[str, Finding]:
    """Every finding, with its ``comparison`` against the same id in ``others``."""
    out = {}
    for key, finding in findings.items():
        other = others.get(key)
        result = comparison(finding, other, area) if other is not None else None
        out[key] = finding.with_context(comparison=result) if result else finding
    return out
