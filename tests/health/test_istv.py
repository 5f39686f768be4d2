"""ISTV (ED assault attendances): derived fields, every rejection path, refusals,
idempotency, replacement and atomicity."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from vrn.health.models import EdAttendance
from vrn.ingest import pipeline
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.pipeline import LoadContext

from ..partners import (
    KEY,
    PARTNERS,
    accounted,
    assert_third_row_quarantined,
    load,
    read_rows,
    rejection_cases,
    write_csv,
)

pytestmark = pytest.mark.django_db

ISTV = PARTNERS / "istv.csv"
HEADER, ROWS = read_rows(ISTV)
PLAIN_HEADER = [name for name in HEADER if name != "nhs_number"]
GOOD = {
    "treatment_site_code": "RWEAA",
    "arrival": "2024-03-02 01:30",
    "incident_date": "2024-03-02",
    "incident_time": "00:45",
    "incident_latitude": "52.625221",
    "incident_longitude": "-1.151298",
    "geocode_confidence": "street",
    "incident_location_type": "street",
    "means_of_assault": "body_part",
    "age": "19",
    "sex": "M",
}


def attendance(identifier: str) -> EdAttendance:
    return EdAttendance.objects.get(attendance_id=identifier)


def test_loads_every_row_with_derived_fields(
    reference: None, context: LoadContext, pseudonym_key: str
) -> None:
    result = load("istv", ISTV, context)

    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        5,
        5,
        0,
    )
    assert accounted(result)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["RWEAA", "2024-01"],
        ["RWEAA", "2024-02"],
    ]
    exact = attendance("ED-0001")
    assert exact.arrival == datetime(2024, 1, 5, 15, 10, tzinfo=UTC)
    assert (exact.incident_date, exact.incident_time) == (date(2024, 1, 5), time(14, 30))
    assert (exact.incident_hour, exact.incident_weekday) == (14, 5)
    assert (exact.incident_lsoa21_code, exact.incident_local_authority_code) == (
        "E01013776",
        "E06000016",
    )
    assert exact.incident_in_network and exact.public_place
    nhs = hmac.new(KEY.encode(), b"nhs:9434765919", hashlib.sha256).hexdigest()
    assert (exact.person_key, exact.key_basis, exact.residence_postcode_district) == (
        nhs,
        "nhs",
        "LE3",
    )

    grid = attendance("ED-0002")
    assert grid.incident_latitude == pytest.approx(52.625221, abs=1e-5)
    assert (grid.incident_lsoa21_code, grid.public_place) == ("E01013776", True)
    assert (grid.person_key, grid.key_basis, grid.sex) == ("", "", "F")

    area = attendance("ED-0003")  # geocoded to an area only: not placed
    assert (area.incident_lsoa21_code, area.incident_local_authority_code) == ("", "")
    assert area.incident_in_network is None
    assert (area.incident_hour, area.incident_weekday) == (None, 7)

    undated = attendance("ED-0004")
    assert (undated.incident_date, undated.incident_weekday, undated.public_place) == (
        None,
        None,
        False,
    )
    assert (undated.residence_lsoa_match, undated.residence_local_authority_code) == (
        "2011-split-unresolved",
        "E06000016",
    )
    late = attendance("ED-0005")
    assert (late.month, late.arrival_date, late.public_place) == (
        date(2024, 2, 1),
        date(2024, 2, 1),
        False,
    )
    assert (late.residence_local_authority_code, late.resident_in_network) == ("E07000129", True)


def test_without_identifier_columns_no_key_is_needed(
    reference: None, context: LoadContext, no_pseudonym_key: None, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "istv.csv", PLAIN_HEADER, ROWS)
    result = load("istv", path, context)
    assert (result.status, result.rows_loaded) == ("loaded", 5)


def test_identifier_columns_without_the_key_refuse_the_file(
    reference: None, context: LoadContext, no_pseudonym_key: None
) -> None:
    result = load("istv", ISTV, context)
    assert result.status == "refused"
    assert "has identifier columns (nhs_number) and VRN_PSEUDONYM_KEY is not set" in result.message


REJECTIONS: list[tuple[str, dict[str, str], str, str]] = [
    *[
        (f"{name}-empty", {name: ""}, name, "is empty; this column is required")
        for name in ("attendance_id", "treatment_site_code", "arrival", "means_of_assault")
    ],
    ("site", {"treatment_site_code": "LRI!"}, "treatment_site_code", "is not an ODS code"),
    ("id-long", {"attendance_id": "9" * 41}, "attendance_id", "is longer than 40 characters"),
    ("arrival-date-only", {"arrival": "2024-03-02"}, "arrival", "not a date and time"),
    ("arrival-future", {"arrival": "2025-01-02 10:00"}, "arrival", "is in the future"),
    ("incident-form", {"incident_date": "2/3/2024"}, "incident_date", "not a date in YYYY-MM-DD"),
    ("incident-after", {"incident_date": "2024-03-03"}, "incident_date", "is after arrival"),
    (
        "incident-old",
        {"incident_date": "2024-02-01"},
        "incident_date",
        "incident more than 28 days before arrival",
    ),
    ("time", {"incident_time": "25:00"}, "incident_time", "'25:00' is not a time in HH:MM"),
    ("location-long", {"incident_location": "x" * 201}, "incident_location", "longer than 200"),
    (
        "latitude-outside",
        {"incident_latitude": "61.5"},
        "incident_latitude",
        "61.5 is outside the United Kingdom",
    ),
    (
        "northing-alone",
        {"incident_northing": "303389"},
        "incident_easting",
        "is empty but incident_northing is given",
    ),
    (
        "confidence-missing",
        {"geocode_confidence": ""},
        "geocode_confidence",
        "required when the incident has coordinates",
    ),
    ("confidence", {"geocode_confidence": "good"}, "geocode_confidence", "'good' is not one of"),
    (
        "location-type",
        {"incident_location_type": "pub"},
        "incident_location_type",
        "'pub' is not one of",
    ),
    ("means", {"means_of_assault": "knife"}, "means_of_assault", "'knife' is not one of"),
    ("age", {"age": "-1"}, "age", "'-1' is not a whole number"),
    ("sex", {"sex": "1"}, "sex", "'1' is not one of: M, F, X, U"),
    (
        "district",
        {"residence_postcode_district": "LEICESTER"},
        "residence_postcode_district",
        "is not a postcode district (e.g. LE2)",
    ),
    (
        "district-full-postcode",
        {"residence_postcode_district": "LE1 5WW"},
        "residence_postcode_district",
        "is a full postcode; only the postcode district (e.g. LE2) may be sent",
    ),
    ("residence", {"residence_lsoa": "W01999999"}, "residence_lsoa", "neither a 2021 nor"),
    (
        "duplicate",
        {"attendance_id": "A1"},
        "attendance_id",
        "duplicates the attendance_id on line 2",
    ),
]


@rejection_cases(REJECTIONS)
def test_each_rejection_path(
    reference: None,
    context: LoadContext,
    tmp_path: Path,
    changes: dict[str, str],
    field: str,
    reason: str,
) -> None:
    rows = [{**GOOD, "attendance_id": f"A{i}"} for i in (1, 2, 3)]
    rows[2].update(changes)
    result = load("istv", write_csv(tmp_path / "istv.csv", PLAIN_HEADER, rows), context)

    assert_third_row_quarantined(result, field, reason)


def test_same_file_twice_and_a_corrected_file(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    first = load("istv", ISTV, context)
    assert load("istv", ISTV, context).status == "unchanged"
    corrected = [{**row, "means_of_assault": "other"} for row in ROWS]
    result = load("istv", write_csv(tmp_path / "istv.csv", HEADER, corrected), context)

    assert result.status == "replaced"
    assert FileLoad.objects.get(pk=first.load_id).status == FileLoad.Status.SUPERSEDED
    assert set(EdAttendance.objects.values_list("means_of_assault", flat=True)) == {"other"}
    assert EdAttendance.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_failure_mid_file_leaves_nothing(
    reference: None, context: LoadContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_insert = pipeline.bulk_insert

    def failing(model: Any, fields: Any, rows: Any) -> int:
        real_insert(model, fields, list(rows)[:2])
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "bulk_insert", failing)
    with pytest.raises(KeyboardInterrupt):
        load("istv", write_csv(tmp_path / "istv.csv", PLAIN_HEADER, ROWS), context)
    assert not (
        FileLoad.objects.exists()
        or EdAttendance.objects.exists()
        or QuarantinedRow.objects.exists()
    )
