"""Audit and secondary suppression of a two-way table of counts published with its totals.

The table is held *bordered*: an ``(n + 1) x (m + 1)`` integer array whose first ``n`` rows
and ``m`` columns are the cells, whose last column holds the row totals, whose last row
holds the column totals and whose corner holds the grand total. Every row of the bordered
array (the margin row included) satisfies ``sum(row[:m]) == row[m]`` and every column
``sum(col[:n]) == col[n]``: these ``n + m + 2`` *lines* are what an intruder can use.

An intruder who sees the published entries knows the value of every entry not suppressed,
that every line adds up, and a lower bound on every suppressed entry (0, or 1 when zeros
are always published, since then a suppressed entry cannot be 0). The *feasible range* of
a suppressed entry is the interval between its minimum and maximum over everything
consistent with that knowledge, found by linear programming. The constraint matrix of a
bordered table is the node-arc incidence matrix of a network (source, rows, columns,
sink), so it is totally unimodular: both ends of every range are integers attained by
integer tables, and every integer in between is attained too. A range of width ``w``
therefore leaves the intruder ``w + 1`` possible whole-number values.

*Hidden* entries are totals that are not published at all (for example row totals of a
one-column table, which would only repeat the cells): they are unknowns of the model
with lower bound 0, and they need no protection themselves.

References: Cox (1980, 1995), Fischetti and Salazar-González (1999); see
``docs/statistics/disclosure.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linprog

__all__ = ["bordered", "feasible_ranges", "secondary_suppression"]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
Entry = tuple[int, int]

#: Slack for comparing the floating-point optima of the linear programs with whole numbers.
_TOLERANCE = 1e-6


def bordered(cells: ArrayLike) -> IntArray:
    """Cells with their row totals appended as a last column and column totals as a last row.

    Parameters
    ----------
    cells : array_like of int, shape (n, m)
        The cells of the two-way table.

    Returns
    -------
    numpy.ndarray of int64, shape (n + 1, m + 1)
        The bordered table; the corner is the grand total.

    Examples
    --------
    >>> bordered([[1, 2], [3, 4]]).tolist()
    [[1, 2, 3], [3, 4, 7], [4, 6, 10]]
    """
    inner = np.asarray(cells, dtype=np.int64)
    if inner.ndim != 2:
        raise ValueError(f"cells must be a two-dimensional array, not {inner.ndim}-dimensional")
    n, m = inner.shape
    out = np.zeros((n + 1, m + 1), dtype=np.int64)
    out[:n, :m] = inner
    out[:n, m] = inner.sum(axis=1)
    out[n, :m] = inner.sum(axis=0)
    out[n, m] = inner.sum()
    return out


def _lines(shape: tuple[int, int]) -> Iterator[tuple[list[Entry], Entry, bool]]:
    """Every line of a bordered table: its parts, the total they add up to, whether a row."""
    rows, cols = shape
    n, m = rows - 1, cols - 1
    for r in range(rows):
        yield [(r, j) for j in range(m)], (r, m), True
    for c in range(cols):
        yield [(i, c) for i in range(n)], (n, c), False


class _Model:
    """The intruder's linear system for one bordered table and one set of unknown entries."""

    def __init__(self, values: IntArray, unknown: BoolArray, lower: IntArray) -> None:
        self.index = {(int(r), int(c)): k for k, (r, c) in enumerate(np.argwhere(unknown))}
        rows: list[FloatArray] = []
        rhs: list[float] = []
        for parts, total, _ in _lines(values.shape):
            signed = [(entry, 1.0) for entry in parts] + [(total, -1.0)]
            if not any(entry in self.index for entry, _ in signed):
                continue
            row = np.zeros(len(self.index))
            known = 0.0
            for entry, sign in signed:
                if entry in self.index:
                    row[self.index[entry]] = sign
                else:
                    known += sign * float(values[entry])
            rows.append(row)
            rhs.append(-known)
        self.a_eq = np.array(rows).reshape(len(rows), len(self.index))
        self.b_eq = np.array(rhs)
        self.bounds = [(float(lower[entry]), None) for entry in self.index]

    def optimum(self, entry: Entry, sense: float) -> tuple[float, FloatArray | None]:
        """The least (``sense=1``) or greatest (``sense=-1``) value of one unknown entry.

        Returns the optimum and the optimal point (all unknowns in model order), or
        ``(inf, None)`` when the entry is unbounded above.
        """
        objective = np.zeros(len(self.index))
        objective[self.index[entry]] = sense
        result = linprog(
            objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds, method="highs"
        )
        if result.status == 3:  # unbounded: only possible when maximising
            return np.inf, None
        if result.status != 0:  # the true table is always feasible: a bug, not bad input
            raise RuntimeError(f"disclosure audit LP failed: {result.message}")
        # the optimum is a whole number (total unimodularity): drop solver noise from it
        return float(round(sense * result.fun)), np.asarray(result.x, dtype=np.float64)

    def range_of(self, entry: Entry) -> tuple[float, float]:
        """Minimum and maximum of one unknown entry over the intruder's feasible set."""
        return self.optimum(entry, 1.0)[0], self.optimum(entry, -1.0)[0]


def _prepare(
    values: ArrayLike, suppressed: ArrayLike, hidden: ArrayLike | None, zeros_published: bool
) -> tuple[IntArray, BoolArray, BoolArray, IntArray]:
    """Check the arrays agree and return them with the intruder's lower bounds."""
    vals = np.asarray(values, dtype=np.int64)
    supp = np.asarray(suppressed, dtype=np.bool_)
    hid = np.zeros(vals.shape, dtype=np.bool_) if hidden is None else np.asarray(hidden, bool)
    if vals.ndim != 2 or min(vals.shape) < 2:
        raise ValueError(f"a bordered table has at least 2 x 2 entries, not shape {vals.shape}")
    for name, array in (("suppressed", supp), ("hidden", hid)):
        if array.shape != vals.shape:
            raise ValueError(f"{name} has shape {array.shape} but the table {vals.shape}")
    if (vals < 0).any():
        raise ValueError("a table of counts cannot hold negative values")
    n, m = vals.shape[0] - 1, vals.shape[1] - 1
    if not (
        np.array_equal(vals[:n, m], vals[:n, :m].sum(axis=1))
        and np.array_equal(vals[n, :], vals[:n, :].sum(axis=0))
    ):
        raise ValueError("the totals of the bordered table do not add up")
    if zeros_published and (supp & ~hid & (vals == 0)).any():
        raise ValueError("a zero is suppressed, but zeros_published says zeros are always shown")
    lower = np.where(hid | ~np.bool_(zeros_published), 0, 1).astype(np.int64)
    return vals, supp & ~hid, hid, lower


def feasible_ranges(
    values: ArrayLike,
    suppressed: ArrayLike,
    *,
    hidden: ArrayLike | None = None,
    zeros_published: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """What an intruder can work out about each suppressed entry of a bordered table.

    Parameters
    ----------
    values : array_like of int, shape (n + 1, m + 1)
        The true bordered table (see :func:`bordered`).
    suppressed : array_like of bool, same shape
        Entries published as a symbol instead of their value.
    hidden : array_like of bool, same shape, optional
        Totals not published at all: unknowns of the model that need no protection.
    zeros_published : bool, default True
        Whether zeros are always shown, so that the intruder knows every suppressed entry
        is at least 1. Otherwise the only lower bound is 0.

    Returns
    -------
    (low, high) : tuple of numpy.ndarray of float, same shape
        The least and greatest value of each suppressed entry consistent with the
        published table (``inf`` when unbounded); NaN for published or hidden entries.

    Examples
    --------
    With one cell and its neighbour suppressed, the column total gives the cell away;
    suppressing a rectangle of four cells leaves it anywhere from 1 to 2.

    >>> table = bordered([[1, 2], [5, 6]])
    >>> low, high = feasible_ranges(table, [[1, 1, 0], [0, 0, 0], [0, 0, 0]])
    >>> float(low[0, 0]), float(high[0, 0])
    (1.0, 1.0)
    >>> low, high = feasible_ranges(table, [[1, 1, 0], [1, 1, 0], [0, 0, 0]])
    >>> float(low[0, 0]), float(high[0, 0])
    (1.0, 2.0)
    """
    vals, supp, hid, lower = _prepare(values, suppressed, hidden, zeros_published)
    model = _Model(vals, supp | hid, lower)
    low = np.full(vals.shape, np.nan)
    high = np.full(vals.shape, np.nan)
    for r, c in np.argwhere(supp):
        low[r, c], high[r, c] = model.range_of((int(r), int(c)))
    return low, high


def _first_exposed(
    vals: IntArray, supp: BoolArray, hid: BoolArray, lower: IntArray, protection: int
) -> Entry | None:
    """The first suppressed entry whose feasible range is narrower than ``protection``.

    Every optimal point found is a feasible table, and so is the true one: an entry whose
    value in any point found differs from its true value by ``protection`` or more is
    protected already, which spares most of the linear programs.
    """
    model = _Model(vals, supp | hid, lower)
    true = np.array([vals[entry] for entry in model.index], dtype=float)
    protected = np.zeros(len(true), dtype=np.bool_)
    for r, c in np.argwhere(supp):
        entry = (int(r), int(c))
        k = model.index[entry]
        ends: list[float] = []
        for sense in (-1.0, 1.0):
            if protected[k]:
                break
            value, point = model.optimum(entry, sense)
            ends.append(value)
            if point is None:
                protected[k] = True
            else:
                protected |= np.abs(point - true) >= protection - _TOLERANCE
        if not protected[k] and ends[0] - ends[1] < protection - _TOLERANCE:
            return entry
    return None


def _width(vals: IntArray, supp: BoolArray, hid: BoolArray, lower: IntArray, entry: Entry) -> float:
    low, high = _Model(vals, supp | hid, lower).range_of(entry)
    return high - low


def _close_lines(vals: IntArray, supp: BoolArray, hid: BoolArray, eligible: BoolArray) -> None:
    """Suppress, in place, until no line has a single unknown entry that is suppressed.

    A line whose only unknown is a suppressed entry gives that entry away by subtraction.
    The complement chosen is the smallest eligible entry of the line, cells before totals,
    preferring one whose crossing line already has an unknown (so no new line is opened).
    """
    rows, cols = vals.shape
    n, m = rows - 1, cols - 1
    changed = True
    while changed:
        changed = False
        for parts, total, along_row in _lines(vals.shape):
            line = [*parts, total]
            unknown = [e for e in line if supp[e] or hid[e]]
            if len(unknown) != 1 or not supp[unknown[0]]:
                continue
            candidates = [e for e in line if eligible[e] and not supp[e]]
            if not candidates:
                continue  # nothing left to add on this line; the LP audit decides

            def key(e: Entry, along_row: bool = along_row) -> tuple[bool, int, bool, Entry]:
                crossing = (supp | hid)[:, e[1]] if along_row else (supp | hid)[e[0], :]
                return (e[0] == n or e[1] == m, int(vals[e]), not crossing.any(), e)

            supp[min(candidates, key=key)] = True
            changed = True


def _linked_lines(unknown: BoolArray, entry: Entry) -> tuple[set[int], set[int]]:
    """The rows and columns linked to ``entry`` through chains of unknown entries.

    Each unknown appears only in its row's and its column's equation, so the intruder's
    system splits into independent parts, one per connected set of lines; an entry's
    range depends only on its own part.
    """
    rows, cols = {entry[0]}, {entry[1]}
    frontier = [("row", entry[0]), ("col", entry[1])]
    while frontier:
        kind, index = frontier.pop()
        line = unknown[index, :] if kind == "row" else unknown[:, index]
        for other in np.flatnonzero(line):
            other_i = int(other)
            if kind == "row" and other_i not in cols:
                cols.add(other_i)
                frontier.append(("col", other_i))
            elif kind == "col" and other_i not in rows:
                rows.add(other_i)
                frontier.append(("row", other_i))
    return rows, cols


def _repair(
    vals: IntArray,
    supp: BoolArray,
    hid: BoolArray,
    lower: IntArray,
    eligible: BoolArray,
    exposed: Entry,
    protection: int,
) -> Entry:
    """The complementary entry to suppress next for an exposed entry.

    The smallest candidate (cells before totals) whose suppression alone protects the
    exposed entry; failing that, the one that widens its range most; failing that, the
    smallest candidate on the exposed entry's own row or column, or anywhere.
    """
    rows, cols = vals.shape
    n, m = rows - 1, cols - 1

    def cost(e: Entry) -> tuple[bool, int, Entry]:
        return (e[0] == n or e[1] == m, int(vals[e]), e)

    candidates = sorted(((int(r), int(c)) for r, c in np.argwhere(eligible & ~supp)), key=cost)
    if not candidates:  # everything non-zero is suppressed, which always protects
        raise RuntimeError("disclosure audit found an exposed entry in a fully suppressed table")
    rows_linked, cols_linked = _linked_lines(supp | hid, exposed)
    current = _width(vals, supp, hid, lower, exposed)
    best: tuple[float, Entry] | None = None
    for candidate in candidates:
        if candidate[0] not in rows_linked and candidate[1] not in cols_linked:
            continue  # joins no line linked to the exposed entry: cannot change its range
        trial = supp.copy()
        trial[candidate] = True
        width = _width(vals, trial, hid, lower, exposed)
        if width >= protection - _TOLERANCE:
            return candidate
        if width > current + _TOLERANCE and (best is None or width > best[0] + _TOLERANCE):
            best = (width, candidate)
    if best is not None:
        return best[1]
    same_line = [e for e in candidates if e[0] == exposed[0] or e[1] == exposed[1]]
    return (same_line or candidates)[0]


def secondary_suppression(
    values: ArrayLike,
    primary: ArrayLike,
    *,
    hidden: ArrayLike | None = None,
    zeros_published: bool = True,
    protection: int = 1,
) -> BoolArray:
    """Primary suppressions plus the complementary ones that stop totals giving them away.

    First every line with a single suppressed unknown gets a complement (the classic
    "two suppressions per row and column" rule). Then a linear-programming audit checks
    every suppressed entry; while one is exposed (its feasible range narrower than
    ``protection``) another complement is added and the lines are closed again. Adding a
    suppression only widens ranges and suppressing every non-zero entry protects them all,
    so the loop ends, and it ends only when the audit passes.

    Parameters
    ----------
    values : array_like of int, shape (n + 1, m + 1)
        The true bordered table (see :func:`bordered`).
    primary : array_like of bool, same shape
        Entries that must be suppressed (small counts, small totals).
    hidden : array_like of bool, same shape, optional
        Totals not published at all.
    zeros_published : bool, default True
        Zeros are shown, never chosen as complements, and the audit lets the intruder
        know that every suppressed entry is at least 1.
    protection : int, default 1
        The least width of every suppressed entry's feasible range: 1 means no suppressed
        entry can be worked out exactly, ``p`` leaves at least ``p + 1`` possible values.

    Returns
    -------
    numpy.ndarray of bool, same shape
        Every entry to publish as the suppression symbol (never a hidden entry).

    Examples
    --------
    One small cell: its row, its column and the cell opposite are suppressed with it.

    >>> table = bordered([[2, 10, 12], [8, 9, 15], [20, 30, 40]])
    >>> primary = (table > 0) & (table < 5)
    >>> secondary_suppression(table, primary).astype(int).tolist()
    [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    """
    if isinstance(protection, bool) or not isinstance(protection, int) or protection < 1:
        raise ValueError(f"protection must be a whole number of at least 1, not {protection!r}")
    vals, supp, hid, lower = _prepare(values, primary, hidden, zeros_published)
    supp = supp.copy()
    eligible = ~hid & (vals > 0)
    while True:
        _close_lines(vals, supp, hid, eligible)
        exposed = _first_exposed(vals, supp, hid, lower, protection)
        if exposed is None:
            return supp
        supp[_repair(vals, supp, hid, lower, eligible, exposed, protection)] = True
