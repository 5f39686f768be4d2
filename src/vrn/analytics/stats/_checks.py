"""Argument checks shared by the statistics functions: confidence levels and input columns.

Every problem raises ``ValueError`` with a message that names the argument or column and
what is wrong with it, so an analyst can fix the input without reading the code.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats as scipy_stats

FloatArray = NDArray[np.float64]
ConfidenceArg = float | Sequence[float]

#: The lowest confidence level the field's methods are used at.
MINIMUM_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Levels:
    """One or two confidence levels on the 0-1 scale, with the reference's labels."""

    values: tuple[float, ...]

    @property
    def label(self) -> str:
        """The ``confidence`` column text: ``"95%"`` or ``"95%, 99.8%"``."""
        return ", ".join(f"{round(level * 100, 6):g}%" for level in self.values)

    def column_names(self) -> list[tuple[float, str, str]]:
        """(level, lower column, upper column) for each level.

        One level gives ``lowercl``/``uppercl``; a pair gives ``lower95_0cl``/``upper95_0cl``
        and ``lower99_8cl``/``upper99_8cl``.
        """
        if len(self.values) == 1:
            return [(self.values[0], "lowercl", "uppercl")]
        names = []
        for level in self.values:
            suffix = f"{level * 100:.1f}".replace(".", "_")
            names.append((level, f"lower{suffix}cl", f"upper{suffix}cl"))
        return names


def confidence_level(confidence: float, argument: str = "confidence") -> float:
    """One confidence level on the 0-1 scale; 95 and 0.95 both mean 95%."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | np.number):
        raise ValueError(f"{argument}: expected a number such as 0.95, not {confidence!r}")
    level = float(confidence)
    if 1 < level <= 100:
        level /= 100
    if not MINIMUM_CONFIDENCE <= level < 1:
        raise ValueError(
            f"{argument}: confidence level {confidence!r} is outside 0.9 to 1 (or 90 to 100); "
            "these methods are defined for levels of 90% and above"
        )
    return level


def confidence_levels(confidence: ConfidenceArg) -> Levels:
    """Parse ``confidence``: a single level, or a pair such as ``(0.95, 0.998)``."""
    if isinstance(confidence, Sequence) and not isinstance(confidence, str):
        if len(confidence) not in (1, 2):
            raise ValueError(
                f"confidence: give one level or a pair such as (0.95, 0.998), "
                f"not {len(confidence)} levels"
            )
        levels = tuple(confidence_level(level) for level in confidence)
        if len(levels) == 2 and not levels[0] < levels[1]:
            raise ValueError(
                f"confidence: a pair must be two different levels, lower first, not {confidence!r}"
            )
        return Levels(levels)
    return Levels((confidence_level(confidence),))


def z_value(level: float) -> float:
    """The two-sided standard normal quantile for a confidence level (1.959964 for 0.95)."""
    return float(scipy_stats.norm.ppf(0.5 + level / 2))


def require_columns(data: pd.DataFrame, columns: dict[str, Hashable | None]) -> None:
    """Check that every named column exists; ``columns`` maps argument name to column name."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data: expected a pandas DataFrame, not {type(data).__name__}")
    for argument, column in columns.items():
        if column is not None and column not in data.columns:
            raise ValueError(
                f"{argument}: column {column!r} is not in the data "
                f"(columns are {', '.join(map(str, data.columns))})"
            )


def group_columns(data: pd.DataFrame, group_by: Hashable | Sequence[Hashable] | None) -> list[Any]:
    """``group_by`` as a list of existing column names (empty when not grouping)."""
    if group_by is None:
        return []
    columns = (
        list(group_by)
        if isinstance(group_by, Sequence) and not isinstance(group_by, str)
        else [group_by]
    )
    require_columns(data, {f"group_by[{i}]": column for i, column in enumerate(columns)})
    return columns


def _row_label(values: pd.Series[Any], position: int) -> str:
    return f"row {values.index[position]!r}"


def numeric_column(
    data: pd.DataFrame,
    column: Hashable,
    what: str,
    *,
    missing_as_zero: bool = False,
    positive: bool = False,
    signed: bool = False,
) -> FloatArray:
    """A column as floats, refusing non-numbers, missing values and negatives.

    ``what`` names the quantity in messages ("count", "denominator").
    ``missing_as_zero`` treats blanks as 0 (for event counts after a join to standard
    bands); ``positive`` refuses zero as well as negatives (for denominators); ``signed``
    accepts any finite number (for measurements such as a mean's values).
    """
    values = data[column]
    if not (pd.api.types.is_numeric_dtype(values) or values.isna().all()):
        converted = pd.to_numeric(values, errors="coerce")
        bad = converted.isna() & values.notna()
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValueError(
                f"column {column!r}: {what} {values.iloc[position]!r} at "
                f"{_row_label(values, position)} is not a number"
            )
        values = converted
    array = values.to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(array)
    if missing.any():
        if missing_as_zero:
            array = np.where(missing, 0.0, array)
        else:
            position = int(np.flatnonzero(missing)[0])
            raise ValueError(f"column {column!r}: missing {what} at {_row_label(values, position)}")
    if np.isinf(array).any():
        position = int(np.flatnonzero(np.isinf(array))[0])
        raise ValueError(f"column {column!r}: infinite {what} at {_row_label(values, position)}")
    bad_sign = array <= 0 if positive else array < 0
    if not signed and bad_sign.any():
        position = int(np.flatnonzero(bad_sign)[0])
        rule = "greater than zero" if positive else "zero or more"
        raise ValueError(
            f"column {column!r}: {what} {array[position]:g} at "
            f"{_row_label(values, position)} must be {rule}"
        )
    return np.asarray(array, dtype=np.float64)


def check_not_above(
    x: FloatArray, n: FloatArray, x_name: Hashable, n_name: Hashable, index: pd.Index
) -> None:
    """Refuse a numerator above its denominator (a proportion above 1)."""
    above = x > n
    if above.any():
        position = int(np.flatnonzero(above)[0])
        raise ValueError(
            f"column {x_name!r}: count {x[position]:g} at row {index[position]!r} is greater "
            f"than its denominator {n_name!r} ({n[position]:g})"
        )


def array_argument(values: ArrayLike, name: str, *, positive: bool = False) -> FloatArray:
    """A scalar or array argument of the array primitives, checked like a column."""
    array = np.asarray(values, dtype=np.float64)
    if np.isnan(array).any():
        raise ValueError(f"{name}: missing value (NaN)")
    if np.isinf(array).any():
        raise ValueError(f"{name}: infinite value")
    if positive and (array <= 0).any():
        raise ValueError(f"{name}: must be greater than zero, got {array[array <= 0].flat[0]:g}")
    if (array < 0).any():
        raise ValueError(f"{name}: must be zero or more, got {array[array < 0].flat[0]:g}")
    return array


def multiplier_argument(multiplier: float, name: str = "multiplier") -> float:
    """A positive finite multiplier such as 100 or 100,000."""
    if isinstance(multiplier, bool) or not isinstance(multiplier, int | float | np.number):
        raise ValueError(f"{name}: expected a number, not {multiplier!r}")
    if not np.isfinite(multiplier) or multiplier <= 0:
        raise ValueError(f"{name}: must be a positive number, not {multiplier!r}")
    return float(multiplier)


def format_number(value: float) -> str:
    """``100000`` rather than ``1e+05`` in statistic labels, as the reference prints them."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
