"""The problem profile as a board-ready HTML document and PDF.

:func:`render_html` turns the JSON-ready profile (what ``profile.json`` holds) and the
boundaries of its areas into one standalone HTML document, with its own print CSS and
every chart as inline SVG (no scripts, fonts or images from anywhere else);
:func:`render_pdf` prints that document with WeasyPrint. :func:`report_context` is the
template context of ``profile/_body.html``, the report's body, so that a web page can
show the same content inside the site's layout.

Counts are shown exactly as the profile gives them: they were put through disclosure
control before the profile was written (``"*"`` for a suppressed count).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from vrn.dashboard.charts import Spec, render_svg

#: The standalone report's stylesheet.
STYLE = Path(__file__).with_name("report.css")
#: Every printed page of a report on synthetic data says so at its top.
SYNTHETIC_PAGE_STYLE = (
    '@page { @top-center { content: "SYNTHETIC DATA: describes no real people or events"; '
    "font-size: 8pt; font-weight: bold; color: #0b0c0c; background: #ffdd00; "
    "padding: 1mm 3mm; } }\n"
)
Row = dict[str, Any]
Geometry = dict[str, Any]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Units whose values are shares (shown as percentages), and a rate's default unit.
PROPORTION = "proportion"
DEFAULT_RATE_UNIT = "per 1,000 residents a year"
#: Column headings of data tables that are not just the column name with spaces.
HEADINGS = {
    "imd_decile": "IMD decile (1 = most deprived)",
    "rate_lower": "Lower 95% limit",
    "rate_upper": "Upper 95% limit",
    "share_lower": "Lower 95% limit",
    "share_upper": "Upper 95% limit",
    "lowercl": "Lower 95% limit",
    "uppercl": "Upper 95% limit",
    "area": "Area code",
    "name": "Area",
    "weekday": "Day",
}


#: Rows of a finding's data shown in the report (all of them are in profile.json): the
#: ranked tables (areas by rate, LSOAs) are read from the top.
MAX_TABLE_ROWS = 10


def render_html(
    profile: Mapping[str, Any],
    boundaries: Mapping[str, Geometry],
    *,
    fragment: bool = False,
    data_tables: bool = True,
) -> str:
    """The profile as a standalone HTML document (``profile/report.html``), or with
    ``fragment`` its body without the title page (``profile/_body.html``), safe to put
    into a page of the site, which gives the heading and the synthetic-data banner.

    ``boundaries`` maps area codes (wards, LSOAs) to GeoJSON geometries in WGS84, for the
    maps of ``rates_by_ward`` and ``rates_by_lsoa``; areas without one are listed, not drawn.

    Without ``data_tables`` the findings' data tables are left out (the printed report:
    each finding keeps its sentence, chart and row in its topic's table of findings, and
    the report says where the data are); laying out a hundred tables is most of the cost
    of a PDF.
    """
    context = report_context(profile, boundaries) | {
        "fragment": fragment,
        "data_tables": data_tables,
    }
    if not data_tables:
        # The printed report: a finding of a family of per-area findings (its data shared
        # with the family's first, or its id the first's id and an area) is a row of its
        # topic's table, linked to the first.
        for section in context["sections"]:
            heads: dict[str, str] = {}
            for finding in section["findings"]:
                family = finding["same_table_as"]
                head = next((heads[i] for i in heads if finding["id"].startswith(i + "_")), None)
                if family is None and head is None:
                    heads[finding["id"]] = finding["anchor"]
                finding["folded"] = family is not None or head is not None
                finding["link"] = family["anchor"] if family else head or finding["anchor"]
                finding["table"] = finding["same_table_as"] = None
    # The standalone document carries its own styles (it is opened from a file, or printed
    # by WeasyPrint, never served by the site, whose policy forbids inline styles).
    css = STYLE.read_text(encoding="utf-8")
    if context["synthetic"]:
        css += SYNTHETIC_PAGE_STYLE
    context["style"] = mark_safe(f"<style>\n{css}</style>")
    template = "profile/_body.html" if fragment else "profile/report.html"
    return render_to_string(template, context)


def render_pdf(html: str) -> bytes:
    """The document printed to PDF by WeasyPrint (imported here: it loads Pango). Give it
    the document of ``render_html(..., data_tables=False)`` for the board report."""
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def report_context(
    profile: Mapping[str, Any], boundaries: Mapping[str, Geometry]
) -> dict[str, Any]:
    """The context of ``profile/report.html`` and ``profile/_body.html``."""
    findings: dict[str, Row] = profile.get("findings", {})
    topics = [(str(key), str(heading)) for key, heading in profile.get("topics", [])]
    known = {key for key, _ in topics}
    if any(f["topic"] not in known for f in findings.values()):
        topics.append(("other", "Other findings"))
    sections = []
    shown: dict[str, dict[str, str]] = {}  # a data table already shown -> its finding
    for key, heading in topics:
        chosen = [
            f
            for f in findings.values()
            if f["topic"] == key or (key == "other" and f["topic"] not in known)
        ]
        if chosen:
            sections.append(
                {
                    "id": f"topic-{_slug(key)}",
                    "heading": heading,
                    "findings": [_finding(f, boundaries, shown) for f in chosen],
                }
            )
    period = profile.get("period", {})
    return {
        "title": profile.get("title", "Problem profile"),
        "area": profile.get("area", {}),
        "period": _period_text(period.get("first"), period.get("last"), period.get("months")),
        "generated": _generated(profile.get("generated")),
        "synthetic": bool(profile.get("synthetic")),
        "disclosure": profile.get("disclosure", ""),
        "key_findings": [f for section in sections for f in section["findings"]],
        "sections": sections,
        "compare_to": profile.get("compare_to"),
        "not_computed": [
            {"key": key, "name": _heading(key), "reason": reason}
            for key, reason in profile.get("not_computed", {}).items()
        ],
        "sources": [_source(source) for source in profile.get("sources", [])],
        "definitions": [_definition(d) for d in profile.get("definitions", [])],
    }


def _finding(
    finding: Row, boundaries: Mapping[str, Geometry], shown: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """The template's view of one finding. A data table identical to one shown before (the
    areas of one family of findings share it) is shown once and referred to after."""
    unit = str(finding.get("unit", ""))
    anchor = f"finding-{_slug(finding['id'])}"
    title = str(finding.get("title", finding["id"]))
    table_key = json.dumps(finding.get("data") or [], sort_keys=True, default=str)
    same_table_as = shown.get(table_key) if finding.get("data") else None
    if finding.get("data") and same_table_as is None:
        shown[table_key] = {"anchor": anchor, "title": title}
    chart = _chart(finding, boundaries)
    limits = ""
    if finding.get("lower") is not None and finding.get("upper") is not None:
        limits = f"{format_value(finding['lower'], unit)} to {format_value(finding['upper'], unit)}"
    comparator = finding.get("comparator") or ""
    if comparator and finding.get("comparator_value") is not None:
        comparator += f" ({format_value(finding['comparator_value'], unit)})"
    significance = finding.get("significance") or ""
    if significance and finding.get("p_value") is not None:
        significance += f" (p = {_p_value(finding['p_value'])})"
    denominator = ""
    if finding.get("denominator") is not None:
        denominator = (
            f"{_plain_number(finding['denominator'])} {finding.get('denominator_label') or ''}"
        )
    return {
        "id": finding["id"],
        "anchor": anchor,
        "link": anchor,
        "folded": False,
        "title": title,
        "sentence": finding.get("sentence", ""),
        "value": format_value(finding.get("value"), unit),
        "unit": unit if _is_number(finding.get("value")) and unit != PROPORTION else "",
        "limits": limits,
        "comparator": comparator,
        "significance": significance,
        "numerator": _plain_number(finding.get("numerator")),
        "denominator": denominator.strip(),
        "period": finding.get("period", ""),
        "area": finding.get("area", ""),
        "definition": finding.get("definition", ""),
        "method": finding.get("method", ""),
        "definitions": list(finding.get("definitions", [])),
        "notes": list(finding.get("notes", [])),
        "chart": chart,
        "comparison": _comparison(finding.get("comparison"), unit),
        "table": None if same_table_as else _table(finding),
        "same_table_as": same_table_as,
    }


def _comparison(comparison: Row | None, unit: str) -> dict[str, str] | None:
    """The comparison with another area (``--compare-to``) in words."""
    if not comparison:
        return None
    text = format_value(comparison.get("value"), unit)
    if comparison.get("lower") is not None and comparison.get("upper") is not None:
        text += (
            f" (95% CI {format_value(comparison['lower'], unit)} to "
            f"{format_value(comparison['upper'], unit)})"
        )
    if comparison.get("difference") is not None:
        points = 100 * float(comparison["difference"])
        text += f"; difference {points:+.1f} percentage points"
        if comparison.get("difference_lower") is not None:
            low, high = comparison["difference_lower"], comparison["difference_upper"]
            text += f" ({100 * float(low):+.1f} to {100 * float(high):+.1f})"
    if comparison.get("significance"):
        text += f"; {comparison['significance']}"
    return {"area": str(comparison.get("area", "")), "text": text}


def format_value(value: Any, unit: str) -> str:
    """A finding's value (or limit) as the reader should see it, by its unit.

    >>> format_value(0.5812, "proportion"), format_value(1.934, "rate ratio")
    ('58.1%', '1.93')
    >>> format_value(22, "hour of the day"), format_value(-12.34, "percentage change")
    ('22:00', '-12.3%')
    >>> format_value(1234.5, "rate per 100,000 residents a year"), format_value(None, "days")
    ('1,234.5', 'not known')
    """
    if value is None:
        return "not known"
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if unit == PROPORTION:
        return f"{100 * value:.1f}%"
    if unit == "rate ratio":
        return f"{value:.2f}"
    if unit == "hour of the day":
        return f"{int(value):02d}:00"
    if unit == "percentage change":
        return f"{value:+.1f}%".replace("+-", "-")
    if unit == "days":
        return f"{value:,.1f}"
    if unit.startswith("rate per 1,000 "):
        return f"{value:,.2f}"
    if unit.startswith("rate per"):
        return f"{value:,.1f}"
    return _plain_number(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plain_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _p_value(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


# Charts ------------------------------------------------------------------------------


def _count(value: Any) -> int | None:
    """A disclosure-controlled count as a number (None where suppressed)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    text = str(value).replace(",", "").strip()
    return int(text) if text.isdigit() else None


def _rate_units(finding: Row, noun: str) -> str:
    unit = str(finding.get("unit", ""))
    per = unit.removeprefix("rate ") if unit.startswith("rate per") else DEFAULT_RATE_UNIT
    return f"{noun} {per}"


def _decimals(units: str) -> int:
    return 1 if "100,000" in units else 2


def _chart(finding: Row, boundaries: Mapping[str, Geometry]) -> SafeString | None:
    rows: list[Row] = finding.get("data") or []
    builder = _trend if finding["id"].startswith("success_") else CHARTS.get(finding["id"])
    if builder is None or not rows:
        return None
    spec = builder(finding, rows, boundaries)
    if spec is None:
        return None
    # render_svg escapes every piece of text it writes.
    return mark_safe(render_svg(spec))


def _trend(finding: Row, rows: list[Row], boundaries: Mapping[str, Geometry]) -> Spec | None:
    if "month" not in rows[0]:
        return None
    months = [str(row["month"]) for row in rows]
    return {
        "id": f"chart-{_slug(finding['id'])}",
        "type": "line",
        "title": finding.get("title", finding["id"]),
        "x": {"title": "Month", "values": months, "labels": [_month(m, "%b %Y") for m in months]},
        "series": [
            {
                "name": finding.get("title", "Count"),
                "values": [_count(r.get("count")) for r in rows],
            }
        ],
        "units": "a month",
    }


def _pyramid(finding: Row, rows: list[Row], boundaries: Mapping[str, Geometry]) -> Spec | None:
    bands = list(dict.fromkeys(str(row["age_band"]) for row in rows))
    by = {(str(row["age_band"]), str(row["sex"]).lower()): row for row in rows}
    units = _rate_units(finding, "victims")
    series, intervals = [], []
    for sex in ("male", "female"):
        chosen = [by.get((band, sex), {}) for band in bands]
        series.append({"name": sex.capitalize(), "values": [row.get("rate") for row in chosen]})
        intervals.append([_limits(row) for row in chosen])
    return {
        "id": f"chart-{_slug(finding['id'])}",
        "type": "pyramid",
        "title": finding.get("title", finding["id"]),
        "x": {"title": "Age band", "values": bands, "labels": bands},
        "series": series,
        "intervals": intervals,
        "interval_label": "95% confidence interval",
        "units": units,
        "decimals": _decimals(units),
    }


def _heatmap(finding: Row, rows: list[Row], boundaries: Mapping[str, Geometry]) -> Spec | None:
    grid: list[list[int | None]] = [[None] * 24 for _ in WEEKDAYS]
    for row in rows:
        day, hour = int(row["weekday"]), int(row["hour"])
        if 1 <= day <= 7 and 0 <= hour <= 23:
            grid[day - 1][hour] = _count(row.get("count"))
    return {
        "id": f"chart-{_slug(finding['id'])}",
        "type": "heatmap",
        "title": finding.get("title", finding["id"]),
        "rows": {"title": "Day of the week", "labels": list(WEEKDAYS)},
        "columns": {
            "title": "Hour of the day (starting)",
            "labels": [f"{h:02d}" for h in range(24)],
        },
        "values": grid,
        "units": "crimes",
        "missing_label": "Not shown (disclosure control)",
    }


def _deciles(finding: Row, rows: list[Row], boundaries: Mapping[str, Geometry]) -> Spec | None:
    ordered = sorted(rows, key=lambda row: int(row["imd_decile"]))
    units = _rate_units(finding, "crimes")
    labels = [_decile_label(int(row["imd_decile"])) for row in ordered]
    return {
        "id": f"chart-{_slug(finding['id'])}",
        "type": "bar",
        "title": finding.get("title", finding["id"]),
        "x": {
            "title": "IMD decile",
            "values": [str(r["imd_decile"]) for r in ordered],
            "labels": labels,
        },
        "series": [{"name": units.capitalize(), "values": [row.get("rate") for row in ordered]}],
        "intervals": [_limits(row) for row in ordered],
        "interval_label": "95% confidence interval",
        "units": units,
        "decimals": _decimals(units),
    }


def _map(finding: Row, rows: list[Row], boundaries: Mapping[str, Geometry]) -> Spec | None:
    units = _rate_units(finding, "crimes")
    comparator = finding.get("comparator") or "the area as a whole"
    areas = []
    for row in rows:
        code = str(row.get("area"))
        significance = str(row.get("significance") or "")
        areas.append(
            {
                "code": code,
                "name": row.get("name") or code,
                "value": row.get("rate"),
                "lower": row.get("rate_lower"),
                "upper": row.get("rate_upper"),
                "note": significance or None,
                "highlight": significance.lower().startswith("high"),
                "geometry": boundaries.get(code),
            }
        )
    return {
        "id": f"chart-{_slug(finding['id'])}",
        "type": "map",
        "title": finding.get("title", finding["id"]),
        "areas": areas,
        "units": units,
        "decimals": _decimals(units),
        "method": "jenks",
        "highlight_label": f"Outlined: significantly higher than {comparator}",
        "interval_label": "95% confidence interval",
    }


ChartBuilder = Callable[[Row, list[Row], Mapping[str, Geometry]], Spec | None]
CHARTS: dict[str, ChartBuilder] = {
    "victim_rates_by_age_sex": _pyramid,
    "day_hour_profile": _heatmap,
    "deprivation_rates_by_decile": _deciles,
    "rates_by_ward": _map,
    "rates_by_lsoa": _map,
}


def _limits(row: Row) -> list[float] | None:
    lower, upper = row.get("rate_lower"), row.get("rate_upper")
    return None if lower is None or upper is None else [float(lower), float(upper)]


def _decile_label(decile: int) -> str:
    if decile == 1:
        return "1 (most deprived)"
    if decile == 10:
        return "10 (least deprived)"
    return str(decile)


# Tables ------------------------------------------------------------------------------


def _table(finding: Row) -> dict[str, Any] | None:
    """The finding's data as ``{"columns": [(heading, numeric)], "rows": [[(text,
    numeric)]], "wide": bool}``; the day-by-hour table is pivoted to days by hours."""
    rows: list[Row] = finding.get("data") or []
    if not rows:
        return None
    counts = set(finding.get("counts", []))
    if finding["id"] == "day_hour_profile" and {"weekday", "hour", "count"} <= set(rows[0]):
        return _day_hour_table(rows)
    if set(rows[0]) == {"month", "count"}:
        return _month_table(rows)
    names = list(dict.fromkeys(name for row in rows for name in row))
    columns = [
        (HEADINGS.get(name, _heading(name)), _is_numeric(name, rows, counts)) for name in names
    ]
    body = [
        [
            (_cell(name, row.get(name), counts), numeric)
            for name, (_, numeric) in zip(names, columns, strict=True)
        ]
        for row in rows[:MAX_TABLE_ROWS]
    ]
    return {
        "columns": columns,
        "rows": body,
        "wide": False,
        "total_rows": len(rows),
        "hidden_rows": max(len(rows) - MAX_TABLE_ROWS, 0),
    }


def _day_hour_table(rows: list[Row]) -> dict[str, Any]:
    cells = {(int(row["weekday"]), int(row["hour"])): str(row["count"]) for row in rows}
    columns = [("Day", False)] + [(f"{hour:02d}", True) for hour in range(24)]
    body = [
        [(name, False)] + [(cells.get((day, hour), ""), True) for hour in range(24)]
        for day, name in enumerate(WEEKDAYS, start=1)
    ]
    return {"columns": columns, "rows": body, "wide": True}


def _month_table(rows: list[Row]) -> dict[str, Any]:
    """Monthly counts as years by months (blank outside the period)."""
    cells = {
        str(row["month"])[:7]: "" if row["count"] is None else str(row["count"]) for row in rows
    }
    years = sorted({month[:4] for month in cells})
    names = [_month(f"2000-{m:02d}", "%b") for m in range(1, 13)]
    columns = [("Year", False)] + [(name, True) for name in names]
    body = [
        [(year, False)] + [(cells.get(f"{year}-{m:02d}", ""), True) for m in range(1, 13)]
        for year in years
    ]
    return {"columns": columns, "rows": body, "wide": False}


def _is_numeric(name: str, rows: Sequence[Row], counts: set[str]) -> bool:
    if name in counts:
        return True
    return any(
        isinstance(row.get(name), int | float) and not isinstance(row.get(name), bool)
        for row in rows
    )


def _cell(name: str, value: Any, counts: set[str]) -> str:
    if name in counts:
        return "" if value is None else str(value)  # already disclosure-controlled: as given
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if "share" in name or "proportion" in name:
            return f"{100 * value:.1f}%"
        return f"{value:,.2f}"
    if isinstance(value, int):
        return str(value) if name in ("imd_decile", "hour", "weekday") else f"{value:,}"
    return str(value)


# Text --------------------------------------------------------------------------------


def _heading(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _month(month: str | None, pattern: str = "%B %Y") -> str:
    if not month:
        return ""
    try:
        return dt.datetime.strptime(str(month)[:7], "%Y-%m").strftime(pattern)
    except ValueError:
        return str(month)


def _period_text(first: str | None, last: str | None, months: int | None) -> str:
    if not first or not last:
        return "not stated"
    span = _month(first) if first == last else f"{_month(first)} to {_month(last)}"
    if months:
        span += f" ({months} month{'s' if months != 1 else ''})"
    return span


def _generated(when: str | None) -> str:
    if not when:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(when))
    except ValueError:
        return str(when)
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M}" + (
        f" ({moment:%Z})" if moment.tzinfo is not None and moment.strftime("%Z") else ""
    )


def _source(source: Row) -> dict[str, Any]:
    first, last = source.get("first"), source.get("last")
    months = "not dated" if not first else _period_text(first, last or first, None)
    return {
        "dataset": source.get("dataset", ""),
        "rows": _plain_number(source.get("rows")),
        "months": months,
        "synthetic": bool(source.get("synthetic")),
    }


def _definition(definition: Row) -> dict[str, Any]:
    sha = str(definition.get("sha256", ""))
    return {
        "name": definition.get("name", ""),
        "version": definition.get("version", ""),
        "sha256": sha,
        "ref": definition.get("id")
        or f"{definition.get('name', '')}@{definition.get('version', '')}#{sha[:8]}",
        "source": definition.get("source", ""),
    }
