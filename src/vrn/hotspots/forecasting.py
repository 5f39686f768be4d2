"""Next month's risk per cell for tasking, and the backtests that show how far to trust it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.spatial import forecast as methods
from vrn.analytics.spatial.backtest import (
    DEFAULT_COVERAGES,
    BacktestTable,
    flag_cells,
    grid_offset_sensitivity,
    rank_cells,
    rolling_origin,
)
from vrn.hotspots.grids import DEFAULT_SIZE, NetworkGrid, month_range, monthly_counts, network_grid
from vrn.hotspots.selection import NoPoints, Selection, SelectionError, points

Floats = np.ndarray[Any, np.dtype[np.float64]]

#: Furthest a forecast may look past the data's last month (months).
MONTHS_AHEAD = 12
#: Seed of the random order that breaks ties between equal scores.
DEFAULT_SEED = 0


def previous_month(month: str) -> str:
    return methods.month_label(methods.month_index(month) - 1)


def check_month(month: str, name: str = "month") -> str:
    try:
        methods.month_index(month)
    except ValueError:
        raise SelectionError(f"{name}: {month!r} is not a month written YYYY-MM") from None
    return month


@dataclass(frozen=True, eq=False)
class Forecast:
    """Risk scores for ``month`` on every cell of the network's grid, from the months
    ``trained_from`` to ``trained_to`` only; rank 1 is the highest risk."""

    selection: Selection
    month: str
    method: str
    network: NetworkGrid
    scores: Floats
    rank: np.ndarray[Any, np.dtype[np.int64]]
    trained_from: str
    trained_to: str
    crimes_trained_on: int
    seed: int

    def geojson(self) -> dict[str, Any]:
        """Every cell as a WGS84 polygon with ``score`` and ``rank``."""
        grid = self.network.grid
        collection = grid.to_geojson(
            {"score": np.round(self.scores, 6), "rank": self.rank, "area_km2": grid.area_km2}
        )
        collection["properties"] = self.metadata()
        return collection

    def metadata(self) -> dict[str, Any]:
        method = methods.get_method(self.method)
        return {
            "what": self.selection.what,
            "month": self.month,
            "method": method.name,
            "method_description": method.description,
            "trained_on": f"{self.trained_from} to {self.trained_to}",
            "crimes_trained_on": self.crimes_trained_on,
            "grid": self.network.grid.description,
            "crs": "WGS84 (EPSG:4326); cells built on the British National Grid (EPSG:27700)",
            "tie_seed": self.seed,
        }

    def tasking(self, coverage: float) -> pd.DataFrame:
        """The highest-risk cells covering ``coverage`` of the network's area, ranked:
        ``rank``, ``cell``, ``score``, ``area_km2``, ``area_share`` (cumulative),
        ``easting``, ``northing`` (the cell's centre)."""
        if not 0 < coverage <= 1:
            raise SelectionError(f"coverage: {coverage!r} is not a share between 0 and 1")
        grid = self.network.grid
        order = np.argsort(self.rank)
        flagged = flag_cells(order, grid.area_km2, coverage).cells
        total = float(grid.area_km2.sum())
        return pd.DataFrame(
            {
                "rank": self.rank[flagged],
                "cell": grid.cell_ids[flagged],
                "score": np.round(self.scores[flagged], 6),
                "area_km2": np.round(grid.area_km2[flagged], 6),
                "area_share": np.round(np.cumsum(grid.area_km2[flagged]) / total, 6),
                "easting": np.round(grid.centre_x[flagged], 1),
                "northing": np.round(grid.centre_y[flagged], 1),
            }
        )


def training_counts(
    selection: Selection, network: NetworkGrid, before: str
) -> tuple[Floats, list[str], int]:
    """Counts per cell for every month of ``selection`` strictly before ``before``."""
    chosen = replace(selection, last=previous_month(before))
    try:
        table = points(chosen)
    except NoPoints:
        raise NoPoints(f"no {selection.what} before {before} to learn from") from None
    first = selection.first or str(table["month"].min())
    latest = str(table["month"].max())
    if methods.month_index(before) - methods.month_index(latest) > MONTHS_AHEAD:
        raise SelectionError(
            f"month: {before} is more than {MONTHS_AHEAD} months after the last month of "
            f"{selection.what} loaded ({latest})"
        )
    months = month_range(first, previous_month(before))
    counts, months = monthly_counts(network.grid, table, months)
    return counts, months, int(counts.sum())


def forecast_month(
    selection: Selection,
    month: str,
    method: str | None = None,
    shape: str = "square",
    size: float = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
) -> Forecast:
    """Forecast ``month`` from the selection's months before it (later data is not read)."""
    check_month(month)
    chosen = _method(method)
    network = network_grid(shape, size)
    counts, months, trained_on = training_counts(selection, network, month)
    grid = network.grid
    scores = methods.forecast(chosen.name, counts, grid.centre_x, grid.centre_y, months, month)
    order = rank_cells(scores, seed)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    return Forecast(
        selection,
        month,
        chosen.name,
        network,
        scores,
        rank,
        months[0],
        months[-1],
        trained_on,
        seed,
    )


def _method(name: str | None) -> methods.Method:
    try:
        return methods.get_method(name)
    except (KeyError, ValueError):
        known = ", ".join(methods.METHODS)
        raise SelectionError(f"method: {name!r} is not one of {known}") from None


def backtest(
    selection: Selection,
    test_months: Sequence[str],
    method_names: Sequence[str] | None = None,
    shape: str = "square",
    size: float = DEFAULT_SIZE,
    coverages: Sequence[float] = DEFAULT_COVERAGES,
    seed: int = DEFAULT_SEED,
    offsets: Sequence[tuple[float, float]] = (),
) -> BacktestTable:
    """Rolling-origin backtest of each method over ``test_months`` (each forecast from
    the months before it only), on the network's grid and, with ``offsets``, on grids
    shifted by each offset (metres)."""
    for month in test_months:
        check_month(month, "test month")
    names = [_method(name).name for name in (method_names or list(methods.METHODS))]
    last = max(test_months)
    chosen = replace(selection, last=last)
    table = points(chosen)
    if last > str(table["month"].max()):
        raise SelectionError(
            f"test months: {last} is after the last month of {selection.what} loaded "
            f"({table['month'].max()}), so there is nothing to score it against"
        )
    months = month_range(selection.first or str(table["month"].min()), last)
    if min(test_months) <= months[0]:
        raise SelectionError(
            f"test months: {min(test_months)} has no earlier month loaded to learn from "
            f"(the data start in {months[0]})"
        )

    def build(offset: tuple[float, float]) -> tuple[Floats, Floats, Floats, Floats]:
        grid = network_grid(shape, size, offset).grid
        counts, _ = monthly_counts(grid, table, months)
        return counts, grid.centre_x, grid.centre_y, grid.area_km2

    tables = []
    for name in names:
        if offsets:
            tables.append(
                grid_offset_sensitivity(
                    build, list(offsets), name, months, list(test_months), coverages, seed
                )
            )
        else:
            counts, x, y, area = build((0.0, 0.0))
            tables.append(
                rolling_origin(name, counts, x, y, area, months, list(test_months), coverages, seed)
            )
    return BacktestTable.combine(tables)


def last_months(selection: Selection, n: int) -> list[str]:
    """The last ``n`` months of the selection's data."""
    table = points(selection)
    last = str(table["month"].max())
    return [methods.month_label(methods.month_index(last) - k) for k in range(n - 1, -1, -1)]
