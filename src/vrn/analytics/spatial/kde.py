"""Kernel density of events, evaluated at grid cell centres (or any points).

The quartic (biweight) kernel is the crime-mapping convention (ArcGIS Kernel Density,
CrimeStat); the Gaussian is available. The default bandwidth is ArcGIS Pro's spatial
variant of Silverman's rule of thumb. docs/statistics/hotspots.md has the formulas.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

if TYPE_CHECKING:
    from vrn.analytics.spatial.grid import Grid

Floats = NDArray[np.float64]
Kernel = Literal["quartic", "gaussian"]
Binning = float | Literal["auto", "exact"]

KERNELS: tuple[str, ...] = ("quartic", "gaussian")
#: The Gaussian kernel is cut off this many bandwidths away (it leaves 1.5e-8 of its mass).
GAUSSIAN_REACH = 6.0
#: With ``binning="auto"``, points are binned when the exact sum would visit more
#: (point, evaluation point) pairs than this.
AUTO_BINNING_PAIRS = 100_000_000
#: With automatic binning, the lattice spacing is the bandwidth divided by this.
AUTO_BINNING_DIVISOR = 20
#: Pairs handled at once (memory: about 24 bytes each).
_CHUNK_PAIRS = 2_000_000
_SQUARE_METRES_PER_KM2 = 1e6
_ARCGIS_FACTOR = math.sqrt(1 / math.log(2))


@dataclass(frozen=True)
class KernelDensity:
    """The result of :func:`kernel_density` or :func:`density_at`.

    Attributes
    ----------
    density : numpy.ndarray of float
        Events per km² at each evaluation point: over the whole plane it integrates to
        the number of events (the sum of the weights).
    expected : numpy.ndarray of float or None
        ``density * area_km2`` of each grid cell: the events the surface puts in the cell
        (``None`` from :func:`density_at`).
    kernel : str
        ``"quartic"`` or ``"gaussian"``.
    bandwidth : float
        Metres: the quartic kernel's radius, or the Gaussian kernel's standard deviation.
    bandwidth_rule : str
        How the bandwidth was chosen, in words, with the numbers that went into it.
    events : float
        Number of events (sum of the weights).
    method : str
        ``"exact"``, or the binning used, e.g. ``"linear binning to a 25 m lattice"``.
    """

    density: Floats
    expected: Floats | None
    kernel: str
    bandwidth: float
    bandwidth_rule: str
    events: float
    method: str


@dataclass(frozen=True)
class SilvermanBandwidth:
    """ArcGIS Pro's default search radius and the quantities behind it (metres)."""

    bandwidth: float
    standard_distance: float
    median_distance: float
    events: float

    @property
    def rule(self) -> str:
        """The rule with its numbers, for outputs and pages."""
        return (
            "ArcGIS Pro default (spatial Silverman rule): 0.9 x min(SD, sqrt(1/ln 2) x Dm) "
            f"x n^-0.2 with standard distance SD = {self.standard_distance:,.0f} m, median "
            f"distance Dm = {self.median_distance:,.0f} m, n = {self.events:,.0f}: "
            f"{self.bandwidth:,.0f} m"
        )


def silverman_bandwidth(
    x: ArrayLike, y: ArrayLike, weights: ArrayLike | None = None
) -> SilvermanBandwidth:
    """ArcGIS Pro's default bandwidth: ``0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2``.

    ``SD`` is the standard distance and ``Dm`` the median distance of the points from
    their mean centre; with ``weights`` (counts per point) the centre, SD and median are
    weighted and ``n`` is the sum of the weights, exactly as if each point were repeated.

    Examples
    --------
    >>> result = silverman_bandwidth([0, 100, 0, 100], [0, 0, 100, 100])
    >>> round(result.standard_distance, 3), round(result.median_distance, 3)
    (70.711, 70.711)
    >>> round(result.bandwidth, 3)  # 0.9 x 70.711 x 4^-0.2
    48.23
    """
    px, py, w = _points(x, y, weights)
    kept = w > 0
    px, py, w = px[kept], py[kept], w[kept]
    events = float(w.sum())
    if len(px) < 2:
        raise ValueError("x, y: the bandwidth rule needs at least 2 points with weight")
    centre_x, centre_y = np.average(px, weights=w), np.average(py, weights=w)
    distance = np.hypot(px - centre_x, py - centre_y)
    standard_distance = math.sqrt(float(np.average(distance**2, weights=w)))
    median_distance = _weighted_median(distance, w)
    bandwidth = 0.9 * min(standard_distance, _ARCGIS_FACTOR * median_distance) * events**-0.2
    if not bandwidth > 0:
        raise ValueError(
            "x, y: the bandwidth rule gives 0 (half the events or more are at one place); "
            "give a bandwidth in metres"
        )
    return SilvermanBandwidth(bandwidth, standard_distance, median_distance, events)


def kernel_density(
    grid: Grid,
    x: ArrayLike,
    y: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    kernel: Kernel = "quartic",
    bandwidth: float | None = None,
    binning: Binning = "auto",
) -> KernelDensity:
    """Kernel density of the events at ``x, y`` at each cell's centre, per km².

    ``expected`` is the density times the cell's (clipped) area. See :func:`density_at`
    for the arguments. Events outside the grid still count near the edge; there is no
    edge correction, so the density just inside the area's edge is lower than it would
    be if events beyond the edge were included.
    """
    result = density_at(
        x,
        y,
        grid.centre_x,
        grid.centre_y,
        weights=weights,
        kernel=kernel,
        bandwidth=bandwidth,
        binning=binning,
    )
    return KernelDensity(
        density=result.density,
        expected=result.density * grid.area_km2,
        kernel=result.kernel,
        bandwidth=result.bandwidth,
        bandwidth_rule=result.bandwidth_rule,
        events=result.events,
        method=result.method,
    )


def density_at(
    x: ArrayLike,
    y: ArrayLike,
    at_x: ArrayLike,
    at_y: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    kernel: Kernel = "quartic",
    bandwidth: float | None = None,
    binning: Binning = "auto",
) -> KernelDensity:
    """Kernel density of the events at ``x, y`` (metres) evaluated at ``at_x, at_y``.

    Parameters
    ----------
    x, y : array_like
        Event coordinates in metres; rows with a missing coordinate are dropped.
    at_x, at_y : array_like
        Where to evaluate the density.
    weights : array_like, optional
        Events per point (default 1 each); a point of weight 3 is three events there.
    kernel : {"quartic", "gaussian"}
        Quartic: ``3 / (pi h²) (1 - d²/h²)²`` within ``d < h``. Gaussian:
        ``1 / (2 pi h²) exp(-d² / 2h²)``, cut off at 6 h.
    bandwidth : float, optional
        ``h`` in metres; by default :func:`silverman_bandwidth`.
    binning : "auto", "exact" or float
        "exact" sums the kernel over every event. A number of metres first spreads the
        events over a square lattice of that spacing by linear binning (each event's
        weight shared among the 4 surrounding lattice points in proportion to nearness)
        and sums over the lattice points: far fewer terms when events are many, with an
        error of order (spacing / h)². "auto" is exact unless that would take more than
        ``AUTO_BINNING_PAIRS`` kernel evaluations, then bins at ``h / 20``.

    Examples
    --------
    >>> result = density_at([0.0], [0.0], [0.0, 500.0], [0.0, 0.0], bandwidth=1000)
    >>> result.density.round(4).tolist()  # 3 / (pi h²) per km² at the point, h = 1 km
    [0.9549, 0.5371]
    """
    px, py, w = _points(x, y, weights)
    ex, ey = _evaluation_points(at_x, at_y)
    if kernel not in KERNELS:
        raise ValueError(f"kernel: expected 'quartic' or 'gaussian', not {kernel!r}")
    if bandwidth is None:
        rule = silverman_bandwidth(px, py, w)
        h, rule_text = rule.bandwidth, rule.rule
    else:
        if (
            isinstance(bandwidth, bool)
            or not isinstance(bandwidth, int | float)
            or not bandwidth > 0
        ):
            raise ValueError(f"bandwidth: expected a positive number of metres, not {bandwidth!r}")
        h, rule_text = float(bandwidth), f"fixed: {float(bandwidth):,.0f} m"
    reach = h if kernel == "quartic" else GAUSSIAN_REACH * h
    sources = np.column_stack([px, py])[w > 0]
    source_weights = w[w > 0]
    targets = np.column_stack([ex, ey])

    spacing = _binning_spacing(binning, sources, targets, reach, h)
    method = "exact"
    if spacing is not None:
        sources, source_weights = _linear_binning(sources, source_weights, spacing)
        method = f"linear binning to a {spacing:,.3g} m lattice"
    density = _kernel_sum(sources, source_weights, targets, kernel, h, reach)
    return KernelDensity(
        density=density * _SQUARE_METRES_PER_KM2,
        expected=None,
        kernel=kernel,
        bandwidth=h,
        bandwidth_rule=rule_text,
        events=float(w.sum()),
        method=method,
    )


def kernel_values(distance: ArrayLike, bandwidth: float, kernel: Kernel = "quartic") -> Floats:
    """The kernel at each ``distance`` (metres), per m²; it integrates to 1 over the plane.

    Examples
    --------
    >>> float(kernel_values([0.0], 1.0)[0]) == 3 / math.pi
    True
    >>> kernel_values([1.0, 2.0], 1.0).tolist()
    [0.0, 0.0]
    """
    d = np.asarray(distance, dtype=np.float64)
    h2 = bandwidth * bandwidth
    if kernel == "quartic":
        u = np.clip(1 - d * d / h2, 0, None)
        return np.asarray(3 / (math.pi * h2) * u * u, dtype=np.float64)
    if kernel == "gaussian":
        values = np.exp(-d * d / (2 * h2)) / (2 * math.pi * h2)
        return np.asarray(np.where(d <= GAUSSIAN_REACH * bandwidth, values, 0.0), dtype=np.float64)
    raise ValueError(f"kernel: expected 'quartic' or 'gaussian', not {kernel!r}")


def _points(x: ArrayLike, y: ArrayLike, weights: ArrayLike | None) -> tuple[Floats, Floats, Floats]:
    px = np.atleast_1d(np.asarray(x, dtype=np.float64))
    py = np.atleast_1d(np.asarray(y, dtype=np.float64))
    if px.ndim != 1 or px.shape != py.shape:
        raise ValueError(
            f"x, y: expected two 1-D arrays of the same length, not {px.shape} and {py.shape}"
        )
    if weights is None:
        w = np.ones(len(px))
    else:
        w = np.atleast_1d(np.asarray(weights, dtype=np.float64))
        if w.shape != px.shape:
            raise ValueError(f"weights: expected {len(px)} values, one per point, not {w.shape}")
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValueError("weights: expected non-negative numbers")
    kept = np.isfinite(px) & np.isfinite(py)
    if not kept.any():
        raise ValueError("x, y: no events with both coordinates")
    return px[kept], py[kept], w[kept]


def _evaluation_points(at_x: ArrayLike, at_y: ArrayLike) -> tuple[Floats, Floats]:
    ex = np.atleast_1d(np.asarray(at_x, dtype=np.float64))
    ey = np.atleast_1d(np.asarray(at_y, dtype=np.float64))
    if ex.ndim != 1 or ex.shape != ey.shape:
        raise ValueError(
            f"at_x, at_y: expected two 1-D arrays of the same length, not {ex.shape} and {ey.shape}"
        )
    if not (np.isfinite(ex).all() and np.isfinite(ey).all()):
        raise ValueError("at_x, at_y: missing coordinates")
    return ex, ey


def _weighted_median(values: Floats, weights: Floats) -> float:
    """The median of ``values`` repeated ``weights`` times (the mean of the middle two
    when the total weight splits exactly in half), as :func:`numpy.median` would give."""
    order = np.argsort(values, kind="stable")
    ordered, cumulative = values[order], np.cumsum(weights[order])
    half = cumulative[-1] / 2
    index = int(np.searchsorted(cumulative, half * (1 - 1e-12)))
    if math.isclose(cumulative[index], half, rel_tol=1e-12) and index + 1 < len(ordered):
        return float((ordered[index] + ordered[index + 1]) / 2)
    return float(ordered[index])


def _binning_spacing(
    binning: Binning, sources: Floats, targets: Floats, reach: float, bandwidth: float
) -> float | None:
    if binning == "exact":
        return None
    if binning == "auto":
        if _estimated_pairs(sources, targets, reach) <= AUTO_BINNING_PAIRS:
            return None
        return bandwidth / AUTO_BINNING_DIVISOR
    if isinstance(binning, bool) or not isinstance(binning, int | float) or not binning > 0:
        raise ValueError(
            f"binning: expected 'auto', 'exact' or a spacing in metres, not {binning!r}"
        )
    return float(binning)


def _estimated_pairs(sources: Floats, targets: Floats, reach: float) -> float:
    """Kernel evaluations an exact sum needs, from every k-th evaluation point."""
    if len(sources) == 0 or len(targets) == 0:
        return 0.0
    step = max(1, len(targets) // 2000)
    sample = targets[::step]
    found = cKDTree(sources).query_ball_point(sample, reach, return_length=True)
    return float(np.sum(found)) * len(targets) / len(sample)


def _linear_binning(sources: Floats, weights: Floats, spacing: float) -> tuple[Floats, Floats]:
    """Share each weight among the 4 lattice points around it, by bilinear interpolation."""
    origin = sources.min(axis=0)
    position = (sources - origin) / spacing
    corner = np.floor(position).astype(np.int64)
    fraction = position - corner
    columns = int(corner[:, 0].max()) + 2
    keys, shares = [], []
    for dx in (0, 1):
        for dy in (0, 1):
            share_x = fraction[:, 0] if dx else 1 - fraction[:, 0]
            share_y = fraction[:, 1] if dy else 1 - fraction[:, 1]
            keys.append((corner[:, 1] + dy) * columns + corner[:, 0] + dx)
            shares.append(weights * share_x * share_y)
    unique, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    totals = np.bincount(inverse, weights=np.concatenate(shares), minlength=len(unique))
    kept = totals > 0
    nodes = np.column_stack([unique % columns, unique // columns]).astype(np.float64)
    located: Floats = origin + nodes[kept] * spacing
    return located, totals[kept].astype(np.float64)


def _kernel_sum(
    sources: Floats,
    weights: Floats,
    targets: Floats,
    kernel: Kernel,
    bandwidth: float,
    reach: float,
) -> Floats:
    """Sum of ``weight * kernel(distance)`` at each target, per m², in chunks of pairs."""
    result = np.zeros(len(targets))
    if len(sources) == 0 or len(targets) == 0:
        return result
    source_tree = cKDTree(sources)
    pairs_per_target = source_tree.query_ball_point(targets, reach, return_length=True)
    cumulative = np.cumsum(pairs_per_target)
    starts = [0]
    while starts[-1] < len(targets):
        done = cumulative[starts[-1] - 1] if starts[-1] else 0
        end = int(np.searchsorted(cumulative, done + _CHUNK_PAIRS, side="right"))
        starts.append(max(end, starts[-1] + 1))
    for start, end in itertools.pairwise(starts):
        chunk = cKDTree(targets[start:end])
        pairs = chunk.sparse_distance_matrix(source_tree, reach, output_type="ndarray")
        if len(pairs) == 0:
            continue
        values = kernel_values(pairs["v"], bandwidth, kernel) * weights[pairs["j"]]
        result[start:end] = np.bincount(pairs["i"], weights=values, minlength=end - start)
    return result
