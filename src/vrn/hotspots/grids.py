"""The network's grid and what each cell holds: residents and monthly counts."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.spatial.grid import Grid, apportion, build_grid
from vrn.hotspots import queries
from vrn.hotspots.selection import NoPoints, SelectionError

#: Cell shapes and the default size (metres between neighbouring cells' centres).
SHAPES = ("square", "hexagon")
DEFAULT_SIZE = 250.0
#: Smallest and largest cell sizes the commands accept (metres).
SIZE_RANGE = (50.0, 5_000.0)


@dataclass(frozen=True, eq=False)
class NetworkGrid:
    """A grid over the network's area, with the residents apportioned to each cell from
    the LSOAs' census populations by area."""

    grid: Grid
    residents: np.ndarray[Any, np.dtype[np.float64]]


_grids: dict[tuple[Any, ...], NetworkGrid] = {}
_lock = threading.Lock()


def network_grid(
    shape: str = "square", size: float = DEFAULT_SIZE, offset: tuple[float, float] = (0.0, 0.0)
) -> NetworkGrid:
    """The network's grid of ``shape`` and ``size``, built once per process, reference
    load and network."""
    if shape not in SHAPES:
        raise SelectionError(f"cell shape: {shape!r} is not one of {', '.join(SHAPES)}")
    if not SIZE_RANGE[0] <= size <= SIZE_RANGE[1]:
        raise SelectionError(
            f"cell size: {size:g} m is outside {SIZE_RANGE[0]:g} to {SIZE_RANGE[1]:g} m"
        )
    area = queries.network_area()
    if area is None:
        raise NoPoints("no LSOA boundaries of the network are loaded (run vrn load-reference)")
    key = (id(area), shape, float(size), tuple(map(float, offset)))
    with _lock:
        if key not in _grids:
            grid = build_grid(area.area, shape=shape, size=size, offset=offset)
            residents = apportion(grid, area.lsoas["geometry"].to_numpy(), area.lsoas["residents"])
            _grids[key] = NetworkGrid(grid, residents)
        return _grids[key]


def forget() -> None:
    """Drop this process's grids (tests)."""
    with _lock:
        _grids.clear()


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last``."""
    months = pd.period_range(first, last, freq="M")
    return [str(month) for month in months]


def monthly_counts(
    grid: Grid, points: pd.DataFrame, months: Sequence[str] | None = None
) -> tuple[np.ndarray[Any, np.dtype[np.float64]], list[str]]:
    """Points per cell per month: an array (cells, months) over every month from the
    first to the last of ``points`` (or ``months``), months without points counted 0."""
    if months is None:
        months = month_range(points["month"].min(), points["month"].max())
    position = {month: i for i, month in enumerate(months)}
    column = points["month"].map(position)
    cells = grid.locate(points["x"].to_numpy(), points["y"].to_numpy())
    kept = (cells >= 0) & column.notna().to_numpy()
    counts = np.zeros((len(grid), len(months)), dtype=np.float64)
    np.add.at(counts, (cells[kept], column[kept].to_numpy(dtype=np.int64)), 1.0)
    return counts, list(months)
