"""Classed colours for the heat map and the choropleth map: breaks, palette and legend.

Values are put into at most ``k`` classes by one of two methods:

* ``"jenks"`` (the default): Fisher-Jenks natural breaks, the optimal grouping of the
  sorted values that minimises the sum of squared deviations from each class's mean
  (Fisher 1958; Jenks 1977), computed exactly by dynamic programming;
* ``"quantile"``: classes holding about equal numbers of values.

Tied values always fall in the same class, so fewer than ``k`` classes can result. Each
class is labelled by the smallest and largest value it actually holds, so a legend never
claims values the data do not have. Pure Python and numpy: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

#: ColorBrewer "Blues", light to dark; colour-blind safe and legible in greyscale.
BLUES = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
#: Classes from this index of BLUES on are dark: their text is written in white.
_DARK_FROM = 4
MISSING_FILL = "#ffffff"
METHODS = {"jenks": "natural breaks (Jenks)", "quantile": "quantiles"}
_SWATCH = 18
_LEGEND_ROW = 26


@dataclass(frozen=True)
class Classes:
    """The classes of some values: ``uppers[i]`` is the largest value in class ``i``."""

    uppers: tuple[float, ...]
    lowers: tuple[float, ...]
    counts: tuple[int, ...]
    method: str

    def index(self, value: float) -> int:
        """The class of ``value`` (values above the last class go in the last)."""
        for i, upper in enumerate(self.uppers):
            if value <= upper:
                return i
        return len(self.uppers) - 1

    def colour(self, i: int) -> str:
        return palette(len(self.uppers))[i]

    def text_colour(self, i: int) -> str:
        """Black or white, whichever reads on class ``i``'s fill."""
        return "#ffffff" if BLUES.index(self.colour(i)) >= _DARK_FROM else "#0b0c0c"

    def label(self, i: int, decimals: int) -> str:
        low, high = self.lowers[i], self.uppers[i]
        if low == high:
            return f"{low:,.{decimals}f}"
        return f"{low:,.{decimals}f} to {high:,.{decimals}f}"


def palette(k: int) -> tuple[str, ...]:
    """``k`` (1 to 7) colours of :data:`BLUES`, spread from light to dark."""
    if not 1 <= k <= len(BLUES):
        raise ValueError(f"between 1 and {len(BLUES)} classes can be drawn, not {k}")
    if k == 1:
        return (BLUES[3],)
    return tuple(BLUES[round(i * (len(BLUES) - 1) / (k - 1))] for i in range(k))


def classify(values: Sequence[float | None], k: int = 5, method: str = "jenks") -> Classes | None:
    """The classes of the known values (None where there are none).

    >>> c = classify([1, 2, 3, 10, 11, 12, 30], 3)
    >>> c.uppers, c.lowers, c.counts
    ((3.0, 12.0, 30.0), (1.0, 10.0, 30.0), (3, 3, 1))
    >>> classify([5, 5, 5], 4).uppers
    (5.0,)
    """
    if method not in METHODS:
        raise ValueError(f"unknown classing method {method!r}; expected one of {list(METHODS)}")
    known = np.sort(np.array([v for v in values if v is not None], dtype=float))
    if known.size == 0:
        return None
    distinct = np.unique(known)
    k = max(1, min(k, distinct.size, len(BLUES)))
    if method == "quantile":
        uppers = [float(np.quantile(known, (i + 1) / k, method="inverted_cdf")) for i in range(k)]
    else:
        uppers = _jenks_uppers(known, k)
    uppers = sorted(set(uppers))
    uppers[-1] = float(known[-1])
    lowers: list[float] = []
    counts: list[int] = []
    previous = -np.inf
    for upper in uppers:
        inside = known[(known > previous) & (known <= upper)]
        lowers.append(float(inside[0]))
        counts.append(int(inside.size))
        previous = upper
    return Classes(tuple(uppers), tuple(lowers), tuple(counts), method)


def _jenks_uppers(known: np.ndarray, k: int) -> list[float]:
    """Fisher-Jenks: the upper values of the ``k`` classes of sorted ``known`` with the
    least total within-class sum of squares. Classes end only where the value changes, so
    ties stay together; O(k n^2) on the distinct values, weighted by their counts."""
    values, weights = np.unique(known, return_counts=True)
    w = np.concatenate([[0.0], np.cumsum(weights)])
    s1 = np.concatenate([[0.0], np.cumsum(weights * values)])
    s2 = np.concatenate([[0.0], np.cumsum(weights * values**2)])
    n = values.size

    def cost(starts: np.ndarray, end: int) -> np.ndarray:
        """Sum of squares of distinct values ``starts..end-1`` (each start)."""
        count = w[end] - w[starts]
        total = s1[end] - s1[starts]
        return np.asarray(s2[end] - s2[starts] - total**2 / count)

    # best[j, e]: least cost of the first e distinct values in j + 1 classes.
    best = np.full((k, n + 1), np.inf)
    cut = np.zeros((k, n + 1), dtype=int)
    for end in range(1, n + 1):
        best[0, end] = cost(np.array([0]), end)[0]
    for j in range(1, k):
        for end in range(j + 1, n + 1):
            starts = np.arange(j, end)
            totals = best[j - 1, starts] + cost(starts, end)
            choice = int(np.argmin(totals))
            best[j, end] = totals[choice]
            cut[j, end] = starts[choice]
    ends = [n]
    for j in range(k - 1, 0, -1):
        ends.append(int(cut[j, ends[-1]]))
    return [float(values[end - 1]) for end in reversed(ends)]


def legend(
    items: Sequence[tuple[str, str, str]], top: float, width: float, title: str = ""
) -> tuple[str, float]:
    """A legend of ``(css class, fill, label)`` swatches laid out in rows from ``top``,
    wrapping within ``width``; the SVG and the height it takes."""
    char = 0.56 * 14
    parts = ['<g class="vrn-chart__legend">']
    y = top
    if title:
        parts.append(f'<text x="0" y="{y + 14:.1f}" font-weight="bold">{escape(title)}</text>')
        y += _LEGEND_ROW
    x = 0.0
    for css, fill, label in items:
        item_width = _SWATCH + 8 + len(label) * char + 24
        if x > 0 and x + item_width > width:
            x = 0.0
            y += _LEGEND_ROW
        parts.append(
            f'<rect class="{escape(css)}" x="{x:.1f}" y="{y:.1f}" width="{_SWATCH}" '
            f'height="{_SWATCH}" fill="{fill}" stroke="#0b0c0c" '
            f'stroke-width="{2.5 if fill == "none" else 1}"/>'
            f'<text x="{x + _SWATCH + 8:.1f}" y="{y + 14:.1f}">{escape(label)}</text>'
        )
        x += item_width
    parts.append("</g>")
    return "".join(parts), y + _LEGEND_ROW - top


def class_items(classes: Classes | None, decimals: int) -> list[tuple[str, str, str]]:
    """Legend items for each class: ``vrn-chart__class vrn-chart__class--{i + 1}``."""
    if classes is None:
        return []
    return [
        (
            f"vrn-chart__class vrn-chart__class--{i + 1}",
            classes.colour(i),
            classes.label(i, decimals),
        )
        for i in range(len(classes.uppers))
    ]


def hatch(pattern_id: str) -> str:
    """A ``<defs>`` with a diagonal hatch for values not available (suppressed)."""
    return (
        f'<defs><pattern id="{escape(pattern_id)}" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{MISSING_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#b1b4b6" stroke-width="2"/>'
        f"</pattern></defs>"
    )
