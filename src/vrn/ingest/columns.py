"""Column-at-a-time helpers for validating a file, shared by every dataset.

Partner files repeat a few values many times (a force name, a month, a category, an area
code), so checks and conversions run once per distinct value (:class:`Distinct`) and the
results are spread back to every row with one array index. :class:`Problems` keeps the
first problem found in each row, so that a row's quarantine reason is the first rule it
breaks, in the order the dataset checks them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

#: Row positions, as given to a callable reason.
Positions = np.ndarray[Any, np.dtype[np.intp]]


class Distinct:
    """A column as its distinct values (``uniques``) and, for each row, the position of its
    value among them (``codes``)."""

    def __init__(self, values: Sequence[Any] | np.ndarray[Any, Any] | pd.Series) -> None:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        self.codes: np.ndarray[Any, np.dtype[np.intp]] = codes
        self.uniques: np.ndarray[Any, np.dtype[np.object_]] = np.asarray(uniques, dtype=object)

    def __len__(self) -> int:
        return len(self.codes)

    def apply(self, function: Callable[[Any], Any], dtype: Any = object) -> np.ndarray[Any, Any]:
        """``function`` of each distinct value, in the order of ``uniques``."""
        results = np.empty(len(self.uniques), dtype=dtype)
        for position, value in enumerate(self.uniques):
            results[position] = function(value)
        return results

    def spread(self, per_value: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Per-row values from one value per distinct value (as ``apply`` returns them)."""
        return np.asarray(per_value[self.codes])

    def map(self, function: Callable[[Any], Any], dtype: Any = object) -> np.ndarray[Any, Any]:
        """``function`` of each row's value, calling it once per distinct value."""
        return self.spread(self.apply(function, dtype))

    def values(self) -> np.ndarray[Any, np.dtype[np.object_]]:
        """The column itself, one value per row."""
        return np.asarray(self.uniques[self.codes], dtype=object)

    def transform(self, function: Callable[[Any], Any]) -> Distinct:
        """The column with ``function`` applied to every value, e.g. ``str.strip``.

        The result keeps these codes, so two of its ``uniques`` may now be equal; every
        method still gives the right per-row answer.
        """
        result = copy.copy(self)
        result.uniques = self.apply(function)
        return result


class Problems:
    """The first problem found in each of ``rows`` rows: which field, and why."""

    def __init__(self, rows: int) -> None:
        self.found = np.zeros(rows, dtype=bool)
        self.field = np.full(rows, None, dtype=object)
        self.reason = np.full(rows, None, dtype=object)

    def flag(
        self,
        mask: np.ndarray[Any, np.dtype[np.bool_]] | pd.Series,
        field: str,
        reason: str | Callable[[Positions], Sequence[str] | np.ndarray[Any, Any]],
    ) -> None:
        """Record ``field`` and ``reason`` for rows in ``mask`` that have no problem yet.

        A callable reason is given only the positions of the failing rows, so messages
        cost nothing when a file is clean.
        """
        new = np.asarray(mask, dtype=bool) & ~self.found
        if not new.any():
            return
        positions = np.flatnonzero(new)
        self.found[positions] = True
        self.field[positions] = field
        if callable(reason):
            messages = np.empty(len(positions), dtype=object)
            messages[:] = list(reason(positions))
            self.reason[positions] = messages
        else:
            self.reason[positions] = reason
