"""Load the reference tables (geography, deprivation, population, boundaries) from public files.

:func:`load_reference` reads and checks every file first and only then replaces the
reference tables, in one transaction: a bad file raises :class:`ReferenceDataError`
and changes nothing. Rows that are well formed but cannot be linked (an LSOA missing
from the hierarchy, a local authority with several CSPs) are counted in the load's
notes, never dropped silently. docs/reference-data.md describes the files and quirks.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone

from vrn.geography.models import (
    CENSUS_2021,
    IOD_2025,
    Area,
    AreaType,
    Boundary,
    Deprivation,
    LsoaChange,
    Population,
    ReferenceLoad,
)
from vrn.geography.parsing import (
    ReferenceDataError,
    bad_values,
    check_codes,
    check_present,
    check_unique,
    numbers,
    read_csv,
    read_features,
    whole_numbers,
)

__all__ = ["SOURCES", "ReferenceDataError", "Source", "load_reference", "parse_age_group"]

#: Rows per INSERT (Django lowers it where the database caps query parameters, as SQLite does).
BATCH_SIZE = 2000
#: How many codes a note lists before summarising the rest.
NOTED_CODES = 10
#: The IoD2025 indices, as the prefixes of their columns (``IMD_score``, ``Income_rank``, ...).
DOMAINS = (
    "Income",
    "Employment",
    "Education",
    "Health",
    "Crime",
    "Housing_and_Services",
    "Environment",
)
#: Reference tables, dependants first: the order in which they are emptied.
REFERENCE_MODELS: tuple[type[models.Model], ...] = (
    Boundary,
    Population,
    Deprivation,
    LsoaChange,
    Area,
)


@dataclass(frozen=True)
class Source:
    """One input file: its path under the reference directory and what it holds."""

    path: str
    description: str
    required: bool = True


WARDS = Source(
    "geographr/lookup_lsoa21_ward24_ltla24.csv",
    "ONS lookup: 2021 LSOA -> 2024 ward -> 2024 local authority (England and Wales)",
)
CSPS = Source(
    "geographr/lookup_ltla24_csp24_pfa24.csv",
    "ONS lookup: 2024 local authority -> Community Safety Partnership -> police force area",
)
LSOA_CHANGES = Source(
    "geographr/lookup_lsoa11_lsoa21_ltla22.csv",
    "ONS lookup: 2011 LSOA -> 2021 LSOA with change codes U/S/M/X",
)
DEPRIVATION = Source(
    "imd-humaniverse/imd2025_england_lsoa21.csv.gz",
    "English Indices of Deprivation 2025 by 2021 LSOA (scores, ranks, deciles)",
)
POPULATION = Source(
    "census2021-lsoa-age/census21_pop.csv.gz",
    "Census 2021 usual residents by 2021 LSOA and age group",
)
LSOA_BOUNDARIES = Source(
    "geographr/boundaries_lsoa21_LLR.geojson",
    "2021 LSOA boundaries, GeoJSON (the network's LSOAs)",
)
LA_BOUNDARIES = Source(
    "geographr/boundaries_ltla24.geojson",
    "2024 local authority boundaries, GeoJSON (optional)",
    required=False,
)
SOURCES = (WARDS, CSPS, LSOA_CHANGES, DEPRIVATION, POPULATION, LSOA_BOUNDARIES, LA_BOUNDARIES)

AGE_GROUP = re.compile(
    r"Aged (?:(?P<under>\d+) years and under"
    r"|(?P<start>\d+) to (?P<end>\d+) years"
    r"|(?P<over>\d+) years and over)"
)


@dataclass
class ReferenceTables:
    """Everything a load will insert, built and checked before the database is touched."""

    areas: list[Area]
    lsoa_changes: list[LsoaChange]
    deprivation: list[Deprivation]
    population: list[Population]
    boundaries: list[Boundary]

    def inserts(self) -> list[tuple[type[models.Model], list[Any]]]:
        """Model and rows, in insertion order (areas first, parents before children)."""
        return [
            (Area, self.areas),
            (LsoaChange, self.lsoa_changes),
            (Deprivation, self.deprivation),
            (Population, self.population),
            (Boundary, self.boundaries),
        ]


@dataclass
class Reader:
    """Reads source files under one directory, recording each file's checksum and rows."""

    directory: Path
    progress: Callable[[str], None]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def csv(self, source: Source, columns: Iterable[str]) -> pd.DataFrame:
        """Read a CSV source as text (see :func:`vrn.geography.parsing.read_csv`)."""
        return self._read(source, lambda path: read_csv(path, source.path, columns))

    def features(self, source: Source, code_property: str) -> list[tuple[str, dict[str, Any]]]:
        """Read a GeoJSON source as (code, geometry) pairs."""
        return self._read(source, lambda path: read_features(path, source.path, code_property))

    def _read(self, source: Source, read: Callable[[Path], Any]) -> Any:
        """Run ``read`` on the source's path; record its checksum and rows; report progress."""
        started = time.perf_counter()
        path = self.directory / source.path
        rows = read(path)
        self.files[source.path] = {"sha256": _sha256(path), "rows": len(rows)}
        seconds = time.perf_counter() - started
        self.progress(f"read {source.path}: {len(rows):,} rows ({seconds:.1f} s)")
        return rows


def load_reference(
    directory: Path | str,
    *,
    progress: Callable[[str], None] | None = None,
    now: datetime | None = None,
) -> ReferenceLoad:
    """Replace the reference tables with the contents of the files under ``directory``.

    ``progress`` receives a line per step; ``now`` is the time recorded on the
    :class:`ReferenceLoad` (default: the current time). Raises
    :class:`ReferenceDataError` if a file is missing or malformed, before any change.
    """
    started = time.perf_counter()
    directory = Path(directory)
    present = _check_sources(directory)
    notes: list[str] = []
    reader = Reader(directory, progress or (lambda _message: None))
    tables = _read_tables(reader, present, notes)
    writing = time.perf_counter()
    with transaction.atomic():
        _replace(tables)
        counts = _table_counts()
        reader.progress(f"replaced the reference tables ({time.perf_counter() - writing:.1f} s)")
        return ReferenceLoad.objects.create(
            loaded_at=now or timezone.now(),
            duration_seconds=round(time.perf_counter() - started, 3),
            source_dir=str(directory.resolve()),
            files=reader.files,
            counts=counts,
            notes=notes,
        )


def _check_sources(directory: Path) -> list[Source]:
    """The sources present under ``directory``; an error naming any required one missing."""
    missing = [s for s in SOURCES if s.required and not (directory / s.path).is_file()]
    if missing:
        listing = "\n".join(f"  {s.path}: {s.description}" for s in missing)
        raise ReferenceDataError(f"Reference data missing under {directory}:\n{listing}")
    return [s for s in SOURCES if (directory / s.path).is_file()]


def _read_tables(reader: Reader, present: list[Source], notes: list[str]) -> ReferenceTables:
    """Read and check every source; build the rows to insert."""
    areas = _areas(reader, notes)
    lsoas = {area.code for area in areas if area.type == AreaType.LSOA}
    return ReferenceTables(
        areas=areas,
        lsoa_changes=_lsoa_changes(reader, lsoas, notes),
        deprivation=_deprivation(reader, lsoas, notes),
        population=_population(reader, lsoas, notes),
        boundaries=_all_boundaries(reader, present, areas, notes),
    )


# --- The area hierarchy --------------------------------------------------------------


def _areas(reader: Reader, notes: list[str]) -> list[Area]:
    """Areas of every level, parents before children, from the two hierarchy lookups."""
    wards = reader.csv(WARDS, _columns("lsoa21", "ward24", "ltla24"))
    csps = reader.csv(CSPS, _columns("ltla24", "csp24", "pfa24"))
    _check_lookup(WARDS.path, wards)
    _check_lookup(CSPS.path, csps)
    check_unique(WARDS.path, wards, ["lsoa21_code"])
    check_unique(CSPS.path, csps, ["ltla24_code", "csp24_code"])
    ward_authority, split_wards = _single_parent(wards, "ward24", "ltla24")
    _note(notes, split_wards, "ward24 areas in several ltla24 areas: loaded with no parent")
    csp_force, split_csps = _single_parent(csps, "csp24", "pfa24")
    _note(notes, split_csps, "csp24 areas in several pfa24 areas: loaded with no parent")
    levels = [
        _level(csps, "pfa24", AreaType.POLICE_FORCE_AREA),
        _level(csps, "csp24", AreaType.CSP, parent=csp_force),
        _local_authorities(wards, csps, notes),
        _level(
            wards, "ward24", AreaType.WARD, parent=ward_authority, local_authority=ward_authority
        ),
        _level(
            wards,
            "lsoa21",
            AreaType.LSOA,
            parent=wards.set_index("lsoa21_code")["ward24_code"],
            local_authority=wards.set_index("lsoa21_code")["ltla24_code"],
        ),
    ]
    hierarchy = pd.concat(levels, ignore_index=True)
    _check_codes_unique(hierarchy)
    return [
        Area(
            code=row.code,
            name=row.name,
            type=row.type,
            parent_id=_or_none(row.parent),
            local_authority_id=_or_none(row.local_authority),
        )
        for row in hierarchy.itertuples(index=False)
    ]


def _columns(*levels: str) -> list[str]:
    """The code and name columns of the given levels, e.g. ``lsoa21_code, lsoa21_name``."""
    return [f"{level}_{part}" for level in levels for part in ("code", "name")]


def _check_lookup(name: str, frame: pd.DataFrame) -> None:
    """Check a lookup's code columns hold GSS codes and its name columns are filled in."""
    for column in frame.columns:
        if column.endswith("_code"):
            check_codes(name, frame, column)
        else:
            check_present(name, frame, column)


def _single_parent(frame: pd.DataFrame, level: str, parent: str) -> tuple[pd.Series, list[str]]:
    """Map each ``level`` code to its one ``parent`` code; also list codes with several."""
    links = frame.drop_duplicates([f"{level}_code", f"{parent}_code"])
    several = links[f"{level}_code"].duplicated(keep=False)
    single = links.loc[~several]
    mapping = pd.Series(single[f"{parent}_code"].to_numpy(), index=single[f"{level}_code"])
    return mapping, sorted(links.loc[several, f"{level}_code"].unique())


def _level(
    frame: pd.DataFrame,
    level: str,
    area_type: AreaType,
    parent: pd.Series | None = None,
    local_authority: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per distinct ``level`` code (first name seen), with mapped parent codes."""
    first = frame.drop_duplicates(f"{level}_code")
    codes = first[f"{level}_code"]
    return pd.DataFrame(
        {
            "code": codes.to_numpy(),
            "name": first[f"{level}_name"].to_numpy(),
            "type": area_type.value,
            "parent": _mapped(codes, parent),
            "local_authority": _mapped(codes, local_authority),
        }
    )


def _mapped(codes: pd.Series, mapping: pd.Series | None) -> Any:
    """``codes`` looked up in ``mapping`` (NaN where absent), or None without a mapping."""
    return None if mapping is None else codes.map(mapping).to_numpy()


def _local_authorities(wards: pd.DataFrame, csps: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Local authorities from both lookups, each under its CSP.

    An authority listed under several CSPs (the lookup keeps the CSPs of districts
    merged into one authority) is placed directly under its police force area.
    """
    csp, several_csps = _single_parent(csps, "ltla24", "csp24")
    force, several_forces = _single_parent(csps, "ltla24", "pfa24")
    authorities = pd.concat([wards[_columns("ltla24")], csps[_columns("ltla24")]])
    result = _level(authorities, "ltla24", AreaType.LOCAL_AUTHORITY)
    result["parent"] = result["code"].map(csp).fillna(result["code"].map(force))
    _note(notes, several_csps, "ltla24 areas in several csp24 areas: placed under their pfa24")
    _note(notes, several_forces, "ltla24 areas in several pfa24 areas: loaded with no parent")
    with_lsoas = set(wards["ltla24_code"])
    with_csp = set(csps["ltla24_code"])
    _note(notes, sorted(with_lsoas - with_csp), f"ltla24 areas not in {CSPS.path}: no parent")
    _note(notes, sorted(with_csp - with_lsoas), f"ltla24 areas with no LSOAs in {WARDS.path}")
    return result


def _check_codes_unique(hierarchy: pd.DataFrame) -> None:
    """A GSS code names one area: the same code at two levels is an error."""
    repeated = hierarchy[hierarchy["code"].duplicated(keep=False)]
    if not repeated.empty:
        listing = ", ".join(f"{row.code} ({row.type})" for row in repeated.itertuples())
        raise ReferenceDataError(f"{WARDS.path}, {CSPS.path}: codes at two levels: {listing}")


# --- Tables keyed by 2021 LSOA ----------------------------------------------------------


def _lsoa_changes(reader: Reader, lsoas: set[str], notes: list[str]) -> list[LsoaChange]:
    """The 2011 -> 2021 LSOA lookup rows whose 2021 LSOA is in the hierarchy."""
    name = LSOA_CHANGES.path
    frame = reader.csv(LSOA_CHANGES, ["lsoa11_code", "lsoa11_name", "change_code", "lsoa21_code"])
    _check_lookup(name, frame.drop(columns="change_code"))
    codes = set(LsoaChange.ChangeCode.values)
    bad = ~frame["change_code"].isin(codes)
    bad_values(name, frame, "change_code", bad, f"is not one of {', '.join(sorted(codes))}")
    check_unique(name, frame, ["lsoa11_code", "lsoa21_code"])
    frame = frame[_in_hierarchy(frame, lsoas, name, notes)]
    return [
        LsoaChange(
            lsoa11_code=row.lsoa11_code,
            lsoa11_name=row.lsoa11_name,
            lsoa21_id=row.lsoa21_code,
            change_code=row.change_code,
        )
        for row in frame.itertuples(index=False)
    ]


def _deprivation(reader: Reader, lsoas: set[str], notes: list[str]) -> list[Deprivation]:
    """IoD2025 score, rank and decile of the IMD and its seven domains, per 2021 LSOA."""
    name = DEPRIVATION.path
    indices = ("IMD", *DOMAINS)
    measures = [f"{index}_{part}" for index in indices for part in ("score", "rank", "decile")]
    frame = reader.csv(DEPRIVATION, ["lsoa21_code", *measures])
    check_codes(name, frame, "lsoa21_code")
    check_unique(name, frame, ["lsoa21_code"])
    values = pd.DataFrame(
        {
            **{f"{i}_score": numbers(name, frame, f"{i}_score") for i in indices},
            **{f"{i}_rank": whole_numbers(name, frame, f"{i}_rank", low=1) for i in indices},
            **{f"{i}_decile": whole_numbers(name, frame, f"{i}_decile", 1, 10) for i in indices},
        }
    )
    known = _in_hierarchy(frame, lsoas, name, notes)
    return [
        Deprivation(
            lsoa_id=code,
            release=IOD_2025,
            imd_score=row["IMD_score"],
            imd_rank=row["IMD_rank"],
            imd_decile=row["IMD_decile"],
            domains={domain.lower(): _measures(row, domain) for domain in DOMAINS},
        )
        for code, row in zip(
            frame.loc[known, "lsoa21_code"], values[known].to_dict("records"), strict=True
        )
    ]


def _measures(row: dict[str, Any], index: str) -> dict[str, Any]:
    """Score, rank and decile of one index from a parsed deprivation row."""
    return {part: row[f"{index}_{part}"] for part in ("score", "rank", "decile")}


def parse_age_group(label: str) -> tuple[int, int | None] | None:
    """First and last year of age in a Census age-group label (None = no upper limit).

    >>> parse_age_group("Aged 15 years and under"), parse_age_group("Aged 16 to 24 years")
    ((0, 15), (16, 24))
    >>> parse_age_group("Aged 65 years and over"), parse_age_group("All ages")
    ((65, None), None)
    """
    match = AGE_GROUP.fullmatch(label)
    if match is None:
        return None
    if match["under"]:
        return 0, int(match["under"])
    if match["over"]:
        return int(match["over"]), None
    return int(match["start"]), int(match["end"])


def _population(reader: Reader, lsoas: set[str], notes: list[str]) -> list[Population]:
    """Census 2021 usual residents per 2021 LSOA and age group."""
    name = POPULATION.path
    frame = reader.csv(POPULATION, ["lsoa21_code", "age_group", "usual_residents"])
    check_codes(name, frame, "lsoa21_code")
    ages = {label: parse_age_group(label) for label in frame["age_group"].unique()}
    bad = frame["age_group"].map(ages).isna()
    bad_values(name, frame, "age_group", bad, 'is not like "Aged 16 to 24 years"')
    check_unique(name, frame, ["lsoa21_code", "age_group"])
    residents = whole_numbers(name, frame, "usual_residents")
    known = _in_hierarchy(frame, lsoas, name, notes)
    return [
        Population(
            lsoa_id=code,
            source=CENSUS_2021,
            age_group=label,
            age_from=ages[label][0],
            age_to=ages[label][1],
            residents=count,
        )
        for code, label, count in zip(
            frame.loc[known, "lsoa21_code"],
            frame.loc[known, "age_group"],
            residents[known].tolist(),
            strict=True,
        )
    ]


def _in_hierarchy(frame: pd.DataFrame, lsoas: set[str], name: str, notes: list[str]) -> pd.Series:
    """Which rows have a 2021 LSOA in the hierarchy; the others are counted in the notes."""
    known = frame["lsoa21_code"].isin(lsoas)
    _note(notes, frame.loc[~known, "lsoa21_code"].unique(), f"{name}: LSOAs not in the hierarchy")
    return known


def _all_boundaries(
    reader: Reader, present: list[Source], areas: list[Area], notes: list[str]
) -> list[Boundary]:
    """LSOA boundaries and, if that file is present, local authority boundaries."""
    lsoas = {area.code for area in areas if area.type == AreaType.LSOA}
    boundaries = _boundaries(reader, LSOA_BOUNDARIES, "lsoa21_code", lsoas, notes)
    if LA_BOUNDARIES not in present:
        notes.append(f"{LA_BOUNDARIES.path} not present: no local authority boundaries loaded")
        return boundaries
    authorities = {area.code for area in areas if area.type == AreaType.LOCAL_AUTHORITY}
    return boundaries + _boundaries(reader, LA_BOUNDARIES, "ltla24_code", authorities, notes)


def _boundaries(
    reader: Reader, source: Source, code_property: str, codes: set[str], notes: list[str]
) -> list[Boundary]:
    """Boundaries of the areas in ``codes``; features for other areas are noted."""
    features = reader.features(source, code_property)
    seen: set[str] = set()
    for number, (code, _geometry) in enumerate(features, start=1):
        if code in seen:
            raise ReferenceDataError(f"{source.path} feature {number}: {code} repeats")
        seen.add(code)
    _note(notes, sorted(seen - codes), f"{source.path}: areas not in the hierarchy")
    return [
        Boundary(area_id=code, geometry=geometry, source=source.path)
        for code, geometry in features
        if code in codes
    ]


# --- Writing ---------------------------------------------------------------------------


def _replace(tables: ReferenceTables) -> None:
    """Empty the reference tables and insert the new rows (call inside a transaction)."""
    for model in REFERENCE_MODELS:
        _delete_all(model)
    for model, rows in tables.inserts():
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _delete_all(model: type[models.Model]) -> None:
    """Delete every row in one statement; foreign keys are checked at commit."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _table_counts() -> dict[str, int]:
    """Rows per reference table, and areas per type."""
    counts = {model.__name__: model.objects.count() for model in reversed(REFERENCE_MODELS)}
    by_type = dict(Area.objects.values_list("type").annotate(rows=Count("code")).order_by())
    counts.update({f"Area {area_type}": by_type.get(area_type, 0) for area_type in AreaType.values})
    return counts


# --- Small helpers ---------------------------------------------------------------------


def _note(notes: list[str], codes: Collection[str], what: str) -> None:
    """Add a note counting ``codes`` (and listing the first few), if there are any."""
    codes = list(codes)
    if not codes:
        return
    listed = ", ".join(codes[:NOTED_CODES]) + (", ..." if len(codes) > NOTED_CODES else "")
    notes.append(f"{len(codes):,} {what}: {listed}")


def _or_none(value: Any) -> Any:
    """``None`` for a missing (NaN) value from pandas, else the value."""
    return None if pd.isna(value) else value


def _sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes (as stored, so of the gzip for .gz files)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
