"""The data.police.uk street-level loader on slices of the real Leicestershire files."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
from pathlib import Path

import pytest
from django.test import override_settings
from shapely.geometry import Point, shape

from vrn.audit.models import AuditEvent
from vrn.crime.models import LsoaMatch, StreetCrime
from vrn.crime.police_uk import HEADER, PoliceUkStreet
from vrn.geography.network import LLR, Network
from vrn.ingest import reading
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.period import Period
from vrn.ingest.pipeline import LoadContext, load_file
from vrn.ingest.reading import read_csv_table, read_text_file

from ..partners import other_files
from .conftest import FEBRUARY, JANUARY, POLICE_UK

pytestmark = pytest.mark.django_db

# What the January fixture holds, by construction (see make_fixtures.py).
JANUARY_ROWS = 34
JANUARY_ASB = 7
JANUARY_NO_LOCATION = 3
JANUARY_OUTSIDE_NETWORK = 3
JANUARY_FROM_2011 = 4


def test_loads_every_row_with_provenance(dataset: PoliceUkStreet, context: LoadContext) -> None:
    result = load_file(dataset, POLICE_UK / JANUARY, context)

    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        JANUARY_ROWS,
        JANUARY_ROWS,
        0,
    )
    load = FileLoad.objects.get()
    assert load.sha256 == hashlib.sha256((POLICE_UK / JANUARY).read_bytes()).hexdigest()
    assert load.file_name == JANUARY
    assert load.loaded_by == "tester"
    assert load.partitions == [["Leicestershire Police", "2023-01"]]
    assert StreetCrime.objects.filter(load=load).count() == JANUARY_ROWS


def test_keeps_and_flags_asb_no_location_and_outside_rows(
    dataset: PoliceUkStreet, context: LoadContext
) -> None:
    load_file(dataset, POLICE_UK / JANUARY, context)
    crimes = StreetCrime.objects.all()

    assert crimes.filter(is_anti_social_behaviour=True).count() == JANUARY_ASB
    assert crimes.filter(is_anti_social_behaviour=True).exclude(crime_id="").count() == 0
    assert crimes.filter(has_location=False).count() == JANUARY_NO_LOCATION
    no_location = crimes.filter(has_location=False).first()
    assert no_location is not None
    assert (no_location.longitude, no_location.lsoa21_code, no_location.lsoa_match) == (
        None,
        "",
        LsoaMatch.NONE,
    )
    outside = crimes.filter(has_location=True, in_network_area=False)
    assert outside.count() == JANUARY_OUTSIDE_NETWORK
    assert all(c.local_authority_code not in LLR.local_authority_codes for c in outside)


def test_harmonises_2011_lsoas_and_keeps_the_original(
    dataset: PoliceUkStreet, context: LoadContext, police_reference: dict[str, object]
) -> None:
    load_file(dataset, POLICE_UK / JANUARY, context)
    from_2011 = StreetCrime.objects.exclude(lsoa_match__in=[LsoaMatch.AS_PUBLISHED, LsoaMatch.NONE])
    assert from_2011.count() == JANUARY_FROM_2011

    merged = from_2011.get(lsoa_code_published="E01013647")
    assert (merged.lsoa21_code, merged.lsoa_match) == ("E01034020", LsoaMatch.FROM_2011_SINGLE)
    assert merged.lsoa_name_published == "Leicester 040B"

    boundaries = {code: shape(g) for code, g in police_reference["boundaries"].items()}  # type: ignore[attr-defined]
    for crime in from_2011.filter(lsoa_match=LsoaMatch.FROM_2011_SPLIT_POINT):
        point = Point(crime.longitude, crime.latitude)
        nearest = min(boundaries, key=lambda code: boundaries[code].distance(point))
        assert crime.lsoa_code_published == "E01025717"
        assert crime.lsoa21_code == nearest
        assert crime.local_authority_code == "E07000130"


def test_same_file_twice_changes_nothing(dataset: PoliceUkStreet, context: LoadContext) -> None:
    first = load_file(dataset, POLICE_UK / JANUARY, context)
    before = list(StreetCrime.objects.order_by("id").values())

    second = load_file(PoliceUkStreet(), POLICE_UK / JANUARY, context)

    assert second.status == "unchanged"
    assert second.load_id == first.load_id
    assert (second.rows_read, second.rows_loaded) == (JANUARY_ROWS, JANUARY_ROWS)
    assert FileLoad.objects.count() == 1
    assert list(StreetCrime.objects.order_by("id").values()) == before


def test_corrected_file_replaces_its_month_only(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    original = load_file(dataset, street_files / JANUARY, context)
    load_file(dataset, street_files / FEBRUARY, context)
    corrected = street_files / "corrected" / JANUARY
    corrected.parent.mkdir()
    lines = (street_files / JANUARY).read_text().splitlines(keepends=True)
    corrected.write_text("".join(lines[:-1]).replace("Other theft", "Shoplifting", 1))

    result = load_file(dataset, corrected, context)

    assert result.status == "replaced"
    assert f"load {original.load_id}" in result.message
    old = FileLoad.objects.get(pk=original.load_id)
    assert old.status == FileLoad.Status.SUPERSEDED
    assert old.superseded_by_id == result.load_id
    january = StreetCrime.objects.filter(month="2023-01-01")
    assert january.count() == JANUARY_ROWS - 1
    assert set(january.values_list("load_id", flat=True)) == {result.load_id}
    assert StreetCrime.objects.filter(month="2023-02-01").count() == 10

    again = load_file(dataset, street_files / JANUARY, context)
    assert again.status == "replaced"
    assert StreetCrime.objects.filter(month="2023-01-01").count() == JANUARY_ROWS


def test_file_overlapping_part_of_an_earlier_load_is_refused(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    january = (street_files / JANUARY).read_text()
    february_rows = (street_files / FEBRUARY).read_text().splitlines(keepends=True)[1:]
    both = street_files / "both-months.csv"
    both.write_text(january + "".join(february_rows))
    two_months = dataclasses.replace(context, period=Period.parse("2023-01..2023-02"))
    assert load_file(dataset, both, two_months).rows_loaded == JANUARY_ROWS + 10

    result = load_file(dataset, street_files / JANUARY, other_files(context))

    assert result.status == "refused"
    assert "2023-02" in result.message and "whole earlier loads only" in result.message
    assert "vrn withdraw" in result.message
    assert StreetCrime.objects.count() == JANUARY_ROWS + 10


def test_a_stray_row_of_another_month_is_quarantined_and_withdraws_nothing(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    """One row dated February in the January file must not replace February's load."""
    february = load_file(dataset, street_files / FEBRUARY, context)
    january = (street_files / JANUARY).read_text()
    stray = (street_files / FEBRUARY).read_text().splitlines(keepends=True)[1]
    (street_files / JANUARY).write_text(january + stray)

    result = load_file(dataset, street_files / JANUARY, context)

    assert (result.status, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        JANUARY_ROWS,
        1,
    )
    row = QuarantinedRow.objects.get(load_id=result.load_id)
    assert (row.line_number, row.field) == (JANUARY_ROWS + 2, "Month")
    assert "outside the period this file covers (2023-01, from its name)" in row.reason
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["Leicestershire Police", "2023-01"]
    ]
    assert FileLoad.objects.get(pk=february.load_id).status == FileLoad.Status.CURRENT
    assert StreetCrime.objects.filter(load_id=february.load_id).count() == february.rows_loaded


def test_replacing_another_files_rows_needs_the_option_and_is_audited(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    original = load_file(dataset, street_files / JANUARY, context)
    renamed = street_files / "leicestershire-january.csv"
    renamed.write_text((street_files / JANUARY).read_text().replace("Other theft", "Shoplifting"))
    january = dataclasses.replace(context, period=Period.parse("2023-01"))

    refused = load_file(dataset, renamed, january)
    assert refused.status == "refused"
    assert f"load {original.load_id} ({JANUARY}, {JANUARY_ROWS} rows)" in refused.message
    assert "--replace-other-files" in refused.message
    assert StreetCrime.objects.filter(load_id=original.load_id).count() == JANUARY_ROWS

    replaced = load_file(dataset, renamed, other_files(january))
    assert replaced.status == "replaced"
    old = FileLoad.objects.get(pk=original.load_id)
    assert (old.status, old.superseded_by_id) == (FileLoad.Status.SUPERSEDED, replaced.load_id)
    event = AuditEvent.objects.get(action="ingest.replace")
    assert event.target == f"load {original.load_id} ({JANUARY})"
    assert event.detail["rows_deleted"] == JANUARY_ROWS
    assert event.detail["replaced_by"] == replaced.load_id


def test_a_file_that_names_no_month_covers_the_month_of_most_of_its_rows(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    unnamed = street_files / "export.csv"
    unnamed.write_text((street_files / JANUARY).read_text())
    result = load_file(dataset, unnamed, context)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["Leicestershire Police", "2023-01"]
    ]

    february = street_files / "2023-02-leicestershire-street.csv"
    february.write_text((street_files / JANUARY).read_text() + "\n")
    mismatch = load_file(
        dataset, february, dataclasses.replace(context, period=Period.parse("2023-01"))
    )
    assert mismatch.status == "refused"
    assert "its name says it covers 2023-02 but --period says 2023-01" in mismatch.message


def test_network_is_configuration(dataset: PoliceUkStreet, context: LoadContext) -> None:
    blaby_only = Network(name="Blaby", short_name="B", local_authority_codes=("E07000129",))
    with override_settings(VRN_NETWORK=blaby_only):
        load_file(dataset, POLICE_UK / JANUARY, context)
    inside = StreetCrime.objects.filter(in_network_area=True)
    assert inside.count() > 0
    assert set(inside.values_list("local_authority_code", flat=True)) == {"E07000129"}


def test_refuses_when_reference_geography_is_missing(db: None, context: LoadContext) -> None:
    result = load_file(PoliceUkStreet(), POLICE_UK / JANUARY, context)
    assert result.status == "refused"
    assert "vrn load-reference" in result.message
    assert FileLoad.objects.count() == 0


# --- Files refused whole -----------------------------------------------------

OUTCOMES_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Outcome type\n"
)
STOP_SEARCH_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,"
    "Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,"
    "Outcome,Outcome linked to object of search,Removal of more than just outer clothing\n"
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            OUTCOMES_HEADER + "abc,2023-01,L,L,-1.1,52.6,On or near X,E01025631,Blaby 002A,"
            "Unable to prosecute suspect\n",
            "is a data.police.uk outcomes file, not a street-level",
        ),
        (
            STOP_SEARCH_HEADER + "Person search,2023-01-01T10:00:00+00:00,False,,52.6,-1.1,Male,"
            "18-24,,,Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,False\n",
            "is a data.police.uk stop-and-search file",
        ),
        (
            "name,age\nalice,3\n",
            "is not a data.police.uk street-level crime file (missing columns: 'Crime ID'",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file, not a CSV text file"),
        (b"Crime ID,Month\n\xff\xfe caf\xe9\n", "is not UTF-8 text (undecodable byte at line 2)"),
        ("", "the file is empty"),
        (
            ",".join(HEADER) + "\n",
            "has a header but no data rows",
        ),
    ],
    ids=["outcomes", "stop-and-search", "other-csv", "binary", "not-utf8", "empty", "header-only"],
)
def test_wrong_kind_of_file_is_refused_whole(
    dataset: PoliceUkStreet,
    context: LoadContext,
    tmp_path: Path,
    content: str | bytes,
    expected: str,
) -> None:
    path = tmp_path / "2023-01-leicestershire-street.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    result = load_file(dataset, path, context)

    assert result.status == "refused"
    assert expected in result.message
    assert result.file == path.name
    assert FileLoad.objects.count() == 0
    assert StreetCrime.objects.count() == 0


def test_mostly_invalid_file_is_refused_whole(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    path = street_files / JANUARY
    path.write_text(path.read_text().replace(",2023-01,", ",January,"))

    result = load_file(dataset, path, context)

    assert result.status == "refused"
    assert f"{JANUARY_ROWS} of {JANUARY_ROWS} rows are invalid" in result.message
    assert "line 2, Month: 'January' is not a month in YYYY-MM form" in result.message
    assert StreetCrime.objects.count() == 0


def test_missing_file_is_refused(
    dataset: PoliceUkStreet, context: LoadContext, tmp_path: Path
) -> None:
    result = load_file(dataset, tmp_path / "nope.csv", context)
    assert (result.status, result.file) == ("refused", "nope.csv")
    assert "no such file" in result.message


# --- Rows refused into quarantine ---------------------------------------------

# Line 2 is an ordinary crime, line 22 an anti-social behaviour row (see the fixture).
CRIME_LINE, ASB_LINE = 2, 22


@pytest.mark.parametrize(
    ("line", "column", "value", "field", "reason"),
    [
        (CRIME_LINE, "Month", "2023-13", "Month", "'2023-13' is not a month in YYYY-MM form"),
        (CRIME_LINE, "Month", "Jan 2023", "Month", "'Jan 2023' is not a month in YYYY-MM form"),
        (CRIME_LINE, "Month", "2009-05", "Month", "2009-05 is before data.police.uk began"),
        (CRIME_LINE, "Month", "2031-01", "Month", "2031-01 is in the future"),
        (CRIME_LINE, "Longitude", "181.5", "Longitude", "181.5 is outside the United Kingdom"),
        (CRIME_LINE, "Latitude", "12.0", "Latitude", "12.0 is outside the United Kingdom"),
        (CRIME_LINE, "Latitude", "north", "Latitude", "'north' is not a number"),
        (CRIME_LINE, "Longitude", "", "Longitude", "is empty but the other coordinate is given"),
        (CRIME_LINE, "Crime type", "Jaywalking", "Crime type", "unknown crime type 'Jaywalking'"),
        (CRIME_LINE, "Crime ID", "", "Crime ID", "only anti-social behaviour rows may have no"),
        (CRIME_LINE, "Crime ID", "XYZ", "Crime ID", "is not a 64-character lower-case hexadecimal"),
        (
            ASB_LINE,
            "Crime ID",
            "a" * 64,
            "Crime ID",
            "anti-social behaviour rows carry no Crime ID",
        ),
        (CRIME_LINE, "LSOA code", "E01999999", "LSOA code", "'E01999999' is neither a 2021 nor"),
        (CRIME_LINE, "Reported by", "", "Reported by", "is empty"),
    ],
)
def test_bad_row_is_quarantined_with_line_field_and_reason(
    dataset: PoliceUkStreet,
    context: LoadContext,
    street_files: Path,
    line: int,
    column: str,
    value: str,
    field: str,
    reason: str,
) -> None:
    path = street_files / JANUARY
    _set_field(path, line, column, value)

    result = load_file(dataset, path, context)

    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        JANUARY_ROWS,
        JANUARY_ROWS - 1,
        1,
    )
    row = QuarantinedRow.objects.get()
    assert (row.line_number, row.field) == (line, field)
    assert reason in row.reason
    assert row.raw[column] == value
    assert not StreetCrime.objects.filter(line_number=line).exists()


def test_duplicate_crime_id_names_the_first_line(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    path = street_files / JANUARY
    first_id = _get_field(path, CRIME_LINE, "Crime ID")
    _set_field(path, CRIME_LINE + 1, "Crime ID", first_id)

    load_file(dataset, path, context)

    row = QuarantinedRow.objects.get()
    assert (row.line_number, row.field) == (CRIME_LINE + 1, "Crime ID")
    assert row.reason == f"duplicates the Crime ID on line {CRIME_LINE}"


def test_row_with_wrong_number_of_fields(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    path = street_files / JANUARY
    lines = path.read_text().splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + ",surplus\n"
    path.write_text("".join(lines))

    result = load_file(dataset, path, context)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        JANUARY_ROWS,
        JANUARY_ROWS - 1,
        1,
    )
    row = QuarantinedRow.objects.get()
    assert (row.line_number, row.field) == (5, "(row)")
    assert row.reason == "expected 12 fields, found 13"
    assert row.raw["extra field 13"] == "surplus"


def test_byte_order_mark_and_line_numbers_after_a_multiline_field(
    dataset: PoliceUkStreet, context: LoadContext, street_files: Path
) -> None:
    path = street_files / JANUARY
    _set_field(path, 3, "Location", "On or near\nTwo Lines")
    lines = path.read_text().splitlines(keepends=True)
    path.write_bytes(b"\xef\xbb\xbf" + "".join(lines).encode())
    _set_field(path, 6, "Crime type", "Nonsense")  # physical line 6 is record 5

    load_file(dataset, path, context)

    row = QuarantinedRow.objects.get()
    assert row.line_number == 6
    assert StreetCrime.objects.get(line_number=3).location == "On or near\nTwo Lines"


def _split(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _set_field(path: Path, line: int, column: str, value: str) -> None:
    """Set one field of the record that starts on physical ``line`` (1 = header)."""
    records = _split(path)
    physical = 1
    for record in records[1:]:
        physical += 1
        if physical == line:
            record[HEADER.index(column)] = value
            break
        physical += sum(field.count("\n") for field in record)
    bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


def _get_field(path: Path, line: int, column: str) -> str:
    return _split(path)[line - 1][HEADER.index(column)]


def test_fast_and_fallback_parsing_give_the_same_load(
    dataset: PoliceUkStreet,
    context: LoadContext,
    street_files: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = street_files / JANUARY
    _set_field(path, CRIME_LINE, "Month", "2023-13")
    _set_field(path, 5, "Crime ID", " " + _get_field(path, 5, "Crime ID"))  # stripped
    _set_field(path, 6, "Location", 'On or near "The Quoted", Street')
    _set_field(path, ASB_LINE, "Latitude", "north")
    raw = read_text_file(path)
    assert read_csv_table(raw.text).fast_path

    fast = dataset.parse(raw, context)
    monkeypatch.setattr(reading, "_fast_csv_table", lambda text: None)
    fallback = PoliceUkStreet().parse(raw, context)

    assert list(fast.rows) == list(fallback.rows)
    assert fast.rejections == fallback.rejections
    assert (fast.rows_read, fast.partitions) == (fallback.rows_read, fallback.partitions)
    assert [(r.line_number, r.field) for r in fast.rejections] == [
        (CRIME_LINE, "Month"),
        (ASB_LINE, "Latitude"),
    ]
    assert len(fast.rows) == JANUARY_ROWS - 2
