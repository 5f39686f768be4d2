"""Values that fit their database columns, checked before the database sees them.

SQLite stores a 300-character value in a ``varchar(200)`` and a 20-digit number in an
``integer`` column; PostgreSQL refuses both, part-way through ``COPY``. So that a file
has the same outcome on every database, :func:`rows_that_do_not_fit` finds, before the
insert, every row with a value longer than its column, a whole number outside its
column's range (PostgreSQL's ranges, on every database) or a number that is not finite;
the pipeline quarantines those rows, naming the line and the field.

Each dataset validates its own columns first, with messages in its own terms; this is the
net under those checks, for every format at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models

#: Whole-number ranges of PostgreSQL's column types, applied on every database.
_INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}

#: At most this many characters of a value are quoted in a message.
_QUOTED = 40


@dataclass(frozen=True)
class Misfit:
    """A row (its position in the rows) with a value that does not fit ``field``."""

    row: int
    field: str
    reason: str


def rows_that_do_not_fit(
    model: type[models.Model], fields: Sequence[str], columns: Sequence[Sequence[Any]]
) -> list[Misfit]:
    """The first misfit of each row that has one; ``columns[j]`` holds field ``j``."""
    misfits: dict[int, Misfit] = {}
    for name, values in zip(fields, columns, strict=True):
        field = model._meta.get_field(name)
        for row, reason in _misfits(field, values):
            misfits.setdefault(row, Misfit(row, name, reason))
    return sorted(misfits.values(), key=lambda misfit: misfit.row)


def _misfits(field: Any, values: Sequence[Any]) -> list[tuple[int, str]]:
    kind = field.get_internal_type()
    limit = getattr(field, "max_length", None)
    if limit is not None and kind in {"CharField", "SlugField", "EmailField", "URLField"}:
        return _too_long(values, limit)
    if kind in _INTEGER_RANGES:
        return _out_of_range(values, *_INTEGER_RANGES[kind])
    if kind == "FloatField":
        return [
            (row, "is not a finite number")
            for row, value in enumerate(values)
            if isinstance(value, float) and not math.isfinite(value)
        ]
    return []


def _too_long(values: Sequence[Any], limit: int) -> list[tuple[int, str]]:
    try:
        if max(map(len, values), default=0) <= limit:
            return []  # the usual case, checked at C speed
    except TypeError:
        pass  # some value is None: look at each
    return [
        (row, f"is {len(value):,} characters long; at most {limit:,} are allowed")
        for row, value in enumerate(values)
        if isinstance(value, str) and len(value) > limit
    ]


def _out_of_range(values: Sequence[Any], low: int, high: int) -> list[tuple[int, str]]:
    numbers = [value for value in values if value is not None]
    if not numbers:
        return []
    try:
        if low <= min(numbers) and max(numbers) <= high:
            return []
    except TypeError:
        pass
    return [
        (row, f"{_quoted(value)} is outside {low:,} to {high:,}")
        for row, value in enumerate(values)
        if isinstance(value, int | float) and not low <= value <= high
    ]


def _quoted(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _QUOTED else text[:_QUOTED] + "..."
