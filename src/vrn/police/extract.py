"""The person-level police extract (``vrn ingest police-extract``): a crimes file and a
people file, told apart by their header (docs/formats/police-extract.md).

A crimes file is the authority for the force-months (of ``committed_from``) of its rows; a
people file for the people of the crimes in its force-months. Partitions are labelled
``crimes`` or ``people`` (and ``synthetic`` for synthetic files), so the two kinds never
replace each other, and synthetic data never replaces real data.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from vrn.definitions import Definitions, load_definitions, normalise_offence_code
from vrn.ingest.bulk import ColumnRows
from vrn.ingest.columns import Problems
from vrn.ingest.partner_csv import (
    Column,
    Layout,
    PartnerTable,
    check_code,
    check_flag,
    check_length,
    check_pattern,
    check_record_identifiers,
    check_required,
    choices,
    file_synthetic,
    flag_duplicates,
    flag_outside_period,
    header_columns,
    iso_dates,
    lookup_records,
    months,
    optional_integers,
    optional_numbers,
    parse_coordinates,
    parse_datetimes,
    parse_whole_numbers,
    partitions,
    read_partner_table,
    record_keys,
    synthetic_flags,
    utc_datetimes,
)
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.places import Places
from vrn.ingest.pseudonymise import (
    PERSON_COLUMNS,
    check_age_from_birth,
    pseudonymise,
    require_person_columns,
    secret_for,
)
from vrn.ingest.reading import FileRefused, RawFile
from vrn.police.models import Crime, Ethnicity, Injury, LocationType, Person, Role, Sex, Weapon

NAME = "police-extract"
FORCE_CODE = r"[EW][0-9]{8}"
FORCE_CODE_WHAT = "a police force area code (9 characters, e.g. E23000021)"

CRIMES = Layout(
    kind="police-extract crimes file",
    columns=(
        Column("crime_reference", required=True),
        Column("force_code", required=True),
        Column("offence_code", required=True),
        Column("offence_description"),
        Column("committed_from", required=True),
        Column("committed_to"),
        Column("easting"),
        Column("northing"),
        Column("latitude"),
        Column("longitude"),
        Column("lsoa_code"),
        Column("location_type", required=True),
        Column("weapon", required=True),
        Column("domestic", required=True),
        Column("injury", required=True),
        Column("synthetic"),
    ),
)

PEOPLE = Layout(
    kind="police-extract people file",
    columns=(
        Column("crime_reference", required=True),
        Column("force_code", required=True),
        Column("role", required=True),
        *(Column(name) for name in PERSON_COLUMNS),
        Column("age"),
        Column("sex"),
        Column("ethnicity"),
        Column("residence_lsoa"),
        Column("synthetic"),
    ),
)


class _Shared:
    """Lookups shared by the two kinds of file within one ``vrn ingest`` run."""

    def __init__(self) -> None:
        self.places = Places()
        self._definitions: Definitions | None = None

    @property
    def definitions(self) -> Definitions:
        if self._definitions is None:
            self._definitions = load_definitions(settings.VRN_DEFINITIONS_DIR)
        return self._definitions


class PoliceExtractCrimes(Dataset):
    """The crimes file: one row per crime."""

    name = NAME
    model = Crime
    fields = [
        "line_number",
        "synthetic",
        "crime_reference",
        "force_code",
        "offence_code",
        "offence_description",
        "committed_from",
        "committed_to",
        "location_type",
        "weapon",
        "domestic",
        "injury",
        "easting",
        "northing",
        "latitude",
        "longitude",
        "lsoa_code_published",
        "police_uk_crime_type",
        "committed_date",
        "month",
        "has_time",
        "time_exact",
        "hour",
        "weekday",
        "lsoa21_code",
        "lsoa_match",
        "local_authority_code",
        "in_network_area",
    ]

    def __init__(self, shared: _Shared | None = None) -> None:
        self.shared = shared or _Shared()

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        table = read_partner_table(raw, CRIMES)
        places = self.shared.places
        places.require_reference(raw.name)
        problems = Problems(len(table))
        check_required(table, problems)
        check_length(table, problems, "crime_reference", 40)
        force = check_pattern(table, problems, "force_code", FORCE_CODE, FORCE_CODE_WHAT)
        offence, crime_type = self._offences(table, problems)
        start = parse_datetimes(table, problems, "committed_from", context.today, date_only=True)
        end = parse_datetimes(table, problems, "committed_to", context.today, date_only=True)
        _check_window(problems, start, end)
        point = parse_coordinates(table, problems)
        lsoa = places.check_lsoas(table.text("lsoa_code"), problems, "lsoa_code")
        location_type = check_code(table, problems, "location_type", choices(LocationType))
        weapon = check_code(table, problems, "weapon", choices(Weapon))
        domestic = check_flag(table, problems, "domestic", "Y", "N")
        injury = check_code(table, problems, "injury", choices(Injury))
        synthetic = synthetic_flags(table, problems)
        month = months(start.dates)
        flag_outside_period(problems, month, context.period, "committed_from")
        reference, is_synthetic = check_record_identifiers(
            problems,
            table,
            raw.name,
            Crime,
            id_field="crime_reference",
            source_field="force_code",
            sources=force,
            month_text=month,
            synthetic=synthetic,
        )

        valid = np.flatnonzero(~problems.found)
        placed = places.place(lsoa[valid], point.longitude[valid], point.latitude[valid])
        local = start.local[valid]
        has_time = start.has_time[valid]
        hours = (local - local.astype("datetime64[D]")).astype("timedelta64[h]").astype(np.int64)
        weekday = (local.astype("datetime64[D]").astype(np.int64) + 3) % 7 + 1
        no_time: np.ndarray[Any, np.dtype[np.float64]] = np.where(has_time, 0.0, np.nan)
        rows = ColumnRows(
            [
                table.line_numbers[valid].tolist(),
                [is_synthetic] * len(valid),
                reference[valid].tolist(),
                force[valid].tolist(),
                offence[valid].tolist(),
                table.text("offence_description")[valid].tolist(),
                utc_datetimes(local),
                utc_datetimes(end.local[valid]),
                location_type[valid].tolist(),
                weapon[valid].tolist(),
                domestic[valid].tolist(),
                injury[valid].tolist(),
                optional_numbers(point.easting[valid]),
                optional_numbers(point.northing[valid]),
                optional_numbers(point.latitude[valid]),
                optional_numbers(point.longitude[valid]),
                lsoa[valid].tolist(),
                crime_type[valid].tolist(),
                iso_dates(local),
                iso_dates(local.astype("datetime64[M]")),
                has_time.tolist(),
                (has_time & np.isnat(end.local[valid])).tolist(),
                optional_integers(hours + no_time),
                optional_integers(weekday + no_time),
                placed.lsoa21.tolist(),
                placed.match.tolist(),
                placed.local_authority.tolist(),
                placed.in_network.tolist(),
            ]
        )
        return ParsedFile(
            rows_read=table.rows_read,
            partitions=partitions(
                is_synthetic, ["crimes"], force[valid], month[valid], period=context.period
            ),
            rows=rows,
            rejections=table.rejections(problems),
            synthetic=is_synthetic,
        )

    def _offences(self, table: PartnerTable, problems: Problems) -> tuple[Any, Any]:
        """Normalised offence codes and their police.uk crime types (offence-codes
        definition); an unknown code is a problem."""
        codes = self.shared.definitions.offence_codes
        column = table.distinct("offence_code")
        normal = column.apply(normalise_offence_code)
        types = column.apply(lambda code: codes[code].police_uk_crime_type if code in codes else "")
        unknown = np.array(
            [value != "" and kind == "" for value, kind in zip(normal, types, strict=True)],
            dtype=bool,
        )
        texts = column.uniques
        problems.flag(
            column.spread(unknown),
            "offence_code",
            lambda rows: [
                f"'{texts[code]}' is not in the offence-codes definition ({codes.ref.short_id})"
                for code in column.codes[rows]
            ],
        )
        return column.spread(normal), column.spread(types)


def _check_window(problems: Problems, start: Any, end: Any) -> None:
    """``committed_to`` is not before ``committed_from`` (a date alone is the whole day)."""
    with np.errstate(invalid="ignore"):
        timed = end.has_time & start.has_time
        before = np.where(
            timed, end.local < start.local, end.local.astype("datetime64[D]") < start.dates
        )
    before &= ~np.isnat(end.local) & ~np.isnat(start.local)
    problems.flag(before, "committed_to", "is before committed_from")


class PoliceExtractPeople(Dataset):
    """The people file: one row per victim, suspect or offender of a loaded crime."""

    name = NAME
    model = Person
    fields = [
        "line_number",
        "synthetic",
        "force_code",
        "crime_reference",
        "crime_month",
        "role",
        "person_key",
        "key_basis",
        "age",
        "sex",
        "ethnicity",
        "residence_lsoa_published",
        "residence_postcode_district",
        "residence_lsoa21_code",
        "residence_lsoa_match",
        "residence_local_authority_code",
        "resident_in_network",
    ]

    def __init__(self, shared: _Shared | None = None) -> None:
        self.shared = shared or _Shared()

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        table = read_partner_table(raw, PEOPLE)
        require_person_columns(table)
        secret = secret_for(raw.name, table.identifier_columns())
        places = self.shared.places
        places.require_reference(raw.name)
        problems = Problems(len(table))
        check_required(table, problems)
        force = check_pattern(table, problems, "force_code", FORCE_CODE, FORCE_CODE_WHAT)
        role = check_code(table, problems, "role", choices(Role))
        people = pseudonymise(table, problems, force, secret, required=True)
        age = parse_whole_numbers(table, problems, "age", 0, 120)
        sex = check_code(table, problems, "sex", choices(Sex))
        ethnicity = check_code(table, problems, "ethnicity", choices(Ethnicity))
        residence = places.check_lsoas(table.text("residence_lsoa"), problems, "residence_lsoa")
        synthetic = synthetic_flags(table, problems)
        is_synthetic = file_synthetic(raw.name, synthetic, np.flatnonzero(~problems.found))

        reference = table.text("crime_reference")
        crime_month, crime_date = _crimes_of(force, reference, ~problems.found, is_synthetic)
        unknown = ~problems.found & np.isnat(crime_date)
        if unknown.any() and unknown.sum() == (~problems.found).sum():
            raise FileRefused(
                raw.name,
                "is a people file, but none of its crimes is loaded; load the crimes file "
                "first (or in the same command, before it)",
            )
        problems.flag(
            unknown,
            "crime_reference",
            lambda rows: [
                f"no crime {reference[row]} of force {force[row]} is loaded; load its crimes "
                "file first"
                for row in rows
            ],
        )
        flag_outside_period(problems, months(crime_date), context.period, "crime_reference")
        ages = check_age_from_birth(problems, age, people.date_of_birth, crime_date, "crime")
        same = record_keys(record_keys(force, reference), record_keys(role, people.key))
        flag_duplicates(
            problems,
            same,
            table.line_numbers,
            "person_key",
            "same person in the same role of this crime",
            ignore=people.key == None,  # noqa: E711 (element-wise)
        )

        valid = np.flatnonzero(~problems.found)
        nowhere = np.full(len(valid), np.nan)
        placed = places.place(residence[valid], nowhere, nowhere)
        month_text = months(crime_date)
        stored_sex = sex[valid]
        stored_sex[stored_sex == ""] = Sex.UNKNOWN.value
        rows = ColumnRows(
            [
                table.line_numbers[valid].tolist(),
                [is_synthetic] * len(valid),
                force[valid].tolist(),
                reference[valid].tolist(),
                iso_dates(crime_month[valid]),
                role[valid].tolist(),
                people.key[valid].tolist(),
                people.basis[valid].tolist(),
                optional_integers(ages[valid]),
                stored_sex.tolist(),
                ethnicity[valid].tolist(),
                residence[valid].tolist(),
                people.postcode_district[valid].tolist(),
                placed.lsoa21.tolist(),
                placed.match.tolist(),
                placed.local_authority.tolist(),
                placed.in_network.tolist(),
            ]
        )
        return ParsedFile(
            rows_read=table.rows_read,
            partitions=partitions(
                is_synthetic,
                ["people"],
                force[valid],
                month_text[valid],
                period=context.period,
            ),
            rows=rows,
            rejections=table.rejections(problems),
            synthetic=is_synthetic,
        )


def _crimes_of(
    force: Any, reference: Any, rows: Any, synthetic: bool
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The month and UK date of each row's crime (NaT where it is not loaded)."""
    found = lookup_records(
        Crime,
        "force_code",
        "crime_reference",
        force,
        reference,
        rows,
        ("month", "committed_date"),
        synthetic=synthetic,
    )
    month = np.full(len(force), np.datetime64("NaT"), dtype="datetime64[D]")
    day = month.copy()
    position = found.index.get_indexer(record_keys(force, reference))
    hit = rows & (position >= 0)
    month[hit] = found["month"].to_numpy(dtype="datetime64[D]")[position[hit]]
    day[hit] = found["committed_date"].to_numpy(dtype="datetime64[D]")[position[hit]]
    return month, day


class PoliceExtract(Dataset):
    """``vrn ingest police-extract``: either kind of file, told apart by its header.

    ``parse`` hands each file to the crimes or people dataset; ``model`` and ``fields``
    are those of the kind parsed last, which is what the pipeline then inserts.
    """

    name = NAME

    def __init__(self) -> None:
        shared = _Shared()
        self.crimes = PoliceExtractCrimes(shared)
        self.people = PoliceExtractPeople(shared)
        self._current: Dataset = self.crimes

    @property
    def model(self) -> Any:
        return self._current.model

    # Read-only here: the base's plain attribute is never assigned on a dataset instance.
    @property
    def fields(self) -> Sequence[str]:  # type: ignore[override]
        return self._current.fields

    def for_file(self, raw: RawFile) -> Dataset:
        """The dataset for ``raw``: crimes (an ``offence_code`` column) or people (``role``)."""
        return self.crimes if _kind(raw.name, header_columns(raw.text)) == "crimes" else self.people

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        self._current = self.for_file(raw)
        return self._current.parse(raw, context)

    def batch_order(self, paths: Sequence[Path]) -> list[Path]:
        """``paths`` with crimes files first (otherwise in the order given), so that a people
        file finds the crimes given in the same command."""
        return sorted(paths, key=lambda path: 0 if _sniff(path) == "crimes" else 1)


def _kind(file_name: str, columns: list[str]) -> str:
    crimes, people = "offence_code" in columns, "role" in columns
    if crimes and not people:
        return "crimes"
    if people and not crimes:
        return "people"
    if crimes and people:
        raise FileRefused(
            file_name,
            "has both offence_code (crimes file) and role (people file) columns; a "
            "police-extract file is one or the other",
        )
    raise FileRefused(
        file_name,
        "is neither a police-extract crimes file (it has no offence_code column) nor a "
        "people file (no role column)",
    )


def _sniff(path: Path) -> str:
    """``crimes`` or ``people`` from the first line of a file; ``""`` if it cannot tell
    (or it is not a regular file: a named pipe would make ``open`` wait for ever)."""
    if not path.is_file():
        return ""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        return _kind(path.name, [name.strip().casefold() for name in header])
    except (OSError, UnicodeDecodeError, FileRefused, csv.Error):
        return ""
