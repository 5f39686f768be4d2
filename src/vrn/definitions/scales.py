"""Distance-travelled scales (``distance-scales.toml``).

A scale has areas, each scored from ``minimum`` to ``maximum`` by the participant
(``self_report``) or a practitioner; one direction per scale (``higher_is_better``).
Imports match column headings to areas by id, label or alias, ignoring case and spacing.
A scale may carry a published ``reliability`` for Jacobson-Truax reliable change.

>>> from vrn.definitions import load_definitions
>>> scales = load_definitions().distance_scales
>>> scales.area_for_heading("journey_star_style", "  KEEPING   safe ").id
'keeping_safe'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from vrn.definitions._files import DefinitionRef, Header, Table, open_definition
from vrn.definitions._values import optional_number, unique_id

PERSPECTIVES = ("self_report", "practitioner")

#: The two-tailed 95% critical value of the Jacobson-Truax reliable change index.
RELIABLE_CHANGE_Z = 1.96


def normalise_heading(text: str) -> str:
    """Case-folded, with runs of spaces (and underscores) as one space, trimmed."""
    return re.sub(r"[\s_]+", " ", text).strip().casefold()


@dataclass(frozen=True)
class ScaleArea:
    id: str
    label: str
    description: str
    #: Other column headings an import may use for this area.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    id: str
    label: str
    perspective: str
    minimum: int
    maximum: int
    higher_is_better: bool
    areas: tuple[ScaleArea, ...]
    description: str | None = None
    #: Test-retest or internal-consistency reliability, strictly between 0 and 1.
    reliability: float | None = None
    reliability_source: str | None = None
    note: str | None = None

    @property
    def area_ids(self) -> tuple[str, ...]:
        return tuple(area.id for area in self.areas)

    def area(self, area_id: str) -> ScaleArea:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(f"{area_id!r} is not an area of scale {self.id}")

    def in_range(self, score: float) -> bool:
        return self.minimum <= score <= self.maximum

    def reliable_change(self, baseline_sd: float) -> float | None:
        """The smallest change that is reliable at 95% (Jacobson and Truax 1991), given
        the standard deviation of baseline scores; ``None`` without a reliability.

        ``1.96 * sqrt(2) * sd * sqrt(1 - reliability)``.
        """
        if self.reliability is None:
            return None
        standard_error = baseline_sd * math.sqrt(1 - self.reliability)
        return RELIABLE_CHANGE_Z * math.sqrt(2) * standard_error


@dataclass(frozen=True)
class DistanceScales:
    header: Header
    ref: DefinitionRef
    scales: tuple[Scale, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(scale.id for scale in self.scales)

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(f"{scale_id!r} is not a scale; expected one of {', '.join(self.ids)}")

    def area_for_heading(self, scale_id: str, heading: str) -> ScaleArea | None:
        """The area a column heading names (its id, label or an alias, ignoring case and
        spacing), or ``None``."""
        wanted = normalise_heading(heading)
        for area in self.scale(scale_id).areas:
            if wanted in {normalise_heading(name) for name in (area.id, area.label, *area.aliases)}:
                return area
        return None


def _read_areas(table: Table) -> tuple[ScaleArea, ...]:
    areas: list[ScaleArea] = []
    seen: set[str] = set()
    # normalised heading -> the area it names, so no heading names two areas
    headings: dict[str, str] = {}
    for area_table in table.tables("area"):
        area_id = unique_id(area_table, seen, "area")
        area = ScaleArea(
            id=area_id,
            label=area_table.text("label"),
            description=area_table.text("description"),
            aliases=area_table.texts("aliases", required=False),
        )
        names = [("id", area.id), ("label", area.label)]
        names += [(f"aliases[{i}]", alias) for i, alias in enumerate(area.aliases)]
        for key, name in names:
            other = headings.setdefault(normalise_heading(name), area_id)
            if other != area_id:
                area_table.fail(key, f"{name!r} also names area {other!r} of this scale")
        areas.append(area)
        area_table.done()
    if not areas:
        table.fail("area", "a scale needs at least one [[scale.area]]")
    return tuple(areas)


def _read_scale(table: Table, seen: set[str]) -> Scale:
    scale_id = unique_id(table, seen, "scale")
    minimum = table.integer("minimum")
    maximum = table.integer("maximum")
    if minimum >= maximum:
        table.fail("maximum", f"{maximum} must be greater than minimum ({minimum})")
    reliability = optional_number(table, "reliability")
    if reliability is not None and not 0 < reliability < 1:
        table.fail("reliability", f"{reliability:g} must lie strictly between 0 and 1")
    reliability_source = table.optional_text("reliability_source")
    if reliability is not None and reliability_source is None:
        table.fail("reliability_source", "is missing: say where the reliability comes from")
    scale = Scale(
        id=scale_id,
        label=table.text("label"),
        perspective=table.choice("perspective", PERSPECTIVES),
        minimum=minimum,
        maximum=maximum,
        higher_is_better=table.flag("higher_is_better"),
        description=table.optional_text("description"),
        reliability=reliability,
        reliability_source=reliability_source,
        note=table.optional_text("note"),
        areas=_read_areas(table),
    )
    table.done()
    return scale


def parse_distance_scales(path: Path) -> DistanceScales:
    definition = open_definition(path, "distance-scales")
    body = definition.body
    seen: set[str] = set()
    scales = tuple(_read_scale(table, seen) for table in body.tables("scale"))
    if not scales:
        body.fail("scale", "at least one [[scale]] is needed")
    body.done()
    return DistanceScales(header=definition.header, ref=definition.ref(), scales=scales)
