"""The risk factors page: the loaded indicators against England with Fingertips' comparison
labels, and the deprivation gradient, for the network or a CSP.

The figures are the problem profile's findings (``risk_factors`` and the deprivation
findings), computed with the dashboard's events (:attr:`DashboardEvents.risk`), so the
page and the profile never disagree; the page lays them out compactly, as an area
profile does: one table per indicator, one chart of rates by decile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from vrn.analytics.dashboard_events import DashboardEvents
from vrn.analytics.findings.base import Finding
from vrn.dashboard import charts
from vrn.dashboard.published import Audience

#: GOV.UK tag colours of Fingertips' comparison words.
TAGS = {
    "Better": "govuk-tag--green",
    "Worse": "govuk-tag--red",
    "Higher": "govuk-tag--blue",
    "Lower": "govuk-tag--light-blue",
    "Similar": "govuk-tag--yellow",
}
#: The deprivation findings summarised in words under the chart, in order.
GRADIENT = ("deprivation_rate_ratio_decile1_vs_10", "deprivation_sii", "deprivation_rii")


@dataclass(frozen=True)
class AreaValue:
    area: str
    value: str
    limits: str
    label: str
    tag: str


@dataclass(frozen=True)
class Indicator:
    name: str
    period: str
    england: str
    areas: list[AreaValue]
    notes: tuple[str, ...]
    definition: str


def context(events: DashboardEvents, area: str, audience: Audience) -> dict[str, Any]:
    """The page's indicators, the deprivation chart and its table, and the gradient."""
    findings = events.risk[area].findings
    indicators = [
        _indicator(finding, findings)
        for key, finding in findings.items()
        if key.startswith("risk_factor_") and key.count("_") == 2
    ]
    by_decile = findings.get("deprivation_rates_by_decile")
    return {
        "indicators": indicators,
        "not_computed": events.risk[area].not_computed,
        "decile": by_decile,
        "decile_rows": _decile_rows(by_decile, audience) if by_decile is not None else [],
        "decile_chart": _decile_chart(by_decile, audience) if by_decile is not None else "",
        "gradient": [findings[key] for key in GRADIENT if key in findings],
    }


def _indicator(headline: Finding, findings: dict[str, Finding]) -> Indicator:
    prefix = f"{headline.id}_"
    areas = []
    for key, finding in findings.items():
        if not key.startswith(prefix):
            continue
        label = finding.comparison_label or "Not compared"
        areas.append(
            AreaValue(
                area=finding.area,
                value=_show(finding.value, finding.unit),
                limits=(
                    f"{_bare(finding.lower, finding.unit)} to {_bare(finding.upper, finding.unit)}"
                    if finding.lower is not None and finding.upper is not None
                    else ""
                ),
                label=label,
                tag=TAGS.get(label, "govuk-tag--grey"),
            )
        )
    return Indicator(
        name=headline.title,
        period=headline.period,
        england=_show(headline.comparator_value, areas_unit(findings, prefix)),
        areas=areas,
        notes=headline.notes,
        definition=headline.definition,
    )


def areas_unit(findings: dict[str, Finding], prefix: str) -> str:
    """The unit of an indicator's per-area findings."""
    return next((f.unit for k, f in findings.items() if k.startswith(prefix)), "")


def _show(value: Any, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no value"
    return f"{float(value):.1f}%" if unit == "%" else f"{float(value):,.1f} {unit}".strip()


def _bare(value: float, unit: str) -> str:
    """A limit without its unit, which the value beside it gives (but a percent sign)."""
    return f"{value:.1f}%" if unit == "%" else f"{value:,.1f}"


def _decile_rows(finding: Finding, audience: Audience) -> list[dict[str, str]]:
    data = finding.data
    counts = audience.counts([int(c) for c in data["count"]])
    released = audience.released([int(c) for c in data["count"]])
    rows = []
    for record, count, ok in zip(data.to_dict("records"), counts, released, strict=True):
        rate, lower, upper = (_finite(record[c]) for c in ("rate", "rate_lower", "rate_upper"))
        shown = ok and rate is not None
        rows.append(
            {
                "decile": str(record["imd_decile"]),
                "count": count,
                "rate": f"{rate:.2f}" if shown and rate is not None else "",
                "limits": f"{lower:.2f} to {upper:.2f}"
                if shown and lower is not None and upper is not None
                else "",
            }
        )
    return rows


def _finite(value: Any) -> float | None:
    """A number, or None for a missing one (no residents in the decile: no rate)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _decile_chart(finding: Finding, audience: Audience) -> SafeString:
    data = finding.data
    released = audience.released([int(c) for c in data["count"]])
    spec = {
        "id": "by-decile",
        "type": "bar",
        "title": f"{finding.title}, {finding.area}, {finding.period}",
        "x": {
            "title": "Deprivation decile (IMD; 1 most deprived)",
            "values": [str(d) for d in data["imd_decile"]],
            "labels": [f"Decile {d}" for d in data["imd_decile"]],
        },
        "series": [
            {
                "name": "Rate per 1,000 residents a year",
                "values": [
                    _finite(r) if ok else None for r, ok in zip(data["rate"], released, strict=True)
                ],
            }
        ],
        "units": "per 1,000 residents a year",
        "decimals": 2,
        "intervals": [
            [_finite(lo), _finite(hi)] if ok and _finite(lo) is not None else None
            for lo, hi, ok in zip(data["rate_lower"], data["rate_upper"], released, strict=True)
        ],
        "interval_label": "95% confidence interval",
    }
    return mark_safe(charts.render_svg(spec))  # the renderer escapes every text


def decile_csv_rows(events: DashboardEvents, area: str) -> list[list[object]] | None:
    """The deprivation chart's figures as CSV rows, a header first (None without them)."""
    finding = events.risk[area].findings.get("deprivation_rates_by_decile")
    if finding is None:
        return None
    header: list[object] = ["measure", "area", "period", "imd_decile", "count", "population"]
    header += ["rate", "rate_lower", "rate_upper", "rate_unit", "definitions", "method"]
    lines: list[list[object]] = [header]
    for record in finding.data.to_dict("records"):
        lines.append(
            [
                finding.title,
                finding.area,
                finding.period,
                record["imd_decile"],
                int(record["count"]),
                record["population"],
                *(_finite(record[c]) for c in ("rate", "rate_lower", "rate_upper")),
                "per 1,000 residents a year",
                " ".join(finding.definitions),
                finding.method,
            ]
        )
    return lines
