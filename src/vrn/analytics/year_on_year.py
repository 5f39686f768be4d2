"""Change on the year before: the latest months of a monthly series against the same
months a year earlier, with exact limits and significance.

The problem profile's robbery change and the dashboard's headline tiles both use it. With
a series of at least 24 months the latest 12 are compared with the 12 before; with 13 to 23
months, the latest ``months - 12`` with the same months a year earlier (a shorter window,
still a year apart, so seasonality does not bias the change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vrn.analytics.stats import percentage_change

#: The longest window compared: a year.
YEAR = 12


@dataclass(frozen=True)
class Window:
    """The months compared: ``later`` (the latest) and ``earlier`` (a year before)."""

    earlier: tuple[str, ...]
    later: tuple[str, ...]

    @property
    def later_span(self) -> str:
        return f"{self.later[0]} to {self.later[-1]}"

    @property
    def earlier_span(self) -> str:
        return f"{self.earlier[0]} to {self.earlier[-1]}"


def year_apart(months: Sequence[str], window: int = YEAR) -> Window | None:
    """The latest ``window`` months of ``months`` (consecutive ``YYYY-MM`` labels, oldest
    first) and the same months a year earlier; None with fewer than 13 months."""
    if window < 1:
        raise ValueError("window: at least one month")
    size = min(window, len(months) - YEAR)
    if size < 1:
        return None
    later = tuple(months[-size:])
    earlier = tuple(months[len(months) - YEAR - size : len(months) - YEAR])
    return Window(earlier=earlier, later=later)


@dataclass(frozen=True)
class Change:
    """The percentage change from ``earlier_count`` to ``later_count`` (same exposure),
    with exact conditional limits; ``value`` is None when the earlier count is 0."""

    window: Window
    earlier_count: int
    later_count: int
    value: float | None
    lower: float | None
    upper: float | None
    significance: str  # "higher", "lower" or "not significant"


def change_on_year(
    by_month: pd.DataFrame, window: int = YEAR, *, month: str = "month", count: str = "count"
) -> Change | None:
    """The change of a monthly series (one row per month, every month present, ``YYYY-MM``
    labels) on the year before; None with fewer than 13 months."""
    ordered = by_month.sort_values(month)
    months = [str(m) for m in ordered[month]]
    chosen = year_apart(months, window)
    if chosen is None:
        return None
    counts = dict(zip(months, ordered[count].astype(int), strict=True))
    earlier = sum(counts[m] for m in chosen.earlier)
    later = sum(counts[m] for m in chosen.later)
    if earlier + later == 0:
        return Change(chosen, 0, 0, None, None, None, "not significant")
    table = percentage_change(earlier, 1, later, 1)
    value, lower, upper = (_finite(table[c].iloc[0]) for c in ("value", "lowercl", "uppercl"))
    if lower is not None and lower > 0:
        significance = "higher"
    elif upper is not None and upper < 0:
        significance = "lower"
    else:
        significance = "not significant"
    return Change(chosen, earlier, later, value, lower, upper, significance)


def _finite(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if np.isfinite(number) else None
