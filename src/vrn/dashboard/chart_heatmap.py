"""Heat map: a grid of rows by columns, each cell shaded by its class (see ``charts``).

Specification::

    {
        "id": "day-hour", "type": "heatmap", "title": "Violence by day and hour",
        "rows": {"title": "Day of the week", "labels": ["Monday", ...]},
        "columns": {"title": "Hour of the day", "labels": ["00", ..., "23"]},
        "values": [[3, 0, None, ...], ...],   # one list per row; None: not available
        "units": "crimes", "decimals": 0,
        "classes": 5, "method": "jenks",       # optional; or "quantile"
        "missing_label": "Not shown (suppressed)",  # optional legend text for None
    }

Each cell is a ``<rect>`` with a ``<title>``; its value is written in the cell where it
fits, so the chart reads in greyscale print too.
"""

from __future__ import annotations

from html import escape

from vrn.dashboard.chart_classes import METHODS, class_items, classify, hatch, legend
from vrn.dashboard.charts import _CHAR_WIDTH, WIDTH, Spec, _number, _svg

_CELL_HEIGHT = 26
_TOP = 28
_CELL_FONT = 11


def _grid(spec: Spec) -> list[list[float | None]]:
    return [list(row) for row in spec["values"]]


def render(spec: Spec) -> str:
    rows: list[str] = spec["rows"]["labels"]
    columns: list[str] = spec["columns"]["labels"]
    grid = _grid(spec)
    decimals = spec.get("decimals", 0)
    classes = classify([v for row in grid for v in row], spec.get("classes", 5), _method(spec))
    left = max((len(label) for label in rows), default=0) * _CHAR_WIDTH + 12
    cell_width = (WIDTH - left - 4) / max(len(columns), 1)
    pattern = f"{spec['id']}-missing"
    body = [hatch(pattern)]
    body.append(
        f'<text x="{left:.1f}" y="16" font-weight="bold">{escape(spec["columns"]["title"])}</text>'
    )
    for j, label in enumerate(columns):
        x = left + (j + 0.5) * cell_width
        body.append(
            f'<text x="{x:.1f}" y="{_TOP + len(rows) * _CELL_HEIGHT + 18}" '
            f'text-anchor="middle" font-size="{_CELL_FONT + 1}">{escape(label)}</text>'
        )
    for i, label in enumerate(rows):
        y = _TOP + i * _CELL_HEIGHT
        body.append(
            f'<text x="{left - 8:.1f}" y="{y + _CELL_HEIGHT / 2 + 5:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for j, value in enumerate(grid[i]):
            x = left + j * cell_width
            where = f"{escape(label)}, {escape(columns[j])}"
            if value is None or classes is None:
                css, fill, ink, text = "vrn-chart__cell--missing", f"url(#{pattern})", "", ""
                tooltip = f"{where}: not available"
            else:
                k = classes.index(value)
                css = f"vrn-chart__class--{k + 1}"
                fill, ink = classes.colour(k), classes.text_colour(k)
                text = _number(value, decimals)
                tooltip = f"{where}: {text} {escape(spec['units'])}"
            body.append(
                f'<rect class="vrn-chart__cell {css}" x="{x:.2f}" y="{y}" '
                f'width="{cell_width:.2f}" height="{_CELL_HEIGHT}" fill="{escape(fill)}" '
                f'stroke="#ffffff" stroke-width="1"><title>{tooltip}</title></rect>'
            )
            if text and len(text) * 0.56 * _CELL_FONT <= cell_width - 2:
                body.append(
                    f'<text x="{x + cell_width / 2:.2f}" y="{y + _CELL_HEIGHT / 2 + 4:.1f}" '
                    f'text-anchor="middle" font-size="{_CELL_FONT}" fill="{ink}" '
                    f'aria-hidden="true">{text}</text>'
                )
    items = class_items(classes, decimals)
    if any(v is None for row in grid for v in row):
        items.append(
            (
                "vrn-chart__class vrn-chart__class--missing",
                f"url(#{pattern})",
                spec.get("missing_label", "Not available"),
            )
        )
    top = _TOP + len(rows) * _CELL_HEIGHT + 36
    svg, height = legend(items, top, WIDTH, f"{spec['units'].capitalize()} ({_method_name(spec)})")
    body.append(svg)
    return _svg(spec, top + height, body)


def describe(spec: Spec) -> str:
    rows: list[str] = spec["rows"]["labels"]
    columns: list[str] = spec["columns"]["labels"]
    grid = _grid(spec)
    decimals = spec.get("decimals", 0)
    cells = [
        (value, f"{rows[i]} {columns[j]}")
        for i, row in enumerate(grid)
        for j, value in enumerate(row)
        if value is not None
    ]
    if not cells:
        return f"{spec['title']}: no data."
    classes = classify([value for value, _ in cells], spec.get("classes", 5), _method(spec))
    assert classes is not None
    high = max(cells, key=lambda cell: cell[0])
    low = min(cells, key=lambda cell: cell[0])
    total = sum(value for value, _ in cells)
    by_row = [sum(v for v in row if v is not None) for row in grid]
    top_row = rows[by_row.index(max(by_row))]
    ranges = "; ".join(
        f"{classes.label(i, decimals)} ({classes.counts[i]} cells)"
        for i in range(len(classes.uppers))
    )
    missing = sum(v is None for row in grid for v in row)
    text = (
        f"Heat map of {spec['units']} by {spec['rows']['title'].lower()} ({len(rows)} rows) "
        f"and {spec['columns']['title'].lower()} ({len(columns)} columns), "
        f"{_number(total, decimals)} in all. Highest {_number(high[0], decimals)} at "
        f"{high[1]}; lowest {_number(low[0], decimals)} at {low[1]}. "
        f"Most in a row: {top_row} ({_number(max(by_row), decimals)}). "
        f"Shaded in {len(classes.uppers)} classes by {_method_name(spec)}: {ranges}."
    )
    if missing:
        text += f" {missing} cells not available."
    return text


def csv_rows(spec: Spec) -> list[list[object]]:
    header: list[object] = [spec["rows"]["title"], *spec["columns"]["labels"]]
    body = [[label, *row] for label, row in zip(spec["rows"]["labels"], _grid(spec), strict=True)]
    return [header, *body]


def _method(spec: Spec) -> str:
    return str(spec.get("method", "jenks"))


def _method_name(spec: Spec) -> str:
    return METHODS.get(_method(spec), _method(spec))
