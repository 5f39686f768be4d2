"""How well hot spots found match hot spots planted in synthetic data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

Floats = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class Recovery:
    """Precision and recall of found hot spots against planted ones.

    A found cluster (hot cells touching each other, queen contiguity) is a true positive
    when any of its cells' centres lies within ``radius`` metres of a planted hot spot;
    a planted hot spot is recalled when any found cell's centre lies within ``radius``.
    ``cell_precision`` is the same at the level of cells (large true clusters weigh
    more)."""

    planted: int
    recalled: int
    clusters: int
    true_clusters: int
    cells: int
    true_cells: int
    radius: float
    #: Per planted hot spot: whether it was recalled.
    found: tuple[bool, ...]
    #: Of the as many strongest clusters as there are planted hot spots (ranked by their
    #: cells' largest ``strength``, e.g. the Gi* z-score), how many are at a planted place.
    top_true: int = 0

    @property
    def precision_at_planted(self) -> float:
        """Precision among the strongest clusters, as many as were planted."""
        top = min(self.planted, self.clusters)
        return self.top_true / top if top else float("nan")

    @property
    def recall(self) -> float:
        return self.recalled / self.planted if self.planted else float("nan")

    @property
    def precision(self) -> float:
        return self.true_clusters / self.clusters if self.clusters else float("nan")

    @property
    def cell_precision(self) -> float:
        return self.true_cells / self.cells if self.cells else float("nan")


def planted_recovery(
    hot_x: ArrayLike,
    hot_y: ArrayLike,
    planted_x: ArrayLike,
    planted_y: ArrayLike,
    radius: float,
    cell_size: float,
    strength: ArrayLike | None = None,
) -> Recovery:
    """Match hot cells (their centres, metres) to planted hot spots (metres).

    Cells are joined into clusters when their centres are at most ``cell_size * sqrt(2)``
    apart (squares touching at a side or corner). ``strength`` (one value per hot cell)
    ranks the clusters for :attr:`Recovery.precision_at_planted`.

    >>> r = planted_recovery([0, 250, 5000], [0, 0, 5000], [100], [50], 300, 250)
    >>> (r.recall, r.precision, r.cell_precision)
    (1.0, 0.5, 0.6666666666666666)
    """
    hx, hy = np.asarray(hot_x, dtype=float), np.asarray(hot_y, dtype=float)
    px, py = np.asarray(planted_x, dtype=float), np.asarray(planted_y, dtype=float)
    if radius <= 0 or cell_size <= 0:
        raise ValueError("radius and cell_size: expected positive numbers of metres")
    if len(hx) == 0 or len(px) == 0:
        found = tuple(False for _ in px)
        return Recovery(len(px), 0, 0, 0, len(hx), 0, float(radius), found)
    cells = np.column_stack([hx, hy])
    near = cKDTree(np.column_stack([px, py])).query_ball_point(cells, radius)
    true_cell = np.array([len(hits) > 0 for hits in near])
    found_by = cKDTree(cells).query_ball_point(np.column_stack([px, py]), radius)
    found = tuple(len(hits) > 0 for hits in found_by)
    pairs = cKDTree(cells).sparse_distance_matrix(
        cKDTree(cells), cell_size * np.sqrt(2) * 1.001, output_type="coo_matrix"
    )
    n_clusters, label = connected_components(pairs, directed=False)
    true_clusters = len(set(label[true_cell].tolist()))
    values = np.zeros(len(hx)) if strength is None else np.asarray(strength, dtype=float)
    peak = np.full(n_clusters, -np.inf)
    np.maximum.at(peak, label, values)
    is_true = np.zeros(n_clusters, dtype=bool)
    is_true[label[true_cell]] = True
    strongest = np.argsort(-peak, kind="stable")[: len(px)]
    return Recovery(
        planted=len(px),
        recalled=int(sum(found)),
        clusters=int(n_clusters),
        true_clusters=true_clusters,
        cells=len(hx),
        true_cells=int(true_cell.sum()),
        radius=float(radius),
        found=found,
        top_true=int(is_true[strongest].sum()),
    )
