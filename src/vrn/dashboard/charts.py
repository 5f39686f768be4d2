"""Accessible SVG charts drawn on the server from a small chart specification.

A specification is a plain dict, so the same one can drive a web page, a CSV download
and (later) a PDF report::

    {
        "id": "monthly",            # unique on the page; prefixes the SVG element ids
        "type": "line",             # or "bar"
        "title": "Crimes recorded each month",
        "x": {"title": "Month", "values": ["2023-01", ...], "labels": ["Jan 2023", ...]},
        "series": [{"name": "All crime", "values": [8676, ...]}, ...],
        "units": "crimes",
        "decimals": 0,              # optional: decimal places of values (1 for rates)
        "benchmark": "E92000001",   # bar charts only, optional: an x value drawn as comparator
        "intervals": [[1.2, 1.9], ...],  # bar charts only, optional: 95% limits per x value
        "interval_label": "95% confidence interval",  # what the intervals are
    }

``line`` draws each series in its own panel with its own zero-based y-axis, so that a
small crime type stays readable beside the total. ``bar`` draws one horizontal bar per
x value from the first series, with its value written at the end of the bar, and a
whisker for each interval given (``None`` where there is none).

Four more kinds have specifications of their own, described in their modules:
``heatmap`` (:mod:`vrn.dashboard.chart_heatmap`, a rows-by-columns grid of classed
colours), ``pyramid`` (:mod:`vrn.dashboard.chart_pyramid`, two-sided bars with whiskers),
``map`` (:mod:`vrn.dashboard.chart_maps`, a choropleth of GeoJSON boundaries) and
``sparkline`` (:mod:`vrn.dashboard.chart_sparkline`, a headline tile's small line).
:func:`render_svg`, :func:`csv_rows` and :func:`describe` take any kind.

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` written from the
numbers; the page shows the same data as a table. Pure Python: no Django, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from types import ModuleType
from typing import Any

#: GOV.UK Frontend colours.
BLUE = "#1d70b8"
DARK_GREY = "#505a5f"
MID_GREY = "#b1b4b6"
BLACK = "#0b0c0c"

WIDTH = 720
FONT_SIZE = 14
FONT = '"GDS Transport", arial, sans-serif'

_LINE_PANEL_HEIGHT = 160
_LINE_MARGIN = {"top": 32, "right": 16, "bottom": 44, "left": 64}
_BAR_HEIGHT = 28
_BAR_GAP = 12
_BAR_VALUE_SPACE = 64
_CHAR_WIDTH = 0.56 * FONT_SIZE
#: The most labels written under a line chart's axis.
_MAX_AXIS_LABELS = 24  # rough width of one character, for laying out labels

Spec = dict[str, Any]


def _kind(spec: Spec) -> ModuleType | None:
    """The module drawing the kinds other than ``line`` and ``bar`` (None for those two)."""
    # Imported here: those modules use this one's helpers.
    from vrn.dashboard import chart_heatmap, chart_maps, chart_pyramid, chart_sparkline

    kinds = {
        "heatmap": chart_heatmap,
        "pyramid": chart_pyramid,
        "map": chart_maps,
        "sparkline": chart_sparkline,
    }
    if spec["type"] in kinds:
        return kinds[spec["type"]]
    if spec["type"] in ("line", "bar"):
        return None
    raise ValueError(
        f"unknown chart type {spec['type']!r}; expected one of line, bar, {', '.join(kinds)}"
    )


def render_svg(spec: Spec) -> str:
    """The chart described by ``spec`` as an inline SVG string; all text is escaped."""
    kind = _kind(spec)
    if kind is not None:
        return str(kind.render(spec))
    if spec["type"] == "line":
        return _line_chart(spec)
    return _bar_chart(spec)


def csv_rows(spec: Spec) -> list[list[object]]:
    """The data behind a chart as CSV rows: a header, then one row per x value."""
    kind = _kind(spec)
    if kind is not None:
        rows: list[list[object]] = kind.csv_rows(spec)
        return rows
    x = spec["x"]
    header: list[object] = [x["title"], *(series["name"] for series in spec["series"])]
    columns = [series["values"] for series in spec["series"]]
    body = [[value, *(column[i] for column in columns)] for i, value in enumerate(x["values"])]
    return [header, *body]


def describe(spec: Spec) -> str:
    """A plain-English summary of the chart, for its ``<desc>`` and screen readers."""
    kind = _kind(spec)
    if kind is not None:
        return str(kind.describe(spec))
    labels = spec["x"]["labels"]
    units = spec["units"]
    decimals = spec.get("decimals", 0)
    if not labels:
        return f"{spec['title']}: no data."
    if spec["type"] == "line":
        parts = [
            f"Line chart, {len(labels)} points from {labels[0]} to {labels[-1]}, "
            f"one panel per series."
        ]
        for series in spec["series"]:
            known = [
                (v, label)
                for v, label in zip(series["values"], labels, strict=True)
                if v is not None
            ]
            if not known:
                parts.append(f"{series['name']}: no data.")
                continue
            high = max(known, key=lambda item: item[0])
            low = min(known, key=lambda item: item[0])
            first, last = known[0], known[-1]
            parts.append(
                f"{series['name']}: {_number(first[0], decimals)} {units} in {first[1]}, "
                f"{_number(last[0], decimals)} in {last[1]}; "
                f"highest {_number(high[0], decimals)} in {high[1]}, "
                f"lowest {_number(low[0], decimals)} in {low[1]}."
            )
        return " ".join(parts)
    values = spec["series"][0]["values"]
    intervals = spec.get("intervals") or [None] * len(values)
    listed = "; ".join(
        f"{label} {_number(value, decimals) if value is not None else 'not available'}"
        + (
            f" ({_number(limits[0], decimals)} to {_number(limits[1], decimals)})"
            if value is not None and limits is not None
            else ""
        )
        for label, value, limits in zip(labels, values, intervals, strict=True)
    )
    if spec.get("intervals"):
        listed += f"; in brackets the {spec.get('interval_label', 'interval')}"
    return (
        f"Bar chart of {spec['series'][0]['name'].lower()} by "
        f"{spec['x']['title'].lower()}: {listed}."
    )


def _line_chart(spec: Spec) -> str:
    labels: Sequence[str] = spec["x"]["labels"]
    decimals = spec.get("decimals", 0)
    m = _LINE_MARGIN
    panel_height = _LINE_PANEL_HEIGHT + m["top"] + m["bottom"]
    height = panel_height * len(spec["series"])
    plot_width = WIDTH - m["left"] - m["right"]
    step = plot_width / max(len(labels) - 1, 1)

    def x_at(i: int) -> float:
        return m["left"] + (i * step if len(labels) > 1 else plot_width / 2)

    body: list[str] = []
    for p, series in enumerate(spec["series"]):
        top = p * panel_height + m["top"]
        bottom = top + _LINE_PANEL_HEIGHT
        values = series["values"]
        ticks = _ticks(max((v for v in values if v is not None), default=0), decimals)

        def y_at(value: float, ticks: list[float] = ticks, bottom: float = bottom) -> float:
            return bottom - value / ticks[-1] * _LINE_PANEL_HEIGHT

        body.append(
            f'<text x="0" y="{top - 12}" font-weight="bold">{escape(series["name"])}</text>'
        )
        for tick in ticks:
            y = y_at(tick)
            colour = BLACK if tick == 0 else MID_GREY
            body.append(
                f'<line x1="{m["left"]}" x2="{WIDTH - m["right"]}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="{colour}" stroke-width="1"/>'
                f'<text x="{m["left"] - 8}" y="{y + 5:.1f}" text-anchor="end">'
                f"{_tick_label(tick)}</text>"
            )
        # At most about two dozen month names fit under the axis: beyond that, every
        # second (or third ...) month is named; each January keeps its year.
        every = math.ceil(len(labels) / _MAX_AXIS_LABELS)
        for i, label in enumerate(labels):
            month, _, year = label.partition(" ")
            x = x_at(i)
            if i % every == 0:
                body.append(
                    f'<text x="{x:.1f}" y="{bottom + 20}" text-anchor="middle">'
                    f"{escape(month)}</text>"
                )
            if year and (i == 0 or month == "Jan"):
                body.append(
                    f'<text x="{x:.1f}" y="{bottom + 38}" text-anchor="middle">'
                    f"{escape(year)}</text>"
                )
        segments: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                segments.append([])
            else:
                segments[-1].append(f"{x_at(i):.1f},{y_at(value):.1f}")
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{BLUE}" '
                    f'stroke-width="3" stroke-linejoin="round"/>'
                )
        for i, value in enumerate(values):
            if value is not None:
                body.append(
                    f'<circle cx="{x_at(i):.1f}" cy="{y_at(value):.1f}" r="4" fill="{BLUE}">'
                    f"<title>{escape(labels[i])}: {_number(value, decimals)} "
                    f"{escape(spec['units'])}"
                    f"</title></circle>"
                )
    return _svg(spec, height, body)


def _bar_chart(spec: Spec) -> str:
    labels: Sequence[str] = spec["x"]["labels"]
    keys: Sequence[str] = spec["x"]["values"]
    values: Sequence[float | None] = spec["series"][0]["values"]
    intervals: Sequence[Sequence[float] | None] = spec.get("intervals") or [None] * len(values)
    decimals = spec.get("decimals", 0)
    label_width = max((len(label) for label in labels), default=0) * _CHAR_WIDTH + 16
    plot_left = label_width
    plot_width = WIDTH - plot_left - _BAR_VALUE_SPACE
    highest = [v for v in values if v is not None]
    highest += [limits[1] for limits in intervals if limits is not None]
    top_value = _ticks(max(highest, default=0), decimals)[-1]
    height = len(labels) * (_BAR_HEIGHT + _BAR_GAP) + _BAR_GAP

    body: list[str] = []
    rows = zip(keys, labels, values, intervals, strict=True)
    for i, (key, label, value, limits) in enumerate(rows):
        y = _BAR_GAP + i * (_BAR_HEIGHT + _BAR_GAP)
        middle = y + _BAR_HEIGHT / 2 + 5
        colour = DARK_GREY if key == spec.get("benchmark") else BLUE
        body.append(
            f'<text x="{plot_left - 8:.1f}" y="{middle:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        if value is None:
            body.append(f'<text x="{plot_left + 6:.1f}" y="{middle:.1f}">not available</text>')
            continue
        bar = value / top_value * plot_width
        tooltip = f"{escape(label)}: {_number(value, decimals)} {escape(spec['units'])}"
        text_at = plot_left + bar
        whisker = ""
        if limits is not None:
            tooltip += interval_tooltip(spec, limits, decimals)
            whisker = _whisker(
                plot_left + limits[0] / top_value * plot_width,
                plot_left + limits[1] / top_value * plot_width,
                y + _BAR_HEIGHT / 2,
            )
            text_at = max(text_at, plot_left + limits[1] / top_value * plot_width)
        body.append(
            f'<rect x="{plot_left:.1f}" y="{y}" width="{bar:.1f}" height="{_BAR_HEIGHT}" '
            f'fill="{colour}"><title>{tooltip}</title></rect>{whisker}'
            f'<text x="{text_at + 6:.1f}" y="{middle:.1f}">'
            f"{_number(value, decimals)}</text>"
        )
    body.append(
        f'<line x1="{plot_left:.1f}" x2="{plot_left:.1f}" y1="0" y2="{height}" '
        f'stroke="{BLACK}" stroke-width="1"/>'
    )
    return _svg(spec, height, body)


def interval_tooltip(spec: Spec, limits: Sequence[float], decimals: int) -> str:
    """`` (95% CI 1.2 to 3.4)``: a bar's limits in its tooltip."""
    return (
        f" ({escape(spec.get('interval_label', 'interval'))} "
        f"{_number(limits[0], decimals)} to {_number(limits[1], decimals)})"
    )


def _whisker(left: float, right: float, middle: float) -> str:
    """An interval drawn across a bar: a line with end caps, black so it shows on blue."""
    cap = _BAR_HEIGHT / 4
    return (
        f'<path class="vrn-chart__interval" d="M{left:.1f} {middle:.1f}H{right:.1f}'
        f"M{left:.1f} {middle - cap:.1f}V{middle + cap:.1f}"
        f'M{right:.1f} {middle - cap:.1f}V{middle + cap:.1f}" '
        f'stroke="{BLACK}" stroke-width="2" fill="none" aria-hidden="true"/>'
    )


def _svg(spec: Spec, height: float, body: list[str]) -> str:
    chart_id = escape(spec["id"])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vrn-chart" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f"aria-labelledby=\"{chart_id}-title {chart_id}-desc\" font-family='{FONT}' "
        f'font-size="{FONT_SIZE}" fill="{BLACK}">'
        f'<title id="{chart_id}-title">{escape(spec["title"])}</title>'
        f'<desc id="{chart_id}-desc">{escape(describe(spec))}</desc>'
        f"{''.join(body)}</svg>"
    )


def _ticks(maximum: float, decimals: int = 0, target: int = 4) -> list[float]:
    """Round axis ticks from zero to at least ``maximum``: steps of 1, 2, 2.5 or 5 x 10^k.

    Steps are whole numbers when values are (``decimals == 0``).
    """
    if maximum <= 0:
        return [0, 1]
    rough = maximum / target if decimals else max(maximum / target, 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    steps = (m * magnitude for m in (1, 2, 2.5, 5, 10))
    step = next(s for s in steps if s >= rough and (decimals or float(s).is_integer()))
    count = math.ceil(maximum / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _number(value: float, decimals: int) -> str:
    """``value`` with thousands separators and ``decimals`` decimal places."""
    return f"{value:,.{decimals}f}"


def _tick_label(tick: float) -> str:
    """An axis tick with thousands separators and no trailing zeros: 2,500, 0.25."""
    return f"{tick:,.6f}".rstrip("0").rstrip(".")
