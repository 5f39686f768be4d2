"""bulk_insert stores every value exactly as given, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from vrn.crime.models import StreetCrime
from vrn.ingest import bulk
from vrn.ingest.bulk import ColumnRows, bulk_insert
from vrn.ingest.models import FileLoad

pytestmark = pytest.mark.django_db

FIELDS = [
    "load",
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

AWKWARD_TEXT = [
    "",
    "plain",
    'it\'s "quoted", with a comma',
    "two\nlines\r\nand a tab\there",
    "back\\slash and a literal \\N",
    "NULL",
    "Café, ünïcode ✓ and \u2013",
    "x" * 255,
]


def _load() -> FileLoad:
    return FileLoad.objects.create(
        dataset="test",
        file_name="test.csv",
        sha256="0" * 64,
        size_bytes=0,
        loaded_at=timezone.now(),
        loaded_by="tester",
        rows_read=0,
        rows_loaded=0,
        rows_quarantined=0,
    )


def _rows(load_id: int, count: int) -> list[tuple[Any, ...]]:
    rows = []
    for i in range(count):
        located = i % 3 != 0
        text = AWKWARD_TEXT[i % len(AWKWARD_TEXT)]
        rows.append(
            (
                load_id,
                2_000_000_000 - i,
                f"{i:064x}",
                date(2023, 1 + i % 12, 1) if i % 2 else f"2023-{1 + i % 12:02d}-01",
                "Leicestershire Police",
                text[:100],
                -1.2144561234567891 + i / 7 if located else None,
                52.621701 + i * 1e-7 if located else None,
                text,
                "E01025631",
                text[:100],
                "Anti-social behaviour" if i % 4 == 0 else "Shoplifting",
                text,
                text * 2,
                "",
                "2021",
                "E07000129",
                i % 2 == 0,
            )
        )
    return rows


def _expected(row: tuple[Any, ...]) -> dict[str, Any]:
    values = dict(zip(FIELDS, row, strict=True))
    values["load_id"] = values.pop("load")
    if isinstance(values["month"], str):
        values["month"] = date.fromisoformat(values["month"])
    values["is_anti_social_behaviour"] = values["crime_type"] == "Anti-social behaviour"
    values["has_location"] = values["longitude"] is not None
    return values


def _stored() -> list[dict[str, Any]]:
    stored = list(StreetCrime.objects.order_by("id").values())
    for row in stored:
        del row["id"]
    return stored


@pytest.mark.parametrize("as_columns", [False, True], ids=["tuples", "columns"])
def test_values_round_trip_exactly(as_columns: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "SQLITE_ROWS_PER_STATEMENT", 7)  # several chunks and a remainder
    rows = _rows(_load().pk, 45)
    given = ColumnRows.from_rows(rows, len(FIELDS)) if as_columns else rows

    assert bulk_insert(StreetCrime, FIELDS, given) == 45

    stored = _stored()
    assert stored == [_expected(row) for row in rows]  # in order, floats to the last bit
    assert {type(row["longitude"]) for row in stored} == {float, type(None)}
    assert {row["in_network_area"] for row in stored} == {True, False}


def test_nothing_to_insert() -> None:
    assert bulk_insert(StreetCrime, FIELDS, []) == 0
    assert bulk_insert(StreetCrime, FIELDS, ColumnRows([[] for _ in FIELDS])) == 0
    assert StreetCrime.objects.count() == 0


def test_rows_of_the_wrong_width_are_refused() -> None:
    row = _rows(_load().pk, 1)[0]
    with pytest.raises(ValueError, match="18 values"):
        bulk_insert(StreetCrime, FIELDS, [row, row[:-1]])
    with pytest.raises(ValueError, match="18 values"):
        bulk_insert(StreetCrime, FIELDS, ColumnRows.from_rows([row[:-1]], len(FIELDS) - 1))
    assert StreetCrime.objects.count() == 0


def test_column_rows_behave_as_a_sequence_of_rows() -> None:
    rows = ColumnRows([[1, 2, 3], ["a", "b", "c"]])

    assert len(rows) == 3
    assert rows[1] == (2, "b")
    assert list(rows) == [(1, "a"), (2, "b"), (3, "c")]
    assert list(rows[1:]) == [(2, "b"), (3, "c")]
    assert list(rows.with_first_column(9)) == [(9, 1, "a"), (9, 2, "b"), (9, 3, "c")]
    assert ColumnRows.from_rows(list(rows), 2).columns == rows.columns
    with pytest.raises(ValueError, match="different lengths"):
        ColumnRows([[1, 2], ["a"]])
