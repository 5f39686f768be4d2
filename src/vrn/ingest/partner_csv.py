"""Reading partner CSV files: the rules common to every partner format.

docs/formats/README.md: column names match case-insensitively after trimming, in any
order; a column whose name starts with ``x_`` is the partner's own and is ignored; any
other unknown column refuses the file (so a misspelt column is never silently dropped);
required columns must be present, and blank on no row. Blank means missing.

:func:`read_partner_table` applies the header rules and gives the values column by column
(trimmed text, one array per column, ``""`` for a blank or an absent column). The other
functions here check and convert whole columns at once, recording the first problem of
each row in a :class:`~vrn.ingest.columns.Problems`, so that every format validates the
same way and quarantines a row with its line, field and reason.

Quarantined rows keep their raw values, except that the person columns (docs/formats/
README.md, "Pseudonymisation at ingest") keep only the shape of their values
(:func:`vrn.ingest.identifiers.redact`) and a partner's ``x_`` columns are masked: no
identifier reaches the database, not even in quarantine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, models

from vrn.analytics.spatial.projection import bng_to_wgs84, metres_between
from vrn.ingest.columns import Distinct, Positions, Problems
from vrn.ingest.identifiers import IDENTIFIER_COLUMNS, REDACTED_COLUMNS, redact
from vrn.ingest.period import Period
from vrn.ingest.pipeline import Rejection
from vrn.ingest.places import (
    AGREEMENT_METRES,
    EASTING_RANGE,
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    NORTHING_RANGE,
)
from vrn.ingest.reading import CsvTable, FileRefused, RawFile, csv_records, read_csv_table
from vrn.ingest.values import DATETIME, date_value

#: What a masked value reads in a quarantined row.
MASKED = "[not kept]"
#: The prefix of a partner's own columns, which are ignored.
EXTRA_PREFIX = "x_"
#: Which partner format a file with one of these columns probably is (to name it when a
#: file is given to the wrong format).
SIGNATURES = {
    "offence_code": "police-extract",
    "role": "police-extract",
    "attendance_id": "istv",
    "episode_id": "admissions",
    "indicator id": "indicators",
    "crime id": "police-uk",
}

Array = np.ndarray[Any, Any]
Mask = np.ndarray[Any, np.dtype[np.bool_]]


@dataclass(frozen=True)
class Column:
    """A documented column: its name as the format page writes it, and whether required."""

    name: str
    required: bool = False


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of partner file."""

    #: What the file is, for messages: "police-extract crimes file".
    kind: str
    columns: tuple[Column, ...]
    #: Headings matched by a regular expression (whole heading, any case) to a column.
    patterns: tuple[tuple[str, str], ...] = ()

    def column(self, key: str) -> str | None:
        """The column a heading (trimmed, case-folded) stands for, or None if unknown."""
        for column in self.columns:
            if column.name.casefold() == key:
                return column.name
        for pattern, name in self.patterns:
            if re.fullmatch(pattern, key, flags=re.IGNORECASE):
                return name
        return None

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)


class PartnerTable:
    """A partner file's rows, column by column, after the header rules.

    ``text(name)`` is the trimmed text of a documented column (``""`` where blank, and on
    every row when the column is absent). Rows with too few or too many fields are kept
    apart as ``ragged`` (line, fields).
    """

    def __init__(self, file_name: str, layout: Layout, table: CsvTable) -> None:
        self.file_name = file_name
        self.layout = layout
        self.header = table.header
        self.line_numbers = table.line_numbers
        self.ragged = table.ragged
        self.rows_read = table.rows_read
        #: Column name -> its position in the file.
        self.positions: dict[str, int] = {}
        masked: set[int] = set()
        redacted: set[int] = set()
        unknown: list[str] = []
        for position, heading in enumerate(table.header):
            key = heading.strip().casefold()
            if key.startswith(EXTRA_PREFIX):
                masked.add(position)
                continue
            name = layout.column(key)
            if name is None:
                unknown.append(heading)
            elif name in self.positions:
                raise FileRefused(
                    file_name,
                    f"has the column {name!r} twice (as {table.header[self.positions[name]]!r}"
                    f" and {heading!r})",
                )
            else:
                self.positions[name] = position
                if name in REDACTED_COLUMNS:
                    redacted.add(position)
        self._masked = masked
        self._redacted = redacted
        _check_columns(file_name, layout, self.positions, unknown)
        self._frame = table.frame
        self._text: dict[str, Array] = {}
        self._distinct: dict[str, Distinct] = {}
        self._blank = np.full(len(table.frame), "", dtype=object)
        self._raw: list[Array] | None = None

    def __len__(self) -> int:
        return len(self.line_numbers)

    def has(self, name: str) -> bool:
        return name in self.positions

    def identifier_columns(self) -> list[str]:
        """The identifier columns the file has, in the order of the format page."""
        return [name for name in IDENTIFIER_COLUMNS if name in self.positions]

    def heading(self, name: str) -> str:
        """The column's heading as the file writes it (the documented name if absent)."""
        position = self.positions.get(name)
        return name if position is None else self.header[position]

    def text(self, name: str) -> Array:
        """Trimmed text of column ``name``, one value per row (``""`` when blank/absent)."""
        if name not in self._text:
            position = self.positions.get(name)
            if position is None:
                self._text[name] = self._blank
            else:
                self._text[name] = _stripped(self._frame.iloc[:, position].to_numpy(dtype=object))
        return self._text[name]

    def distinct(self, name: str) -> Distinct:
        """Column ``name`` as its distinct values, for checks run once per value."""
        if name not in self._distinct:
            self._distinct[name] = Distinct(self.text(name))
        return self._distinct[name]

    def blank(self, name: str) -> Mask:
        return np.asarray(self.text(name) == "", dtype=bool)

    def raw_row(self, row: int) -> dict[str, str]:
        """Row ``row`` as read, heading -> text; person columns redacted, ``x_`` columns
        masked."""
        if self._raw is None:
            self._raw = [
                self._frame.iloc[:, position].to_numpy(dtype=object)
                for position in range(len(self.header))
            ]
        raw = {}
        for position, heading in enumerate(self.header):
            value = str(self._raw[position][row])
            if value and position in self._masked:
                value = MASKED
            elif position in self._redacted:
                value = redact(value)
            raw[heading] = value
        return raw

    def ragged_rejections(self) -> list[Rejection]:
        """A rejection for every row with the wrong number of fields."""
        width = len(self.header)
        return [
            Rejection(
                line,
                "(row)",
                f"expected {width} fields, found {len(fields)}",
                self._ragged_raw(fields),
            )
            for line, fields in self.ragged
        ]

    def _ragged_raw(self, fields: Sequence[str]) -> dict[str, str]:
        # Fields cannot be matched to columns, so in a file with person or ``x_`` columns
        # none is known not to be an identifier: every field keeps only its shape.
        keep = redact if self._masked or self._redacted else str
        return {
            (self.header[i] if i < len(self.header) else f"extra field {i + 1}"): keep(value)
            for i, value in enumerate(fields)
        }

    def rejections(self, problems: Problems) -> list[Rejection]:
        """The ragged rows and every row with a problem, in file order."""
        rejections = self.ragged_rejections()
        rejections += [
            Rejection(
                int(self.line_numbers[row]),
                self.heading(problems.field[row]),
                problems.reason[row],
                self.raw_row(int(row)),
            )
            for row in np.flatnonzero(problems.found)
        ]
        rejections.sort(key=lambda rejection: rejection.line_number)
        return rejections


def read_partner_table(raw: RawFile, layout: Layout) -> PartnerTable:
    """Split a partner CSV into columns, refusing it whole if its header is not ``layout``'s
    or it has no rows."""
    table = read_csv_table(raw.text)
    partner = PartnerTable(raw.name, layout, table)
    if table.rows_read == 0:
        raise FileRefused(raw.name, "has a header but no data rows")
    if table.frame.empty:
        raise FileRefused(
            raw.name,
            f"none of its {table.rows_read:,} rows has the {len(table.header)} fields of the "
            "header",
        )
    return partner


def header_columns(text: str) -> list[str]:
    """The trimmed, case-folded column names of a CSV text's first line."""
    header, _ = csv_records(text)
    return [name.casefold() for name in header]


def _check_columns(
    file_name: str, layout: Layout, positions: dict[str, int], unknown: list[str]
) -> None:
    missing = [name for name in layout.required if name not in positions]
    if unknown:
        hint = _other_format(layout, [name.strip().casefold() for name in unknown], missing)
        listed = ", ".join(repr(name) if name else "(a column with no name)" for name in unknown)
        raise FileRefused(
            file_name,
            f"{hint}has columns a {layout.kind} does not have: {listed} (a partner's own "
            f"columns must start with {EXTRA_PREFIX})",
        )
    if missing:
        raise FileRefused(
            file_name,
            f"is not a {layout.kind}: required columns missing: "
            + ", ".join(repr(name) for name in missing),
        )


def _other_format(layout: Layout, unknown: list[str], missing: list[str]) -> str:
    if not missing:
        return ""
    for column, format_name in SIGNATURES.items():
        if column in unknown:
            return f"looks like a file for `vrn ingest {format_name}`, not a {layout.kind}; it "
    return ""


def _stripped(values: Array) -> Array:
    """``values`` with surrounding white space removed (the same array when none had any)."""
    listed = values.tolist()
    stripped = list(map(str.strip, listed))
    if stripped == listed:
        return values
    return np.array(stripped, dtype=object)


# --- Checks and conversions, a whole column at a time -----------------------------------


def check_required(table: PartnerTable, problems: Problems) -> None:
    """Every required column has a value on every row."""
    for name in table.layout.required:
        problems.flag(table.blank(name), name, "is empty; this column is required")


def check_length(table: PartnerTable, problems: Problems, name: str, limit: int) -> None:
    lengths = pd.Series(table.text(name), copy=False).str.len().to_numpy()
    problems.flag(lengths > limit, name, f"is longer than {limit} characters")


def check_pattern(
    table: PartnerTable, problems: Problems, name: str, pattern: str, what: str
) -> Array:
    """Upper-cased values of column ``name``, each blank or matching ``pattern``."""
    column = table.distinct(name)
    upper = column.apply(str.upper)
    bad = np.array(
        [value != "" and re.fullmatch(pattern, value) is None for value in upper], dtype=bool
    )
    texts = column.uniques
    problems.flag(
        column.spread(bad),
        name,
        lambda rows: [f"'{texts[code]}' is not {what}" for code in column.codes[rows]],
    )
    return column.spread(upper)


def check_code(
    table: PartnerTable,
    problems: Problems,
    name: str,
    allowed: Iterable[str],
) -> Array:
    """Column ``name``'s codes, matched case-insensitively against ``allowed`` and given as
    ``allowed`` spells them. Blank stays blank; anything else is a problem."""
    allowed = tuple(allowed)
    lookup = {code.casefold(): code for code in allowed}
    column = table.distinct(name)
    stored = column.apply(lambda value: "" if value == "" else lookup.get(value.casefold()))
    bad = np.array([value is None for value in stored], dtype=bool)
    listed = ", ".join(allowed)
    texts = column.uniques
    problems.flag(
        column.spread(bad),
        name,
        lambda rows: [f"'{texts[code]}' is not one of: {listed}" for code in column.codes[rows]],
    )
    stored[bad] = ""
    return column.spread(stored)


def check_flag(
    table: PartnerTable, problems: Problems, name: str, true: str, false: str
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """A two-valued column (``Y``/``N``, ``true``/``false``), any case; blank is false."""
    codes = check_code(table, problems, name, (true, false))
    return np.asarray(codes == true, dtype=bool)


def synthetic_flags(table: PartnerTable, problems: Problems) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """The ``synthetic`` column: ``true`` or ``false`` (blank is false)."""
    return check_flag(table, problems, "synthetic", "true", "false")


def file_synthetic(
    file_name: str, synthetic: np.ndarray[Any, np.dtype[np.bool_]], valid: Array
) -> bool:
    """Whether a file's rows are synthetic; a file mixing the two is refused."""
    kept = synthetic[valid]
    if kept.all() and len(kept):
        return True
    if kept.any():
        raise FileRefused(
            file_name,
            f"mixes synthetic rows ({int(kept.sum()):,} with synthetic=true) with real ones "
            f"({int((~kept).sum()):,}); synthetic data must come in files of its own",
        )
    return False


def parse_dates(
    table: PartnerTable, problems: Problems, name: str, today: date
) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    """Column ``name`` as dates (``NaT`` where blank or invalid), not in the future."""
    column = table.distinct(name)
    parsed = np.array([date_value(value) for value in column.uniques], dtype="datetime64[D]")
    bad = np.array([value != "" for value in column.uniques], dtype=bool) & np.isnat(parsed)
    problems.flag(
        column.spread(bad),
        name,
        lambda rows: [
            f"'{column.uniques[code]}' is not a date in YYYY-MM-DD form"
            for code in column.codes[rows]
        ],
    )
    dates = column.spread(parsed)
    future = dates > np.datetime64(today, "D")
    problems.flag(future, name, lambda rows: [f"{d} is in the future" for d in dates[rows]])
    return dates


@dataclass
class DateTimes:
    """A date-time column: local wall-clock time (``NaT`` where blank or invalid), and
    whether each value gave a time of day."""

    local: np.ndarray[Any, np.dtype[np.datetime64]]
    has_time: np.ndarray[Any, np.dtype[np.bool_]]

    @property
    def dates(self) -> np.ndarray[Any, np.dtype[np.datetime64]]:
        return self.local.astype("datetime64[D]")


def parse_datetimes(
    table: PartnerTable, problems: Problems, name: str, today: date, *, date_only: bool
) -> DateTimes:
    """Column ``name`` as ``YYYY-MM-DD HH:MM`` or ``YYYY-MM-DDTHH:MM[:SS]`` (and, if
    ``date_only``, ``YYYY-MM-DD``), UK local time, not on a day after ``today``."""
    text = pd.Series(table.text(name), copy=False)
    blank = (text == "").to_numpy()
    lengths = text.str.len().to_numpy()
    well_formed = text.str.fullmatch(DATETIME).to_numpy(dtype=bool, na_value=False)
    padded = text.str.replace("T", " ", regex=False)
    padded = padded.where(lengths != 10, padded + " 00:00:00")
    padded = padded.where(lengths != 16, padded + ":00")
    local = pd.to_datetime(padded, format="%Y-%m-%d %H:%M:%S", errors="coerce").to_numpy(
        dtype="datetime64[s]"
    )
    has_time = lengths > 10
    bad = ~blank & (~well_formed | np.isnat(local))
    if not date_only:
        bad |= ~blank & ~has_time
    form = "YYYY-MM-DD HH:MM" + (" or YYYY-MM-DD" if date_only else "")
    problems.flag(
        bad,
        name,
        lambda rows: [f"'{value}' is not a date and time in {form} form" for value in text[rows]],
    )
    local[bad] = np.datetime64("NaT")
    days = local.astype("datetime64[D]")
    future = days > np.datetime64(today, "D")
    problems.flag(future, name, lambda rows: [f"{text[i]} is in the future" for i in rows])
    return DateTimes(local=local, has_time=has_time & ~bad & ~blank)


def parse_times(
    table: PartnerTable, problems: Problems, name: str
) -> np.ndarray[Any, np.dtype[np.timedelta64]]:
    """Column ``name`` as times of day ``HH:MM`` (``NaT`` where blank), as offsets from
    midnight in minutes."""
    column = table.distinct(name)
    minutes = np.array([_minutes(value) for value in column.uniques], dtype="timedelta64[m]")
    bad = np.array([value != "" for value in column.uniques], dtype=bool) & np.isnat(minutes)
    problems.flag(
        column.spread(bad),
        name,
        lambda rows: [
            f"'{column.uniques[code]}' is not a time in HH:MM form" for code in column.codes[rows]
        ],
    )
    return column.spread(minutes)


def _minutes(value: str) -> Any:
    found = re.fullmatch(r"([0-9]{2}):([0-9]{2})", value)
    if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        return np.timedelta64("NaT")
    return np.timedelta64(int(found.group(1)) * 60 + int(found.group(2)), "m")


def parse_numbers(
    table: PartnerTable, problems: Problems, name: str
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Column ``name`` as numbers (NaN where blank); anything else is a problem."""
    text = table.text(name)
    numbers: np.ndarray[Any, np.dtype[np.float64]] = pd.to_numeric(
        pd.Series(text, copy=False), errors="coerce"
    ).to_numpy(dtype=np.float64, na_value=np.nan)
    bad = (text != "") & ~np.isfinite(numbers)
    problems.flag(bad, name, lambda rows: [f"'{value}' is not a number" for value in text[rows]])
    numbers[bad] = np.nan
    return numbers


def parse_whole_numbers(
    table: PartnerTable,
    problems: Problems,
    name: str,
    low: int,
    high: int,
    *,
    also: Callable[[int], int | None] | None = None,
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Column ``name`` as whole numbers from ``low`` to ``high`` (NaN where blank).

    ``also`` maps other accepted values to stored ones (or None if not accepted)."""
    column = table.distinct(name)
    values = np.full(len(column.uniques), np.nan)
    reasons: list[str | None] = []
    for position, text in enumerate(column.uniques):
        reason = None
        if text == "":
            pass
        elif re.fullmatch(r"[0-9]{1,9}", text) is None:
            reason = f"'{text}' is not a whole number"
        else:
            number = int(text)
            if low <= number <= high:
                values[position] = number
            elif also is not None and also(number) is not None:
                values[position] = also(number)
            else:
                reason = f"{number} is outside {low} to {high}"
        reasons.append(reason)
    reason_array = np.array(reasons, dtype=object)
    bad = np.array([reason is not None for reason in reasons], dtype=bool)
    problems.flag(column.spread(bad), name, lambda rows: reason_array[column.codes[rows]])
    return column.spread(values)


def flag_duplicates(
    problems: Problems,
    keys: Array,
    line_numbers: Array,
    name: str,
    what: str,
    *,
    ignore: Mask | None = None,
) -> None:
    """Rows whose key repeats an earlier row's: quarantined naming the earlier line."""
    series = pd.Series(keys, copy=False)
    duplicate = series.duplicated().to_numpy()
    if ignore is not None:
        duplicate &= ~ignore
    if not duplicate.any():
        return
    first = pd.Series(line_numbers, copy=False).groupby(series, sort=False).transform("first")
    problems.flag(
        duplicate,
        name,
        lambda rows: [f"duplicates the {what} on line {line}" for line in first.to_numpy()[rows]],
    )


def months(dates: np.ndarray[Any, np.dtype[np.datetime64]]) -> Array:
    """``YYYY-MM`` of each date ("" for NaT)."""
    text = np.datetime_as_string(dates.astype("datetime64[M]"), unit="M")
    text = text.astype(object)
    text[np.isnat(dates)] = ""
    return text


def flag_outside_period(
    problems: Problems, month_text: Array, period: Period | None, name: str
) -> None:
    """Rows whose month (``YYYY-MM``) is outside the declared period are quarantined;
    without a declared period, nothing is."""
    if period is None:
        return
    outside = ~period.contains(month_text) & (month_text != "")
    problems.flag(
        outside, name, lambda rows: [period.outside_reason(month) for month in month_text[rows]]
    )


def partitions(
    synthetic: bool, prefix: Sequence[str], *columns: Array, period: Period | None = None
) -> list[list[str]]:
    """Distinct combinations of ``columns`` as partitions, each led by ``prefix`` (and by
    ``synthetic`` for synthetic files, so that synthetic data never replaces real data).

    With a declared ``period`` the last column is the month: the file is the authority for
    every month of the period (a month without rows has none), for each combination of the
    other columns it has rows for."""
    lead = (["synthetic"] if synthetic else []) + list(prefix)
    if not columns or not len(columns[0]):
        return []
    if period is not None:
        others = pd.DataFrame({str(i): column for i, column in enumerate(columns[:-1])})
        keys = others.drop_duplicates().itertuples(index=False)
        return sorted(
            lead + [str(value) for value in key] + [month]
            for key in keys
            for month in period.months()
        )
    frame = pd.DataFrame({str(i): column for i, column in enumerate(columns)}).drop_duplicates()
    return sorted(lead + [str(value) for value in row] for row in frame.itertuples(index=False))


# --- Database-ready values ------------------------------------------------------------------


def iso_dates(dates: np.ndarray[Any, np.dtype[np.datetime64]]) -> list[str | None]:
    """Dates as ISO text for a DateField, None for NaT."""
    text = np.datetime_as_string(dates.astype("datetime64[D]"), unit="D").astype(object)
    text[np.isnat(dates)] = None
    return list(text.tolist())


def utc_datetimes(local: np.ndarray[Any, np.dtype[np.datetime64]]) -> list[str | None]:
    """UK local wall-clock times as UTC text for a DateTimeField (``YYYY-MM-DD HH:MM:SS``,
    as Django writes them; PostgreSQL sessions run in UTC), None for NaT.

    A time in the hour the clocks go back is read as the first (BST) one; a time in the
    hour they skip is moved forward to the first valid time."""
    index = pd.DatetimeIndex(local)
    utc = index.tz_localize(
        "Europe/London",
        ambiguous=np.ones(len(index), dtype=bool),
        nonexistent="shift_forward",
    ).tz_convert("UTC")
    values = utc.tz_localize(None).to_numpy(dtype="datetime64[s]")
    text = pd.Series(np.datetime_as_string(values, unit="s"), copy=False)
    text = text.str.replace("T", " ", regex=False).to_numpy(dtype=object)
    text[np.isnat(values)] = None
    return list(text.tolist())


def times(minutes: np.ndarray[Any, np.dtype[np.timedelta64]]) -> list[str | None]:
    """Offsets from midnight as ``HH:MM:00`` for a TimeField, None for NaT."""
    whole = minutes.astype("timedelta64[m]").astype(np.int64)
    text = np.array([f"{value // 60:02d}:{value % 60:02d}:00" for value in whole], dtype=object)
    text[np.isnat(minutes)] = None
    return list(text.tolist())


def optional_numbers(values: np.ndarray[Any, np.dtype[np.float64]]) -> list[float | None]:
    """Numbers with None for NaN."""
    result: list[float | None] = values.tolist()
    if np.isnan(values).any():
        result = [None if value != value else value for value in result]
    return result


def optional_integers(values: np.ndarray[Any, np.dtype[np.float64]]) -> list[int | None]:
    """Whole numbers (held as floats) as ints, None for NaN."""
    missing = np.isnan(values)
    whole = np.where(missing, 0, values).astype(np.int64).tolist()
    if missing.any():
        return [None if gap else value for value, gap in zip(whole, missing.tolist(), strict=True)]
    return list(whole)


def optional_booleans(values: Array, known: Mask) -> list[bool | None]:
    return [bool(value) if ok else None for value, ok in zip(values, known, strict=True)]


def choices(model_choices: type[models.TextChoices]) -> tuple[str, ...]:
    return tuple(str(value) for value in model_choices.values)


# --- Coordinates ---------------------------------------------------------------------------


@dataclass
class Coordinates:
    """Each row's point: as given (NaN where blank) and in WGS84 (given, or converted from
    the grid)."""

    easting: np.ndarray[Any, np.dtype[np.float64]]
    northing: np.ndarray[Any, np.dtype[np.float64]]
    longitude: np.ndarray[Any, np.dtype[np.float64]]
    latitude: np.ndarray[Any, np.dtype[np.float64]]

    @property
    def given(self) -> Mask:
        return np.asarray(~np.isnan(self.longitude), dtype=np.bool_)


def parse_coordinates(table: PartnerTable, problems: Problems, prefix: str = "") -> Coordinates:
    """``{prefix}easting``/``northing`` (British National Grid, in Great Britain) and
    ``{prefix}latitude``/``longitude`` (WGS84, in the UK): each pair both or neither; when
    both pairs are given they must agree within 100 m."""
    easting_name, northing_name = f"{prefix}easting", f"{prefix}northing"
    latitude_name, longitude_name = f"{prefix}latitude", f"{prefix}longitude"
    values = {}
    for name, other, (low, high), where in (
        (easting_name, northing_name, EASTING_RANGE, "Great Britain (British National Grid)"),
        (northing_name, easting_name, NORTHING_RANGE, "Great Britain (British National Grid)"),
        (latitude_name, longitude_name, LATITUDE_RANGE, "the United Kingdom"),
        (longitude_name, latitude_name, LONGITUDE_RANGE, "the United Kingdom"),
    ):
        blank, other_blank = table.text(name) == "", table.text(other) == ""
        problems.flag(blank & ~other_blank, name, f"is empty but {other} is given")
        number = parse_numbers(table, problems, name)
        with np.errstate(invalid="ignore"):
            outside = (number < low) | (number > high)
        problems.flag(outside, name, _outside_reasons(table.text(name), low, high, where))
        values[name] = np.where(outside, np.nan, number)
    easting, northing = values[easting_name], values[northing_name]
    latitude, longitude = values[latitude_name], values[longitude_name]
    grid = ~np.isnan(easting) & ~np.isnan(northing)
    wgs = ~np.isnan(latitude) & ~np.isnan(longitude)
    longitude = np.where(wgs, longitude, np.nan)
    latitude = np.where(wgs, latitude, np.nan)
    if grid.any():
        converted_longitude, converted_latitude = bng_to_wgs84(easting[grid], northing[grid])
        both = grid & wgs
        if both.any():
            apart = np.zeros(len(table))
            apart[grid] = metres_between(
                converted_longitude, converted_latitude, longitude[grid], latitude[grid]
            )
            apart[~both] = 0.0
            far = apart > AGREEMENT_METRES
            problems.flag(
                far,
                latitude_name,
                lambda rows: [
                    f"{latitude_name}/{longitude_name} and {easting_name}/{northing_name} are "
                    f"{apart[row]:,.0f} m apart (at most {AGREEMENT_METRES:g} m allowed)"
                    for row in rows
                ],
            )
        only_grid = np.flatnonzero(grid & ~wgs)
        position = np.flatnonzero(grid)
        lookup = np.full(len(table), -1)
        lookup[position] = np.arange(len(position))
        longitude[only_grid] = converted_longitude[lookup[only_grid]]
        latitude[only_grid] = converted_latitude[lookup[only_grid]]
    easting = np.where(grid, easting, np.nan)
    northing = np.where(grid, northing, np.nan)
    return Coordinates(easting=easting, northing=northing, longitude=longitude, latitude=latitude)


def _outside_reasons(
    text: Array, low: float, high: float, where: str
) -> Callable[[Positions], list[str]]:
    """Reasons for values of a coordinate column outside ``low`` to ``high``."""
    return lambda rows: [f"{text[row]} is outside {where} ({low:g} to {high:g})" for row in rows]


# --- Records already in the database ----------------------------------------------------------

#: Identifiers per query on SQLite (well under its limit on query parameters).
_SQLITE_BATCH = 900


def record_keys(sources: Array, ids: Array) -> Array:
    """One text key per row for a (source, identifier) pair."""
    keys: Array = (
        pd.Series(sources, copy=False).astype(str) + "\x1f" + pd.Series(ids, copy=False).astype(str)
    ).to_numpy(dtype=object)
    return keys


def lookup_records(
    model: type[models.Model],
    source_field: str,
    id_field: str,
    sources: Array,
    ids: Array,
    rows: Mask,
    fields: Sequence[str],
    **filters: Any,
) -> pd.DataFrame:
    """``fields`` of the loaded records with the (source, identifier) of ``rows``, indexed
    by :func:`record_keys` key (one row per key).

    Plain SQL rather than the ORM: building a filter of thousands of values costs more than
    the query. PostgreSQL gets one query per source (``= ANY``), SQLite batches."""
    meta = model._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        field = meta.get_field(name)
        if not isinstance(field, models.Field) or field.column is None:
            raise ValueError(f"{name} is not a column of {meta.label}")
        return quote(field.column)

    select = ", ".join(column(name) for name in (id_field, *fields))
    conditions = " AND ".join(f"{column(name)} = %s" for name in (source_field, *filters))
    statement = f"SELECT {select} FROM {quote(meta.db_table)} WHERE {conditions} AND "
    found: list[tuple[Any, ...]] = []
    wanted = pd.DataFrame({"source": sources[rows], "id": ids[rows]}).drop_duplicates()
    with connection.cursor() as cursor:
        for source, group in wanted.groupby("source", sort=True):
            identifiers = group["id"].tolist()
            parameters = [source, *filters.values()]
            if connection.vendor == "postgresql":
                cursor.execute(
                    statement + f"{column(id_field)} = ANY(%s)", [*parameters, identifiers]
                )
                found += [(source, *record) for record in cursor.fetchall()]
                continue
            for start in range(0, len(identifiers), _SQLITE_BATCH):
                batch = identifiers[start : start + _SQLITE_BATCH]
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    statement + f"{column(id_field)} IN ({marks})", [*parameters, *batch]
                )
                found += [(source, *record) for record in cursor.fetchall()]
    frame = pd.DataFrame(found, columns=["source", id_field, *fields])
    frame.index = pd.Index(record_keys(frame["source"].to_numpy(), frame[id_field].to_numpy()))
    return frame[~frame.index.duplicated()]


def flag_loaded_elsewhere(
    problems: Problems,
    model: type[models.Model],
    *,
    source_field: str,
    id_field: str,
    sources: Array,
    ids: Array,
    month_text: Array,
    synthetic: bool,
) -> None:
    """Rows whose record (source and identifier) is already loaded for a month this file
    does not cover: the earlier copy would stay, so the row is quarantined."""
    rows = ~problems.found
    if not rows.any():
        return
    loaded = lookup_records(
        model, source_field, id_field, sources, ids, rows, ("month", "load_id"), synthetic=synthetic
    )
    if loaded.empty:
        return
    loaded_month = months(loaded["month"].to_numpy(dtype="datetime64[D]"))
    covered = set(record_keys(sources[rows], month_text[rows]).tolist())
    elsewhere = ~pd.Series(record_keys(loaded["source"].to_numpy(), loaded_month)).isin(covered)
    if not elsewhere.any():
        return
    loaded = loaded[elsewhere.to_numpy()]
    loaded_month = loaded_month[elsewhere.to_numpy()]
    position = loaded.index.get_indexer(record_keys(sources, ids))
    load_ids = loaded["load_id"].to_numpy()
    problems.flag(
        rows & (position >= 0),
        id_field,
        lambda found: [
            f"{ids[row]} is already loaded for {loaded_month[position[row]]} (load "
            f"{load_ids[position[row]]}); a correction must come in a file for that month"
            for row in found
        ],
    )


def check_record_identifiers(
    problems: Problems,
    table: PartnerTable,
    file_name: str,
    model: type[models.Model],
    *,
    id_field: str,
    source_field: str,
    sources: Array,
    month_text: Array,
    synthetic: Array,
) -> tuple[Array, bool]:
    """The checks every partner record identifier gets: unique within the file, and not
    already loaded for a month the file does not cover. Returns the identifiers and
    whether the file is synthetic (from its ``synthetic`` column)."""
    identifier = table.text(id_field)
    flag_duplicates(
        problems, identifier, table.line_numbers, id_field, id_field, ignore=identifier == ""
    )
    is_synthetic = file_synthetic(file_name, synthetic, np.flatnonzero(~problems.found))
    flag_loaded_elsewhere(
        problems,
        model,
        source_field=source_field,
        id_field=id_field,
        sources=sources,
        ids=identifier,
        month_text=month_text,
        synthetic=is_synthetic,
    )
    return identifier, is_synthetic
