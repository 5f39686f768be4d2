"""Reading input columns for the rule functions: presence, flags and codes.

Problems with the analyst's table (not with a definition) raise plain ``ValueError`` naming
the column and what the definition needed it for.
"""

from __future__ import annotations

import pandas as pd

# True == 1 and False == 0 in Python, so the booleans also accept the numbers 1 and 0.
_TRUE = {True, "1", "y", "yes", "true", "t"}
_FALSE = {False, "0", "n", "no", "false", "f"}


def column(frame: pd.DataFrame, name: str, needed_for: str) -> pd.Series:
    if name not in frame.columns:
        raise ValueError(f"column {name!r} is missing: it is needed for {needed_for}")
    return frame[name]


def flag(frame: pd.DataFrame, name: str, needed_for: str) -> pd.Series:
    """A yes/no column as a nullable boolean Series (missing stays ``<NA>``).

    Accepts booleans, 0/1 and the texts yes/no, y/n, true/false, t/f, 1/0 in any case.
    """
    values = column(frame, name, needed_for)
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean")

    def read(value: object) -> bool | None:
        if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
            return None
        key = value.strip().lower() if isinstance(value, str) else value
        if key == "":
            return None
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueError(
            f"column {name!r} must be yes/no (true/false, 1/0) for {needed_for}; found {value!r}"
        )

    return pd.Series([read(value) for value in values], index=values.index, dtype="boolean")


def codes(frame: pd.DataFrame, name: str, needed_for: str) -> pd.Series:
    """A code column as upper-case text without surrounding spaces (``<NA>`` kept).

    Whole numbers stored as numbers (21, 21.0) become ``"21"``.
    """
    values = column(frame, name, needed_for)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        whole = values.dropna()
        if (whole == whole.round()).all():
            values = values.astype("Int64")
    text = values.astype("string")
    # Each distinct code is normalised once: a column of a million crimes holds a few
    # hundred codes.
    distinct = pd.Series(text.dropna().unique(), dtype="string")
    normalised = dict(zip(distinct, distinct.str.strip().str.upper(), strict=True))
    return text.map(normalised, na_action="ignore").astype("string")


def offence_codes(frame: pd.DataFrame, name: str, needed_for: str) -> pd.Series:
    """Home Office offence codes as text; a column of decimals is refused because it has
    already lost information (4.10, manslaughter's neighbour, reads back as 4.1)."""
    values = column(frame, name, needed_for)
    if pd.api.types.is_float_dtype(values) and not (values.dropna() % 1 == 0).all():
        raise ValueError(
            f"column {name!r} holds offence codes as decimal numbers; read it as text, "
            "since 4.1 and 4.10 are different codes"
        )
    return codes(frame, name, needed_for)


def numbers(frame: pd.DataFrame, name: str, needed_for: str) -> pd.Series:
    """A numeric column (text numbers converted; anything else becomes ``NaN``)."""
    return pd.to_numeric(column(frame, name, needed_for), errors="coerce")
