"""Building the output tables of the DataFrame functions: grouping, limits and labels."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd

from vrn.analytics.stats._checks import FloatArray, Levels

Limits = Callable[[float], tuple[FloatArray, FloatArray]]


def group_sums(
    data: pd.DataFrame, keys: list[Any], values: dict[Hashable, FloatArray]
) -> pd.DataFrame:
    """Sum each array of ``values`` within the groups of ``keys``: one row per group.

    Groups keep the order they first appear in; missing keys form their own group.
    With no keys, the whole table is one group.
    """
    frame = pd.DataFrame(values, index=data.index)
    if not keys:
        return frame.sum().to_frame().T.reset_index(drop=True)
    for key in keys:
        frame[key] = data[key]
    summed = frame.groupby(keys, sort=False, dropna=False, observed=True).sum()
    return summed.reset_index()


def add_limits(frame: pd.DataFrame, levels: Levels, limits: Limits) -> None:
    """Add the lower and upper limit columns for each confidence level, in place."""
    for level, lower_name, upper_name in levels.column_names():
        lower, upper = limits(level)
        frame[lower_name] = lower
        frame[upper_name] = upper


def add_labels(frame: pd.DataFrame, levels: Levels, statistic: Any, method: Any) -> pd.DataFrame:
    """Add the ``confidence``, ``statistic`` and ``method`` columns and return the frame."""
    frame["confidence"] = levels.label
    frame["statistic"] = statistic
    frame["method"] = method
    return frame


def nan_where(mask: np.ndarray, values: FloatArray) -> FloatArray:
    """``values`` with NaN wherever ``mask`` is true."""
    return np.where(mask, np.nan, values)


def values_by_position(
    data: pd.DataFrame, values: FloatArray, name: str, keys: list[Any]
) -> FloatArray:
    """Spread one value per band over the rows of each group, matched by row order.

    Each group (the whole table when ``keys`` is empty) must have exactly one row per
    value; the first row of a group gets the first value, and so on.
    """
    if keys:
        grouped = data.groupby(keys, sort=False, dropna=False)
        sizes = grouped.size().to_numpy()
        position = grouped.cumcount().to_numpy()
    else:
        sizes = np.array([len(data)])
        position = np.arange(len(data))
    if (sizes != len(values)).any():
        raise ValueError(
            f"{name}: {len(values)} values given, but a group has "
            f"{int(sizes[sizes != len(values)][0])} rows; give one value per row of each "
            "group, or a column"
        )
    return np.asarray(values[position], dtype=np.float64)


def format_p_value(p_value: float) -> str:
    """``"p = 0.004"``, ``"p = 0.27"`` or ``"p < 0.001"``."""
    if p_value < 0.001:
        return "p < 0.001"
    if p_value < 0.01:
        return f"p = {p_value:.3f}"
    return f"p = {p_value:.2f}"


def percent_text(level: float) -> str:
    """A level as a percentage without trailing zeros: ``"95"``, ``"99.8"``."""
    return f"{round(level * 100, 6):g}"
