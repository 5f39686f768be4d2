"""ICD-10 code sets with ranges and exclusions, matched one code at a time or vectorised.

A set is written as items to include and items to exclude, each item a 3-character
category (``X99``), a 4-character subcategory (``X99.1`` or ``X991``) or a range of either
(``X85-Y09``, ``F10-F19``). A 3-character item or range covers every 4th character, so
``X85-Y09`` covers categories X85 to X99 and Y00 to Y09 and any subcategory of them.

Codes are normalised the way hospital data writes them: spaces and dots removed, upper
case, trailing ``-``, ``*``, ``+``, ``†`` marks ignored. Only the first 3 characters (for a
category item) or 4 (for a subcategory item) are compared, so HES spellings such as
``X99-``, ``X99X`` (``X`` as 4th-character filler) or a dagger/asterisk suffix (``F101D``,
``F101A``) all fall in category X99 or F10; ``X99X`` does not match the item ``X991``.

>>> violence = IcdCodeSet.parse("violence", ["X85-Y09"])
>>> [violence.contains(code) for code in ["X99", "X99.1", "x991", "Y09-", "X84", "Y10"]]
[True, True, True, True, False, False]
>>> mental = IcdCodeSet.parse("mental_health", ["F00-F99"], exclude=["F10-F19"])
>>> mental.contains("F32.1"), mental.contains("F10")
(True, False)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

#: One normalised ICD-10 item: a letter, two digits and an optional 4th digit.
_ITEM = re.compile(r"^[A-Z][0-9]{2}[0-9]?$")
#: The start of a usable code after normalisation.
_CODE_START = r"^[A-Z][0-9]{2}"
_TRAILING_MARKS = "-*+†"


def normalise_icd(code: str) -> str:
    """``" x99.1- "`` -> ``"X991"``: no spaces or dots, upper case, no trailing marks."""
    return re.sub(r"[\s.]", "", code).upper().rstrip(_TRAILING_MARKS)


def _normalise_series(codes: pd.Series) -> pd.Series:
    text = codes.astype("string").str.upper().str.replace(r"[\s.]", "", regex=True)
    return text.str.rstrip(_TRAILING_MARKS)


class IcdItemError(ValueError):
    """An ICD-10 item that cannot be read; the loader adds the file and entry."""


@dataclass(frozen=True, order=True)
class IcdRange:
    """Categories or subcategories ``start`` to ``end`` inclusive (equal for one code).

    Both ends have the same length: 3 characters (whole categories, any 4th character) or 4
    (subcategories only).
    """

    start: str
    end: str

    @property
    def width(self) -> int:
        return len(self.start)

    @classmethod
    def parse(cls, item: str) -> IcdRange:
        """``"X85-Y09"``, ``"X99"``, ``"X99.1"``; raises :class:`IcdItemError` if unreadable."""
        parts = item.split("-")
        if len(parts) == 2 and not parts[1].strip():
            parts = parts[:1]  # "X99-" is one code with a HES trailing dash
        if len(parts) > 2:
            raise IcdItemError(f"{item!r} is not an ICD-10 code or range such as X85-Y09")
        ends = [re.sub(r"[\s.]", "", part).upper() for part in parts]
        for end in ends:
            if not _ITEM.match(end):
                raise IcdItemError(
                    f"{item!r}: {end or 'an empty part'!r} is not an ICD-10 code "
                    "(a letter, two digits and an optional 4th character, e.g. X99 or X99.1)"
                )
        start, end = ends[0], ends[-1]
        if len(start) != len(end):
            raise IcdItemError(
                f"{item!r}: both ends of a range must be categories (X85-Y09) "
                "or both subcategories (X99.0-X99.9)"
            )
        if start > end:
            raise IcdItemError(f"{item!r}: the range starts after it ends ({start} > {end})")
        return cls(start, end)

    def contains(self, normalised: str) -> bool:
        if not re.match(_CODE_START, normalised) or len(normalised) < self.width:
            return False
        return self.start <= normalised[: self.width] <= self.end

    def matches(self, normalised: pd.Series) -> pd.Series:
        """Vectorised :meth:`contains` on already-normalised codes (NA -> False)."""
        head = normalised.str[: self.width]
        usable = normalised.str.match(_CODE_START, na=False) & (
            normalised.str.len() >= self.width
        ).fillna(False)
        inside = (head >= self.start) & (head <= self.end)
        return (usable & inside.fillna(False)).astype(bool)

    def __str__(self) -> str:
        return self.start if self.start == self.end else f"{self.start}-{self.end}"


@dataclass(frozen=True)
class IcdCodeSet:
    """A named set of ICD-10 codes: any ``include`` range and no ``exclude`` range."""

    name: str
    include: tuple[IcdRange, ...]
    exclude: tuple[IcdRange, ...] = ()
    label: str = ""

    @classmethod
    def parse(
        cls, name: str, include: Iterable[str], exclude: Iterable[str] = (), label: str = ""
    ) -> IcdCodeSet:
        return cls(
            name,
            tuple(IcdRange.parse(item) for item in include),
            tuple(IcdRange.parse(item) for item in exclude),
            label,
        )

    def contains(self, code: str | None) -> bool:
        """Whether one code (in any of the spellings hospital data uses) is in the set."""
        if code is None or not isinstance(code, str):
            return False
        return self._contains_normalised(normalise_icd(code))

    def _contains_normalised(self, text: str) -> bool:
        return any(r.contains(text) for r in self.include) and not any(
            r.contains(text) for r in self.exclude
        )

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.contains(code)

    def matches(self, codes: pd.Series) -> pd.Series:
        """A boolean Series, same index: which codes are in the set (missing -> False)."""
        text = _normalise_series(codes)
        result = pd.Series(False, index=codes.index, dtype=bool)
        for r in self.include:
            result |= r.matches(text)
        for r in self.exclude:
            result &= ~r.matches(text)
        return result

    def any_position(self, frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
        """Rows with a code of the set in any of ``columns`` (diagnosis positions)."""
        result = pd.Series(False, index=frame.index, dtype=bool)
        for column in columns:
            result |= self.matches(frame[column])
        return result

    def is_subset_of(self, other: IcdCodeSet) -> bool:
        """Whether every code of this set is in ``other`` (checked over all ICD-10 shapes)."""
        return all(
            other._contains_normalised(code)
            for code in _all_codes()
            if self._contains_normalised(code)
        )

    def overlaps(self, other: IcdCodeSet) -> bool:
        """Whether some code is in both sets (checked over all ICD-10 shapes)."""
        return any(
            self._contains_normalised(code) and other._contains_normalised(code)
            for code in _all_codes()
        )

    def __str__(self) -> str:
        text = ", ".join(str(r) for r in self.include)
        if self.exclude:
            text += " excluding " + ", ".join(str(r) for r in self.exclude)
        return text


@functools.cache
def _all_codes() -> tuple[str, ...]:
    """Every 3-character category and every 4-character subcategory with a digit."""
    codes = []
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for number in range(100):
            category = f"{letter}{number:02d}"
            codes.append(category)
            codes.extend(category + fourth for fourth in "0123456789")
    return tuple(codes)
