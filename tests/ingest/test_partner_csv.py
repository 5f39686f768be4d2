"""The header rules and column helpers every partner format shares."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from vrn.ingest.columns import Problems
from vrn.ingest.partner_csv import (
    MASKED,
    Column,
    Layout,
    PartnerTable,
    parse_datetimes,
    partitions,
    read_partner_table,
    utc_datetimes,
)
from vrn.ingest.reading import FileRefused, RawFile

LAYOUT = Layout(
    kind="test file",
    columns=(
        Column("record_id", required=True),
        Column("when"),
        Column("nhs_number"),
        Column("surname"),
    ),
)


def table(text: str, layout: Layout = LAYOUT) -> PartnerTable:
    raw = RawFile(path=Path("file.csv"), sha256="0" * 64, size_bytes=len(text), text=text)
    return read_partner_table(raw, layout)


def test_headers_match_case_insensitively_after_trimming_in_any_order() -> None:
    parsed = table(" WHEN ,Record_ID\n2024-01-01, r1 \n")
    assert parsed.positions == {"when": 0, "record_id": 1}
    assert parsed.text("record_id").tolist() == ["r1"]
    assert parsed.text("surname").tolist() == [""]  # absent columns are blank
    assert parsed.heading("when") == "WHEN"


def test_x_columns_are_masked_and_identifiers_keep_only_their_shape() -> None:
    parsed = table("record_id,x_notes,nhs_number,surname\nr1,secret note,943 476 5919,\n")
    assert parsed.identifier_columns() == ["nhs_number", "surname"]
    assert parsed.raw_row(0) == {
        "record_id": "r1",
        "x_notes": MASKED,
        "nhs_number": "999 999 9999",
        "surname": "",
    }


def test_ragged_rows_keep_only_shapes_when_the_file_has_person_columns() -> None:
    parsed = table("record_id,nhs_number\nr1,9434765919\nr2,9434765919,extra\n")
    [rejection] = parsed.ragged_rejections()
    assert (rejection.line_number, rejection.field) == (3, "(row)")
    assert rejection.reason == "expected 2 fields, found 3"
    assert rejection.raw == {
        "record_id": "a9",
        "nhs_number": "9999999999",
        "extra field 3": "aaaaa",
    }


def test_ragged_rows_keep_their_values_when_the_file_has_no_person_columns() -> None:
    parsed = table("record_id,when\nr1,2024-01-01\nr2,2024-01-01,extra\n")
    [rejection] = parsed.ragged_rejections()
    assert rejection.raw == {"record_id": "r2", "when": "2024-01-01", "extra field 3": "extra"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("record_id,colour,size\nr1,red,9\n", "does not have: 'colour', 'size'"),
        ("when\n2024-01-01\n", "required columns missing: 'record_id'"),
        ("record_id,RECORD_ID\nr1,r2\n", "has the column 'record_id' twice"),
        ("record_id\n", "has a header but no data rows"),
        ("record_id,when\nr1\n", "none of its 1 rows has the 2 fields of the header"),
        ("episode_id,when\ne1,x\n", "looks like a file for `vrn ingest admissions`, not a test"),
    ],
)
def test_whole_file_refusals(text: str, problem: str) -> None:
    with pytest.raises(FileRefused) as refused:
        table(text)
    assert problem in refused.value.problem


def test_patterns_map_variant_headings() -> None:
    layout = Layout(
        kind="test file",
        columns=(Column("record_id"), Column("compared")),
        patterns=((r"compared to .+", "compared"),),
    )
    assert table("record_id,Compared to Region\nr1,Better\n", layout).text("compared").tolist() == [
        "Better"
    ]


def test_datetimes_accept_the_documented_forms_only() -> None:
    parsed = table(
        "record_id,when\n"
        "a,2024-01-05 14:30\nb,2024-01-05T14:30\nc,2024-01-05T14:30:15\nd,2024-01-05\n"
        "e,2024-01-05 14:30:15\nf,05/01/2024\ng,2024-13-01\nh,\n"
    )
    problems = Problems(len(parsed))
    parsed_times = parse_datetimes(parsed, problems, "when", date(2024, 12, 31), date_only=True)
    assert problems.found.tolist() == [False] * 5 + [True, True, False]
    assert parsed_times.has_time.tolist() == [True, True, True, False, True, False, False, False]
    assert utc_datetimes(parsed_times.local)[:4] == [
        "2024-01-05 14:30:00",
        "2024-01-05 14:30:00",
        "2024-01-05 14:30:15",
        "2024-01-05 00:00:00",
    ]


def test_partitions_are_distinct_sorted_and_marked_synthetic() -> None:
    force = np.array(["F2", "F1", "F1"], dtype=object)
    month = np.array(["2024-01", "2024-02", "2024-02"], dtype=object)
    assert partitions(False, ["crimes"], force, month) == [
        ["crimes", "F1", "2024-02"],
        ["crimes", "F2", "2024-01"],
    ]
    assert partitions(True, [], force[:1], month[:1]) == [["synthetic", "F2", "2024-01"]]
