"""Where crime concentrates on the network's grid: counts, rates, kernel density and
Getis-Ord Gi* hot spots; and the emerging hot spots of the months."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.spatial.emerging import EmergingHotSpots, EmergingSettings, emerging_hot_spots
from vrn.analytics.spatial.gistar import Inference, gi_star
from vrn.analytics.spatial.grid import per_km2, per_resident
from vrn.analytics.spatial.kde import kernel_density
from vrn.hotspots.grids import DEFAULT_SIZE, NetworkGrid, monthly_counts, network_grid
from vrn.hotspots.selection import NoPoints, Selection, SelectionError, points

Floats = np.ndarray[Any, np.dtype[np.float64]]

#: Gi* classes: the analytical (normal) p-values, as ArcGIS, with the false discovery rate
#: over the cells with a crime in or next to them; every cell also gets the permutation
#: p-value from this many conditional permutations (docs/hotspots.md says why the classes
#: do not use it by default).
DEFAULT_INFERENCE: Inference = "normal"
INFERENCES: tuple[Inference, ...] = ("normal", "permutation")
DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 1


@dataclass(frozen=True, eq=False)
class HotspotMap:
    """The selection's points on the network's grid over ``months`` months."""

    selection: Selection
    network: NetworkGrid
    first: str
    last: str
    months: int
    points: int
    outside: int
    counts: Floats
    kde: Any
    gi: Any

    def summary(self) -> str:
        """The hot spots in a sentence: how many cells at each confidence level, and what
        share of the area and of the points they hold."""
        grid, classes = self.network.grid, self.gi.classes
        hot = classes > 0
        levels = ", ".join(
            f"{int((classes == level).sum()):,} at {confidence}%"
            for level, confidence in ((3, 99), (2, 95), (1, 90))
        )
        area = float(grid.area_km2[hot].sum() / grid.area_km2.sum())
        share = float(self.counts[hot].sum() / max(self.points, 1))
        return (
            f"{self.points:,} {self.selection.what} with a map point in the network's area, "
            f"{self.first} to {self.last}, on {grid.description}. {int(hot.sum()):,} cells are "
            f"Gi* hot spots after the false discovery rate ({levels} confidence; "
            f"{self.gi.inference} p-values): "
            f"{area:.1%} of the area, where {share:.1%} of these crimes happened."
        )

    def table(self) -> pd.DataFrame:
        """One row per cell: counts, rates, density and the Gi* result."""
        grid = self.network.grid
        years = self.months / 12
        residents = self.network.residents
        with np.errstate(divide="ignore", invalid="ignore"):
            per_1000 = per_resident(self.counts, residents * years, per=1000)
        return pd.DataFrame(
            {
                "cell": grid.cell_ids,
                "easting": np.round(grid.centre_x, 1),
                "northing": np.round(grid.centre_y, 1),
                "area_km2": np.round(grid.area_km2, 6),
                "residents": np.round(residents, 1),
                "crimes": self.counts.astype(np.int64),
                "crimes_per_km2_a_year": np.round(per_km2(self.counts, grid) / years, 3),
                "crimes_per_1000_residents_a_year": np.round(per_1000, 3),
                "kde_per_km2_a_year": np.round(self.kde.density / years, 3),
                "gi_z": np.round(self.gi.z, 4),
                "gi_p": np.round(self.gi.p_value, 6),
                "gi_q": np.round(self.gi.q, 6),
                "gi_p_normal": np.round(self.gi.p_norm, 6),
                "gi_p_permutation": np.round(self.gi.p_sim_two_sided, 6),
                "hotspot_class": self.gi.classes,
                "hotspot": self.gi.labels,
            }
        )


def hotspot_map(
    selection: Selection,
    shape: str = "square",
    size: float = DEFAULT_SIZE,
    bandwidth: float | None = None,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
    inference: Inference = DEFAULT_INFERENCE,
) -> HotspotMap:
    """Counts, rates, kernel density and Gi* (binary queen weights, permutation p-values,
    false-discovery-rate control) of the selection on the network's grid."""
    table = points(selection)
    network = network_grid(shape, size)
    grid = network.grid
    cells = grid.locate(table["x"].to_numpy(), table["y"].to_numpy())
    inside = cells >= 0
    if not inside.any():
        raise NoPoints(f"none of the {len(table):,} {selection.what} lies in the network's area")
    counts = np.bincount(cells[inside], minlength=len(grid)).astype(np.float64)
    first, last = str(table["month"].min()), str(table["month"].max())
    months = len(pd.period_range(first, last, freq="M"))
    kde = kernel_density(
        grid, table["x"].to_numpy()[inside], table["y"].to_numpy()[inside], bandwidth=bandwidth
    )
    gi = gi_star(counts, grid.weights(), permutations=permutations, seed=seed, inference=inference)
    return HotspotMap(
        selection,
        network,
        first,
        last,
        months,
        int(inside.sum()),
        int((~inside).sum()),
        counts,
        kde,
        gi,
    )


@dataclass(frozen=True, eq=False)
class EmergingMap:
    """Emerging hot spots of the selection, one time slice per month of ``months``."""

    selection: Selection
    network: NetworkGrid
    months: list[str]
    counts: Floats
    result: EmergingHotSpots

    def table(self) -> pd.DataFrame:
        """One row per cell: its crimes, pattern, trend and months hot and cold."""
        grid, result = self.network.grid, self.result
        return pd.DataFrame(
            {
                "cell": grid.cell_ids,
                "crimes": self.counts.sum(axis=1).astype(np.int64),
                "pattern_code": result.category,
                "pattern": result.pattern,
                "trend_z": np.round(result.trend_z, 4),
                "trend_p": np.round(result.trend_p, 6),
                "trend": result.trend_direction,
                "months_hot": result.hot_slices,
                "months_cold": result.cold_slices,
                "last_month_class": result.final_class,
            }
        )


def emerging(
    selection: Selection,
    shape: str = "square",
    size: float = DEFAULT_SIZE,
    settings: EmergingSettings | None = None,
) -> EmergingMap:
    """Emerging hot spot analysis of the selection, one time slice per month."""
    table = points(selection)
    network = network_grid(shape, size)
    counts, months = monthly_counts(network.grid, table)
    chosen = settings or EmergingSettings()
    if len(months) < chosen.minimum_slices:
        raise SelectionError(
            f"emerging hot spots need at least {chosen.minimum_slices} months of "
            f"{selection.what}; {len(months)} loaded"
        )
    result = emerging_hot_spots(counts, network.grid.weights(), chosen)
    return EmergingMap(selection, network, months, counts, result)
