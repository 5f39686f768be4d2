"""The Response Strategy's priority groups (cohorts) and priority geographical areas.

Each entry quotes the line of the strategy it comes from. Groups that can be picked out
of data by sex and age say so (``sex``, ``age``); the rest are cohorts that need partner
data (care, exclusions, treatment) and carry their quote only. Areas carry the ONS codes
that are certain (community safety partnerships, local authorities); neighbourhood
policing areas have no ONS code and are recorded by name, with the local authority they
lie in, for a loader with police reference data to resolve.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vrn.definitions._files import DefinitionRef, Header, Table, open_definition
from vrn.definitions.ages import AgeBands, AgeRestriction, parse_age_restriction

SEXES = ("male", "female")

#: Area kinds and the ONS code prefixes each takes.
AREA_CODE_PREFIXES: Mapping[str, tuple[str, ...]] = {
    "community_safety_partnership": ("E22", "W22"),
    "local_authority": ("E06", "E07", "E08", "E09", "W06"),
    "ward": ("E05", "W05"),
    "lsoa": ("E01", "W01"),
    "police_force_area": ("E23", "W15"),
}
AREA_KINDS = (*AREA_CODE_PREFIXES, "neighbourhood_policing_area")


@dataclass(frozen=True)
class PriorityGroup:
    id: str
    label: str
    quote: str
    sex: str | None = None
    age: AgeRestriction | None = None

    @property
    def identifiable_in_data(self) -> bool:
        """Whether sex and age alone pick the group out (otherwise partner data is needed)."""
        return self.sex is not None or self.age is not None


@dataclass(frozen=True)
class PriorityArea:
    id: str
    name: str
    kind: str
    quote: str
    #: ONS codes of the area itself, by kind (empty when it has none, e.g. a policing area).
    codes: Mapping[str, str] = field(default_factory=dict)
    #: ONS codes of areas it lies within, by kind.
    within: Mapping[str, str] = field(default_factory=dict)
    note: str | None = None

    @property
    def resolved(self) -> bool:
        return self.kind in self.codes


@dataclass(frozen=True)
class Priorities:
    header: Header
    ref: DefinitionRef
    groups: tuple[PriorityGroup, ...]
    areas: tuple[PriorityArea, ...]

    def group(self, group_id: str) -> PriorityGroup:
        return next(group for group in self.groups if group.id == group_id)

    def area(self, area_id: str) -> PriorityArea:
        return next(area for area in self.areas if area.id == area_id)


def _codes(table: Table | None) -> dict[str, str]:
    if table is None:
        return {}
    codes = {}
    for kind in list(table.data):
        code = table.text(kind).upper()
        if kind not in AREA_CODE_PREFIXES:
            table.fail(kind, f"unknown area kind; expected one of {', '.join(AREA_CODE_PREFIXES)}")
        if not re.fullmatch(r"[EW]\d{8}", code) or not code.startswith(AREA_CODE_PREFIXES[kind]):
            table.fail(
                kind,
                f"{code!r} is not a {kind} code (9 characters starting "
                f"{' or '.join(AREA_CODE_PREFIXES[kind])})",
            )
        codes[kind] = code
    table.done()
    return codes


def parse_priorities(path: Path, age_bands: AgeBands) -> Priorities:
    definition = open_definition(path, "priorities")
    body = definition.body
    groups: list[PriorityGroup] = []
    for table in body.tables("group"):
        group_id = table.identifier("id")
        if any(existing.id == group_id for existing in groups):
            table.fail("id", f"group {group_id!r} appears twice")
        sex = table.choice("sex", SEXES) if table.has("sex") else None
        age_table = table.optional_table("age")
        groups.append(
            PriorityGroup(
                id=group_id,
                label=table.text("label"),
                quote=table.text("quote"),
                sex=sex,
                age=parse_age_restriction(age_table, age_bands) if age_table else None,
            )
        )
        table.done()
    areas: list[PriorityArea] = []
    for table in body.tables("area"):
        area_id = table.identifier("id")
        if any(existing.id == area_id for existing in areas):
            table.fail("id", f"area {area_id!r} appears twice")
        kind = table.choice("kind", AREA_KINDS)
        areas.append(
            PriorityArea(
                id=area_id,
                name=table.text("name"),
                kind=kind,
                quote=table.text("quote"),
                codes=_codes(table.optional_table("codes")),
                within=_codes(table.optional_table("within")),
                note=table.optional_text("note"),
            )
        )
        table.done()
    body.done()
    return Priorities(
        header=definition.header, ref=definition.ref(), groups=tuple(groups), areas=tuple(areas)
    )
