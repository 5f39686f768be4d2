"""Emerging Hot Spot Analysis: how each cell's hot or cold spot status changes over time.

As ArcGIS Pro's tool: Getis-Ord Gi* in every time slice, the Mann-Kendall test on each
cell's series of Gi* z-scores (the hot spot trend), then one of eight hot spot patterns,
the same eight cold spot patterns, or none. docs/statistics/hotspots.md gives the
definitions and where this implementation has to choose between readings of ArcGIS's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from libpysal.weights import W
from numpy.typing import ArrayLike, NDArray

from vrn.analytics.spatial.gistar import gi_star_slices
from vrn.analytics.stats.mann_kendall import mann_kendall_rows

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Codes = NDArray[np.int8]

#: Pattern names by code (ArcGIS's CATEGORY): 1 to 8 hot, -1 to -8 cold, 0 none.
PATTERN_NAMES: tuple[str, ...] = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
)
NO_PATTERN = "No pattern detected"


def pattern_label(code: int) -> str:
    """``3`` -> ``"Intensifying hot spot"``, ``-1`` -> ``"New cold spot"``, ``0`` -> none."""
    if code == 0:
        return NO_PATTERN
    name = PATTERN_NAMES[abs(code) - 1]
    return f"{name.capitalize()} {'hot' if code > 0 else 'cold'} spot"


@dataclass(frozen=True)
class EmergingSettings:
    """The thresholds of :func:`emerging_hot_spots`.

    Attributes
    ----------
    gi_alpha : float, default 0.10
        A cell is a significant hot (cold) spot in a slice when its Gi* p-value passes this
        level: 0.10 counts every non-zero ArcGIS ``Gi_Bin`` (90% confidence and above).
    fdr : bool, default True
        Judge ``gi_alpha`` on Benjamini-Hochberg adjusted p-values within each slice, as
        ArcGIS's tool applies its FDR correction.
    trend_alpha : float, default 0.05
        Two-sided significance level of the Mann-Kendall test on the Gi* z-scores.
    share : float, default 0.90
        "90 percent of the time-step intervals": the share of slices, the final one
        included, that makes a hot (cold) spot intensifying, persistent, diminishing or
        historical (at least this share) rather than consecutive, sporadic or
        oscillating (less).
    minimum_slices : int, default 10
        Fewer slices are refused: the trend test has little power on short series (with
        4 slices no series reaches p < 0.05) and 90% of a few slices is all of them.
    permutations : int, default 0
        Gi* permutations per slice. 0 judges each slice on the analytical (normal)
        p-values, as ArcGIS does; more judges them on the permutation p-values (which,
        with ``fdr``, need many more permutations than cells: see ``gistar.gi_star``).
    seed : int, default 0
        Seed of the permutations (slice ``t`` uses ``seed + t``).
    """

    gi_alpha: float = 0.10
    fdr: bool = True
    trend_alpha: float = 0.05
    share: float = 0.90
    minimum_slices: int = 10
    permutations: int = 0
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("gi_alpha", "trend_alpha"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
                raise ValueError(
                    f"{name}: expected a significance level between 0 and 1, not {value!r}"
                )
        if (
            isinstance(self.share, bool)
            or not isinstance(self.share, int | float)
            or not 0.5 < self.share <= 1
        ):
            raise ValueError(f"share: expected a share above 0.5 and at most 1, not {self.share!r}")
        if (
            isinstance(self.minimum_slices, bool)
            or not isinstance(self.minimum_slices, int)
            or self.minimum_slices < 3
        ):
            raise ValueError(
                "minimum_slices: expected a whole number of at least 3, "
                f"not {self.minimum_slices!r}"
            )


@dataclass(frozen=True, eq=False)
class EmergingHotSpots:
    """The result of :func:`emerging_hot_spots`; arrays are indexed by cell (and slice).

    Attributes
    ----------
    category : numpy.ndarray of int8
        1 to 8: new, consecutive, intensifying, persistent, diminishing, sporadic,
        oscillating, historical hot spot; -1 to -8 the same cold spots; 0 no pattern.
    trend_z, trend_p : numpy.ndarray of float
        Mann-Kendall score and two-sided p-value of the cell's Gi* z-scores over time
        (NaN for a cell without neighbours).
    trend_direction : numpy.ndarray of str
        "increasing", "decreasing" or "no significant trend" at ``trend_alpha``
        ("not tested" without a series).
    hot_slices, cold_slices : numpy.ndarray of int
        Slices in which the cell is a significant hot (cold) spot.
    final_class : numpy.ndarray of int8
        The final slice's Gi* class (ArcGIS's Gi_Bin, -3 to 3).
    z, classes : numpy.ndarray, cells x slices
        Gi* z-score and class of every cell in every slice.
    settings : EmergingSettings
    weights_description : str
    """

    category: Codes
    trend_z: Floats
    trend_p: Floats
    trend_direction: NDArray[np.str_]
    hot_slices: Ints
    cold_slices: Ints
    final_class: Codes
    z: Floats
    classes: Codes
    settings: EmergingSettings
    weights_description: str

    @property
    def pattern(self) -> NDArray[np.str_]:
        """Each cell's pattern in words, e.g. ``"Intensifying hot spot"``."""
        return np.array([pattern_label(int(code)) for code in self.category])


def emerging_hot_spots(
    counts: ArrayLike,
    w: W,
    settings: EmergingSettings | None = None,
    *,
    weights_description: str | None = None,
    n_jobs: int = 1,
) -> EmergingHotSpots:
    """Emerging Hot Spot Analysis of ``counts`` (cells x time slices, oldest first).

    Gi* is computed in each slice with the same (spatial) neighbours ``w``; each cell's
    series of z-scores gets the Mann-Kendall test, and the per-slice significance and
    the trend give the pattern (:func:`classify_patterns`). A slice in which every cell
    has the same count has no clustering: its z-scores enter the trend as 0.
    """
    chosen = settings or EmergingSettings()
    cube = np.asarray(counts, dtype=np.float64)
    if cube.ndim != 2:
        raise ValueError(f"counts: expected a 2-D array (cells x slices), not shape {cube.shape}")
    if cube.shape[1] < chosen.minimum_slices:
        raise ValueError(
            f"counts: {cube.shape[1]} time slices; emerging hot spot analysis needs at least "
            f"{chosen.minimum_slices}"
        )
    slices = gi_star_slices(
        cube,
        w,
        permutations=chosen.permutations,
        seed=chosen.seed,
        alpha=chosen.gi_alpha,
        fdr=chosen.fdr,
        inference="permutation" if chosen.permutations else "normal",
        weights_description=weights_description,
        n_jobs=n_jobs,
    )
    z = np.column_stack([result.z for result in slices])
    classes = np.column_stack([result.classes for result in slices]).astype(np.int8)
    hot = np.column_stack([result.hot for result in slices])
    cold = np.column_stack([result.cold for result in slices])
    islands = slices[0].islands

    trend_z = np.full(len(cube), np.nan)
    trend_p = np.full(len(cube), np.nan)
    series = np.nan_to_num(z[~islands], nan=0.0)
    if len(series):
        trend = mann_kendall_rows(series)
        trend_z[~islands] = trend.z
        trend_p[~islands] = trend.p_value
    significant_trend = trend_p < chosen.trend_alpha
    direction = np.where(
        significant_trend & (trend_z > 0),
        "increasing",
        np.where(significant_trend & (trend_z < 0), "decreasing", "no significant trend"),
    )
    direction[islands] = "not tested"
    return EmergingHotSpots(
        category=classify_patterns(hot, cold, np.nan_to_num(trend_z), trend_p, chosen),
        trend_z=trend_z,
        trend_p=trend_p,
        trend_direction=direction,
        hot_slices=hot.sum(axis=1).astype(np.int64),
        cold_slices=cold.sum(axis=1).astype(np.int64),
        final_class=classes[:, -1].copy(),
        z=z,
        classes=classes,
        settings=chosen,
        weights_description=slices[0].weights_description,
    )


def classify_patterns(
    hot: ArrayLike,
    cold: ArrayLike,
    trend_z: ArrayLike,
    trend_p: ArrayLike,
    settings: EmergingSettings | None = None,
) -> Codes:
    """The pattern code of each cell from its significant hot and cold slices and trend.

    ``hot`` and ``cold`` are boolean (cells x slices, oldest first); ``trend_z`` and
    ``trend_p`` the Mann-Kendall result on the cell's Gi* z-scores (a NaN p-value is no
    significant trend). With ``T`` slices, ``H`` hot ones and a cell hot in the final
    slice (cold spots mirror this, a decreasing trend intensifying them):

    - new: ``H == 1`` (never a significant hot spot before);
    - consecutive: the final run of hot slices is at least 2 long and holds every hot
      slice, and ``H / T < share``;
    - intensifying / persistent / diminishing: ``H / T >= share`` with a significant
      increasing / no significant / a significant decreasing trend;
    - sporadic: ``H / T < share``, hot before with breaks, never a significant cold spot;
    - oscillating: ``H / T < share``, hot before with breaks, and a significant cold
      spot in an earlier slice.

    The first that applies, in that order, is the pattern. A cell neither hot nor cold in
    the final slice is a historical hot (cold) spot when ``H / T >= share`` (``C / T``),
    and otherwise has no pattern.

    Examples
    --------
    >>> hot = [[False] * 9 + [True], [True] * 10]
    >>> cold = [[False] * 10, [False] * 10]
    >>> classify_patterns(hot, cold, [0.0, 3.1], [1.0, 0.002]).tolist()
    [1, 3]
    """
    chosen = settings or EmergingSettings()
    hot_slices = np.asarray(hot, dtype=bool)
    cold_slices = np.asarray(cold, dtype=bool)
    if hot_slices.ndim != 2 or hot_slices.shape != cold_slices.shape:
        raise ValueError(
            f"hot, cold: expected two boolean arrays of the same shape (cells x slices), not "
            f"{hot_slices.shape} and {cold_slices.shape}"
        )
    if (hot_slices & cold_slices).any():
        raise ValueError("hot, cold: a cell cannot be a hot and a cold spot in the same slice")
    z = np.asarray(trend_z, dtype=np.float64)
    p = np.asarray(trend_p, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        significant = p < chosen.trend_alpha
    increasing = significant & (z > 0)
    decreasing = significant & (z < 0)
    hot_codes = _one_side(hot_slices, cold_slices, increasing, decreasing, chosen.share)
    cold_codes = _one_side(cold_slices, hot_slices, decreasing, increasing, chosen.share)
    historical_hot = hot_slices.mean(axis=1) >= chosen.share
    historical_cold = cold_slices.mean(axis=1) >= chosen.share
    neither = np.where(historical_hot, 8, np.where(historical_cold, -8, 0))
    codes = np.where(
        hot_slices[:, -1], hot_codes, np.where(cold_slices[:, -1], -cold_codes, neither)
    )
    result: Codes = codes.astype(np.int8)
    return result


def _one_side(
    spots: Bools, opposite: Bools, strengthening: Bools, weakening: Bools, share: float
) -> Ints:
    """Codes 1-7 for cells that are a spot (hot, or cold) in the final slice."""
    count = spots.sum(axis=1)
    slices = spots.shape[1]
    final_run = np.cumprod(spots[:, ::-1], axis=1).sum(axis=1)
    mostly = count / slices >= share
    code = np.where(opposite.any(axis=1), 7, 6)  # oscillating, else sporadic
    code = np.where(mostly, np.where(strengthening, 3, np.where(weakening, 5, 4)), code)
    code = np.where((final_run >= 2) & (final_run == count) & ~mostly, 2, code)
    code = np.where(count == 1, 1, code)
    result: Ints = code.astype(np.int64)
    return result
