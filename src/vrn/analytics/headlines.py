"""The dashboard's headline tiles: for each success measure and serious violence, the
latest months against the same months a year earlier, and the monthly series behind the
sparkline.

Pure: takes a :class:`vrn.analytics.measures.MeasureResult` (counted for the network or a
CSP) and returns one :class:`Headline` per figure, in the result's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from vrn.analytics.measures import MeasureResult
from vrn.analytics.year_on_year import YEAR, Change, change_on_year


@dataclass(frozen=True)
class Headline:
    """One tile: the figure, its monthly counts (the sparkline) and its change on the year
    before (None when the series is shorter than 13 months)."""

    measure: str
    label: str
    months: tuple[str, ...]
    counts: tuple[int, ...]
    change: Change | None

    @property
    def latest(self) -> int | None:
        """The count of the latest months compared (or of the whole series without a
        comparison)."""
        if self.change is not None:
            return self.change.later_count
        return sum(self.counts) if self.counts else None


def headlines(result: MeasureResult, window: int = YEAR) -> list[Headline]:
    """A headline for every figure of ``result``."""
    tiles = []
    for figure in result.figures:
        series = result.by_month[result.by_month["measure"] == figure.id]
        series = series.sort_values("month")
        change = change_on_year(series, window) if len(series) else None
        tiles.append(
            Headline(
                measure=figure.id,
                label=figure.label,
                months=tuple(str(month) for month in series["month"]),
                counts=tuple(int(count) for count in series["count"]),
                change=change,
            )
        )
    return tiles
