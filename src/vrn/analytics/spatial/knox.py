"""The Knox test for near repeats, as in Ratcliffe's Near Repeat Calculator.

Every pair of events is counted in a cell of (distance apart, time apart) bands. The
expected count of each cell is the mean over Monte Carlo permutations of the event times
among the events, places held fixed (Johnson and Bowers 2004; Johnson et al. 2007); the
Knox ratio is observed / expected, and the pseudo p-value is
``(1 + permutations with a count >= observed) / (iterations + 1)``.
docs/statistics/near-repeat-and-cardiff.md explains the bands and how they map to the
Near Repeat Calculator's labels.

Bands are half-open, ``[lower, upper)``: a pair 200 m apart is in "200 m to under 300 m";
time differences are whole days (or months), so "1 to 7 days" is ``[1, 8)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

Seed = int | np.random.Generator
TimeUnit = Literal["day", "month"]
IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Distance bands in metres: 0, 100, ..., 500 (with "same location" before them).
DEFAULT_SPACE_EDGES: tuple[float, ...] = (0, 100, 200, 300, 400, 500)
#: Time bands in days: same day, 1 to 7, 8 to 14, 15 to 21, 22 to 28 days.
DEFAULT_DAY_EDGES: tuple[int, ...] = (0, 1, 8, 15, 22, 29)
#: Time bands in months: same month, 1 month, 2 months.
DEFAULT_MONTH_EDGES: tuple[int, ...] = (0, 1, 2, 3)
DEFAULT_ITERATIONS = 999

STATISTICS = ("observed", "expected", "exact_expected", "ratio", "p_value")

_MONTH_CAVEAT = (
    "These events are dated to the month only (as data.police.uk publishes them), so the "
    "time bands cannot resolve the days-to-weeks window in which near repeats happen: "
    "pairs in the same month mix true near repeats with coincidence, and a month apart can "
    "be 1 day or 59 days. Treat the same-month column as an upper bound on near-repeat "
    "activity, not a measure of it. The points are also snapped to anonymous map points "
    "(the centre of a street or a public place), so many unrelated events share one exact "
    "location and distances are only approximate below a few hundred metres."
)


def month_resolution_caveat(time_unit: str) -> str | None:
    """What month-dated data cannot show; ``None`` for day-dated data.

    Examples
    --------
    >>> month_resolution_caveat("day") is None
    True
    >>> month_resolution_caveat("month").startswith("These events are dated to the month")
    True
    """
    return _MONTH_CAVEAT if _time_unit(time_unit) == "month" else None


@dataclass(frozen=True)
class KnoxResult:
    """The result of :func:`knox_test`.

    Arrays are indexed ``[space band, time band]``; the last row and the last column are
    the "beyond" bands (at least the largest edge apart).

    Attributes
    ----------
    space_labels, time_labels : tuple of str
        Band labels, "beyond" bands last.
    observed : numpy.ndarray of int
        Pairs of events in each cell.
    expected : numpy.ndarray of float
        Mean count over the permutations (the Near Repeat Calculator's expected value).
    exact_expected : numpy.ndarray of float
        The exact mean over all permutations, ``pairs in the space band * pairs in the
        time band / all pairs``; the Monte Carlo ``expected`` estimates it.
    ratio : numpy.ndarray of float
        Knox ratio ``observed / expected`` (NaN where expected is 0).
    p_value : numpy.ndarray of float
        Pseudo p-value ``(1 + permutations with count >= observed) / (iterations + 1)``.
    iterations : int
        Number of permutations.
    n_events, n_pairs : int
        Events, and pairs of events (``n (n - 1) / 2``).
    time_unit : str
        ``"day"`` or ``"month"``.
    caveat : str or None
        :func:`month_resolution_caveat` for month-dated data.
    """

    space_labels: tuple[str, ...]
    time_labels: tuple[str, ...]
    observed: IntArray
    expected: FloatArray
    exact_expected: FloatArray
    ratio: FloatArray
    p_value: FloatArray
    iterations: int
    n_events: int
    n_pairs: int
    time_unit: str
    caveat: str | None

    @property
    def p_value_resolution(self) -> float:
        """The step of the pseudo p-values, ``1 / (iterations + 1)``, also the smallest."""
        return 1 / (self.iterations + 1)

    @property
    def resolution_note(self) -> str:
        """The p-value resolution in words."""
        step = self.p_value_resolution
        return (
            f"Pseudo p-values from {self.iterations} permutations move in steps of "
            f"1/{self.iterations + 1} = {step:.3g}; none can be below {step:.3g}."
        )

    @property
    def significant_05(self) -> NDArray[np.bool_]:
        """Cells with ``p <= 0.05``."""
        return np.asarray(self.p_value <= 0.05)

    @property
    def significant_01(self) -> NDArray[np.bool_]:
        """Cells with ``p <= 0.01``."""
        return np.asarray(self.p_value <= 0.01)

    def table(self, statistic: str = "ratio") -> pd.DataFrame:
        """One statistic as a table: rows distance bands, columns time bands.

        ``statistic`` is one of ``observed``, ``expected``, ``exact_expected``, ``ratio``,
        ``p_value``.
        """
        if statistic not in STATISTICS:
            raise ValueError(f"statistic: expected one of {STATISTICS}, not {statistic!r}")
        values = getattr(self, statistic)
        return self._frame(values)

    def ratio_table(self, decimals: int = 2) -> pd.DataFrame:
        """Knox ratios as text, marked like the Near Repeat Calculator's table.

        ``*`` marks ``p <= 0.05`` and ``**`` marks ``p <= 0.01``; ``-`` an undefined ratio.
        """
        marks = np.where(self.significant_01, "**", np.where(self.significant_05, "*", ""))
        text = [
            [
                "-" if np.isnan(ratio) else f"{ratio:.{decimals}f}{mark}"
                for ratio, mark in zip(row_ratio, row_mark, strict=True)
            ]
            for row_ratio, row_mark in zip(self.ratio, marks, strict=True)
        ]
        return self._frame(np.array(text, dtype=object))

    def _frame(self, values: NDArray[Any]) -> pd.DataFrame:
        frame = pd.DataFrame(
            values,
            index=pd.Index(self.space_labels, name="distance apart"),
            columns=pd.Index(self.time_labels, name="time apart"),
        )
        return frame


def knox_test(
    x: ArrayLike,
    y: ArrayLike,
    t: ArrayLike,
    *,
    space_edges: Sequence[float] = DEFAULT_SPACE_EDGES,
    time_edges: Sequence[int] | None = None,
    same_location: bool = True,
    time_unit: TimeUnit = "day",
    iterations: int = DEFAULT_ITERATIONS,
    seed: Seed = 0,
) -> KnoxResult:
    """The Knox test for near repeats, with Monte Carlo expected counts.

    Parameters
    ----------
    x, y : array_like
        Event coordinates in metres (British National Grid).
    t : array_like
        Event times as whole numbers of ``time_unit`` (days or months since any origin),
        or dates (numpy, pandas or ``datetime.date``; converted to whole days or months).
    space_edges : sequence of float, default (0, 100, 200, 300, 400, 500)
        Distance band edges in metres, from 0, increasing: bands ``[e0, e1)``, ... and
        "beyond" ``[e_last, inf)``.
    time_edges : sequence of int, optional
        Time band edges in ``time_unit``, from 0, increasing; bands as for distance.
        Default (0, 1, 8, 15, 22, 29) days or (0, 1, 2, 3) months.
    same_location : bool, default True
        Give pairs exactly 0 m apart a band of their own, before the first distance band.
    time_unit : {"day", "month"}
        The unit of ``t``, carried into the labels.
    iterations : int, default 999
        Permutations; p-values move in steps of ``1 / (iterations + 1)``.
    seed : int or numpy.random.Generator, default 0
        The same seed gives the same result.

    Returns
    -------
    KnoxResult

    Examples
    --------
    >>> result = knox_test([0, 50, 5000], [0, 0, 0], [0, 3, 3], space_edges=[0, 100],
    ...                    time_edges=[0, 1, 8], iterations=99)
    >>> result.space_labels
    ('same location', 'over 0 m to under 100 m', '100 m or more')
    >>> result.time_labels
    ('same day', '1 to 7 days', '8 days or more')
    >>> result.observed.tolist()
    [[0, 0, 0], [0, 1, 0], [1, 1, 0]]
    """
    unit = _time_unit(time_unit)
    xs, ys, ts = _events(x, y, t, unit)
    s_edges = _edges(space_edges, "space_edges", integer=False)
    default_edges = DEFAULT_DAY_EDGES if unit == "day" else DEFAULT_MONTH_EDGES
    t_edges = _edges(default_edges if time_edges is None else time_edges, "time_edges", True)
    if isinstance(iterations, bool) or not isinstance(iterations, int | np.integer):
        raise ValueError(f"iterations: expected a whole number, not {iterations!r}")
    if iterations < 1:
        raise ValueError(f"iterations: expected at least 1, not {iterations}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer | np.random.Generator):
        raise ValueError(f"seed: expected an integer or a numpy Generator, not {seed!r}")

    n = len(xs)
    all_pairs = n * (n - 1) // 2
    first, second, space_band = _close_pairs(xs, ys, s_edges, same_location)
    n_near = len(s_edges) - 1 + int(same_location)
    n_time = len(t_edges)
    time_band = _time_lookup(t_edges)
    top = int(t_edges[-1])
    space_offset = space_band * n_time
    time_totals = _pairs_by_time_band(ts, t_edges, all_pairs)

    def counts(times: IntArray) -> IntArray:
        apart = np.abs(times[first] - times[second])
        np.minimum(apart, top, out=apart)
        near = np.bincount(space_offset + time_band[apart], minlength=n_near * n_time)
        return _with_beyond(near.reshape(n_near, n_time), time_totals)

    observed = counts(ts)
    space_totals = observed.sum(axis=1)
    exact_expected = np.outer(space_totals, time_totals) / all_pairs

    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    total = np.zeros(observed.shape, dtype=np.float64)
    at_least = np.zeros(observed.shape, dtype=np.int64)
    for _ in range(int(iterations)):
        permuted = counts(ts[rng.permutation(n)])
        total += permuted
        at_least += permuted >= observed
    expected = total / iterations
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)

    return KnoxResult(
        space_labels=_space_labels(s_edges, same_location),
        time_labels=_time_labels(t_edges, unit),
        observed=observed,
        expected=expected,
        exact_expected=exact_expected,
        ratio=ratio,
        p_value=(1 + at_least) / (iterations + 1),
        iterations=int(iterations),
        n_events=n,
        n_pairs=all_pairs,
        time_unit=unit,
        caveat=month_resolution_caveat(unit),
    )


# --- helpers -------------------------------------------------------------------------------


def _time_unit(time_unit: str) -> TimeUnit:
    if time_unit == "day":
        return "day"
    if time_unit == "month":
        return "month"
    raise ValueError(f"time_unit: expected 'day' or 'month', not {time_unit!r}")


def _events(
    x: ArrayLike, y: ArrayLike, t: ArrayLike, unit: TimeUnit
) -> tuple[FloatArray, FloatArray, IntArray]:
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    ts = _whole_times(t, unit)
    if not len(xs) == len(ys) == len(ts):
        raise ValueError(f"x, y, t: expected equal lengths, not {len(xs)}, {len(ys)} and {len(ts)}")
    if len(xs) < 2:
        raise ValueError(f"x: at least 2 events are needed, not {len(xs)}")
    for name, values in (("x", xs), ("y", ys)):
        bad = ~np.isfinite(values)
        if bad.any():
            raise ValueError(f"{name}: missing or infinite value at position {np.argmax(bad)}")
    return xs, ys, ts


def _whole_times(t: ArrayLike, unit: TimeUnit) -> IntArray:
    values = t.to_numpy() if isinstance(t, pd.Series | pd.Index) else np.asarray(t)
    values = values.ravel()
    if values.dtype == object and len(values) and isinstance(values[0], date):
        values = pd.to_datetime(pd.Series(values)).to_numpy()
    if np.issubdtype(values.dtype, np.datetime64):
        if np.isnat(values).any():
            raise ValueError(f"t: missing date at position {np.argmax(np.isnat(values))}")
        step = "D" if unit == "day" else "M"
        return values.astype(f"datetime64[{step}]").astype(np.int64)
    try:
        numbers = values.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError("t: expected whole numbers of days or months, or dates") from None
    bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
    if bad.any():
        raise ValueError(
            f"t: expected whole numbers of {unit}s; position {np.argmax(bad)} holds "
            f"{values[np.argmax(bad)]!r}"
        )
    return numbers.astype(np.int64)


def _edges(edges: Sequence[float], name: str, integer: bool) -> FloatArray:
    values = np.asarray(edges, dtype=np.float64)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"{name}: expected at least two edges, such as [0, 100]")
    if values[0] != 0 or not np.all(np.isfinite(values)) or not np.all(np.diff(values) > 0):
        raise ValueError(f"{name}: expected finite edges rising from 0, not {list(edges)!r}")
    if integer and np.any(values != np.round(values)):
        raise ValueError(f"{name}: time edges are whole numbers, not {list(edges)!r}")
    return values


def _close_pairs(
    xs: FloatArray, ys: FloatArray, edges: FloatArray, same_location: bool
) -> tuple[IntArray, IntArray, IntArray]:
    """Pairs (i < j) closer than the last edge, and the distance band of each."""
    points = np.column_stack([xs, ys])
    tree = cKDTree(points)
    pairs = tree.query_pairs(r=float(edges[-1]), output_type="ndarray").astype(np.int64)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]  # in order: faster gathers
    first, second = pairs[:, 0], pairs[:, 1]
    distance = np.hypot(xs[first] - xs[second], ys[first] - ys[second])
    keep = distance < edges[-1]
    first, second, distance = first[keep], second[keep], distance[keep]
    band = np.searchsorted(edges, distance, side="right") - 1
    if same_location:
        band = np.where(distance == 0, 0, band + 1)
    return first, second, band.astype(np.int64)


def _time_lookup(edges: FloatArray) -> IntArray:
    """Time band of each whole time difference 0 .. last edge (the last is "beyond")."""
    differences = np.arange(int(edges[-1]) + 1)
    return (np.searchsorted(edges, differences, side="right") - 1).astype(np.int64)


def _pairs_by_time_band(times: IntArray, edges: FloatArray, all_pairs: int) -> IntArray:
    """Pairs of events in each time band, beyond included: fixed under permutation."""
    ordered = np.sort(times)
    positions = np.arange(len(ordered))
    closer = [0]
    for edge in edges[1:]:
        after = np.searchsorted(ordered, ordered + int(edge), side="left")
        closer.append(int((after - positions - 1).sum()))
    closer.append(all_pairs)
    return np.asarray(np.diff(np.asarray(closer, dtype=np.int64)), dtype=np.int64)


def _with_beyond(near: IntArray, time_totals: IntArray) -> IntArray:
    """Add the "beyond" distance row: all pairs in each time band minus the near ones."""
    return np.vstack([near, time_totals - near.sum(axis=0)])


def _number(value: float) -> str:
    return f"{value:,.10g}"


def _space_labels(edges: FloatArray, same_location: bool) -> tuple[str, ...]:
    labels = ["same location"] if same_location else []
    for position, (lower, upper) in enumerate(pairwise(edges)):
        start = "over 0 m" if same_location and position == 0 else f"{_number(lower)} m"
        labels.append(f"{start} to under {_number(upper)} m")
    labels.append(f"{_number(edges[-1])} m or more")
    return tuple(labels)


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" + ("" if number == 1 else "s")


def _time_labels(edges: FloatArray, unit: TimeUnit) -> tuple[str, ...]:
    labels = []
    for lower_edge, upper_edge in pairwise(edges):
        lower, last = int(lower_edge), int(upper_edge) - 1
        if lower == last == 0:
            labels.append(f"same {unit}")
        elif lower == last:
            labels.append(_count(lower, unit))
        else:
            labels.append(f"{lower} to {last} {unit}s")
    labels.append(f"{_count(int(edges[-1]), unit)} or more")
    return tuple(labels)
