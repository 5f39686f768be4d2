"""Statistical disclosure control: what a published table of counts may show.

A :class:`DisclosurePolicy` turns a table of true counts into the table that may be
published. Only the *count* columns named by the caller are protected; every other column
(names, codes, rates, confidence limits) is exempt and passes through unchanged, following
the NHS rule that rates and intervals need no disclosure control. The caller's DataFrame is
never altered: :meth:`DisclosurePolicy.apply` works on a copy.

Published count columns have the pandas ``string`` dtype, holding the digits of the
published whole number (``"0"``, ``"15"``) or the suppression symbol (``"*"``). A CSV
download and an HTML table both show these exactly as written, one dtype per column keeps
Parquet and Arrow conversions working (a column mixing ints and ``"*"`` does not convert),
and a string column cannot be summed or averaged by accident, which protects the published
figures from arithmetic that would be wrong on rounded or suppressed values.

Two policies are provided:

* :class:`HesRule`, the default (:data:`DEFAULT_POLICY`): the NHS Hospital Episode
  Statistics rule for sub-national counts.
* :class:`SuppressBelow`: suppress counts below ``k`` and, for a two-way table published
  with its totals, add complementary suppressions audited by linear programming (see
  :mod:`vrn.analytics.stats.disclosure_audit`).

The method, its references and what it does not guarantee are written up in
``docs/statistics/disclosure.md``.
"""

from __future__ import annotations

import abc
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pandas.api import types as ptypes

from vrn.analytics.stats.disclosure_audit import bordered, secondary_suppression

__all__ = ["DEFAULT_POLICY", "DisclosurePolicy", "HesRule", "NationalRows", "SuppressBelow"]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Which rows are national: a boolean column's name, or a boolean mask (a Series on the
#: table's index, or an array or sequence in row order). None means no row is national.
NationalRows: TypeAlias = "str | pd.Series[bool] | NDArray[np.bool_] | Sequence[bool] | None"


class DisclosurePolicy(abc.ABC):
    """A rule for publishing a table of counts without disclosing small numbers.

    Subclasses give a short machine ``name``, a ``description`` fit for a footnote under
    the published table, and :meth:`apply`.
    """

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """A short identifier, for example ``"hes"``."""

    @property
    @abc.abstractmethod
    def description(self) -> str:
        """One or two sentences for a footnote on the published table."""

    @abc.abstractmethod
    def apply(
        self,
        table: pd.DataFrame,
        counts: str | Sequence[str],
        *,
        national: NationalRows = None,
    ) -> pd.DataFrame:
        """The publishable version of ``table``.

        Parameters
        ----------
        table : pandas.DataFrame
            True counts and any exempt columns; not modified.
        counts : str or sequence of str
            The count columns to protect. Every other column passes through unchanged.
        national : str or boolean mask, optional
            National-level rows, for policies that treat them differently.

        Returns
        -------
        pandas.DataFrame
            A new table whose count columns have the ``string`` dtype.

        Raises
        ------
        ValueError
            If a count column is unknown, or holds missing, negative or non-integer values.
        """


@dataclass(frozen=True)
class HesRule(DisclosurePolicy):
    """The NHS Hospital Episode Statistics (HES) small-number rule.

    Sub-national counts from 1 to ``high`` are shown as ``symbol``; all other sub-national
    counts are rounded to the nearest multiple of ``base``; 0 is shown as 0. National rows
    are shown unrounded. Exempt columns (rates, intervals) are untouched: compute them, and
    any totals, from the unrounded counts *before* applying the rule, and list totals among
    the count columns so they are rounded too.

    Rounding: counts are whole numbers, so with an odd ``base`` (5 by default) no count is
    ever half-way between two multiples and "nearest" is unambiguous; a published count is
    within ``base // 2`` (2) of the truth. With an even ``base`` halves are rounded up.

    The rule does not look at totals: an unrounded national row can, with zeros and
    suppressed cells, allow differencing (see ``docs/statistics/disclosure.md``).

    Parameters
    ----------
    high : int, default 7
        The largest count shown as ``symbol``.
    base : int, default 5
        Other sub-national counts are rounded to a multiple of ``base``.
    symbol : str, default "*"
        What a suppressed count is shown as.

    Raises
    ------
    ValueError
        If the parameters are not positive whole numbers, if the smallest count that is
        shown would round to a value the rule suppresses (or to 0), or if ``symbol`` is
        blank or a number.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"area": ["A", "B", "C", "England"], "admissions": [0, 3, 12, 15],
    ...      "rate": [0.0, 1.5, 6.0, 2.5], "national": [False, False, False, True]}
    ... )
    >>> published = HesRule().apply(table, "admissions", national="national")
    >>> published["admissions"].tolist()
    ['0', '*', '10', '15']
    >>> published["rate"].tolist()
    [0.0, 1.5, 6.0, 2.5]
    >>> import textwrap
    >>> print(textwrap.fill(HesRule().description, 88))
    Sub-national counts from 1 to 7 are shown as *; other sub-national counts are rounded to
    the nearest 5; 0 is shown as 0. National figures are not rounded or suppressed; rates
    and intervals are calculated from unrounded counts.
    """

    high: int = 7
    base: int = 5
    symbol: str = "*"

    def __post_init__(self) -> None:
        for field, value in (("high", self.high), ("base", self.base)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{field} must be a whole number of at least 1, not {value!r}")
        smallest_shown = _round_half_up(self.high + 1, self.base)
        if smallest_shown <= self.high:
            raise ValueError(
                f"base {self.base} would round the count {self.high + 1} to {smallest_shown}, "
                f"which is not above {self.high}: a shown count would pass for a hidden one"
            )
        _check_symbol(self.symbol)

    @property
    def name(self) -> str:
        """``"hes"``."""
        return "hes"

    @property
    def description(self) -> str:
        """Footnote text naming the thresholds and the symbol."""
        return (
            f"Sub-national counts from 1 to {self.high} are shown as {self.symbol}; "
            f"other sub-national counts are rounded to the nearest {self.base}; "
            "0 is shown as 0. National figures are not rounded or suppressed; rates and "
            "intervals are calculated from unrounded counts."
        )

    def apply(
        self,
        table: pd.DataFrame,
        counts: str | Sequence[str],
        *,
        national: NationalRows = None,
    ) -> pd.DataFrame:
        """The publishable table: see :class:`HesRule` and :meth:`DisclosurePolicy.apply`."""
        columns, matrix = _count_matrix(table, counts)
        is_national = _national_mask(table, national, columns)
        out = table.copy()
        for j, column in enumerate(columns):
            true = matrix[:, j]
            shown = np.where(is_national, true, _round_half_up(true, self.base))
            hidden = ~is_national & (true >= 1) & (true <= self.high)
            out[column] = _publish(shown, hidden, self.symbol)
        return out


@dataclass(frozen=True)
class SuppressBelow(DisclosurePolicy):
    """Suppress counts below ``k``, with audited secondary suppression for totals.

    *Primary suppression* shows every count from 1 to ``k - 1`` (from 0 if
    ``suppress_zero``) as ``symbol``; other counts are shown exactly.

    With ``secondary=True`` (the default) the count columns are the cells of a two-way
    table, rows by count columns, published *with* its totals: a ``total_label`` column of
    row totals after the last count column (when there are two or more count columns) and
    a ``total_label`` row of column totals and the grand total at the foot (when there are
    two or more rows). The totals are computed here from the cells, so they always agree.
    A total from 1 to ``k - 1`` is itself a small count and is suppressed like a cell.
    Then *secondary* suppressions are added, smallest cells first and totals only as a
    last resort, until a linear-programming audit shows that no suppressed entry can be
    narrowed to fewer than ``protection + 1`` possible values by anyone who knows the
    published figures, that rows and columns add up, and that counts are non-negative
    (and, with zeros shown, that a suppressed count is not 0). Exempt columns of the total
    row are missing; integer and boolean exempt columns become nullable (``Int64``,
    ``boolean``) so that they can hold the gap.

    With ``secondary=False`` only primary suppression is done and no totals are added;
    this is safe only for a table published without totals of the suppressed counts.

    The audit solves small linear programs (scipy's HiGHS), two per suppressed entry at
    most; tables of a few hundred cells take well under a second.

    Parameters
    ----------
    k : int
        Counts below ``k`` are suppressed (at least 2). No default: the threshold is a
        decision for the data owner (10 is common for crime and health data).
    secondary : bool, default True
        Publish totals and protect the suppressed cells from them.
    symbol : str, default "*"
        What a suppressed count is shown as.
    suppress_zero : bool, default False
        Suppress zeros too. When zeros are shown (the default) they are never used as
        complementary suppressions, so a suppressed count is known to be at least 1.
    protection : int, default 1
        The least width of every suppressed entry's feasible range; 1 means no suppressed
        count or total can be worked out exactly.
    total_label : str, default "Total"
        Name of the added total column and label of the added total row.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"under 18": [2, 8, 20], "18 to 24": [10, 9, 30], "25 and over": [12, 15, 40]},
    ...     index=["North", "South", "West"],
    ... )
    >>> print(SuppressBelow(k=5).apply(table, list(table.columns)).to_string())
          under 18 18 to 24 25 and over Total
    North        *        *          12    24
    South        *        *          15    32
    West        20       30          40    90
    Total       30       49          67   146
    """

    k: int
    secondary: bool = True
    symbol: str = "*"
    suppress_zero: bool = False
    protection: int = 1
    total_label: str = "Total"

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 2:
            raise ValueError(f"k must be a whole number of at least 2, not {self.k!r}")
        if (
            isinstance(self.protection, bool)
            or not isinstance(self.protection, int)
            or self.protection < 1
        ):
            raise ValueError(
                f"protection must be a whole number of at least 1, not {self.protection!r}"
            )
        _check_symbol(self.symbol)

    @property
    def name(self) -> str:
        """``"suppress-below-<k>"``, with ``"+secondary"`` when totals are protected."""
        return f"suppress-below-{self.k}" + ("+secondary" if self.secondary else "")

    @property
    def description(self) -> str:
        """Footnote text naming the threshold, the symbol and the protection."""
        low = 0 if self.suppress_zero else 1
        text = f"Counts from {low} to {self.k - 1} are shown as {self.symbol}."
        if self.secondary:
            if self.protection == 1:
                aim = "cannot be worked out exactly"
            else:
                aim = f"cannot be narrowed to fewer than {self.protection + 1} possible values"
            text += (
                f" Further counts and totals are shown as {self.symbol} where needed so that "
                f"a hidden count {aim} from the totals."
            )
        return text

    def apply(
        self,
        table: pd.DataFrame,
        counts: str | Sequence[str],
        *,
        national: NationalRows = None,
    ) -> pd.DataFrame:
        """The publishable table: see :class:`SuppressBelow` and :meth:`DisclosurePolicy.apply`.

        ``national`` must be None: every row is protected, and national figures belong in
        the total row, which this policy adds and protects.
        """
        columns, matrix = _count_matrix(table, counts)
        if national is not None:
            raise ValueError(
                "SuppressBelow protects every row and does not take national=; publish "
                "national figures as the total row it adds"
            )
        lowest = 0 if self.suppress_zero else 1
        out = table.copy()
        if not self.secondary:
            for j, column in enumerate(columns):
                true = matrix[:, j]
                out[column] = _publish(true, (true >= lowest) & (true < self.k), self.symbol)
            return out

        n, m = matrix.shape
        add_column, add_row = m > 1, n > 1
        if add_column and self.total_label in table.columns:
            raise ValueError(
                f"the table already has a column {self.total_label!r}; drop it (totals are "
                "computed from the cells) or choose another total_label"
            )
        if add_row and _index_has(table.index, self.total_label):
            raise ValueError(
                f"the table's index already has a row {self.total_label!r}; drop it (totals "
                "are computed from the cells) or choose another total_label"
            )
        values = bordered(matrix)
        hidden = np.zeros(values.shape, dtype=np.bool_)
        hidden[:, m] |= not add_column
        hidden[n, :] |= not add_row
        primary = (values >= lowest) & (values < self.k) & ~hidden
        suppressed = secondary_suppression(
            values,
            primary,
            hidden=hidden,
            zeros_published=not self.suppress_zero,
            protection=self.protection,
        )

        for j, column in enumerate(columns):
            out[column] = _publish(values[:n, j], suppressed[:n, j], self.symbol)
        if add_column:
            position = max(table.columns.get_loc(c) for c in columns) + 1
            out.insert(
                position,
                self.total_label,
                _publish(values[:n, m], suppressed[:n, m], self.symbol),
            )
        if add_row:
            out = _append_total_row(
                out,
                self.total_label,
                {
                    label: _publish(values[n, j : j + 1], suppressed[n, j : j + 1], self.symbol)
                    for j, label in enumerate([*columns, self.total_label][: m + add_column])
                },
            )
        return out


def _round_half_up(values: Any, base: int) -> Any:
    """Round non-negative whole numbers to the nearest multiple of ``base``, halves up."""
    return (values + base // 2) // base * base


def _check_symbol(symbol: object) -> None:
    if not isinstance(symbol, str) or not symbol.strip():
        raise ValueError(f"symbol must be a non-blank string, not {symbol!r}")
    try:
        float(symbol)
    except ValueError:
        return
    raise ValueError(f"symbol {symbol!r} would read as a number; use a mark such as '*'")


def _publish(
    shown: IntArray, suppressed: BoolArray, symbol: str
) -> pd.api.extensions.ExtensionArray:
    """Published text: the digits of each shown count, or the symbol where suppressed."""
    text = [
        symbol if hide else str(int(value)) for value, hide in zip(shown, suppressed, strict=True)
    ]
    return pd.array(text, dtype="string")


def _where(table: pd.DataFrame, mask: Any) -> str:
    """The label of the first row where ``mask`` holds, for error messages."""
    return repr(table.index[np.flatnonzero(np.asarray(mask))[0]])


def _count_matrix(table: pd.DataFrame, counts: str | Sequence[str]) -> tuple[list[str], IntArray]:
    """Check the count columns and return their names and values as an (n, m) int64 array."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame, not {type(table).__name__}")
    columns = [counts] if isinstance(counts, str) else list(counts)
    if not columns:
        raise ValueError("counts must name at least one count column")
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise ValueError(f"count column {column!r} is named twice")
        seen.add(column)
        if column not in table.columns:
            raise ValueError(
                f"unknown column {column!r}: the table has columns {list(table.columns)!r}"
            )
        if not isinstance(table.columns.get_loc(column), int):
            raise ValueError(f"column {column!r} appears more than once in the table")
    return columns, np.column_stack([_counts_of(table, column) for column in columns]).reshape(
        len(table), len(columns)
    )


def _counts_of(table: pd.DataFrame, column: str) -> IntArray:
    """One count column as int64, or a ValueError naming the column and the problem."""
    series = table[column]
    dtype = series.dtype
    missing = series.isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"column {column!r} has {int(missing.sum())} missing value(s), first at row "
            f"{_where(table, missing)}; counts must be complete (use 0 for none)"
        )
    if ptypes.is_bool_dtype(dtype):
        raise ValueError(f"column {column!r} holds booleans, not whole-number counts")
    values: IntArray
    if ptypes.is_integer_dtype(dtype):
        values = np.asarray(series.to_numpy(dtype=np.int64), dtype=np.int64)
    elif ptypes.is_float_dtype(dtype) or ptypes.is_object_dtype(dtype):
        if ptypes.is_object_dtype(dtype):
            odd = np.array([isinstance(v, bool) or not isinstance(v, numbers.Real) for v in series])
            if odd.any():
                first = series.iloc[int(np.flatnonzero(odd)[0])]
                raise ValueError(
                    f"column {column!r} holds non-integer value {first!r} at row "
                    f"{_where(table, odd)}; counts must be whole numbers"
                )
        floats = np.asarray(series.to_numpy(dtype=np.float64), dtype=np.float64)
        fractional = ~np.isfinite(floats) | (floats != np.round(floats))
        if fractional.any():
            first_bad = float(floats[np.flatnonzero(fractional)[0]])
            raise ValueError(
                f"column {column!r} holds non-integer value {first_bad!r} at row "
                f"{_where(table, fractional)}; counts must be whole numbers"
            )
        values = floats.astype(np.int64)
    else:
        raise ValueError(
            f"column {column!r} has dtype {dtype}, not whole-number counts "
            "(was it already published?)"
        )
    negative = values < 0
    if negative.any():
        raise ValueError(
            f"column {column!r} holds negative count {int(values[negative][0])} at row "
            f"{_where(table, negative)}; counts cannot be negative"
        )
    return values


def _national_mask(table: pd.DataFrame, national: NationalRows, columns: list[str]) -> BoolArray:
    """The national rows as a boolean array in row order."""
    if national is None:
        return np.zeros(len(table), dtype=np.bool_)
    if isinstance(national, str):
        if national not in table.columns:
            raise ValueError(
                f"unknown column {national!r} given as national: the table has columns "
                f"{list(table.columns)!r}"
            )
        if national in columns:
            raise ValueError(f"column {national!r} cannot be both a count and the national mask")
        mask: Any = table[national]
        where = f"national column {national!r}"
    elif isinstance(national, pd.Series):
        if not national.index.equals(table.index):
            raise ValueError("the national mask's index does not match the table's index")
        mask = national
        where = "national mask"
    else:
        values = np.asarray(national)
        mask = pd.Series(values.astype(np.bool_) if values.size == 0 else values)
        where = "national mask"
        if mask.ndim != 1 or len(mask) != len(table):
            raise ValueError(
                f"the national mask has {len(mask)} values but the table has {len(table)} rows"
            )
    if mask.isna().any():
        raise ValueError(f"the {where} has missing values; mark every row True or False")
    if not ptypes.is_bool_dtype(mask.dtype):
        raise ValueError(f"the {where} must be boolean, not dtype {mask.dtype}")
    return np.asarray(mask.to_numpy(dtype=np.bool_), dtype=np.bool_)


def _index_has(index: pd.Index, label: str) -> bool:
    if isinstance(index, pd.MultiIndex):
        return label in index.get_level_values(0)
    return label in index


def _append_total_row(out: pd.DataFrame, label: str, published: dict[str, Any]) -> pd.DataFrame:
    """``out`` with a row of totals labelled ``label``; exempt columns are missing there."""
    body = out.copy()
    row: dict[str, Any] = {}
    for column in out.columns:
        if column in published:
            row[column] = published[column]
            continue
        dtype = out[column].dtype
        if ptypes.is_bool_dtype(dtype) and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            dtype = pd.BooleanDtype()
        elif ptypes.is_integer_dtype(dtype) and not isinstance(
            dtype, pd.api.extensions.ExtensionDtype
        ):
            dtype = pd.Int64Dtype()
        body[column] = body[column].astype(dtype)
        row[column] = pd.array([None], dtype=dtype)
    if isinstance(out.index, pd.MultiIndex):
        index: pd.Index = pd.MultiIndex.from_tuples(
            [(label,) + ("",) * (out.index.nlevels - 1)], names=out.index.names
        )
    else:
        index = pd.Index([label], name=out.index.name)
    return pd.concat([body, pd.DataFrame(row, index=index)])


#: The policy used when none is chosen: the NHS HES rule.
DEFAULT_POLICY: DisclosurePolicy = HesRule()
