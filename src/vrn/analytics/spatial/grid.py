"""Square and hexagonal grids over the network's area, on the British National Grid.

A grid is a lattice of equal cells anchored at the National Grid's origin (shifted by
``offset``), so a cell keeps its id whatever area it is built over. Cells are clipped to
the area: the cells' areas add up to the area's. docs/statistics/hotspots.md describes
the grids and how the hotspot methods use them.

Squares have side ``size``. Hexagons are "pointy-top" (rows of hexagons, flat sides to
left and right), ``size`` across the flats, so every cell's six neighbours have centres
``size`` apart; odd rows are shifted right by half a cell.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from libpysal.weights import W
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from vrn.analytics.spatial.projection import bng_to_wgs84

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Geometries = NDArray[np.object_]

SHAPES: tuple[str, ...] = ("square", "hexagon")
#: The smallest cell size accepted, in metres (ids are written to the metre).
MINIMUM_SIZE = 10.0
#: Edge cells are clipped in blocks at most this many cells across (see ``_clip``).
_CLIP_BLOCK_CELLS = 8
_SQUARE_METRES_PER_KM2 = 1e6


@dataclass(frozen=True, eq=False)
class Grid:
    """Cells of one shape and size covering an area; arrays are indexed by cell.

    Attributes
    ----------
    shape : str
        ``"square"`` or ``"hexagon"``.
    size : float
        Metres between the centres of neighbouring cells (a square's side, a hexagon's
        width across the flats).
    offset : tuple of float
        Shift of the lattice from the National Grid's origin, in metres.
    cell_ids : numpy.ndarray of str
        ``"S250-458500-304500"``: shape letter, size, then the lower-left corner of a
        square or the centre of a hexagon, to the metre.
    polygons : numpy.ndarray of shapely geometries
        Each cell clipped to the area (a Polygon, or a MultiPolygon where the area's edge
        cuts a cell in pieces).
    centre_x, centre_y : numpy.ndarray of float
        The centre of the whole (unclipped) cell.
    area_km2 : numpy.ndarray of float
        Area of the clipped cell.
    """

    shape: str
    size: float
    offset: tuple[float, float]
    cell_ids: NDArray[np.str_]
    polygons: Geometries
    centre_x: Floats
    centre_y: Floats
    area_km2: Floats
    _clipped: Bools = field(repr=False)
    _keys: Ints = field(repr=False)  # lattice position of each cell, ascending

    def __len__(self) -> int:
        return len(self.cell_ids)

    @property
    def full_cell_km2(self) -> float:
        """Area of a whole cell in km²."""
        return _cell_area(self.shape, self.size) / _SQUARE_METRES_PER_KM2

    @property
    def description(self) -> str:
        """For example ``"250 m squares (1,234 cells)"``."""
        offset = (
            ""
            if self.offset == (0.0, 0.0)
            else f", offset {self.offset[0]:g} m, {self.offset[1]:g} m"
        )
        return f"{self.size:g} m {self.shape}s ({len(self):,} cells{offset})"

    def locate(self, x: ArrayLike, y: ArrayLike) -> Ints:
        """Index of the cell holding each point; -1 outside the area or for NaN.

        The lattice arithmetic finds the cell; only points in cells cut by the area's edge
        are tested against the clipped polygon (a point on its boundary counts as in).
        """
        px, py = _coordinates(x, y)
        result = np.full(len(px), -1, dtype=np.int64)
        finite = np.isfinite(px) & np.isfinite(py)
        columns, rows = _lattice_position(
            self.shape, self.size, self.offset, px[finite], py[finite]
        )
        result[finite] = self._cell_at(columns, rows)
        edge = np.flatnonzero(result >= 0)
        edge = edge[self._clipped[result[edge]]]
        if len(edge):
            inside = shapely.intersects_xy(self.polygons[result[edge]], px[edge], py[edge])
            result[edge[~inside]] = -1
        return result

    def counts(self, x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None) -> Floats:
        """Points (or the sum of their ``weights``) in each cell; points outside are dropped."""
        cells = self.locate(x, y)
        kept = cells >= 0
        if weights is None:
            return np.bincount(cells[kept], minlength=len(self)).astype(np.float64)
        values = np.asarray(weights, dtype=np.float64)
        if values.shape != cells.shape:
            raise ValueError(
                f"weights: expected {len(cells)} values, one per point, not {values.shape}"
            )
        return np.bincount(cells[kept], weights=values[kept], minlength=len(self)).astype(
            np.float64
        )

    def weights(self, distance: float | None = None) -> W:
        """Binary spatial weights between cells, built from the cells' centres.

        Without ``distance``: queen contiguity, i.e. the 8 surrounding squares (centres
        within ``size * sqrt(2)``) or the 6 surrounding hexagons (within ``size``), with
        1% slack for rounding. With ``distance`` (metres): every cell whose centre is
        within that distance. Cells are identified by their index (0 to n - 1). A cell
        with no neighbour (an island) is kept, with no neighbours.
        """
        radius = self._neighbour_radius(distance)
        centres = np.column_stack([self.centre_x, self.centre_y])
        pairs = cKDTree(centres).query_pairs(radius, output_type="ndarray")
        n = len(self)
        ones = np.ones(2 * len(pairs))
        rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
        columns = np.concatenate([pairs[:, 1], pairs[:, 0]])
        return weights_from_adjacency(sparse.csr_matrix((ones, (rows, columns)), shape=(n, n)))

    def weights_description(self, distance: float | None = None) -> str:
        """Plain words for :meth:`weights` with this ``distance``."""
        if distance is None:
            neighbours = (
                "8 surrounding squares" if self.shape == "square" else "6 surrounding hexagons"
            )
            return f"binary, queen contiguity ({neighbours}) on {self.size:g} m {self.shape}s"
        return f"binary, cells with centres within {distance:g} m, on {self.size:g} m {self.shape}s"

    def to_geojson(
        self,
        properties: Mapping[str, Sequence[Any] | NDArray[Any]] | None = None,
        cells: ArrayLike | None = None,
    ) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of the cells in WGS84 (coordinates to 6 decimals).

        Each feature's properties are ``cell`` (the id) and one value per cell from each
        entry of ``properties``; NaN becomes ``null``. With ``cells`` (indices), only those
        cells, in that order (``properties`` still has one value per cell of the grid).
        """
        columns = _property_columns(properties or {}, len(self))
        chosen = np.arange(len(self)) if cells is None else np.asarray(cells, dtype=np.int64)
        polygons = np.array(self.polygons[chosen], dtype=object)
        coordinates = shapely.get_coordinates(polygons)
        longitude, latitude = bng_to_wgs84(coordinates[:, 0], coordinates[:, 1])
        wgs84 = np.round(np.column_stack([longitude, latitude]), 6)
        geometries = shapely.set_coordinates(polygons, wgs84)
        features = []
        for index, text in zip(chosen.tolist(), shapely.to_geojson(geometries), strict=True):
            feature_properties: dict[str, Any] = {"cell": str(self.cell_ids[index])}
            for name, values in columns.items():
                feature_properties[name] = values[index]
            features.append(
                {"type": "Feature", "geometry": json.loads(text), "properties": feature_properties}
            )
        return {"type": "FeatureCollection", "features": features}

    def _cell_at(self, columns: Ints, rows: Ints) -> Ints:
        keys = _key(columns, rows)
        position = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        return np.where(self._keys[position] == keys, position, -1)

    def _neighbour_radius(self, distance: float | None) -> float:
        if distance is None:
            return self.size * (math.sqrt(2) if self.shape == "square" else 1.0) * 1.01
        if isinstance(distance, bool) or not isinstance(distance, int | float) or not distance > 0:
            raise ValueError(f"distance: expected a positive number of metres, not {distance!r}")
        return float(distance)


def build_grid(
    area: shapely.Polygon | shapely.MultiPolygon,
    shape: str = "square",
    size: float = 250.0,
    offset: tuple[float, float] = (0.0, 0.0),
    minimum_share: float = 0.0,
) -> Grid:
    """Cells of ``shape`` and ``size`` (metres) covering ``area``, clipped to it.

    Parameters
    ----------
    area : shapely Polygon or MultiPolygon
        The area in National Grid metres (for a network, the union of its LSOAs).
    shape : {"square", "hexagon"}
    size : float, default 250
        Metres between neighbouring cells' centres; at least 10.
    offset : (float, float), default (0, 0)
        Shift of the lattice in metres, to test how results depend on where the lines fall.
    minimum_share : float, default 0
        Drop cells whose clipped area is less than this share of a whole cell (slivers
        along the edge); 0 keeps every cell that overlaps the area.

    Examples
    --------
    >>> grid = build_grid(shapely.box(0, 0, 1000, 500), size=250)
    >>> len(grid), str(grid.cell_ids[0]), float(grid.area_km2.sum())
    (8, 'S250-0-0', 0.5)
    """
    _check_area(area)
    if shape not in SHAPES:
        raise ValueError(f"shape: expected 'square' or 'hexagon', not {shape!r}")
    if isinstance(size, bool) or not isinstance(size, int | float) or not size >= MINIMUM_SIZE:
        raise ValueError(f"size: expected at least {MINIMUM_SIZE:g} metres, not {size!r}")
    origin = _offset(offset)
    if isinstance(minimum_share, bool) or not 0 <= minimum_share < 1:
        raise ValueError(
            f"minimum_share: expected a share from 0 to under 1, not {minimum_share!r}"
        )
    size = float(size)

    columns, rows = _covering(shape, size, origin, area.bounds)
    centre_x, centre_y = _centres(shape, size, origin, columns, rows)
    cells = _polygons(shape, size, centre_x, centre_y)
    shapely.prepare(area)
    inside = shapely.contains(area, cells)
    touching = shapely.intersects(area, cells) & ~inside
    polygons = cells.copy()
    edge = np.flatnonzero(touching)
    polygons[edge] = _clip(cells[edge], centre_x[edge], centre_y[edge], area, size)
    areas = shapely.area(polygons)
    full = _cell_area(shape, size)
    keep = (inside | touching) & (areas > 0) & (areas >= minimum_share * full)
    clipped = touching & keep

    order = np.lexsort((columns[keep], rows[keep]))  # row by row, west to east
    keys = _key(columns[keep][order], rows[keep][order])
    centre_x, centre_y = centre_x[keep][order], centre_y[keep][order]
    return Grid(
        shape=shape,
        size=size,
        offset=origin,
        cell_ids=_cell_ids(shape, size, centre_x, centre_y),
        polygons=polygons[keep][order],
        centre_x=centre_x,
        centre_y=centre_y,
        area_km2=areas[keep][order] / _SQUARE_METRES_PER_KM2,
        _clipped=clipped[keep][order],
        _keys=keys,
    )


def weights_from_adjacency(adjacency: sparse.spmatrix | sparse.sparray) -> W:
    """A libpysal ``W`` with ids 0 to n - 1 from a square sparse matrix of weights.

    Unlike ``W.from_sparse`` it keeps a row with no entries as an island.
    """
    matrix = sparse.csr_matrix(adjacency)
    matrix.sort_indices()
    neighbours: dict[int, list[int]] = {}
    values: dict[int, list[float]] = {}
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        neighbours[row] = matrix.indices[start:end].tolist()
        values[row] = matrix.data[start:end].tolist()
    return W(neighbours, values, id_order=list(range(matrix.shape[0])), silence_warnings=True)


def per_km2(counts: ArrayLike, grid: Grid) -> Floats:
    """Counts per km² of each cell's clipped area."""
    values = _per_cell(counts, len(grid), "counts")
    return values / grid.area_km2


def per_resident(counts: ArrayLike, residents: ArrayLike, per: float = 1.0) -> Floats:
    """``per * counts / residents`` for each cell; NaN where no one lives.

    Examples
    --------
    >>> per_resident([2, 1, 0], [1000, 0, 500], per=1000).tolist()
    [2.0, nan, 0.0]
    """
    values = np.asarray(counts, dtype=np.float64)
    people = np.asarray(residents, dtype=np.float64)
    if values.shape != people.shape:
        raise ValueError(
            f"residents: expected shape {values.shape} like counts, not {people.shape}"
        )
    if (people < 0).any():
        raise ValueError("residents: negative values")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(people > 0, per * values / people, np.nan)


def apportion(grid: Grid, source_polygons: ArrayLike, source_values: ArrayLike) -> Floats:
    """Share each source polygon's value among the cells by area (areal weighting).

    A cell gets ``value * area(cell ∩ source) / area(source)`` from each source it
    overlaps: the usual way to put LSOA populations on a grid, assuming people are spread
    evenly within each LSOA. The cells' total equals the sources' total when the sources
    lie inside the gridded area; a source's part outside the grid is not counted.
    """
    sources = np.asarray(source_polygons, dtype=object)
    values = np.asarray(source_values, dtype=np.float64)
    if sources.ndim != 1 or values.shape != sources.shape:
        raise ValueError(
            f"source_values: expected one value per source polygon ({sources.shape}), "
            f"not {values.shape}"
        )
    if not np.isfinite(values).all():
        raise ValueError("source_values: missing or infinite values")
    source_areas = shapely.area(sources)
    if (source_areas <= 0).any():
        raise ValueError("source_polygons: every source needs a positive area")
    tree = shapely.STRtree(grid.polygons)
    source_index, cell_index = tree.query(sources, predicate="intersects")
    within_source, within_cell = tree.query(sources, predicate="contains")
    contained = np.isin(
        source_index * len(grid) + cell_index, within_source * len(grid) + within_cell
    )
    overlap = np.empty(len(source_index))
    overlap[contained] = shapely.area(grid.polygons[cell_index[contained]])
    partial = ~contained
    overlap[partial] = shapely.area(
        shapely.intersection(sources[source_index[partial]], grid.polygons[cell_index[partial]])
    )
    shares = values[source_index] * overlap / source_areas[source_index]
    return np.bincount(cell_index, weights=shares, minlength=len(grid)).astype(np.float64)


def _check_area(area: object) -> None:
    if not isinstance(area, shapely.Polygon | shapely.MultiPolygon):
        raise ValueError(
            f"area: expected a shapely Polygon or MultiPolygon, not {type(area).__name__}"
        )
    if not area.is_valid:
        raise ValueError(
            f"area: invalid geometry ({shapely.is_valid_reason(area)}); repair it first, "
            "for example with shapely.make_valid"
        )
    if area.is_empty or not area.area > 0:
        raise ValueError("area: the area is empty")


def _offset(offset: object) -> tuple[float, float]:
    try:
        dx, dy = (float(value) for value in offset)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as error:
        raise ValueError(f"offset: expected two numbers of metres, not {offset!r}") from error
    if not (math.isfinite(dx) and math.isfinite(dy)):
        raise ValueError(f"offset: expected two finite numbers, not {offset!r}")
    return (dx, dy)


def _coordinates(x: ArrayLike, y: ArrayLike) -> tuple[Floats, Floats]:
    px = np.atleast_1d(np.asarray(x, dtype=np.float64))
    py = np.atleast_1d(np.asarray(y, dtype=np.float64))
    if px.ndim != 1 or px.shape != py.shape:
        raise ValueError(
            f"x, y: expected two 1-D arrays of the same length, not {px.shape} and {py.shape}"
        )
    return px, py


def _row_height(size: float) -> float:
    """Distance between rows of hexagons."""
    return size * math.sqrt(3) / 2


def _cell_area(shape: str, size: float) -> float:
    return size * size if shape == "square" else size * size * math.sqrt(3) / 2


def _key(columns: Ints, rows: Ints) -> Ints:
    """One integer per lattice position, for sorting and lookup."""
    return (rows.astype(np.int64) << 32) + (columns.astype(np.int64) + (1 << 31))


def _covering(
    shape: str, size: float, origin: tuple[float, float], bounds: tuple[float, float, float, float]
) -> tuple[Ints, Ints]:
    """Lattice positions (column, row) of every cell that may overlap ``bounds``."""
    xmin, ymin, xmax, ymax = bounds
    dx, dy = origin
    step_y = size if shape == "square" else _row_height(size)
    margin = 0 if shape == "square" else 1
    column_range = np.arange(
        math.floor((xmin - dx) / size) - margin, math.floor((xmax - dx) / size) + 1 + margin
    )
    row_range = np.arange(
        math.floor((ymin - dy) / step_y) - margin, math.floor((ymax - dy) / step_y) + 1 + margin
    )
    columns, rows = np.meshgrid(column_range, row_range)
    return columns.ravel().astype(np.int64), rows.ravel().astype(np.int64)


def _centres(
    shape: str, size: float, origin: tuple[float, float], columns: Ints, rows: Ints
) -> tuple[Floats, Floats]:
    dx, dy = origin
    if shape == "square":
        x = dx + (columns + 0.5) * size
        y = dy + (rows + 0.5) * size
    else:
        x = dx + (columns + 0.5 * (rows & 1)) * size
        y = dy + rows * _row_height(size)
    return x.astype(np.float64), y.astype(np.float64)


def _polygons(shape: str, size: float, centre_x: Floats, centre_y: Floats) -> Geometries:
    half = size / 2
    if shape == "square":
        result: Geometries = shapely.box(
            centre_x - half, centre_y - half, centre_x + half, centre_y + half
        )
        return result
    radius = size / math.sqrt(3)
    angles = np.radians(30 + 60 * np.arange(7))
    ring_x = centre_x[:, None] + radius * np.cos(angles)[None, :]
    ring_y = centre_y[:, None] + radius * np.sin(angles)[None, :]
    ring_x[:, -1], ring_y[:, -1] = ring_x[:, 0], ring_y[:, 0]
    hexagons: Geometries = shapely.polygons(np.stack([ring_x, ring_y], axis=-1))
    return hexagons


def _lattice_position(
    shape: str, size: float, origin: tuple[float, float], x: Floats, y: Floats
) -> tuple[Ints, Ints]:
    """(column, row) of the lattice cell holding each point."""
    px, py = x - origin[0], y - origin[1]
    if shape == "square":
        return np.floor(px / size).astype(np.int64), np.floor(py / size).astype(np.int64)
    # Axial coordinates of the pointy-top lattice, rounded in cube coordinates.
    fractional_r = py / _row_height(size)
    fractional_q = px / size - fractional_r / 2
    fractional_s = -fractional_q - fractional_r
    q, r, s = np.round(fractional_q), np.round(fractional_r), np.round(fractional_s)
    q_error, r_error, s_error = (
        np.abs(q - fractional_q),
        np.abs(r - fractional_r),
        np.abs(s - fractional_s),
    )
    fix_q = (q_error > r_error) & (q_error > s_error)
    fix_r = ~fix_q & (r_error > s_error)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    rows = r.astype(np.int64)
    columns = q.astype(np.int64) + (rows - (rows & 1)) // 2
    return columns, rows


def _cell_ids(shape: str, size: float, centre_x: Floats, centre_y: Floats) -> NDArray[np.str_]:
    if shape == "square":
        anchor_x, anchor_y, letter = centre_x - size / 2, centre_y - size / 2, "S"
    else:
        anchor_x, anchor_y, letter = centre_x, centre_y, "H"
    xs = np.round(anchor_x).astype(np.int64).astype(str)
    ys = np.round(anchor_y).astype(np.int64).astype(str)
    prefix = f"{letter}{size:g}-"
    ids: NDArray[np.str_] = np.char.add(np.char.add(np.char.add(prefix, xs), "-"), ys)
    return ids


def _clip(
    cells: Geometries,
    centre_x: Floats,
    centre_y: Floats,
    area: shapely.Polygon | shapely.MultiPolygon,
    size: float,
) -> Geometries:
    """``cells ∩ area``, fast for an area with a long, detailed boundary.

    Intersecting each cell with the whole area costs time in proportion to the area's
    vertices. Instead the cells are split into blocks (up to 8 x 8 per step), each block
    cut its own small piece of its parent's piece (widened by a cell's reach, so every
    cell whose centre falls in the block lies inside the piece), down to blocks a few
    cells across; each cell is then intersected with its block's piece.
    """
    result = np.empty(len(cells), dtype=object)
    if len(cells) == 0:
        return result
    reach = size  # a cell lies within ``size`` of its centre
    leaf = _CLIP_BLOCK_CELLS * size
    stack: list[tuple[Ints, Any]] = [(np.arange(len(cells)), area)]
    while stack:
        members, piece = stack.pop()
        xs, ys = centre_x[members], centre_y[members]
        xmin, ymin = xs.min(), ys.min()
        width = max(xs.max() - xmin, ys.max() - ymin)
        if width <= leaf or len(members) <= _CLIP_BLOCK_CELLS:
            result[members] = _polygonal(shapely.intersection(cells[members], piece))
            continue
        block = max(leaf, width / 8) * (1 + 1e-9)
        block_x = np.floor((xs - xmin) / block).astype(np.int64)
        block_y = np.floor((ys - ymin) / block).astype(np.int64)
        keys, groups = np.unique(block_y * 1024 + block_x, return_inverse=True)
        windows = shapely.box(
            xmin + (keys % 1024) * block - reach,
            ymin + (keys // 1024) * block - reach,
            xmin + (keys % 1024 + 1) * block + reach,
            ymin + (keys // 1024 + 1) * block + reach,
        )
        pieces = _polygonal(shapely.intersection(piece, windows))
        order = np.argsort(groups, kind="stable")
        bounds = np.searchsorted(groups[order], np.arange(len(keys) + 1))
        for index in range(len(keys)):
            stack.append((members[order[bounds[index] : bounds[index + 1]]], pieces[index]))
    return result


def _polygonal(geometries: Geometries) -> Geometries:
    """Keep only the polygons of each geometry (an overlay can add stray lines or points)."""
    collections = np.flatnonzero(shapely.get_type_id(geometries) == 7)
    for index in collections:
        parts = [
            part
            for part in shapely.get_parts(geometries[index])
            if isinstance(part, shapely.Polygon | shapely.MultiPolygon)
        ]
        geometries[index] = shapely.union_all(parts) if parts else shapely.Polygon()
    return geometries


def _per_cell(values: ArrayLike, n: int, argument: str) -> Floats:
    array = np.asarray(values, dtype=np.float64)
    if array.shape != (n,):
        raise ValueError(f"{argument}: expected {n} values, one per cell, not shape {array.shape}")
    return array


def _property_columns(
    properties: Mapping[str, Sequence[Any] | NDArray[Any]], n: int
) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {}
    for name, values in properties.items():
        if name == "cell":
            raise ValueError("properties: 'cell' is reserved for the cell id")
        listed = np.asarray(values).tolist()
        if len(listed) != n:
            raise ValueError(
                f"properties[{name!r}]: expected {n} values, one per cell, not {len(listed)}"
            )
        columns[name] = [None if isinstance(v, float) and math.isnan(v) else v for v in listed]
    return columns
