"""The period a file declares it covers: one month or a run of whole months.

What a file replaces follows from what it is, never from one of its rows: a
data.police.uk file is the authority for the month in its name, and a partner extract for
the period the loader declares (``vrn ingest FORMAT --period 2024-01..2024-06``). Rows
dated outside the declared period are quarantined, never loaded, and never make the file
the authority for another month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

_MONTH = r"([0-9]{4})-(0[1-9]|1[0-2])"
_PERIOD = re.compile(rf"{_MONTH}(?:\.\.{_MONTH})?")
#: A data.police.uk file name: ``2023-01-leicestershire-street.csv``.
_POLICE_UK_NAME = re.compile(rf"{_MONTH}-[a-z0-9-]+-street\.csv", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """Whole months from ``first`` to ``last`` (``YYYY-MM`` text, inclusive)."""

    first: str
    last: str
    #: Where the period was declared, for messages: "its name", "--period".
    source: str = "--period"

    @classmethod
    def parse(cls, text: str, source: str = "--period") -> Period:
        """``YYYY-MM`` or ``YYYY-MM..YYYY-MM``; ValueError naming the problem otherwise."""
        found = _PERIOD.fullmatch(text.strip())
        if found is None:
            raise ValueError(f"{text!r} is not a month (YYYY-MM) or a period (YYYY-MM..YYYY-MM)")
        first = f"{found.group(1)}-{found.group(2)}"
        last = f"{found.group(3)}-{found.group(4)}" if found.group(3) else first
        if last < first:
            raise ValueError(f"{text!r} ends before it starts")
        return cls(first, last, source)

    @classmethod
    def from_police_uk_name(cls, file_name: str) -> Period | None:
        """The month in a data.police.uk file name, or None if the name has none."""
        found = _POLICE_UK_NAME.fullmatch(file_name)
        if found is None:
            return None
        month = f"{found.group(1)}-{found.group(2)}"
        return cls(month, month, "its name")

    def months(self) -> list[str]:
        """Every month of the period, as ``YYYY-MM``."""
        first = np.datetime64(self.first, "M")
        last = np.datetime64(self.last, "M")
        return [str(month) for month in np.arange(first, last + 1)]

    def contains(self, months: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Element-wise: is each ``YYYY-MM`` text in the period ("" is not)."""
        text = np.asarray(months, dtype=object)
        inside = (text >= self.first) & (text <= self.last) & (text != "")
        return np.asarray(inside, dtype=bool)

    def __str__(self) -> str:
        return self.first if self.first == self.last else f"{self.first} to {self.last}"

    def outside_reason(self, month: str) -> str:
        """Why a row of ``month`` is quarantined."""
        return f"{month} is outside the period this file covers ({self}, from {self.source})"
