"""data.police.uk street-level crime files (``YYYY-MM-<force>-street.csv``).

Format reference: https://data.police.uk/about/ (columns, categories, anonymisation).
Validation is vectorised with pandas so that a force-month of ~10,000 rows parses in
milliseconds; every refused row gets its line, field and reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from shapely import Point

from vrn.crime.models import LsoaMatch, StreetCrime
from vrn.geography import queries as geography
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile, Rejection
from vrn.ingest.reading import FileRefused, RawFile, csv_records, header_problem

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
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class PoliceUkStreet(Dataset):
    """The data.police.uk street-level crime dataset."""

    name = "police-uk-street"
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

    def __init__(self) -> None:
        self._lsoa21: dict[str, str] | None = None
        self._lsoa11: dict[str, list[tuple[str, str]]] = {}
        self._shapes: dict[str, Any] = {}

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        header, records = csv_records(raw.text)
        _check_header(raw.name, header)
        lsoa21 = self._lsoa21_lookup(raw.name)

        lines: list[int] = []
        good: list[list[str]] = []
        rejections: list[Rejection] = []
        width = len(HEADER)
        for line_number, fields in records:
            if len(fields) == width:
                lines.append(line_number)
                good.append(fields)
            else:
                rejections.append(
                    Rejection(
                        line_number,
                        "(row)",
                        f"expected {width} fields, found {len(fields)}",
                        _raw_row(fields),
                    )
                )
        rows_read = len(good) + len(rejections)
        if not good:
            raise FileRefused(
                raw.name,
                "has a header but no data rows"
                if not rejections
                else f"none of its {rows_read:,} rows has the {len(HEADER)} columns of the header",
            )

        frame = pd.DataFrame(good, columns=HEADER, dtype=object)
        frame.insert(0, "line_number", lines)
        checked = _validate(frame, context.today, lsoa21, self._lsoa11)
        bad = checked["problem_field"].notna()
        rejections += [
            Rejection(int(row.line_number), row.problem_field, row.problem, _raw_row(row[HEADER]))
            for _, row in checked[bad].iterrows()
        ]
        rejections.sort(key=lambda r: r.line_number)
        valid = checked[~bad]
        placed = self._harmonise(valid, lsoa21)
        return ParsedFile(
            rows_read=rows_read,
            partitions=_partitions(valid),
            rows=_database_rows(valid, placed),
            rejections=rejections,
        )

    def _lsoa21_lookup(self, file_name: str) -> dict[str, str]:
        if self._lsoa21 is None:
            self._lsoa21 = geography.lsoa_lookup()
            self._lsoa11 = geography.lsoa11_to_21()
        if not self._lsoa21:
            raise FileRefused(
                file_name,
                "cannot be checked because the reference geography is not loaded; "
                "run `vrn load-reference` first",
            )
        return self._lsoa21

    def _harmonise(self, valid: pd.DataFrame, lsoa21: dict[str, str]) -> pd.DataFrame:
        """Choose each row's 2021 LSOA and local authority, and say how."""
        published = valid["LSOA code"]
        is_2021 = _per_value(published, lsoa21.__contains__).astype(bool)
        placed = pd.DataFrame(
            {
                "lsoa21_code": published.where(is_2021, ""),
                "lsoa_match": np.where(
                    is_2021, LsoaMatch.AS_PUBLISHED.value, LsoaMatch.NONE.value
                ).astype(object),
            },
            index=valid.index,
        )
        placed["local_authority_code"] = placed["lsoa21_code"].map(lsoa21).fillna("")
        from_2011 = valid[~is_2021 & (published != "")]
        if not from_2011.empty:
            self._cache_shapes(from_2011["LSOA code"].unique())
            placed.loc[from_2011.index, ["lsoa21_code", "lsoa_match", "local_authority_code"]] = [
                self._from_2011(code, longitude, latitude, lsoa21)
                for code, longitude, latitude in zip(
                    from_2011["LSOA code"],
                    from_2011["longitude"],
                    from_2011["latitude"],
                    strict=True,
                )
            ]
        return placed

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

    def _from_2011(
        self, lsoa11: str, longitude: float, latitude: float, lsoa21: dict[str, str]
    ) -> tuple[str, str, str]:
        """The 2021 LSOA, match kind and local authority for a 2011 LSOA code."""
        successors = [code for code, _ in self._lsoa11[lsoa11]]
        if len(successors) == 1:
            return successors[0], LsoaMatch.FROM_2011_SINGLE.value, lsoa21.get(successors[0], "")
        have_shapes = all(code in self._shapes for code in successors)
        if have_shapes and not np.isnan(longitude):
            point = Point(longitude, latitude)
            nearest = min(successors, key=lambda code: self._shapes[code].distance(point))
            return nearest, LsoaMatch.FROM_2011_SPLIT_POINT.value, lsoa21.get(nearest, "")
        authorities = {lsoa21.get(code, "") for code in successors}
        shared = authorities.pop() if len(authorities) == 1 else ""
        return "", LsoaMatch.FROM_2011_SPLIT_UNRESOLVED.value, shared


def _check_header(file_name: str, header: list[str]) -> None:
    problem = header_problem(header, HEADER)
    if problem is None:
        return
    for signature, kind in OTHER_KINDS:
        if signature <= set(header):
            raise FileRefused(file_name, f"is {kind}, not a street-level crime file")
    raise FileRefused(file_name, f"is not a data.police.uk street-level crime file ({problem})")


def _raw_row(fields: Sequence[str] | pd.Series) -> dict[str, str]:
    values = list(fields)
    return {
        (HEADER[i] if i < len(HEADER) else f"extra field {i + 1}"): str(value)
        for i, value in enumerate(values)
    }


def _validate(
    frame: pd.DataFrame,
    today: date,
    lsoa21: dict[str, str],
    lsoa11: dict[str, list[tuple[str, str]]],
) -> pd.DataFrame:
    """Add parsed columns and, for the first problem of each bad row, its field and reason.

    Categorical columns are stripped and checked once per distinct value; free-text
    columns are kept exactly as published.
    """
    frame = frame.copy()
    problems = _Problems(frame)

    for column in ("Month", "Reported by", "Falls within", "Crime type", "LSOA code", "Crime ID"):
        frame[column] = _per_value(frame[column], str.strip)

    months = {text: _parse_month(text, today) for text in frame["Month"].unique()}
    frame["month"] = frame["Month"].map({text: month for text, (month, _) in months.items()})
    month_problem = frame["Month"].map({text: problem for text, (_, problem) in months.items()})
    problems.flag(month_problem.notna(), "Month", lambda rows: month_problem[rows.index])

    for column in ("Reported by", "Falls within"):
        problems.flag(frame[column] == "", column, "is empty")

    _validate_coordinates(frame, problems)

    crime_type = frame["Crime type"]
    problems.flag(
        ~crime_type.isin(CRIME_TYPES),
        "Crime type",
        lambda rows: "unknown crime type '" + rows["Crime type"] + "'",
    )
    frame["is_asb"] = crime_type == ANTI_SOCIAL_BEHAVIOUR
    _validate_crime_ids(frame, problems)

    lsoa = frame["LSOA code"]
    known = _per_value(lsoa, lambda code: code == "" or code in lsoa21 or code in lsoa11)
    problems.flag(
        ~known.astype(bool),
        "LSOA code",
        lambda rows: (
            "'"
            + rows["LSOA code"]
            + "' is neither a 2021 nor a 2011 LSOA code in the reference geography"
        ),
    )

    frame["problem_field"] = problems.field
    frame["problem"] = problems.reason
    return frame


class _Problems:
    """The first problem found in each row: which field, and why."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self.field = pd.Series(None, index=frame.index, dtype=object)
        self.reason = pd.Series(None, index=frame.index, dtype=object)

    def flag(
        self, mask: pd.Series, field: str, reason: str | Callable[[pd.DataFrame], pd.Series]
    ) -> None:
        """Record ``field`` and ``reason`` for rows in ``mask`` that have no problem yet.

        A callable reason is given only the failing rows, so messages cost nothing when
        a file is clean.
        """
        new = mask & self.field.isna()
        if not new.any():
            return
        self.field[new] = field
        self.reason[new] = reason(self._frame[new]) if callable(reason) else reason


def _per_value(series: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """Apply ``function`` once per distinct value of ``series`` and spread the results."""
    values = series.unique()
    return series.map(dict(zip(values, map(function, values), strict=True)))


def _validate_coordinates(frame: pd.DataFrame, problems: _Problems) -> None:
    longitude_text, latitude_text = frame["Longitude"], frame["Latitude"]
    frame["longitude"] = pd.to_numeric(longitude_text, errors="coerce")
    frame["latitude"] = pd.to_numeric(latitude_text, errors="coerce")
    empty = {"Longitude": longitude_text == "", "Latitude": latitude_text == ""}
    for name, other, (low, high) in (
        ("Longitude", "Latitude", LONGITUDE_RANGE),
        ("Latitude", "Longitude", LATITUDE_RANGE),
    ):
        value = frame[name.lower()]
        problems.flag(
            empty[name] & ~empty[other], name, "is empty but the other coordinate is given"
        )
        problems.flag(
            ~empty[name] & value.isna(),
            name,
            lambda rows, name=name: "'" + rows[name] + "' is not a number",
        )
        problems.flag(
            (value < low) | (value > high),
            name,
            lambda rows, name=name, low=low, high=high: (
                rows[name].str.strip() + f" is outside the United Kingdom ({low} to {high})"
            ),
        )


def _validate_crime_ids(frame: pd.DataFrame, problems: _Problems) -> None:
    crime_id, is_asb = frame["Crime ID"], frame["is_asb"]
    empty = crime_id == ""
    problems.flag(is_asb & ~empty, "Crime ID", "anti-social behaviour rows carry no Crime ID")
    problems.flag(
        ~is_asb & empty,
        "Crime ID",
        "is empty; only anti-social behaviour rows may have no Crime ID",
    )
    problems.flag(
        ~is_asb & ~empty & ~crime_id.str.fullmatch(_CRIME_ID),
        "Crime ID",
        "is not a 64-character lower-case hexadecimal police.uk identifier",
    )
    duplicate = ~empty & crime_id.duplicated()
    if duplicate.any():
        first_line = dict(zip(crime_id[~duplicate], frame["line_number"][~duplicate], strict=True))
        problems.flag(
            duplicate,
            "Crime ID",
            lambda rows: (
                "duplicates the Crime ID on line " + rows["Crime ID"].map(first_line).astype(str)
            ),
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


def _partitions(valid: pd.DataFrame) -> list[list[str]]:
    pairs = valid[["Reported by", "Month"]].drop_duplicates()
    return sorted([force, month] for force, month in pairs.itertuples(index=False))


def _database_rows(valid: pd.DataFrame, placed: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The values of ``PoliceUkStreet.fields`` for each valid row, database-ready."""
    network = settings.VRN_NETWORK
    has_location = valid["longitude"].notna()
    columns = [
        valid["line_number"],
        valid["Crime ID"],
        _per_value(valid["month"], date.isoformat),
        valid["Reported by"],
        valid["Falls within"],
        valid["longitude"].astype(object).where(has_location, None),
        valid["latitude"].astype(object).where(has_location, None),
        valid["Location"],
        valid["LSOA code"],
        valid["LSOA name"],
        valid["Crime type"],
        valid["Last outcome category"],
        valid["Context"],
        placed["lsoa21_code"],
        placed["lsoa_match"],
        placed["local_authority_code"],
        placed["local_authority_code"].isin(network.local_authority_codes),
    ]
    return list(zip(*(column.tolist() for column in columns), strict=True))
