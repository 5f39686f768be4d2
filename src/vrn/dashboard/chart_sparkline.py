"""Sparkline: a small line of a monthly series for a headline tile (see ``charts``).

Specification::

    {
        "id": "sv-spark", "type": "sparkline", "title": "Serious violence each month",
        "x": {"labels": ["January 2023", ...]},
        "values": [41, 38, None, ...],    # None: not shown (e.g. suppressed)
        "units": "crimes",
    }

No axes: the tile gives the figures; the line shows the shape, with the last point
marked. Its ``<desc>`` states the first, last, highest and lowest values, and the tile's
measure page has the full table.
"""

from __future__ import annotations

from html import escape

from vrn.dashboard.charts import BLUE, Spec, _number

_WIDTH = 240
_HEIGHT = 48
_PAD = 4


def render(spec: Spec) -> str:
    values = spec["values"]
    known = [v for v in values if v is not None]
    chart_id = escape(spec["id"])
    body = ""
    if known:
        top = max(known) or 1
        step = (_WIDTH - 2 * _PAD) / max(len(values) - 1, 1)
        points = []
        last = None
        for i, value in enumerate(values):
            if value is None:
                continue
            x = _PAD + i * step
            y = _HEIGHT - _PAD - (value / top) * (_HEIGHT - 2 * _PAD)
            points.append(f"{x:.1f},{y:.1f}")
            last = (x, y)
        body = (
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{BLUE}" '
            'stroke-width="2" stroke-linejoin="round"/>'
        )
        if last is not None:
            body += f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="3" fill="{BLUE}"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vrn-sparkline" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(spec["title"])}</title>'
        f'<desc id="{chart_id}-desc">{escape(describe(spec))}</desc>{body}</svg>'
    )


def describe(spec: Spec) -> str:
    labels = spec["x"]["labels"]
    pairs = [(v, label) for v, label in zip(spec["values"], labels, strict=True) if v is not None]
    if not pairs:
        return f"{spec['title']}: no figures shown."
    units = spec["units"]
    high = max(pairs, key=lambda p: p[0])
    low = min(pairs, key=lambda p: p[0])
    return (
        f"{spec['title']}, {len(labels)} months: {_number(pairs[0][0], 0)} {units} in "
        f"{pairs[0][1]}, {_number(pairs[-1][0], 0)} in {pairs[-1][1]}; highest "
        f"{_number(high[0], 0)} in {high[1]}, lowest {_number(low[0], 0)} in {low[1]}."
    )


def csv_rows(spec: Spec) -> list[list[object]]:
    rows: list[list[object]] = [["month", spec["units"]]]
    rows += [
        [label, value] for label, value in zip(spec["x"]["labels"], spec["values"], strict=True)
    ]
    return rows
