"""Getis-Ord Gi* hot and cold spots per grid cell, through ``esda``.

The statistic, its analytical z-score and the conditional randomization are esda's
(``esda.G_Local`` and the engine behind it, ``esda.crand.crand``); this module counts the
permutations on each side of the observed statistic with ties on both sides, makes
two-sided p-values, applies the Benjamini-Hochberg false discovery rate over the cells
that can be tested and gives ArcGIS's hot spot classes (``Gi_Bin``).
docs/statistics/hotspots.md explains each step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from esda.crand import crand
from esda.getisord import G_Local, _g_local_star_crand
from libpysal.weights import W
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy import stats as scipy_stats

from vrn.analytics.spatial.grid import weights_from_adjacency

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Classes = NDArray[np.int8]
Inference = Literal["normal", "permutation"]
Family = Literal["testable", "all"]

DEFAULT_PERMUTATIONS = 999
#: (class, confidence) from the strongest: ArcGIS's Gi_Bin levels.
CLASS_LEVELS: tuple[tuple[int, float], ...] = ((3, 0.99), (2, 0.95), (1, 0.90))
CLASS_LABELS: dict[int, str] = {
    3: "Hot spot, 99% confidence",
    2: "Hot spot, 95% confidence",
    1: "Hot spot, 90% confidence",
    0: "Not significant",
    -1: "Cold spot, 90% confidence",
    -2: "Cold spot, 95% confidence",
    -3: "Cold spot, 99% confidence",
}


@dataclass(frozen=True, eq=False)
class GiStar:
    """The result of :func:`gi_star`; arrays have one value per cell (the order of ``w``).

    Every p- and q-value is NaN outside ``testable``: islands, and, with
    ``family="testable"`` (the default), cells with no event in their neighbourhood.

    Attributes
    ----------
    z : numpy.ndarray of float
        esda's analytical z-score of Gi* (``Zs``): positive where high values cluster.
        NaN only for islands (and when every value is the same).
    p_norm : numpy.ndarray of float
        Two-sided p-value of ``z`` on the standard normal, ``2 * sf(|z|)`` (esda's own
        ``p_norm`` is the one-sided ``sf(|z|)``).
    p_hot, p_cold : numpy.ndarray of float
        One-sided permutation p-values with ties counted on both sides:
        ``(#(simulated >= observed) + 1) / (permutations + 1)`` and
        ``(#(simulated <= observed) + 1) / (permutations + 1)``. NaN without permutations.
    p_sim : numpy.ndarray of float
        ``min(p_hot, p_cold)``: the one-sided permutation p-value on the side the
        simulations put the cell. esda's ``p_sim`` is the same fraction when no simulated
        statistic ties the observed one; with ties esda counts them on the hot side only.
    p_sim_two_sided : numpy.ndarray of float
        ``min(1, 2 * p_sim)``: the two-sided permutation test.
    p_value : numpy.ndarray of float
        The p-value the classes use. ``inference="permutation"``: two-sided on the side
        of ``z``, ``min(1, 2 * (p_hot if z > 0 else p_cold))``; it is ``p_sim_two_sided``
        unless the permutations put the cell on the other side of its z-score (then 1).
        ``inference="normal"``: ``p_norm``, as ArcGIS.
    q : numpy.ndarray of float
        ``p_value`` adjusted by Benjamini-Hochberg over the ``testable`` cells.
    classes : numpy.ndarray of int8
        ArcGIS's ``Gi_Bin``: 3, 2, 1 hot spot at 99, 95, 90% confidence; -3, -2, -1 cold;
        0 not significant or not tested. With ``fdr`` a cell is at a level only if ``q``
        passes it. The sign is that of ``z``.
    significant : numpy.ndarray of bool
        ``q <= alpha`` with ``fdr``, else ``p_value <= alpha``.
    testable : numpy.ndarray of bool
        The cells tested, i.e. the false discovery rate's family: with
        ``family="testable"`` the cells with at least one event (a value above 0) in their
        neighbourhood, themselves included; with ``"all"`` every cell with a result.
    islands : numpy.ndarray of bool
        Cells with no neighbour: no result (NaN statistics, class 0).
    inference : str
        ``"permutation"`` or ``"normal"``: where ``p_value`` comes from.
    family : str
        ``"testable"`` or ``"all"``.
    permutations : int
    seed : int
    resolution : float
        The smallest one-sided permutation p-value, ``1 / (permutations + 1)`` (NaN
        without permutations); two-sided, twice that.
    alpha : float
    fdr : bool
    weights_description : str
    """

    z: Floats
    p_norm: Floats
    p_hot: Floats
    p_cold: Floats
    p_sim: Floats
    p_sim_two_sided: Floats
    p_value: Floats
    q: Floats
    classes: Classes
    significant: Bools
    testable: Bools
    islands: Bools
    inference: str
    family: str
    permutations: int
    seed: int
    resolution: float
    alpha: float
    fdr: bool
    weights_description: str

    @property
    def labels(self) -> NDArray[np.str_]:
        """The class of each cell in words, e.g. ``"Hot spot, 99% confidence"``."""
        return np.array([CLASS_LABELS[int(value)] for value in self.classes])

    @property
    def hot(self) -> Bools:
        """Significant at ``alpha`` with high values clustered."""
        return self.significant & (self.z > 0)

    @property
    def cold(self) -> Bools:
        """Significant at ``alpha`` with low values clustered."""
        return self.significant & (self.z < 0)


def gi_star(
    values: ArrayLike,
    w: W,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    alpha: float = 0.05,
    fdr: bool = True,
    *,
    inference: Inference | None = None,
    family: Family = "testable",
    weights_description: str | None = None,
    n_jobs: int = 1,
) -> GiStar:
    """Getis-Ord Gi* for each cell: esda's ``G_Local(y, w, star=True, transform="B")``.

    Parameters
    ----------
    values : array_like
        One non-negative value per cell (counts or rates), in the order of ``w``.
    w : libpysal.weights.W
        Binary neighbours (e.g. :meth:`Grid.weights`); each cell is added as its own
        neighbour with weight 1 (the "star").
    permutations : int, default 999
        esda's conditional permutations; 0 skips them (and so needs ``"normal"``).
    seed : int, default 0
        Seed of the permutations; the same seed gives the same result.
    alpha : float, default 0.05
        Significance level of ``significant``.
    fdr : bool, default True
        Judge significance on Benjamini-Hochberg adjusted p-values over the tested cells
        (ArcGIS's "Apply False Discovery Rate correction").
    inference : {"permutation", "normal"}, optional
        Which p-value makes the classes: the two-sided permutation p-value with ties
        counted on both sides (the default), or the two-sided normal p-value of ``z``, as
        ArcGIS does (the default when ``permutations`` is 0). A permutation p-value cannot
        go below ``2 / (permutations + 1)``, so with ``fdr`` over many cells it takes many
        permutations to reach 99% confidence (docs/statistics/hotspots.md).
    family : {"testable", "all"}, default "testable"
        The cells tested, whose p-values the false discovery rate adjusts together: those
        with an event (a value above 0) in their neighbourhood, themselves included, or
        every cell (as ArcGIS does). In a count surface a cell with nothing near it can
        be neither a hot spot nor meaningfully a cold one; testing it only dilutes the
        false discovery rate. The others get NaN p- and q-values and class 0.
    weights_description : str, optional
        How ``w`` was built, for the output; by default a summary of its neighbours.
    n_jobs : int, default 1
        Processes for esda's permutations (results do not depend on it).
    """
    y = _values(values, w)
    return gi_star_slices(
        y[:, None],
        w,
        permutations,
        seed,
        alpha,
        fdr,
        inference=inference,
        family=family,
        weights_description=weights_description,
        n_jobs=n_jobs,
    )[0]


def benjamini_hochberg(p_values: ArrayLike) -> Floats:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN and is not counted.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, float("nan")]).round(4).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    p = np.asarray(p_values, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    present = np.isfinite(p)
    if present.any():
        q[present] = scipy_stats.false_discovery_control(p[present], method="bh")
    return q


def hot_spot_classes(z: ArrayLike, p_values: ArrayLike) -> Classes:
    """ArcGIS's Gi_Bin from z-scores and two-sided (or FDR-adjusted) p-values.

    Examples
    --------
    >>> hot_spot_classes([3.0, -2.1, 1.7, 0.5], [0.003, 0.04, 0.09, 0.6]).tolist()
    [3, -2, 1, 0]
    """
    scores = np.asarray(z, dtype=np.float64)
    p = np.asarray(p_values, dtype=np.float64)
    level = np.zeros(scores.shape, dtype=np.int8)
    for value, confidence in reversed(CLASS_LEVELS):
        level[p <= 1 - confidence + 1e-12] = value
    sign = np.sign(np.nan_to_num(scores)).astype(np.int8)
    result: Classes = (level * sign).astype(np.int8)
    return result


def _classify(
    z: Floats,
    larger: Floats,
    smaller: Floats,
    *,
    tested: Bools,
    islands: Bools,
    permutations: int,
    seed: int,
    alpha: float,
    fdr: bool,
    inference: Inference,
    family: Family,
    weights_description: str,
) -> GiStar:
    untested = ~tested
    draws = permutations + 1
    p_hot = (larger + 1) / draws
    p_cold = (smaller + 1) / draws
    p_sim = np.fmin(p_hot, p_cold)
    p_sim_two_sided = np.minimum(1.0, 2 * p_sim)
    p_norm = 2 * scipy_stats.norm.sf(np.abs(z))
    if inference == "permutation":
        # p_hot + p_cold > 1, so the side away from z gives 1: not significant.
        toward_z = np.where(z > 0, p_hot, np.where(z < 0, p_cold, p_sim))
        p_value = np.minimum(1.0, 2 * toward_z)
    else:
        p_value = p_norm.copy()
    for p in (p_norm, p_hot, p_cold, p_sim, p_sim_two_sided, p_value):
        p[untested] = np.nan
    q = benjamini_hochberg(p_value)
    judged = q if fdr else p_value
    with np.errstate(invalid="ignore"):
        significant = judged <= alpha
    return GiStar(
        z=z,
        p_norm=p_norm,
        p_hot=p_hot,
        p_cold=p_cold,
        p_sim=p_sim,
        p_sim_two_sided=p_sim_two_sided,
        p_value=p_value,
        q=q,
        classes=hot_spot_classes(z, np.nan_to_num(judged, nan=1.0)),
        significant=significant,
        testable=tested,
        islands=islands,
        inference=inference,
        family=family,
        permutations=permutations,
        seed=seed,
        resolution=1 / draws if permutations else float("nan"),
        alpha=alpha,
        fdr=fdr,
        weights_description=weights_description,
    )


def _esda_gi_star(
    y: Floats, w_star: W, permutations: int, seed: int, n_jobs: int
) -> tuple[Floats, Floats, Floats]:
    """esda's z-scores, and for each cell the permutations whose statistic is at least
    (``larger``) and at most (``smaller``) the observed one (NaN without permutations).

    ``G_Local(permutations=P, seed=s)`` would run ``crand(..., alternative="directed")``
    and keep only ``min(larger, P - larger)``, which cannot tell a cell that every
    simulation reaches (ties or exceeds) from one that none reaches. The same call of
    esda's engine with ``alternative="greater"`` and then ``"lesser"`` (same seed, so the
    same draws) gives both counts exactly, in flat memory.
    numpy's global random state is left as it was.
    """
    state = np.random.get_state()
    try:
        w_star.transform = "B"
        result = G_Local(
            y,
            w_star,
            transform="B",
            permutations=0,
            star=True,
            keep_simulations=False,
            n_jobs=n_jobs,
            seed=seed,
        )
        z = np.asarray(result.Zs, dtype=np.float64)
        counts = []
        for alternative in ("greater", "lesser") if permutations else ():
            # Setting the transform rebuilds w.sparse, whose diagonal (the star) crand
            # zeroes in place.
            w_star.transform = "B"
            p, _ = crand(
                y,
                w_star,
                result.Gs,
                permutations,
                False,
                n_jobs,
                _g_local_star_crand,
                scaling=y.sum(),
                seed=seed,
                island_weight=0,
                alternative=alternative,
            )
            # (count + 1) / (P + 1), kept by esda in float32: recover the whole count.
            counts.append(np.round(np.asarray(p, dtype=np.float64) * (permutations + 1)) - 1)
        w_star.transform = "B"
    finally:
        np.random.set_state(state)
    if not permutations:
        return z, np.full(len(y), np.nan), np.full(len(y), np.nan)
    return z, counts[0], counts[1]


def _with_self_weights(w: W) -> W:
    """A copy of binary ``w`` with each cell its own neighbour (weight 1)."""
    adjacency = sparse.csr_matrix(w.sparse, copy=True)
    adjacency.setdiag(1.0)
    return weights_from_adjacency(adjacency)


def _values(values: ArrayLike, w: W) -> Floats:
    try:
        y = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError("values: expected numbers, one per cell") from error
    if y.ndim != 1 or len(y) != w.n:
        raise ValueError(f"values: expected {w.n} values, one per cell of w, not shape {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError("values: missing or infinite values")
    if (y < 0).any():
        raise ValueError("values: Gi* needs non-negative values (counts or rates)")
    return y


def _check(
    permutations: int, seed: int, alpha: float, inference: str | None, family: str
) -> Inference:
    """Refuse bad settings; the inference to use (``None``: permutation if any)."""
    if (
        isinstance(permutations, bool)
        or not isinstance(permutations, int | np.integer)
        or permutations < 0
    ):
        raise ValueError(f"permutations: expected a whole number from 0, not {permutations!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**32:
        raise ValueError(f"seed: expected a whole number from 0 to 2**32 - 1, not {seed!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, float | int) or not 0 < alpha < 1:
        raise ValueError(f"alpha: expected a significance level between 0 and 1, not {alpha!r}")
    if family not in ("testable", "all"):
        raise ValueError(f"family: expected 'testable' or 'all', not {family!r}")
    if inference is None or inference == "permutation":
        if inference == "permutation" and not permutations:
            raise ValueError("inference: 'permutation' needs permutations above 0")
        return "permutation" if permutations else "normal"
    if inference != "normal":
        raise ValueError(f"inference: expected 'normal' or 'permutation', not {inference!r}")
    return "normal"


def _islands(w: W) -> Bools:
    adjacency = sparse.csr_matrix(w.sparse, copy=True)
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    islands: Bools = np.diff(adjacency.indptr) == 0
    return islands


def _describe(w: W, islands: Bools) -> str:
    adjacency = sparse.csr_matrix(w.sparse, copy=True)
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    neighbours = np.diff(adjacency.indptr)
    return (
        f"binary weights on {w.n:,} cells: {neighbours.mean():.1f} neighbours on average "
        f"({neighbours.min()} to {neighbours.max()}), {int(islands.sum()):,} without "
        "neighbours; each cell also counts itself (Gi*)"
    )


def gi_star_slices(
    values: ArrayLike,
    w: W,
    permutations: int = 0,
    seed: int = 0,
    alpha: float = 0.05,
    fdr: bool = True,
    *,
    inference: Inference | None = None,
    family: Family = "all",
    weights_description: str | None = None,
    n_jobs: int = 1,
) -> list[GiStar]:
    """:func:`gi_star` on each column of ``values`` (cells x time slices).

    Slice ``t`` is permuted with seed ``seed + t``. The defaults differ from
    :func:`gi_star`'s: no permutations (so normal inference) and every cell tested, as
    ArcGIS's Emerging Hot Spot Analysis with an analysis mask (see ``emerging``).
    """
    cube = np.asarray(values, dtype=np.float64)
    if cube.ndim != 2:
        raise ValueError(f"values: expected a 2-D array (cells x slices), not shape {cube.shape}")
    chosen = _check(permutations, seed, alpha, inference, family)
    islands = _islands(w)
    description = weights_description or _describe(w, islands)
    w_star = _with_self_weights(w)
    results = []
    for index in range(cube.shape[1]):
        y = _values(cube[:, index], w)
        slice_seed = (seed + index) % 2**32
        z = np.full(len(y), np.nan)
        larger = np.full(len(y), np.nan)
        smaller = np.full(len(y), np.nan)
        tested = np.zeros(len(y), dtype=np.bool_)
        if np.ptp(y) > 0:
            z, larger, smaller = _esda_gi_star(y, w_star, permutations, slice_seed, n_jobs)
            z[islands] = np.nan
            tested = ~islands
            if family == "testable":
                # An event among the cell and its neighbours (w_star has the diagonal).
                tested &= np.asarray(w_star.sparse @ (y > 0).astype(np.float64)) > 0
        results.append(
            _classify(
                z,
                larger,
                smaller,
                tested=tested,
                islands=islands,
                permutations=permutations,
                seed=slice_seed,
                alpha=alpha,
                fdr=fdr,
                inference=chosen,
                family=family,
                weights_description=description,
            )
        )
    return results
