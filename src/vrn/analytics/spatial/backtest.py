"""Rolling-origin evaluation of the forecasting methods: hit rate and PAI by area coverage.

For each test month a method is given only the earlier months, its cells are ranked by
score (ties in a seeded random order, :func:`rank_cells`), cells are flagged down the
ranking while the flagged area stays within the coverage share of the total area
(:func:`flag_cells`), and the month's crimes in the flagged cells are counted.
docs/statistics/forecasting.md describes the measures and the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from vrn.analytics.spatial.forecast import (
    Floats,
    check_cells,
    check_counts,
    check_months,
    forecast,
    get_method,
    month_index,
)

Ints = np.ndarray[Any, np.dtype[np.intp]]

DEFAULT_COVERAGES = (0.01, 0.02, 0.05, 0.10)

#: Scores equal to this many significant digits (relative to the largest) are ties, so
#: rounding noise in a sum cannot order cells that are equal in exact arithmetic.
TIE_DIGITS = 12

ROW_COLUMNS = (
    "method",
    "test_month",
    "coverage",
    "crimes",
    "flagged_cells",
    "area_share",
    "hits",
    "hit_rate",
    "pai",
)


def rank_cells(scores: ArrayLike, seed: int) -> Ints:
    """Cells from highest to lowest score; ties in a random order drawn from ``seed``.

    Every method is ranked by this one function, so none gains from the order of the cells.
    Scores equal to :data:`TIE_DIGITS` significant digits of the largest are ties.

    >>> rank_cells([1.0, 3.0, 1.0, 0.0], seed=0).tolist()[:1]
    [1]
    """
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError("scores must be 1-D (one per cell)")
    if not np.all(np.isfinite(values)):
        raise ValueError("scores must be finite (no NaN or infinity)")
    scale = float(np.max(np.abs(values))) if values.size else 0.0
    key = np.round(values / scale, TIE_DIGITS) if scale > 0 else np.zeros_like(values)
    tie_break = np.random.default_rng(seed).permutation(values.size)
    return np.lexsort((tie_break, -key)).astype(np.intp)


@dataclass(frozen=True)
class Flagged:
    """The cells flagged at one coverage: their indices in rank order and the share of the
    total area they cover (the share PAI divides by)."""

    cells: Ints
    area_share: float


def flag_cells(order: ArrayLike, area_km2: ArrayLike, coverage: float) -> Flagged:
    """Take cells down ``order`` while their cumulative area is at most ``coverage`` of the
    total area (to a relative 1e-9, for rounding). The first cell that would go over the
    line, and every cell after it, is not taken, even if a smaller one further down would
    fit; if the first cell alone is over the line nothing is flagged.

    >>> flag_cells([0, 1, 2], [1.0, 1.0, 2.0], 0.5).cells.tolist()
    [0, 1]
    """
    ranked = np.asarray(order, dtype=np.intp)
    area = np.asarray(area_km2, dtype=np.float64)
    if not 0 < coverage <= 1:
        raise ValueError(f"coverage must be in (0, 1], not {coverage!r}")
    total = float(area.sum())
    cumulative = np.cumsum(area[ranked])
    taken = int(np.searchsorted(cumulative, coverage * total * (1 + 1e-9), side="right"))
    share = float(cumulative[taken - 1]) / total if taken else 0.0
    return Flagged(ranked[:taken], share)


def _check_area(area_km2: ArrayLike, n_cells: int) -> Floats:
    area = check_cells(area_km2, n_cells, "area_km2")
    if np.any(area <= 0):
        raise ValueError("area_km2 must be positive for every cell")
    return area


def evaluate_month(
    scores: ArrayLike,
    actual: ArrayLike,
    area_km2: ArrayLike,
    coverages: Sequence[float] = DEFAULT_COVERAGES,
    seed: int = 0,
) -> pd.DataFrame:
    """Hit rate and PAI of one month's scores against its actual counts, per coverage.

    hit rate = crimes in the flagged cells / all the month's crimes; PAI = hit rate / the
    share of the total area actually flagged. Both are NaN for a month with no crimes, and
    PAI when nothing could be flagged.
    """
    observed = np.asarray(actual, dtype=np.float64)
    area = _check_area(area_km2, observed.size)
    order = rank_cells(scores, seed)
    if order.size != observed.size:
        raise ValueError("scores and actual must have one value per cell")
    crimes = float(observed.sum())
    rows = []
    for coverage in coverages:
        flagged = flag_cells(order, area, coverage)
        hits = float(observed[flagged.cells].sum())
        hit_rate = hits / crimes if crimes > 0 else np.nan
        rows.append(
            {
                "coverage": float(coverage),
                "crimes": crimes,
                "flagged_cells": int(flagged.cells.size),
                "area_share": flagged.area_share,
                "hits": hits,
                "hit_rate": hit_rate,
                "pai": hit_rate / flagged.area_share if flagged.area_share > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class BacktestTable:
    """Tidy backtest results: one row per method, test month and coverage (and grid offset,
    from :func:`grid_offset_sensitivity`), columns :data:`ROW_COLUMNS`."""

    rows: pd.DataFrame

    @classmethod
    def combine(cls, tables: Iterable[BacktestTable]) -> BacktestTable:
        """Several tables (for example one per method) as one."""
        return cls(pd.concat([t.rows for t in tables], ignore_index=True))

    def summary(self, by: Sequence[str] = ("method", "coverage")) -> pd.DataFrame:
        """Mean, min, max and standard deviation (ddof 1) of hit rate and PAI across the
        other rows of each group (test months, and offsets if any), with the months' crimes.
        Groups keep the order they first appear in."""
        grouped = self.rows.groupby(list(by), sort=False)
        measures = grouped[["hit_rate", "pai"]].agg(["mean", "min", "max", "std"])
        measures.columns = [f"{measure}_{stat}" for measure, stat in measures.columns]
        counts = grouped.agg(
            test_months=("test_month", "nunique"),
            crimes_mean=("crimes", "mean"),
            area_share_mean=("area_share", "mean"),
        )
        return counts.join(measures).reset_index()

    def offset_summary(self) -> pd.DataFrame:
        """For :func:`grid_offset_sensitivity`: each offset's mean over test months, then the
        mean, min, max and standard deviation of those means across offsets."""
        if "offset_x" not in self.rows:
            raise ValueError("these rows have no grid offsets")
        per_offset = self.summary(("method", "offset_x", "offset_y", "coverage"))
        grouped = per_offset.groupby(["method", "coverage"], sort=False)
        across = grouped[["hit_rate_mean", "pai_mean"]].agg(["mean", "min", "max", "std"])
        across.columns = [f"{measure}_{stat}" for measure, stat in across.columns]
        offsets = grouped.size().rename("offsets")
        return pd.concat([offsets, across], axis=1).reset_index()

    def to_markdown(self, digits: int = 2) -> str:
        """Method x coverage; each cell: mean hit rate, mean PAI [min-max PAI] over the test
        months (and offsets)."""
        summary = self.summary()
        methods = list(dict.fromkeys(summary["method"]))
        coverages = list(dict.fromkeys(summary["coverage"]))
        header = ["Method", *[f"{_percent(c)} of area" for c in coverages]]
        lines = [
            "| " + " | ".join(header) + " |",
            "| " + " | ".join(["---"] * len(header)) + " |",
        ]
        for method in methods:
            cells = [method]
            for coverage in coverages:
                row = summary[(summary["method"] == method) & (summary["coverage"] == coverage)]
                cells.append(_cell_text(row.iloc[0], digits) if len(row) else "")
            lines.append("| " + " | ".join(cells) + " |")
        n_months = int(self.rows["test_month"].nunique())
        lines.append("")
        lines.append(
            f"Each cell: mean hit rate, mean PAI [lowest-highest PAI] over {n_months} test "
            f"month{'s' if n_months != 1 else ''}."
        )
        return "\n".join(lines)


def _percent(share: float) -> str:
    return f"{100 * share:.3g}%"


def _cell_text(row: pd.Series, digits: int) -> str:
    return (
        f"{100 * row['hit_rate_mean']:.1f}%, {row['pai_mean']:.{digits}f} "
        f"[{row['pai_min']:.{digits}f}-{row['pai_max']:.{digits}f}]"
    )


def rolling_origin(
    method: str | None,
    counts: ArrayLike,
    centre_x: ArrayLike,
    centre_y: ArrayLike,
    area_km2: ArrayLike,
    months: Sequence[str],
    test_months: Sequence[str],
    coverages: Sequence[float] = DEFAULT_COVERAGES,
    seed: int = 0,
    label: str | None = None,
    **params: Any,
) -> BacktestTable:
    """Forecast each test month from the months before it only, and score the forecast.

    The ties of test month number ``k`` (0, 1, ...) are broken by the random order drawn
    from ``(seed, k)``, the same for every method. ``label`` names the method in the table
    (default: its registered name).
    """
    array = check_counts(counts)
    indices = check_months(months, array.shape[1])
    area = _check_area(area_km2, array.shape[0])
    if not test_months:
        raise ValueError("test_months is empty")
    name = label if label is not None else get_method(method).name
    frames = []
    for k, test_month in enumerate(test_months):
        column = month_index(test_month) - indices[0] if indices else -1
        if not 0 <= column < array.shape[1]:
            raise ValueError(f"test month {test_month!r} is not among the months of counts")
        scores = forecast(method, array, centre_x, centre_y, months, test_month, **params)
        frame = evaluate_month(scores, array[:, column], area, coverages, seed=tie_seed(seed, k))
        frame.insert(0, "test_month", test_month)
        frame.insert(0, "method", name)
        frames.append(frame)
    return BacktestTable(pd.concat(frames, ignore_index=True)[list(ROW_COLUMNS)])


def tie_seed(seed: int, k: int) -> int:
    """The tie-breaking seed of test month number ``k`` (0, 1, ...) of a backtest run with
    ``seed``."""
    return int(np.random.SeedSequence([seed, k]).generate_state(1)[0])


GridArrays = tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike]
GridBuilder = Callable[[tuple[float, float]], GridArrays]


def grid_offset_sensitivity(
    build: GridBuilder,
    offsets: Sequence[tuple[float, float]],
    method: str | None,
    months: Sequence[str],
    test_months: Sequence[str],
    coverages: Sequence[float] = DEFAULT_COVERAGES,
    seed: int = 0,
    label: str | None = None,
    **params: Any,
) -> BacktestTable:
    """The backtest repeated on grids shifted by each offset (metres).

    ``build(offset)`` returns ``(counts, centre_x, centre_y, area_km2)`` for the grid
    shifted by ``offset``; for a grid of cell size ``s`` the usual offsets are ``(0, 0)``,
    ``(s/2, 0)``, ``(0, s/2)`` and ``(s/2, s/2)``. The rows carry ``offset_x`` and
    ``offset_y``; :meth:`BacktestTable.offset_summary` gives the spread across offsets.
    """
    if not offsets:
        raise ValueError("offsets is empty")
    tables = []
    for dx, dy in offsets:
        counts, centre_x, centre_y, area_km2 = build((float(dx), float(dy)))
        table = rolling_origin(
            method,
            counts,
            centre_x,
            centre_y,
            area_km2,
            months,
            test_months,
            coverages,
            seed,
            label,
            **params,
        )
        rows = table.rows.copy()
        rows.insert(1, "offset_x", float(dx))
        rows.insert(2, "offset_y", float(dy))
        tables.append(BacktestTable(rows))
    return BacktestTable.combine(tables)
