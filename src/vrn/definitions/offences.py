"""Home Office offence codes (with their police.uk crime types) and serious violence.

``offence-codes.toml`` points at a CSV table of Home Office offence codes, their offence
group and subgroup and the data.police.uk crime type each is published under.
``serious-violence.toml`` is the local definition: offence codes in groupings, plus the
rules (public place only, domestic excluded, sexual offences excluded).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from vrn.definitions import _frames
from vrn.definitions._files import DefinitionRef, Header, Table, fail, open_definition


def normalise_offence_code(code: str) -> str:
    """Home Office offence codes compare without surrounding spaces and in upper case."""
    return code.strip().upper()


@dataclass(frozen=True)
class OffenceCode:
    """One Home Office offence code as the mapping table describes it."""

    code: str
    description: str
    group: str
    subgroup: str
    police_uk_crime_type: str
    #: The code as written in the table (``1/4.1/4.10/4.2`` for a combined homicide row).
    table_code: str
    #: The table's line the code came from.
    line: int


@dataclass(frozen=True)
class OffenceCodes:
    """The Home Office offence codes known to the platform, by code."""

    header: Header
    ref: DefinitionRef
    codes: tuple[OffenceCode, ...]
    police_uk_crime_types: tuple[str, ...]
    table_file: str
    _by_code: dict[str, OffenceCode] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {entry.code: entry for entry in self.codes})

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and normalise_offence_code(code) in self._by_code

    def __getitem__(self, code: str) -> OffenceCode:
        return self._by_code[normalise_offence_code(code)]

    def __len__(self) -> int:
        return len(self.codes)

    def crime_types_for(self, codes: Iterable[str]) -> tuple[str, ...]:
        """The police.uk crime types that the given offence codes are published under."""
        found = {self[code].police_uk_crime_type for code in codes}
        return tuple(kind for kind in self.police_uk_crime_types if kind in found)

    def police_uk_crime_type(self, offence_codes: pd.Series) -> pd.Series:
        """Vectorised: the police.uk crime type of each offence code (unknown -> ``<NA>``)."""
        lookup = {entry.code: entry.police_uk_crime_type for entry in self.codes}
        text = offence_codes.astype("string").str.strip().str.upper()
        return text.map(lookup).astype("string")

    def to_frame(self) -> pd.DataFrame:
        """One row per code: code, description, group, subgroup, police_uk_crime_type."""
        return pd.DataFrame(
            [
                {
                    "code": entry.code,
                    "description": entry.description,
                    "group": entry.group,
                    "subgroup": entry.subgroup,
                    "police_uk_crime_type": entry.police_uk_crime_type,
                }
                for entry in self.codes
            ]
        )


_COLUMN_KEYS = {
    "code_column": "code",
    "description_column": "description",
    "group_column": "group",
    "subgroup_column": "subgroup",
    "crime_type_column": "police.uk crime type",
}


def parse_offence_codes(path: Path, shipped_dir: Path) -> OffenceCodes:
    """Read ``offence-codes.toml`` and the CSV table it names.

    The table is looked for beside the TOML file, then among the shipped files (so an
    analyst may override the TOML alone).
    """
    definition = open_definition(path, "offence-codes")
    body = definition.body
    crime_types = body.texts("police_uk_crime_types")
    table = body.table("table")
    file_name = table.text("file")
    table.text("origin")
    table.text("licence")
    columns = {key: table.text(key) for key in _COLUMN_KEYS}
    table.done()
    combined: dict[str, tuple[Table, dict[str, str]]] = {}
    if body.has("combined_codes"):
        for written, parts_table in body.subtables("combined_codes"):
            parts = {code: parts_table.text(code) for code in parts_table.data}
            parts_table.done()
            if sorted(parts) != sorted(part.strip() for part in written.split("/")):
                parts_table.fail(
                    None, f"the codes listed ({', '.join(parts)}) are not the parts of {written!r}"
                )
            combined[written] = (parts_table, parts)
    body.done()

    csv_path = path.parent / file_name
    if not csv_path.is_file():
        csv_path = shipped_dir / file_name
    if not csv_path.is_file():
        table.fail("file", f"{file_name!r} is not beside {path.name} nor among the shipped files")
    rows, entries = _read_offence_table(csv_path, columns, crime_types, combined)
    for written, (parts_table, _) in combined.items():
        if written not in {entry.table_code for entry in entries}:
            parts_table.fail(None, f"{written!r} is not a code in {file_name}")
    return OffenceCodes(
        header=definition.header,
        ref=definition.ref(rows),
        codes=tuple(entries),
        police_uk_crime_types=crime_types,
        table_file=file_name,
    )


def _read_offence_table(
    csv_path: Path,
    columns: dict[str, str],
    crime_types: tuple[str, ...],
    combined: dict[str, tuple[Table, dict[str, str]]],
) -> tuple[list[list[str]], list[OffenceCode]]:
    file = str(csv_path)
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        fail(file, "file", f"cannot be read: {error}")
    reader = csv.reader(text.splitlines())
    rows = [row for row in reader]
    if not rows:
        fail(file, "line 1", "the table is empty")
    header = rows[0]
    missing = [name for name in columns.values() if name not in header]
    if missing:
        fail(file, "line 1 (header)", f"missing column(s) {', '.join(map(repr, missing))}")
    index = {key: header.index(name) for key, name in columns.items()}
    by_type = {kind.lower(): kind for kind in crime_types}
    entries: list[OffenceCode] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            fail(file, f"line {line}", f"has {len(row)} fields; the header has {len(header)}")
        values = {key: row[position].strip() for key, position in index.items()}
        written = values["code_column"]
        if not written:
            fail(file, f"line {line}", "the offence code is empty")
        kind = by_type.get(values["crime_type_column"].lower())
        if kind is None:
            fail(
                file,
                f"line {line} (code {written})",
                f"police.uk crime type {values['crime_type_column']!r} is not one of "
                "police_uk_crime_types in offence-codes.toml",
            )
        if "/" in written:
            if written not in combined:
                fail(
                    file,
                    f"line {line} (code {written})",
                    "a combined code needs a [combined_codes] entry in offence-codes.toml "
                    "giving each part's description",
                )
            parts = combined[written][1].items()
        else:
            parts = dict.fromkeys([written], values["description_column"]).items()
        for code, description in parts:
            code = normalise_offence_code(code)
            if code in seen:
                fail(
                    file,
                    f"line {line} (code {code})",
                    f"offence code {code} is already given on line {seen[code]}",
                )
            seen[code] = line
            entries.append(
                OffenceCode(
                    code=code,
                    description=description,
                    group=values["group_column"],
                    subgroup=values["subgroup_column"],
                    police_uk_crime_type=kind,
                    table_code=written,
                    line=line,
                )
            )
    return rows, entries


@dataclass(frozen=True)
class OffenceGrouping:
    """One grouping of the local definition (e.g. homicide) and its offence codes."""

    id: str
    label: str
    #: The Home Office Counting Rules classification the codes come from, in words.
    classification: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ExcludedOffences:
    """Codes deliberately left out of a definition, and why (recorded, not applied)."""

    codes: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class SeriousViolence:
    """The local serious-violence definition.

    A crime counts when its offence code is in one of the groupings and, as the rules say,
    it happened in a public place, it is not flagged domestic and it is not a sexual offence.
    """

    header: Header
    ref: DefinitionRef
    quote: str
    groupings: tuple[OffenceGrouping, ...]
    public_place_only: bool
    exclude_domestic: bool
    exclude_sexual_offences: bool
    #: Home Office offence groups that are sexual offences (none may be listed when excluded).
    sexual_offence_groups: tuple[str, ...]
    excluded: tuple[ExcludedOffences, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for grouping in self.groupings for code in grouping.codes)

    def grouping_of(self, code: str) -> OffenceGrouping | None:
        code = normalise_offence_code(code)
        for grouping in self.groupings:
            if code in grouping.codes:
                return grouping
        return None

    def classify(
        self,
        crimes: pd.DataFrame,
        *,
        offence_code: str = "offence_code",
        public_place: str = "public_place",
        domestic: str = "domestic",
        sexual: str | None = None,
    ) -> pd.DataFrame:
        """Which crimes are serious violence, and in which grouping.

        Returns a frame with the index of ``crimes`` and two columns: ``serious_violence``
        (bool) and ``grouping`` (the grouping id, ``<NA>`` where not serious violence).

        ``public_place`` and ``domestic`` are yes/no columns (needed only when the rules
        use them). A crime whose public-place flag is missing does not count (it cannot be
        shown to be in a public place); a missing domestic flag counts as not domestic,
        since forces flag domestic crimes positively. ``sexual``, if given, names a yes/no
        column of crimes with a sexual element (e.g. sexually motivated assaults), which
        are excluded when sexual offences are; sexual offence codes themselves are never
        in the groupings (the loader checks this).
        """
        purpose = f"the {self.ref.short_id} definition"
        code_text = _frames.offence_codes(crimes, offence_code, purpose)
        lookup = {code: grouping.id for grouping in self.groupings for code in grouping.codes}
        grouping = code_text.map(lookup).astype("string")
        mask = grouping.notna()
        if self.public_place_only:
            mask &= _frames.flag(crimes, public_place, purpose + " (public place only)").fillna(
                False
            )
        if self.exclude_domestic:
            mask &= ~_frames.flag(crimes, domestic, purpose + " (domestic excluded)").fillna(False)
        if self.exclude_sexual_offences and sexual is not None:
            mask &= ~_frames.flag(crimes, sexual, purpose + " (sexual offences excluded)").fillna(
                False
            )
        mask = mask.astype(bool)
        return pd.DataFrame(
            {"serious_violence": mask, "grouping": grouping.where(mask, pd.NA)},
            index=crimes.index,
        )

    def mask(
        self,
        crimes: pd.DataFrame,
        *,
        offence_code: str = "offence_code",
        public_place: str = "public_place",
        domestic: str = "domestic",
        sexual: str | None = None,
    ) -> pd.Series:
        """The ``serious_violence`` column of :meth:`classify` (same arguments)."""
        classified = self.classify(
            crimes,
            offence_code=offence_code,
            public_place=public_place,
            domestic=domestic,
            sexual=sexual,
        )
        return classified["serious_violence"]

    def police_uk_crime_types(self, offences: OffenceCodes) -> tuple[str, ...]:
        """The police.uk crime types the definition's offences are published under.

        data.police.uk files carry no offence code, so these types can only approximate
        serious violence (``Violence and sexual offences`` also holds common assault,
        harassment and sexual offences).
        """
        return offences.crime_types_for(self.codes)


def parse_serious_violence(path: Path, offences: OffenceCodes) -> SeriousViolence:
    definition = open_definition(path, "serious-violence")
    body = definition.body
    quote = body.text("quote")
    rules = body.table("rules")
    public_place_only = rules.flag("public_place_only")
    exclude_domestic = rules.flag("exclude_domestic")
    exclude_sexual = rules.flag("exclude_sexual_offences")
    sexual_groups = rules.texts("sexual_offence_groups", required=exclude_sexual)
    rules.done()

    groupings: list[OffenceGrouping] = []
    seen: dict[str, str] = {}
    grouping_tables = body.tables("grouping")
    if not grouping_tables:
        body.fail("grouping", "at least one [[grouping]] is needed")
    for table in grouping_tables:
        grouping_id = table.identifier("id")
        if any(existing.id == grouping_id for existing in groupings):
            table.fail("id", f"grouping {grouping_id!r} appears twice")
        codes = []
        for position, written in enumerate(table.texts("codes")):
            code = normalise_offence_code(written)
            entry = f"codes[{position}]"
            if code not in offences:
                table.fail(
                    entry,
                    f"offence code {written!r} is not in offence-codes ({offences.table_file})",
                )
            if code in seen:
                table.fail(entry, f"offence code {code} is already in grouping {seen[code]!r}")
            if exclude_sexual and offences[code].group in sexual_groups:
                table.fail(
                    entry,
                    f"offence code {code} ({offences[code].description}) is a sexual offence, "
                    "but the rules exclude sexual offences",
                )
            seen[code] = grouping_id
            codes.append(code)
        if not codes:
            table.fail("codes", "is empty")
        groupings.append(
            OffenceGrouping(
                id=grouping_id,
                label=table.text("label"),
                classification=table.text("classification"),
                codes=tuple(codes),
            )
        )
        table.done()

    excluded = []
    for table in body.tables("excluded", required=False):
        codes = []
        for position, written in enumerate(table.texts("codes")):
            code = normalise_offence_code(written)
            if code not in offences:
                table.fail(
                    f"codes[{position}]",
                    f"offence code {written!r} is not in offence-codes ({offences.table_file})",
                )
            if code in seen:
                table.fail(
                    f"codes[{position}]",
                    f"offence code {code} is both excluded and in grouping {seen[code]!r}",
                )
            codes.append(code)
        excluded.append(ExcludedOffences(tuple(codes), table.text("reason")))
        table.done()
    body.done()
    return SeriousViolence(
        header=definition.header,
        ref=definition.ref(),
        quote=quote,
        groupings=tuple(groupings),
        public_place_only=public_place_only,
        exclude_domestic=exclude_domestic,
        exclude_sexual_offences=exclude_sexual,
        sexual_offence_groups=sexual_groups,
        excluded=tuple(excluded),
    )
