"""Checking the input frames and building the output tables shared by every function.

Every problem raises ``ValueError`` naming the argument and the column, so the caller can
fix the input without reading the code. A frame with no rows and no columns at all (a bare
``pd.DataFrame()``) is read as empty; any other frame must have every column it needs.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from vrn.analytics.stats import proportion
from vrn.analytics.stats._checks import FloatArray

#: How a column is checked and converted.
Kind = Literal["id", "text", "key", "date", "number", "flag"]

#: The columns of each input, documented in the package docstring.
PARTICIPANT_COLUMNS: dict[str, Kind] = {
    "participant_id": "id",
    "programme": "text",
    "provider": "text",
    "referral_date": "date",
    "start_date": "date",
    "exit_date": "date",
    "exit_reason": "text",
    "age": "number",
    "sex": "text",
    "ethnicity": "text",
    "residence_area": "text",
    "person_key": "key",
    "reachable_moment": "text",
    "referral_source": "text",
}
REVIEW_COLUMNS: dict[str, Kind] = {
    "participant_id": "id",
    "scale": "text",
    "area": "text",
    "review_date": "date",
    "score": "number",
}
OUTCOME_COLUMNS: dict[str, Kind] = {
    "participant_id": "id",
    "kind": "text",
    "outcome_date": "date",
    "verified": "flag",
}
PROGRAMME_COLUMNS: dict[str, Kind] = {
    "programme": "text",
    "provider": "text",
    "funding": "number",
    "capacity": "number",
    "period_start": "date",
    "period_end": "date",
}
NEED_COLUMNS: dict[str, Kind] = {"area": "text", "need_count": "number"}

#: Prefix of the participants' priority group flag columns.
GROUP_PREFIX = "group:"

#: The empty dtype of each kind, for a bare empty frame.
_EMPTY_DTYPES: dict[Kind, str] = {
    "id": "int64",
    "text": "object",
    "key": "object",
    "date": "datetime64[ns]",
    "number": "float64",
    "flag": "bool",
}


def check_frame(
    frame: object,
    argument: str,
    columns: Mapping[str, Kind],
    *,
    required: Collection[str] | None = None,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """A copy of ``frame`` with ``columns`` checked and converted to their kinds.

    ``required`` limits which of ``columns`` must be present (default: all); the others
    are converted when present. The grouping columns ``by`` must be present too (they are
    converted only if ``columns`` names them). Kinds: ``id`` (no missing values), ``text``
    (missing read as ``""``), ``key`` (text; missing or blank read as None), ``date``
    (datetime64, missing as NaT), ``number`` (float, missing as NaN), ``flag`` (bool,
    missing as False).
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{argument}: expected a pandas DataFrame, not {type(frame).__name__}")
    keys = group_keys(by)
    needed = list(columns) if required is None else [name for name in columns if name in required]
    if frame.empty and len(frame.columns) == 0:
        empty = {name: pd.Series(dtype=_EMPTY_DTYPES[columns[name]]) for name in needed}
        empty.update({key: pd.Series(dtype=object) for key in keys if key not in empty})
        return pd.DataFrame(empty)
    for key in keys:
        if key not in frame.columns:
            raise ValueError(f"{argument}: column {key!r} (named in by) is missing")
    for name in needed:
        if name not in frame.columns:
            present = ", ".join(map(str, frame.columns)) or "none"
            raise ValueError(f"{argument}: column {name!r} is missing (the columns are {present})")
    result = frame.copy()
    for name, kind in columns.items():
        if name in result.columns:
            result[name] = _convert(result[name], kind, f"{argument}: column {name!r}")
    return result.reset_index(drop=True)


def _convert(values: pd.Series[Any], kind: Kind, label: str) -> pd.Series[Any]:
    if kind == "id":
        if values.isna().any():
            raise ValueError(f"{label}: missing value at row {_first(values.isna())!r}")
        return values
    if kind == "text":
        return values.astype(object).where(values.notna(), "").astype(str)
    if kind == "key":
        text = values.astype(object).where(values.notna(), None)
        blank = text.map(lambda value: value is None or str(value).strip() == "")
        return text.map(str).where(~blank, None).astype(object)
    if kind == "date":
        if pd.api.types.is_datetime64_any_dtype(values):
            return values
        try:
            with warnings.catch_warnings():  # "could not infer format": parsed one by one
                warnings.simplefilter("ignore", UserWarning)
                return pd.to_datetime(values, errors="raise")
        except (TypeError, ValueError) as error:
            raise ValueError(f"{label}: not a date ({error})") from None
    if kind == "number":
        converted = pd.to_numeric(values, errors="coerce")
        bad = converted.isna() & values.notna()
        if bad.any():
            row = _first(bad)
            raise ValueError(f"{label}: {values[row]!r} at row {row!r} is not a number")
        return converted.astype(np.float64)
    # flag
    known = values.dropna()
    bad = ~known.isin([True, False, 0, 1])
    if bad.any():
        row = _first(bad)
        raise ValueError(f"{label}: {known[row]!r} at row {row!r} is not true or false")
    return values.astype(object).where(values.notna(), False).astype(bool)


def _first(mask: pd.Series[Any]) -> Hashable:
    row: Hashable = mask.index[int(np.flatnonzero(mask.to_numpy())[0])]
    return int(row) if isinstance(row, np.integer) else row


def group_keys(by: Sequence[str] | str) -> list[str]:
    """``by`` as a list of column names, refusing a bare string."""
    if isinstance(by, str) or not isinstance(by, Sequence):
        raise ValueError(f"by: give a tuple of column names such as ('programme',), not {by!r}")
    return [str(key) for key in by]


def group_sums(counts: pd.DataFrame, frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum the integer columns of ``counts`` within the groups of ``frame[keys]``.

    Groups are sorted by their keys. With no keys the result is one row (zeros for an
    empty frame); with keys and no rows it has no rows.
    """
    if not keys:
        return counts.sum().to_frame().T.astype(np.int64).reset_index(drop=True)
    if counts.empty:
        empty = {key: pd.Series(dtype=frame[key].dtype) for key in keys}
        empty.update({name: pd.Series(dtype=np.int64) for name in counts.columns})
        return pd.DataFrame(empty)
    grouped = counts.groupby([frame[key] for key in keys], sort=True, dropna=False)
    return grouped.sum().astype(np.int64).reset_index()


def wilson(
    counts: FloatArray, sizes: FloatArray, level: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Shares ``counts / sizes`` with Wilson limits from :func:`vrn.analytics.stats.proportion`.

    Where a size is 0 the share and limits are NaN.
    """
    value = np.full(len(counts), np.nan)
    lower, upper = value.copy(), value.copy()
    some = sizes > 0
    if some.any():
        table = pd.DataFrame({"x": counts[some], "n": sizes[some]})
        result = proportion(table, "x", "n", confidence=level)
        value[some] = result["value"].to_numpy(np.float64)
        lower[some] = result["lowercl"].to_numpy(np.float64)
        upper[some] = result["uppercl"].to_numpy(np.float64)
    return value, lower, upper


def add_share(
    table: pd.DataFrame, name: str, count: str, size: str, level: float, empty: str
) -> None:
    """Add ``name``, ``name_lowercl`` and ``name_uppercl``: ``count / size`` with Wilson
    limits, in place; NaN with the note ``empty`` where ``size`` is 0."""
    sizes = table[size].to_numpy(np.float64)
    value, lower, upper = wilson(table[count].to_numpy(np.float64), sizes, level)
    table[name] = value
    table[f"{name}_lowercl"] = lower
    table[f"{name}_uppercl"] = upper
    add_note(table, sizes == 0, empty)


def add_note(table: pd.DataFrame, mask: Any, text: str) -> None:
    """Append ``text`` to the ``note`` column where ``mask`` is true (``None`` elsewhere)."""
    if "note" not in table.columns:
        table["note"] = pd.Series([None] * len(table), index=table.index, dtype=object)
    flags = np.asarray(mask, dtype=bool)
    if len(flags) == 0 or not flags.any():
        return
    notes = table["note"].to_numpy(dtype=object).copy()
    for position in np.flatnonzero(flags):
        notes[position] = text if notes[position] is None else f"{notes[position]}; {text}"
    table["note"] = notes


def confidence_label(level: float) -> str:
    """``"95%"`` for 0.95, as the ``confidence`` column of :mod:`vrn.analytics.stats`."""
    return f"{round(level * 100, 6):g}%"


def text_collection(values: object, argument: str) -> list[str]:
    """A collection of strings (a list, tuple or set), refusing a bare string."""
    if isinstance(values, str) or not isinstance(values, Collection):
        raise ValueError(f"{argument}: give a list of strings, not {values!r}")
    return [str(value) for value in values]
