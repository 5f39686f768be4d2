"""Population pyramid: two-sided horizontal bars by group, with interval whiskers.

Specification (see ``charts``)::

    {
        "id": "age-sex", "type": "pyramid", "title": "Victims by age and sex",
        "x": {"title": "Age band", "values": ["0-9", ...], "labels": ["0 to 9", ...]},
        "series": [{"name": "Male", "values": [...]}, {"name": "Female", "values": [...]}],
        "intervals": [[[lo, hi] or None, ...], [...]],   # optional, one list per series
        "interval_label": "95% confidence interval",
        "units": "victims per 1,000 residents a year", "decimals": 2,
    }

The first series goes left, the second right, on one scale; the first x value is drawn
at the bottom (youngest at the bottom, as pyramids are read).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from vrn.dashboard.charts import (
    _BAR_GAP,
    _BAR_HEIGHT,
    _CHAR_WIDTH,
    BLACK,
    BLUE,
    MID_GREY,
    WIDTH,
    Spec,
    _number,
    _svg,
    _tick_label,
    _ticks,
    _whisker,
    interval_tooltip,
)

#: GOV.UK Frontend turquoise, for the second series.
TURQUOISE = "#28a197"
_TOP = 32
_VALUE_SPACE = 56
_AXIS_SPACE = 44

Limits = Sequence[float] | None


def _intervals(spec: Spec) -> list[list[Limits]]:
    given = spec.get("intervals")
    n = len(spec["x"]["labels"])
    if not given:
        return [[None] * n for _ in spec["series"]]
    return [list(limits) for limits in given]


def render(spec: Spec) -> str:
    labels: list[str] = spec["x"]["labels"]
    decimals = spec.get("decimals", 0)
    left_series, right_series = spec["series"][:2]
    intervals = _intervals(spec)
    highest = [v for s in (left_series, right_series) for v in s["values"] if v is not None]
    highest += [limits[1] for side in intervals for limits in side if limits is not None]
    ticks = _ticks(max(highest, default=0), decimals)
    label_width = max((len(label) for label in labels), default=0) * _CHAR_WIDTH + 16
    half = (WIDTH - label_width) / 2 - _VALUE_SPACE
    centre_left = _VALUE_SPACE + half
    centre_right = centre_left + label_width
    rows = len(labels)
    height = _TOP + rows * (_BAR_HEIGHT + _BAR_GAP) + _BAR_GAP
    body = [
        f'<text x="{centre_left:.1f}" y="18" text-anchor="end" font-weight="bold">'
        f"{escape(left_series['name'])}</text>",
        f'<text x="{centre_right:.1f}" y="18" font-weight="bold">'
        f"{escape(right_series['name'])}</text>",
    ]

    def scale(value: float) -> float:
        return value / ticks[-1] * half

    for i, label in enumerate(labels):
        y = _TOP + _BAR_GAP + (rows - 1 - i) * (_BAR_HEIGHT + _BAR_GAP)
        middle = y + _BAR_HEIGHT / 2
        body.append(
            f'<text x="{centre_left + label_width / 2:.1f}" y="{middle + 5:.1f}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        sides = ((left_series, BLUE, centre_left), (right_series, TURQUOISE, centre_right))
        for side, (series, colour, centre) in enumerate(sides):
            value = series["values"][i]
            limits = intervals[side][i]
            body.append(
                _bar(
                    spec,
                    series["name"],
                    value,
                    limits,
                    label,
                    colour,
                    side,
                    centre,
                    middle,
                    y,
                    scale,
                )
            )
    for tick in ticks:
        for sign, origin in ((-1, centre_left), (1, centre_right)):
            x = origin + sign * scale(tick)
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{height}" '
                f'stroke="{BLACK if tick == 0 else MID_GREY}" stroke-width="1"/>'
                f'<text x="{x:.1f}" y="{height + 18}" text-anchor="middle">'
                f"{_tick_label(tick)}</text>"
            )
    body.append(
        f'<text x="{WIDTH / 2:.1f}" y="{height + 38}" text-anchor="middle">'
        f"{escape(spec['units'].capitalize())}</text>"
    )
    # Grid lines first, so that bars are drawn over them.
    grid = [part for part in body if part.startswith("<line")]
    rest = [part for part in body if not part.startswith("<line")]
    return _svg(spec, height + _AXIS_SPACE, grid + rest)


def _bar(
    spec: Spec,
    name: str,
    value: float | None,
    limits: Limits,
    label: str,
    colour: str,
    side: int,
    centre: float,
    middle: float,
    y: float,
    scale: Callable[[float], float],
) -> str:
    """One bar of one side (0: left, 1: right) with its whisker and value."""
    decimals = spec.get("decimals", 0)
    sign = -1 if side == 0 else 1
    anchor = "end" if side == 0 else "start"
    if value is None:
        return (
            f'<text x="{centre + sign * 6:.1f}" y="{middle + 5:.1f}" text-anchor="{anchor}" '
            f'font-size="12">not available</text>'
        )
    length = scale(value)
    x = centre - length if side == 0 else centre
    tooltip = f"{escape(name)}, {escape(label)}: {_number(value, decimals)}"
    tooltip += f" {escape(spec['units'])}"
    outer = length
    whisker = ""
    if limits is not None:
        tooltip += interval_tooltip(spec, limits, decimals)
        whisker = _whisker(
            centre + sign * scale(limits[0]), centre + sign * scale(limits[1]), middle
        )
        outer = max(outer, scale(limits[1]))
    return (
        f'<rect class="vrn-chart__bar vrn-chart__bar--{side + 1}" x="{x:.1f}" y="{y:.1f}" '
        f'width="{length:.1f}" height="{_BAR_HEIGHT}" fill="{colour}">'
        f"<title>{tooltip}</title></rect>{whisker}"
        f'<text x="{centre + sign * (outer + 6):.1f}" y="{middle + 5:.1f}" '
        f'text-anchor="{anchor}">{_number(value, decimals)}</text>'
    )


def describe(spec: Spec) -> str:
    labels: list[str] = spec["x"]["labels"]
    if not labels:
        return f"{spec['title']}: no data."
    decimals = spec.get("decimals", 0)
    intervals = _intervals(spec)
    parts = [
        f"Population pyramid of {spec['units']} by {spec['x']['title'].lower()}, "
        f"{spec['series'][0]['name']} to the left and {spec['series'][1]['name']} to the right."
    ]
    known: list[tuple[float, str]] = []
    for series, limits_of in zip(spec["series"][:2], intervals, strict=False):
        listed = []
        for label, value, limits in zip(labels, series["values"], limits_of, strict=True):
            if value is None:
                listed.append(f"{label} not available")
                continue
            known.append((value, f"{series['name']} {label}"))
            text = f"{label} {_number(value, decimals)}"
            if limits is not None:
                text += f" ({_number(limits[0], decimals)} to {_number(limits[1], decimals)})"
            listed.append(text)
        parts.append(f"{series['name']}: {'; '.join(listed)}.")
    if known:
        value, where = max(known)
        parts.append(f"Highest: {where}, {_number(value, decimals)}.")
    if spec.get("intervals"):
        parts.append(f"In brackets the {spec.get('interval_label', 'interval')}.")
    return " ".join(parts)


def csv_rows(spec: Spec) -> list[list[object]]:
    intervals = _intervals(spec)
    header: list[object] = [spec["x"]["title"]]
    for series in spec["series"][:2]:
        header += [series["name"], f"{series['name']} lower", f"{series['name']} upper"]
    body: list[list[object]] = []
    for i, value in enumerate(spec["x"]["values"]):
        row: list[object] = [value]
        for series, limits_of in zip(spec["series"][:2], intervals, strict=False):
            limits = limits_of[i]
            row += [series["values"][i], *(limits if limits is not None else (None, None))]
        body.append(row)
    return [header, *body]
