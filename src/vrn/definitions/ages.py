"""Named age-band schemes and a vectorised assignment of ages to band labels.

A scheme is a list of labels such as ``["0-24", "25+"]``: contiguous bands from age 0,
each ``lower-upper`` (inclusive) and the last open-ended ``lower+``. Ages are completed
years; fractions are rounded down, and missing, negative or non-numeric ages get
:data:`UNKNOWN`.

>>> scheme = AgeBandScheme.parse("under25", ["0-24", "25+"])
>>> list(scheme.assign([24, 25, None, -1, 24.9]))
['0-24', '25+', 'Unknown', 'Unknown', '0-24']
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from vrn.definitions._files import DefinitionRef, Header, Table, open_definition

#: The label given to a missing or unusable age.
UNKNOWN = "Unknown"

_BAND = re.compile(r"^(\d+)(?:-(\d+)|\+)$")


class AgeBandError(ValueError):
    """An unreadable band or scheme; the loader adds the file and entry."""


@dataclass(frozen=True)
class AgeBand:
    """Ages ``lower`` to ``upper`` inclusive; ``upper`` ``None`` is open-ended."""

    label: str
    lower: int
    upper: int | None

    def contains(self, age: int) -> bool:
        return age >= self.lower and (self.upper is None or age <= self.upper)


@dataclass(frozen=True)
class AgeBandScheme:
    name: str
    bands: tuple[AgeBand, ...]
    label: str = ""
    source: str = ""

    @classmethod
    def parse(
        cls, name: str, labels: Sequence[str], label: str = "", source: str = ""
    ) -> AgeBandScheme:
        """Build a scheme from labels; raises :class:`AgeBandError` naming the bad band."""
        if not labels:
            raise AgeBandError("a scheme needs at least one band")
        bands = []
        expected_lower = 0
        for position, text in enumerate(labels):
            match = _BAND.match(text)
            if not match:
                raise AgeBandError(
                    f"band {position} {text!r} is not 'lower-upper' (e.g. 10-14) or 'lower+'"
                )
            lower = int(match.group(1))
            upper = int(match.group(2)) if match.group(2) is not None else None
            if lower != expected_lower:
                raise AgeBandError(
                    f"band {position} {text!r} starts at {lower}; the bands must be "
                    f"contiguous from 0, so it should start at {expected_lower}"
                )
            if upper is None and position != len(labels) - 1:
                raise AgeBandError(f"band {position} {text!r} is open-ended but is not the last")
            if upper is not None and upper < lower:
                raise AgeBandError(f"band {position} {text!r} ends before it starts")
            bands.append(AgeBand(text, lower, upper))
            expected_lower = upper + 1 if upper is not None else expected_lower
        if bands[-1].upper is not None:
            raise AgeBandError(
                f"the last band {bands[-1].label!r} must be open-ended (e.g. "
                f"'{bands[-1].upper + 1}+') so every age has a band"
            )
        return cls(name, tuple(bands), label, source)

    @property
    def labels(self) -> tuple[str, ...]:
        """Band labels in order, then :data:`UNKNOWN`."""
        return (*(band.label for band in self.bands), UNKNOWN)

    def band_of(self, age: float | None) -> str:
        """The label of one age (``Unknown`` for missing or negative)."""
        if age is None or isinstance(age, bool) or not math.isfinite(age) or age < 0:
            return UNKNOWN
        whole = math.floor(age)
        return next(band.label for band in self.bands if band.contains(whole))

    def assign(self, ages: pd.Series | Iterable[object]) -> pd.Series:
        """Vectorised :meth:`band_of`: an ordered categorical of labels, same index."""
        series = ages if isinstance(ages, pd.Series) else pd.Series(list(ages), dtype=object)
        numeric = pd.to_numeric(series, errors="coerce").astype("float64")
        edges = [float(band.lower) for band in self.bands] + [np.inf]
        cut = pd.cut(
            np.floor(numeric), bins=edges, right=False, labels=[b.label for b in self.bands]
        )
        result = cut.cat.add_categories([UNKNOWN]).fillna(UNKNOWN)
        return pd.Series(
            pd.Categorical(result, categories=list(self.labels), ordered=True),
            index=series.index,
            name=series.name,
        )


@dataclass(frozen=True)
class AgeBands:
    header: Header
    ref: DefinitionRef
    schemes: Mapping[str, AgeBandScheme]

    def __getitem__(self, name: str) -> AgeBandScheme:
        return self.schemes[name]

    def assign(self, scheme: str, ages: pd.Series | Iterable[object]) -> pd.Series:
        return self.schemes[scheme].assign(ages)


def parse_age_bands(path: Path) -> AgeBands:
    definition = open_definition(path, "age-bands")
    body = definition.body
    schemes: dict[str, AgeBandScheme] = {}
    for table in body.tables("scheme"):
        name = table.identifier("name")
        if name in schemes:
            table.fail("name", f"scheme {name!r} appears twice")
        labels = table.texts("bands")
        try:
            scheme = AgeBandScheme.parse(
                name, labels, label=table.text("label"), source=table.text("source")
            )
        except AgeBandError as error:
            table.fail("bands", str(error))
        schemes[name] = scheme
        table.done()
    if not schemes:
        body.fail("scheme", "at least one [[scheme]] is needed")
    body.done()
    return AgeBands(header=definition.header, ref=definition.ref(), schemes=schemes)


@dataclass(frozen=True)
class AgeRestriction:
    """Some bands of a named scheme, e.g. ``under25`` band ``0-24``."""

    scheme: str
    bands: tuple[str, ...]

    def mask(self, ages: pd.Series, age_bands: AgeBands) -> pd.Series:
        return age_bands.assign(self.scheme, ages).isin(self.bands).astype(bool)

    def __str__(self) -> str:
        return f"{self.scheme}: {', '.join(self.bands)}"


def parse_age_restriction(table: Table, age_bands: AgeBands) -> AgeRestriction:
    """``{ scheme = "under25", bands = ["0-24"] }``, checked against ``age-bands.toml``."""
    scheme = table.text("scheme")
    if scheme not in age_bands.schemes:
        table.fail(
            "scheme",
            f"{scheme!r} is not a scheme in age-bands.toml ({', '.join(age_bands.schemes)})",
        )
    bands = table.texts("bands")
    for position, band in enumerate(bands):
        if band not in age_bands[scheme].labels[:-1]:
            table.fail(
                f"bands[{position}]",
                f"{band!r} is not a band of scheme {scheme} "
                f"({', '.join(age_bands[scheme].labels[:-1])})",
            )
    if not bands:
        table.fail("bands", "is empty")
    table.done()
    return AgeRestriction(scheme, bands)
