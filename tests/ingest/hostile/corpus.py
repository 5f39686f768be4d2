"""A generated corpus of hostile input files for every ``vrn ingest`` format.

Each :class:`Case` is a file's name and bytes with the outcome the pipeline must reach
(docs/ingest.md): a load in which every record read is loaded or quarantined, or a clean
refusal. Files are built here from valid rows of each format (no copied fixture files), so
the expected counts and line numbers follow from how each file is built.

The six kinds of file: the police.uk street-level CSV, the police extract's crimes and
people files, ISTV attendances, hospital admissions and Fingertips indicators. The people
file needs its crimes loaded first (:data:`CRIMES_FOR_PEOPLE`).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from vrn.crime.police_uk import HEADER as POLICE_UK_COLUMNS

#: Rows in a file unless a case says otherwise: one bad row of four is quarantined, not a
#: corrupt file (more than half invalid).
ROWS = 4
#: Crimes loaded before a people file, so its rows find their crime.
CRIMES_FOR_PEOPLE = 8
#: The csv module's default field size limit.
CSV_FIELD_LIMIT = 131_072
BOM = "\ufeff"

Row = dict[str, str]


def hex_key(text: str) -> str:
    """A made-up 64-character lower-case hexadecimal value (Crime ID, person key)."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Kind:
    """One kind of file: its header, a valid row, and the columns cases aim at."""

    name: str
    #: The ``vrn ingest`` format.
    format: str
    file_name: str
    header: tuple[str, ...]
    make_row: Callable[[int], Row]
    #: The column whose repeat is a duplicate record (quarantined naming the first line).
    id_field: str
    #: The field named when a duplicate row is quarantined.
    duplicate_field: str
    #: A required column (a blank value quarantines the row).
    required_field: str
    #: A numeric column, and the field named when it is not a number.
    number_field: str
    #: A column of whole numbers or a bounded number (a huge one is quarantined).
    bounded_field: str
    #: A date column (None: the kind has none).
    date_field: str | None
    #: Invalid dates for ``date_field`` (impossible, zero, future).
    bad_dates: tuple[str, ...] = ()
    #: A free-text column stored as given, and its model field (None: the kind has none).
    text_field: str | None = None
    text_attribute: str | None = None
    #: A column with a database length, and a value one character too long for it.
    long_field: str = ""
    long_length: int = 0
    #: Partner formats match headings case-insensitively and accept ``x_`` columns.
    partner: bool = True

    def rows(self, count: int = ROWS) -> list[Row]:
        return [self.make_row(i) for i in range(count)]

    def line(self, row: Row, header: Sequence[str] | None = None) -> str:
        """One row as a CSV line (no line end)."""
        return encode([row.get(column, "") for column in (header or self.header)])

    def text(
        self,
        rows: Sequence[Row | str],
        *,
        header: Sequence[str] | None = None,
        newline: str = "\n",
        final_newline: bool = True,
    ) -> str:
        """A file: the header and each row (a ``str`` row is a raw line, as given)."""
        header = list(header or self.header)
        lines = [encode(header)]
        lines += [row if isinstance(row, str) else self.line(row, header) for row in rows]
        return newline.join(lines) + (newline if final_newline else "")

    def data(self, rows: Sequence[Row | str] | None = None, **options: Any) -> bytes:
        return self.text(self.rows() if rows is None else rows, **options).encode("utf-8")


def encode(values: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue().removesuffix("\r\n")


# --- The six kinds of file ------------------------------------------------------------------

LEICESTER_LSOA = "E01013776"
FORCE = "E23000021"

#: The data.police.uk columns, exactly as the loader requires them.
POLICE_UK_HEADER = tuple(POLICE_UK_COLUMNS)


def police_uk_row(i: int, month: str = "2024-01") -> Row:
    return {
        "Crime ID": hex_key(f"crime {month} {i}"),
        "Month": month,
        "Reported by": "Leicestershire Police",
        "Falls within": "Leicestershire Police",
        "Longitude": "-1.151298",
        "Latitude": "52.625221",
        "Location": f"On or near Street {i}",
        "LSOA code": LEICESTER_LSOA,
        "LSOA name": "Leicester 029A",
        "Crime type": "Violence and sexual offences",
        "Last outcome category": "Under investigation",
        "Context": "",
    }


POLICE_UK = Kind(
    name="police-uk",
    format="police-uk",
    file_name="2024-01-leicestershire-street.csv",
    header=POLICE_UK_HEADER,
    make_row=police_uk_row,
    id_field="Crime ID",
    duplicate_field="Crime ID",
    required_field="Reported by",
    number_field="Longitude",
    bounded_field="Latitude",
    date_field="Month",
    bad_dates=("2024-13", "0000-00", "2099-01"),
    text_field="Location",
    text_attribute="location",
    long_field="Location",
    long_length=300,
    partner=False,
)

CRIMES_HEADER = (
    "crime_reference",
    "force_code",
    "offence_code",
    "offence_description",
    "committed_from",
    "committed_to",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "lsoa_code",
    "location_type",
    "weapon",
    "domestic",
    "injury",
    "synthetic",
)


def crime_row(i: int) -> Row:
    return {
        "crime_reference": f"LE/24/{i:04d}",
        "force_code": FORCE,
        "offence_code": "8N",
        "offence_description": f"Assault with injury {i}",
        "committed_from": "2024-01-05 14:30",
        "latitude": "52.625221",
        "longitude": "-1.151298",
        "lsoa_code": LEICESTER_LSOA,
        "location_type": "public",
        "weapon": "none",
        "domestic": "N",
        "injury": "minor",
    }


CRIMES = Kind(
    name="crimes",
    format="police-extract",
    file_name="crimes-2024-01.csv",
    header=CRIMES_HEADER,
    make_row=crime_row,
    id_field="crime_reference",
    duplicate_field="crime_reference",
    required_field="location_type",
    number_field="latitude",
    bounded_field="latitude",
    date_field="committed_from",
    bad_dates=("2023-02-30", "0000-00-00", "2099-01-01 10:00"),
    text_field="offence_description",
    text_attribute="offence_description",
    long_field="offence_description",
    long_length=300,
)

PEOPLE_HEADER = (
    "crime_reference",
    "force_code",
    "role",
    "person_key",
    "age",
    "sex",
    "ethnicity",
    "residence_lsoa",
)


def person_row(i: int) -> Row:
    return {
        "crime_reference": f"LE/24/{i:04d}",
        "force_code": FORCE,
        "role": "victim",
        "person_key": hex_key(f"person {i}"),
        "age": "30",
        "sex": "M",
        "ethnicity": "white",
        "residence_lsoa": LEICESTER_LSOA,
    }


PEOPLE = Kind(
    name="people",
    format="police-extract",
    file_name="people-2024-01.csv",
    header=PEOPLE_HEADER,
    make_row=person_row,
    id_field="person_key",
    duplicate_field="person_key",
    required_field="role",
    number_field="age",
    bounded_field="age",
    date_field=None,
    long_field="crime_reference",
    long_length=41,
)

ISTV_HEADER = (
    "attendance_id",
    "treatment_site_code",
    "arrival",
    "incident_date",
    "incident_time",
    "incident_location",
    "incident_latitude",
    "incident_longitude",
    "geocode_confidence",
    "incident_location_type",
    "means_of_assault",
    "age",
    "sex",
)


def istv_row(i: int) -> Row:
    return {
        "attendance_id": f"ED-{i:04d}",
        "treatment_site_code": "RWEAA",
        "arrival": "2024-01-05 15:10",
        "incident_date": "2024-01-05",
        "incident_time": "14:30",
        "incident_location": f"outside shop {i}",
        "incident_latitude": "52.625221",
        "incident_longitude": "-1.151298",
        "geocode_confidence": "street",
        "incident_location_type": "street",
        "means_of_assault": "body_part",
        "age": "30",
        "sex": "M",
    }


ISTV = Kind(
    name="istv",
    format="istv",
    file_name="istv-RWEAA-2024-01.csv",
    header=ISTV_HEADER,
    make_row=istv_row,
    id_field="attendance_id",
    duplicate_field="attendance_id",
    required_field="means_of_assault",
    number_field="incident_latitude",
    bounded_field="age",
    date_field="arrival",
    bad_dates=("2023-02-30 10:00", "0000-00-00 00:00", "2099-01-01 10:00"),
    text_field="incident_location",
    text_attribute="incident_location",
    long_field="incident_location",
    long_length=201,
)

ADMISSIONS_HEADER = (
    "episode_id",
    "provider_code",
    "person_key",
    "admission_date",
    "admission_method",
    "episode_order",
    "episode_status",
    "diag_01",
    "diag_02",
    "age",
    "sex",
    "residence_lsoa",
)


def admission_row(i: int) -> Row:
    return {
        "episode_id": f"EP-{i:04d}",
        "provider_code": "RWE",
        "person_key": hex_key(f"patient {i}"),
        "admission_date": "2024-01-05",
        "admission_method": "21",
        "episode_order": "1",
        "episode_status": "3",
        "diag_01": "S21.1",
        "diag_02": "X99.1",
        "age": "22",
        "sex": "1",
        "residence_lsoa": LEICESTER_LSOA,
    }


ADMISSIONS = Kind(
    name="admissions",
    format="admissions",
    file_name="admissions-RWE-2024-01.csv",
    header=ADMISSIONS_HEADER,
    make_row=admission_row,
    id_field="episode_id",
    duplicate_field="episode_id",
    required_field="admission_method",
    number_field="age",
    bounded_field="episode_order",
    date_field="admission_date",
    bad_dates=("2023-02-30", "0000-00-00", "2099-01-01"),
    long_field="episode_id",
    long_length=41,
)

INDICATORS_HEADER = (
    "Indicator ID",
    "Indicator Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Count",
    "Denominator",
)


def indicator_row(i: int) -> Row:
    return {
        "Indicator ID": "11201",
        "Indicator Name": "Violent crime - hospital admissions for violence",
        "Area Code": f"E06{i:06d}",
        "Area Name": f"Area {i}",
        "Area Type": "Counties & UAs (from Apr 2023)",
        "Sex": "Persons",
        "Age": "All ages",
        "Time period": "2022/23",
        "Value": "50.5",
        "Lower CI 95.0 limit": "40.1",
        "Upper CI 95.0 limit": "60.2",
        "Count": "500",
        "Denominator": "100000",
    }


INDICATORS = Kind(
    name="indicators",
    format="indicators",
    file_name="indicators-11201.csv",
    header=INDICATORS_HEADER,
    make_row=indicator_row,
    id_field="Area Code",
    duplicate_field="Indicator ID",
    required_field="Area Name",
    number_field="Value",
    bounded_field="Indicator ID",
    date_field=None,
    text_field="Area Name",
    text_attribute="area_name",
    long_field="Indicator Name",
    long_length=256,
)

KINDS = (POLICE_UK, CRIMES, PEOPLE, ISTV, ADMISSIONS, INDICATORS)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}


# --- Cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """The outcome a case must reach.

    ``status`` is ``loaded`` (with the counts), ``refused``, or ``quarantined-or-refused``
    (either a load quarantining ``field`` on ``line``, or a refusal).
    """

    status: str
    rows_read: int | None = None
    rows_loaded: int | None = None
    rows_quarantined: int | None = None
    #: (line, field) of each quarantined row that must be there; a field of "" is any
    #: field, and "A | B" accepts either (a heading longer than the stored field may be
    #: cut short).
    quarantined: tuple[tuple[int, str], ...] = ()
    #: Lower-case text a quarantine reason (of the first listed row) must contain.
    reason: tuple[str, ...] = ()
    #: Lower-case text the refusal message must contain.
    message: tuple[str, ...] = ()
    #: Model attribute and value that must be stored verbatim.
    stored: tuple[str, str] | None = None


def loaded(
    read: int,
    quarantined: int = 0,
    at: Sequence[tuple[int, str]] = (),
    reason: Sequence[str] = (),
    stored: tuple[str, str] | None = None,
) -> Expect:
    return Expect(
        "loaded",
        rows_read=read,
        rows_loaded=read - quarantined,
        rows_quarantined=quarantined,
        quarantined=tuple(at),
        reason=tuple(reason),
        stored=stored,
    )


def refused(*message: str) -> Expect:
    return Expect("refused", message=tuple(text.lower() for text in message))


@dataclass(frozen=True)
class Case:
    id: str
    kind: Kind
    content: bytes
    expect: Expect
    file_name: str = ""
    #: Load the crimes a people file refers to first.
    needs_crimes: bool = False
    notes: str = field(default="", compare=False)

    @property
    def format(self) -> str:
        return self.kind.format

    @property
    def name(self) -> str:
        return self.file_name or self.kind.file_name


def _with(kind: Kind, changes: dict[int, Row]) -> list[Row]:
    """The kind's valid rows with some fields of some rows changed."""
    rows = kind.rows()
    for index, values in changes.items():
        rows[index] = rows[index] | values
    return rows


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", data)
    return buffer.getvalue()


def generic_cases(kind: Kind) -> list[Case]:
    """The hostile inputs every kind of file must survive."""
    k = kind
    rows = k.rows()
    valid = k.text(rows)
    n = len(rows)
    first = k.header[0]
    cases: list[tuple[str, bytes, Expect]] = []

    def add(case_id: str, content: bytes | str, expect: Expect) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        cases.append((case_id, data, expect))

    # Empty and nearly empty files.
    add("empty", b"", refused("empty"))
    add("bom-only", BOM, refused())
    add("whitespace-only", " \n\t\r\n  \n", refused())
    add("header-only", k.text([]), refused("no data rows"))
    add("header-only-bom-crlf", BOM + k.text([], newline="\r\n"), refused("no data rows"))

    # NUL bytes: early, and beyond the first 64 KiB.
    add("nul-early", k.text(_with(k, {1: {first: rows[1][first] + "\x00"}})), refused())
    many = k.rows(70_000 // len(k.line(rows[0])) + 20)
    many[-1] = many[-1] | {first: many[-1][first] + "\x00x"}
    late = k.text(many)
    assert late.index("\x00") > 65_536
    add("nul-late", late, refused())

    # Other encodings and other kinds of file.
    add("utf16", valid.encode("utf-16"), refused())
    latin = k.text(_with(k, {1: {first: rows[1][first] + "é"}}))
    add("latin1", latin.encode("latin-1"), refused("line 3"))
    add("json", f'[{{"{first}": "x", "b": 1}},\n {{"{first}": "y", "b": 2}}]\n', refused())
    add("xml", '<?xml version="1.0"?>\n<rows>\n<row a="1"/>\n</rows>\n', refused())
    add(
        "html",
        "<!DOCTYPE html>\n<html><body><table>\n<tr><td>1</td><td>2</td></tr>\n</table></body>"
        "</html>\n",
        refused(),
    )
    add("zip", _zip(valid.encode("utf-8")), refused())
    add("gzip", gzip.compress(valid.encode("utf-8"), mtime=0), refused())

    # Line ends: all must give the rows of the LF file.
    add("crlf", k.text(rows, newline="\r\n"), loaded(n))
    add("cr-only", k.text(rows, newline="\r"), loaded(n))
    add("cr-only-no-final", k.text(rows, newline="\r", final_newline=False), loaded(n))
    mixed = k.text([]).rstrip("\n") + "\r\n"
    mixed += k.line(rows[0]) + "\n" + k.line(rows[1]) + "\r" + k.line(rows[2]) + "\r\n"
    mixed += k.line(rows[3]) + "\n"
    add("mixed-line-ends", mixed, loaded(n))
    add("no-final-newline", k.text(rows, final_newline=False), loaded(n))

    # Blank lines are not rows, and do not move line numbers.
    short = encode([rows[2][c] for c in k.header[:3]])
    blank_middle = [rows[0], "", "", rows[1], short, rows[3]]
    add("blank-lines-middle", k.text(blank_middle), loaded(n, 1, [(6, "(row)")]))
    add(
        "blank-lines-middle-crlf",
        k.text(blank_middle, newline="\r\n"),
        loaded(n, 1, [(6, "(row)")]),
    )
    add("trailing-blank-lines", valid + "\n\n\n", loaded(n))
    add("trailing-blank-lines-crlf", k.text(rows, newline="\r\n") + "\r\n\r\n", loaded(n))

    # Ragged rows.
    add("ragged-short", k.text([rows[0], short, rows[2], rows[3]]), loaded(n, 1, [(3, "(row)")]))
    long_row = k.line(rows[1]) + ",surplus,fields"
    add("ragged-long", k.text([rows[0], long_row, rows[2], rows[3]]), loaded(n, 1, [(3, "(row)")]))
    very_long = k.line(rows[1]) + "," * 20_000
    add(
        "very-long-line-ragged",
        k.text([rows[0], very_long, rows[2], rows[3]]),
        loaded(n, 1, [(3, "(row)")]),
    )

    # Quotes: a well-formed field over lines keeps line numbers; an open quote refuses.
    multiline = "first line\nsecond line\nthird line"
    if k.text_field:
        spanning: list[Row | str] = [rows[0] | {k.text_field: multiline}, rows[1], short, rows[3]]
        add(
            "quoted-field-spanning-lines",
            k.text(spanning),
            loaded(n, 1, [(6, "(row)")], stored=(k.text_attribute or "", multiline)),
        )
    else:
        header = [*k.header, "x_note"]
        spanning = [rows[0] | {"x_note": multiline}, rows[1], short, rows[3]]
        add(
            "quoted-field-spanning-lines",
            k.text(spanning, header=header),
            loaded(n, 1, [(6, "(row)")]),
        )
    open_quote = '"' + k.line(rows[1])
    add(
        "unterminated-quote-mid-file",
        k.text([rows[0], open_quote, rows[2], rows[3]]),
        refused("line 3"),
    )
    add(
        "unterminated-quote-last-row",
        k.text([rows[0], rows[1], rows[2], '"' + k.line(rows[3])]),
        Expect("quarantined-or-refused", rows_read=n, quarantined=((5, ""),)),
    )

    # Fields longer than the csv module allows, on both of the loader's parsing paths.
    huge_field = k.text_field or k.long_field
    huge = _with(k, {1: {huge_field: "A" * (CSV_FIELD_LIMIT + 10_000)}})
    add(
        "field-over-csv-limit",
        k.text(huge),
        Expect("quarantined-or-refused", rows_read=n, quarantined=((3, huge_field),)),
    )
    add(
        "field-over-csv-limit-with-blank-line",
        k.text([huge[0], "", *huge[1:]]),
        Expect("quarantined-or-refused", rows_read=n, quarantined=((4, huge_field),)),
    )
    # A value one character (or more) longer than its database column.
    too_long = "x" * k.long_length
    add(
        "value-longer-than-column",
        k.text(_with(k, {2: {k.long_field: too_long}})),
        loaded(n, 1, [(4, k.long_field)]),
    )

    # Values.
    add(
        "whitespace-only-required",
        k.text(_with(k, {1: {k.required_field: " \t  "}})),
        loaded(n, 1, [(3, k.required_field)]),
    )
    duplicate = [*rows[:2], rows[0], *rows[3:]]
    add(
        "duplicate-record",
        k.text(duplicate),
        loaded(n, 1, [(4, k.duplicate_field)], reason=("line 2",)),
    )
    add(
        "huge-numbers",
        k.text(
            _with(
                k,
                {1: {k.number_field: "1e400"}, 2: {k.bounded_field: "99999999999999999999"}},
            )
        ),
        loaded(n, 2, [(3, k.number_field), (4, k.bounded_field)]),
    )
    six = k.rows(6)
    for index, text in ((1, "NaN"), (2, "inf"), (4, "-Infinity")):
        six[index] = six[index] | {k.number_field: text}
    add(
        "nan-inf-strings",
        k.text(six),
        loaded(6, 3, [(3, k.number_field), (4, k.number_field), (6, k.number_field)]),
    )
    if k.date_field:
        six = k.rows(6)
        for index, text in zip((1, 2, 4), k.bad_dates, strict=True):
            six[index] = six[index] | {k.date_field: text}
        add(
            "impossible-zero-future-dates",
            k.text(six),
            loaded(6, 3, [(3, k.date_field), (4, k.date_field), (6, k.date_field)]),
        )
    if k.text_field:
        for case_id, value in (
            ("sql-looking-value", "'; DROP TABLE crime_streetcrime; --"),
            ("formula-injection", "=cmd|' /C calc'!A0"),
            (
                "unicode-confusables-rtl-emoji",
                "\uff2c\u0435ic\u0435st\u0435r \u202egnip\u202c \u200b🔪🏴\u200d",
            ),
        ):
            add(
                case_id,
                k.text(_with(k, {1: {k.text_field: value}})),
                loaded(n, stored=(k.text_attribute or "", value)),
            )

    # Headers.
    if k.partner:
        shouted = ["  " + column.upper() + "  " for column in k.header]
        add(
            "header-case-and-spaces",
            k.text(rows).replace(encode(k.header), encode(shouted), 1),
            loaded(n),
        )
        with_x = [{**row, "x_note": f"partner note {i}"} for i, row in enumerate(rows)]
        add("x-column", k.text(with_x, header=[*k.header, "x_note"]), loaded(n))
        add(
            "unknown-column",
            k.text(rows, header=[*k.header, "colour"]),
            refused("colour"),
        )
    else:
        lower = [column.lower() for column in k.header]
        add(
            "header-lower-case", k.text(rows).replace(encode(k.header), encode(lower), 1), refused()
        )
        # Spaces around a heading are trimmed (an export artefact); the names must match.
        spaced = [column + " " for column in k.header]
        add(
            "header-trailing-spaces",
            k.text(rows).replace(encode(k.header), encode(spaced), 1),
            loaded(len(rows)),
        )
        with_x = [{**row, "x_note": "note"} for row in rows]
        add("x-column", k.text(with_x, header=[*k.header, "x_note"]), refused())
        add("unknown-column", k.text(rows, header=[*k.header, "colour"]), refused("colour"))
    twice = [*k.header, k.header[1]]
    add(
        "duplicate-column",
        "\n".join(
            [encode(twice), *(k.line(row) + "," + encode([row[k.header[1]]]) for row in rows)]
        )
        + "\n",
        refused(),
    )
    missing = [c for c in k.header if c != k.required_field]
    add("missing-required-column", k.text(rows, header=missing), refused(k.required_field))

    return [
        Case(
            id=f"{k.name}-{case_id}",
            kind=k,
            content=data,
            expect=expect,
            needs_crimes=k is PEOPLE,
        )
        for case_id, data, expect in cases
    ]


def specific_cases() -> list[Case]:
    """Cases about one format's own rules."""
    cases: list[Case] = []

    def add(case_id: str, kind: Kind, content: bytes | str, expect: Expect, **extra: Any) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        cases.append(
            Case(
                id=f"{kind.name}-{case_id}",
                kind=kind,
                content=data,
                expect=expect,
                needs_crimes=kind is PEOPLE,
                **extra,
            )
        )

    k = POLICE_UK
    add(
        "row-outside-file-month",
        k,
        k.text([*k.rows()[:3], police_uk_row(9, month="2023-12")]),
        loaded(4, 1, [(5, "Month")], reason=("outside", "2024-01")),
    )
    add(
        "zero-coordinates",
        k,
        k.text(_with(k, {1: {"Longitude": "0", "Latitude": "0"}})),
        loaded(4, 1, [(3, "Latitude")]),
    )
    add(
        "negative-zero-and-exponent-coordinates",
        k,
        k.text(_with(k, {1: {"Longitude": "-0.0", "Latitude": "5.2625221e1"}})),
        loaded(4, 0),
    )
    for column, length in (
        ("LSOA name", 101),
        ("Reported by", 101),
        ("Falls within", 101),
        ("Last outcome category", 256),
        ("Crime type", 65),
    ):
        add(
            f"{column.lower().replace(' ', '-')}-longer-than-column",
            k,
            k.text(_with(k, {2: {column: "y" * length}})),
            loaded(4, 1, [(4, column)]),
        )
    add(
        "crime-id-upper-case",
        k,
        k.text(_with(k, {1: {"Crime ID": k.rows()[1]["Crime ID"].upper()}})),
        loaded(4, 1, [(3, "Crime ID")]),
    )
    rows = k.rows()
    stray = k.line(rows[1]).replace("On or near Street 1", 'On or near "The Crown')
    add(
        "stray-quote-inside-field",
        k,
        k.text([rows[0], stray, rows[2], rows[3]]),
        loaded(4, 0, stored=("location", 'On or near "The Crown')),
    )
    add(
        "outcomes-file",
        k,
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Outcome type\nabc,2024-01,A,A,,,,,,Unable to prosecute\n",
        refused("outcomes"),
    )

    k = CRIMES
    add(
        "force-code-arabic-indic-digits",
        k,
        k.text(_with(k, {1: {"force_code": "E\u0662\u0663\u0660\u0660\u0660\u0660\u0662\u0661"}})),
        loaded(4, 1, [(3, "force_code")]),
    )
    add(
        "offence-code-longer-than-column",
        k,
        k.text(_with(k, {1: {"offence_code": "8N" + "0" * 20}})),
        loaded(4, 1, [(3, "offence_code")]),
    )
    add(
        "both-kinds-of-header",
        k,
        k.text(k.rows(), header=[*k.header, "role"]),
        refused("role"),
    )

    k = PEOPLE
    cases.append(
        Case(
            id="people-no-crimes-loaded",
            kind=k,
            content=k.data(),
            expect=refused("crimes file first"),
        )
    )
    add(
        "person-key-not-hex",
        k,
        k.text(_with(k, {1: {"person_key": "z" * 64}})),
        loaded(4, 1, [(3, "person_key")]),
    )
    add(
        "age-arabic-indic-digits",
        k,
        k.text(_with(k, {1: {"age": "\u0663\u0660"}})),
        loaded(4, 1, [(3, "age")]),
    )

    k = ISTV
    add(
        "negative-easting",
        k,
        k.text(
            [
                row | ({"incident_easting": "-5", "incident_northing": "300000"} if i == 1 else {})
                for i, row in enumerate(k.rows())
            ],
            header=[*k.header, "incident_easting", "incident_northing"],
        ),
        loaded(4, 1, [(3, "incident_easting")]),
    )
    add(
        "arrival-date-only",
        k,
        k.text(_with(k, {1: {"arrival": "2024-01-05"}})),
        loaded(4, 1, [(3, "arrival")]),
    )

    k = ADMISSIONS
    add(
        "diagnosis-sql",
        k,
        k.text(_with(k, {1: {"diag_02": "X99'; DROP TABLE health_admissionepisode; --"}})),
        loaded(4, 1, [(3, "diag_02")]),
    )

    k = INDICATORS
    add(
        "negative-count",
        k,
        k.text(_with(k, {1: {"Count": "-5"}})),
        loaded(4, 1, [(3, "Count")]),
    )
    add(
        "negative-denominator",
        k,
        k.text(_with(k, {2: {"Denominator": "-100000"}})),
        loaded(4, 1, [(4, "Denominator")]),
    )
    heading = "Compared to " + "Very Long Parent Area Type " * 5 + "value or percentiles"
    add(
        "long-parent-comparison-heading",
        k,
        k.text(
            [row | {heading: "x" * 300 if i == 1 else "Similar"} for i, row in enumerate(k.rows())],
            header=[*k.header, heading],
        ),
        loaded(4, 1, [(3, f"{heading} | Compared to parent value or percentiles")]),
    )
    add(
        "lower-limit-above-upper",
        k,
        k.text(_with(k, {1: {"Lower CI 95.0 limit": "70"}})),
        loaded(4, 1, [(3, "Lower CI 95.0 limit")]),
    )
    return cases


def all_cases() -> list[Case]:
    cases = [case for kind in KINDS for case in generic_cases(kind)]
    cases += specific_cases()
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases


def with_name(case: Case, name: str) -> Case:
    return replace(case, file_name=name)
