"""data.police.uk street-level crime files (``YYYY-MM-<force>-street.csv``).

Format reference: https://data.police.uk/about/ (columns, categories, anonymisation).
Validation is vectorised with pandas so that a force-month of ~10,000 rows parses in
milliseconds; every refused row gets its line, field and reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import shapely
from django.conf import settings

from vrn.crime.models import LsoaMatch, StreetCrime
from vrn.geography import queries as geography
from vrn.ingest.bulk import ColumnRows
from vrn.ingest.columns import Distinct, Positions, Problems
from vrn.ingest.period import Period
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile, Rejection
from vrn.ingest.reading import FileRefused, RawFile, header_problem, read_csv_table

HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]

ANTI_SOCIAL_BEHAVIOUR = "Anti-social behaviour"

#: The street-level categories of data.police.uk, current and retired (data.police.uk/about).
CRIME_TYPES = frozenset(
    {
        ANTI_SOCIAL_BEHAVIOUR,
        "Bicycle theft",
        "Burglary",
        "Criminal damage and arson",
        "Drugs",
        "Other crime",
        "Other theft",
        "Possession of weapons",
        "Public order",
        "Robbery",
        "Shoplifting",
        "Theft from the person",
        "Vehicle crime",
        "Violence and sexual offences",
        # Retired categories, still present in files published before 2013-05.
        "Violent crime",
        "Public disorder and weapons",
    }
)

#: Columns that identify other data.police.uk files, with what to call them.
OTHER_KINDS = [
    ({"Outcome type"}, "a data.police.uk outcomes file"),
    ({"Object of search", "Legislation"}, "a data.police.uk stop-and-search file"),
]

#: police.uk street-level data starts in December 2010.
FIRST_MONTH = date(2010, 12, 1)

#: Longitude and latitude bounds of the United Kingdom, generously rounded.
LONGITUDE_RANGE = (-8.7, 1.8)
LATITUDE_RANGE = (49.8, 60.9)

_CRIME_ID = re.compile(r"[0-9a-f]{64}")
_HEXADECIMAL = b"0123456789abcdef"
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class PoliceUkStreet(Dataset):
    """The data.police.uk street-level crime dataset."""

    name = "police-uk-street"
    #: A file covers one month: the month in its name (or declared, or most of its rows).
    period_from_rows = False
    model = StreetCrime
    fields = [
        "line_number",
        "crime_id",
        "month",
        "reported_by",
        "falls_within",
        "longitude",
        "latitude",
        "location",
        "lsoa_code_published",
        "lsoa_name_published",
        "crime_type",
        "last_outcome_category",
        "context",
        "lsoa21_code",
        "lsoa_match",
        "local_authority_code",
        "in_network_area",
    ]
    field_headings = {
        "crime_id": "Crime ID",
        "month": "Month",
        "reported_by": "Reported by",
        "falls_within": "Falls within",
        "location": "Location",
        "lsoa_code_published": "LSOA code",
        "lsoa_name_published": "LSOA name",
        "crime_type": "Crime type",
        "last_outcome_category": "Last outcome category",
        "context": "Context",
    }

    def __init__(self) -> None:
        self._reference_loaded = False
        # What the reference geography says about each LSOA code seen so far: 2021 LSOAs
        # (and the 2021 parts of 2011 ones) -> local authority; 2011 LSOAs -> 2021 parts.
        self._looked_up: set[str] = set()
        self._lsoa21: dict[str, str | None] = {}
        self._lsoa11: dict[str, list[tuple[str, str]]] = {}
        self._shapes: dict[str, Any] = {}

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        table = read_csv_table(raw.text)
        _check_header(raw.name, table.header)
        self._check_reference_loaded(raw.name)

        width = len(HEADER)
        rejections = [
            Rejection(
                line, "(row)", f"expected {width} fields, found {len(fields)}", _raw_row(fields)
            )
            for line, fields in table.ragged
        ]
        if table.frame.empty:
            raise FileRefused(
                raw.name,
                "has a header but no data rows"
                if not rejections
                else f"none of its {table.rows_read:,} rows has the {width} columns of the header",
            )

        columns = _Columns(table.frame, table.line_numbers)
        lsoa21 = self._look_up(columns.distinct["LSOA code"].uniques)
        problems = _validate(columns, context.today, lsoa21, self._lsoa11)
        force, period = _file_force_and_period(raw.name, columns, context.period)
        _flag_rows_outside(columns, problems, force, period)
        rejections += [
            Rejection(
                int(columns.line_numbers[row]),
                problems.field[row],
                problems.reason[row],
                _raw_row([columns.text(name)[row] for name in HEADER]),
            )
            for row in np.flatnonzero(problems.found)
        ]
        rejections.sort(key=lambda r: r.line_number)
        valid = np.flatnonzero(~problems.found)
        return ParsedFile(
            rows_read=table.rows_read,
            partitions=[[force, month] for month in period.months()],
            rows=self._database_rows(columns, valid, lsoa21),
            rejections=rejections,
        )

    def _check_reference_loaded(self, file_name: str) -> None:
        if not self._reference_loaded:
            self._reference_loaded = geography.lsoas_loaded()
        if not self._reference_loaded:
            raise FileRefused(
                file_name,
                "cannot be checked because the reference geography is not loaded; "
                "run `vrn load-reference` first",
            )

    def _look_up(self, codes: Iterable[str]) -> dict[str, str | None]:
        """The 2021 LSOA lookup (code -> local authority), complete for ``codes`` and for
        the 2021 parts of those that are 2011 LSOAs; each code is asked about once."""
        new = set(codes) - self._looked_up - {""}
        if new:
            self._lsoa21.update(geography.lsoa_lookup(new))
            from_2011 = geography.lsoa11_to_21(new - self._lsoa21.keys())
            self._lsoa11.update(from_2011)
            parts = {code for split in from_2011.values() for code, _ in split}
            self._lsoa21.update(geography.lsoa_lookup(parts - self._lsoa21.keys()))
            self._looked_up |= new
        return self._lsoa21

    def _database_rows(
        self, columns: _Columns, valid: np.ndarray[Any, Any], lsoa21: dict[str, str | None]
    ) -> ColumnRows:
        """The values of ``PoliceUkStreet.fields`` for each valid row, database-ready."""
        lsoa21_code, lsoa_match, authority = self._harmonise(columns, valid, lsoa21)
        network = frozenset(settings.VRN_NETWORK.local_authority_codes)
        in_network = Distinct(authority).map(network.__contains__, dtype=bool)
        everything = len(valid) == len(columns)

        def rows(values: np.ndarray[Any, Any]) -> list[Any]:
            return list((values if everything else values[valid]).tolist())

        longitude, latitude = rows(columns.longitude), rows(columns.latitude)
        if np.isnan(columns.longitude).any():
            longitude = [None if value != value else value for value in longitude]
            latitude = [None if value != value else value for value in latitude]
        values = [
            rows(columns.line_numbers),
            rows(columns.text("Crime ID")),
            rows(columns.distinct["Month"].map(_iso_month)),
            rows(columns.text("Reported by")),
            rows(columns.text("Falls within")),
            longitude,
            latitude,
            rows(columns.text("Location")),
            rows(columns.text("LSOA code")),
            rows(columns.text("LSOA name")),
            rows(columns.text("Crime type")),
            rows(columns.text("Last outcome category")),
            rows(columns.text("Context")),
            lsoa21_code.tolist(),
            lsoa_match.tolist(),
            authority.tolist(),
            in_network.tolist(),
        ]
        return ColumnRows(values)

    def _harmonise(
        self, columns: _Columns, valid: np.ndarray[Any, Any], lsoa21: dict[str, str | None]
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Each valid row's 2021 LSOA, how it was found, and its local authority."""
        published = columns.distinct["LSOA code"]
        placed = np.empty((len(published.uniques), 3), dtype=object)
        split: list[int] = []
        for position, code in enumerate(published.uniques):
            if code == "":
                placed[position] = ("", LsoaMatch.NONE.value, "")
            elif code in lsoa21:
                placed[position] = (code, LsoaMatch.AS_PUBLISHED.value, lsoa21[code] or "")
            elif code in self._lsoa11:
                placed[position] = self._from_2011(code, lsoa21)
                if len(self._lsoa11[code]) > 1:
                    split.append(position)
            # Any other code is quarantined, so never placed.
        codes = published.codes[valid]
        rows = placed[codes]
        if split:
            self._cache_shapes(published.uniques[split])
            for position in split:
                in_code = np.flatnonzero(codes == position)
                longitude = columns.longitude[valid[in_code]]
                latitude = columns.latitude[valid[in_code]]
                located = ~np.isnan(longitude)
                chosen = self._nearest_successor(
                    published.uniques[position], longitude[located], latitude[located]
                )
                if chosen:
                    rows[in_code[located]] = [
                        (code, LsoaMatch.FROM_2011_SPLIT_POINT.value, lsoa21.get(code) or "")
                        for code in chosen
                    ]
        return rows[:, 0], rows[:, 1], rows[:, 2]

    def _cache_shapes(self, lsoa11_codes: Iterable[str]) -> None:
        """Fetch, in one query, the boundaries of the 2021 successors of split 2011 LSOAs."""
        wanted = {
            code
            for lsoa11 in lsoa11_codes
            if len(self._lsoa11[lsoa11]) > 1
            for code, _ in self._lsoa11[lsoa11]
            if code not in self._shapes
        }
        if wanted:
            self._shapes.update(geography.lsoa_boundaries(sorted(wanted)))

    def _from_2011(self, lsoa11: str, lsoa21: dict[str, str | None]) -> tuple[str, str, str]:
        """The 2021 LSOA, match kind and local authority for a 2011 LSOA code, as far as
        the code alone tells (a split LSOA needs the location: ``_nearest_successor``)."""
        successors = [code for code, _ in self._lsoa11[lsoa11]]
        if len(successors) == 1:
            return successors[0], LsoaMatch.FROM_2011_SINGLE.value, lsoa21.get(successors[0]) or ""
        authorities = {lsoa21.get(code) or "" for code in successors}
        shared = authorities.pop() if len(authorities) == 1 else ""
        return "", LsoaMatch.FROM_2011_SPLIT_UNRESOLVED.value, shared

    def _nearest_successor(
        self,
        lsoa11: str,
        longitude: np.ndarray[Any, np.dtype[np.float64]],
        latitude: np.ndarray[Any, np.dtype[np.float64]],
    ) -> list[str] | None:
        """For each point, the 2021 part of split ``lsoa11`` whose boundary contains it or
        is nearest (the first such part in code order); None without every boundary."""
        successors = [code for code, _ in self._lsoa11[lsoa11]]
        if not all(code in self._shapes for code in successors):
            return None
        points = shapely.points(longitude, latitude)
        distances = np.stack([shapely.distance(self._shapes[code], points) for code in successors])
        return [successors[i] for i in np.argmin(distances, axis=0)]


def _check_header(file_name: str, header: list[str]) -> None:
    problem = header_problem(header, HEADER)
    if problem is None:
        return
    for signature, kind in OTHER_KINDS:
        if signature <= set(header):
            raise FileRefused(file_name, f"is {kind}, not a street-level crime file")
    raise FileRefused(file_name, f"is not a data.police.uk street-level crime file ({problem})")


def _raw_row(fields: Sequence[str]) -> dict[str, str]:
    return {
        (HEADER[i] if i < len(HEADER) else f"extra field {i + 1}"): str(value)
        for i, value in enumerate(fields)
    }


#: Categorical columns: stripped, and checked once per distinct value.
_STRIPPED = ("Month", "Reported by", "Falls within", "Crime type", "LSOA code", "Crime ID")


class _Columns:
    """A file's rows, column by column: the text as published (categorical columns
    stripped), the distinct values of the categorical columns, the parsed coordinates."""

    def __init__(self, frame: pd.DataFrame, line_numbers: np.ndarray[Any, Any]) -> None:
        self.line_numbers = line_numbers
        self._text: dict[str, np.ndarray[Any, np.dtype[np.object_]]] = {
            name: frame[name].to_numpy(dtype=object) for name in HEADER
        }
        self.distinct: dict[str, Distinct] = {}
        for name in _STRIPPED:
            if name == "Crime ID" and _all_crime_ids_plain(self._text[name]):
                continue  # nothing to strip, and too many distinct values to be worth it
            column = Distinct(self._text[name]).transform(str.strip)
            self.distinct[name] = column
            self._text[name] = column.values()
        self.longitude = _numbers(self._text["Longitude"])
        self.latitude = _numbers(self._text["Latitude"])

    def __len__(self) -> int:
        return len(self.line_numbers)

    def text(self, name: str) -> np.ndarray[Any, np.dtype[np.object_]]:
        return self._text[name]


def _numbers(text: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Each text as a number, or NaN if it is not one."""
    numbers: np.ndarray[Any, np.dtype[np.float64]] = pd.to_numeric(
        pd.Series(text, copy=False), errors="coerce"
    ).to_numpy(dtype=np.float64, na_value=np.nan)
    return numbers


def _all_crime_ids_plain(crime_ids: np.ndarray[Any, Any]) -> bool:
    """True if every Crime ID is empty or 64 lower-case hexadecimal characters, checked on
    the whole column at once rather than with one match per row."""
    lengths = np.fromiter(map(len, crime_ids), dtype=np.int64, count=len(crime_ids))
    if not ((lengths == 0) | (lengths == 64)).all():
        return False
    joined = "".join(crime_ids)
    return joined.isascii() and not joined.encode("ascii").translate(None, _HEXADECIMAL)


def _validate(
    columns: _Columns,
    today: date,
    lsoa21: dict[str, str | None],
    lsoa11: dict[str, list[tuple[str, str]]],
) -> Problems:
    """The first problem of each bad row: its field and reason.

    Categorical columns are checked once per distinct value, everything else column by
    column; the order of the checks decides which problem a row is quarantined for.
    """
    problems = Problems(len(columns))

    month = columns.distinct["Month"]
    month_problem = month.map(lambda text: _parse_month(text, today)[1])
    problems.flag(month_problem.astype(bool), "Month", lambda rows: month_problem[rows])

    for name in ("Reported by", "Falls within"):
        problems.flag(columns.distinct[name].map(_is_empty, dtype=bool), name, "is empty")

    _validate_coordinates(columns, problems)

    crime_type = columns.distinct["Crime type"]
    problems.flag(
        crime_type.map(lambda value: value not in CRIME_TYPES, dtype=bool),
        "Crime type",
        lambda rows: [
            f"unknown crime type '{value}'" for value in columns.text("Crime type")[rows]
        ],
    )
    is_asb = crime_type.map(ANTI_SOCIAL_BEHAVIOUR.__eq__, dtype=bool)
    _validate_crime_ids(columns, is_asb, problems)

    problems.flag(
        columns.distinct["LSOA code"].map(
            lambda code: not (code == "" or code in lsoa21 or code in lsoa11), dtype=bool
        ),
        "LSOA code",
        lambda rows: [
            f"'{code}' is neither a 2021 nor a 2011 LSOA code in the reference geography"
            for code in columns.text("LSOA code")[rows]
        ],
    )
    return problems


def _is_empty(value: str) -> bool:
    return value == ""


def _validate_coordinates(columns: _Columns, problems: Problems) -> None:
    text = {"Longitude": columns.text("Longitude"), "Latitude": columns.text("Latitude")}
    number = {"Longitude": columns.longitude, "Latitude": columns.latitude}
    empty = {name: values == "" for name, values in text.items()}
    for name, other, (low, high) in (
        ("Longitude", "Latitude", LONGITUDE_RANGE),
        ("Latitude", "Longitude", LATITUDE_RANGE),
    ):
        value = number[name]
        problems.flag(
            empty[name] & ~empty[other], name, "is empty but the other coordinate is given"
        )

        def not_a_number(rows: Positions, name: str = name) -> list[str]:
            return [f"'{value}' is not a number" for value in text[name][rows]]

        problems.flag(~empty[name] & np.isnan(value), name, not_a_number)
        with np.errstate(invalid="ignore"):
            outside = (value < low) | (value > high)

        def outside_uk(
            rows: Positions, name: str = name, low: float = low, high: float = high
        ) -> list[str]:
            return [
                f"{value.strip()} is outside the United Kingdom ({low} to {high})"
                for value in text[name][rows]
            ]

        problems.flag(outside, name, outside_uk)


def _validate_crime_ids(
    columns: _Columns, is_asb: np.ndarray[Any, np.dtype[np.bool_]], problems: Problems
) -> None:
    crime_id = columns.text("Crime ID")
    empty = crime_id == ""
    problems.flag(is_asb & ~empty, "Crime ID", "anti-social behaviour rows carry no Crime ID")
    problems.flag(
        ~is_asb & empty,
        "Crime ID",
        "is empty; only anti-social behaviour rows may have no Crime ID",
    )
    if "Crime ID" in columns.distinct:  # some Crime ID is not plainly valid: check each
        well_formed = columns.distinct["Crime ID"].map(
            lambda value: _CRIME_ID.fullmatch(value) is not None, dtype=bool
        )
        problems.flag(
            ~is_asb & ~empty & ~well_formed,
            "Crime ID",
            "is not a 64-character lower-case hexadecimal police.uk identifier",
        )
    duplicate = ~empty & pd.Series(crime_id, copy=False).duplicated().to_numpy()
    if duplicate.any():
        first_line = dict(
            zip(crime_id[~duplicate], columns.line_numbers[~duplicate].tolist(), strict=True)
        )
        problems.flag(
            duplicate,
            "Crime ID",
            lambda rows: [
                f"duplicates the Crime ID on line {first_line[i]}" for i in crime_id[rows]
            ],
        )


def _parse_month(text: str, today: date) -> tuple[date | None, str | None]:
    """Parse 'YYYY-MM' into the first day of that month, or explain why it can't be."""
    found = _MONTH.fullmatch(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        return None, f"'{text}' is not a month in YYYY-MM form"
    month = date(int(found.group(1)), int(found.group(2)), 1)
    if month < FIRST_MONTH:
        return None, f"{text} is before data.police.uk began ({FIRST_MONTH:%Y-%m})"
    if month > today:
        return None, f"{text} is in the future"
    return month, None


def _iso_month(text: str) -> str | None:
    """'YYYY-MM' as the ISO date of its first day (None if it is not a month at all)."""
    month, _ = _parse_month(text, date.max)
    return None if month is None else month.isoformat()


def _file_force_and_period(
    file_name: str, columns: _Columns, declared: Period | None
) -> tuple[str, Period]:
    """The force and the month(s) a file is the authority for: the month in its name
    (``2023-01-leicestershire-street.csv``), else the period declared with ``--period``,
    else the month of more than half of its rows; the force of more than half of its
    rows. What a file replaces follows from these, never from a stray row."""
    named = Period.from_police_uk_name(file_name)
    if (
        named is not None
        and declared is not None
        and named != Period(declared.first, declared.last, named.source)
    ):
        raise FileRefused(
            file_name,
            f"its name says it covers {named} but --period says {declared}; nothing was loaded",
        )
    period = named or declared
    if period is None:
        month = _majority(columns.distinct["Month"])
        if month is None or _iso_month(month) is None:
            raise FileRefused(
                file_name,
                "does not say which month it covers: its name is not YYYY-MM-<force>-street.csv "
                "and no month holds more than half of its rows; rename it or give --period",
            )
        period = Period(month, month, "the month of most of its rows")
    force = _majority(columns.distinct["Reported by"])
    if not force:
        raise FileRefused(
            file_name,
            "does not say which force it is from: no 'Reported by' value holds more than half "
            "of its rows",
        )
    return force, period


def _majority(column: Distinct) -> str | None:
    """The value more than half of the rows hold, or None."""
    counts = np.bincount(column.codes, minlength=len(column.uniques))
    top = int(np.argmax(counts))
    return str(column.uniques[top]) if counts[top] * 2 > len(column.codes) else None


def _flag_rows_outside(columns: _Columns, problems: Problems, force: str, period: Period) -> None:
    month = columns.distinct["Month"]
    outside = month.map(lambda text: not period.contains(np.array([text]))[0], dtype=bool)
    problems.flag(
        outside,
        "Month",
        lambda rows: [period.outside_reason(text) for text in columns.text("Month")[rows]],
    )
    reported_by = columns.distinct["Reported by"].map(force.__ne__, dtype=bool)
    problems.flag(
        reported_by,
        "Reported by",
        lambda rows: [
            f"'{text}' is not the force of this file ({force}, which reported most of its rows)"
            for text in columns.text("Reported by")[rows]
        ],
    )
