"""The police-extract crimes file: derived fields, every rejection path, whole-file
refusals, idempotency, replacement and atomicity."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from vrn.ingest import pipeline
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.pipeline import LoadContext
from vrn.police.models import Crime

from ..partners import (
    PARTNERS,
    accounted,
    assert_third_row_quarantined,
    load,
    quarantine,
    read_rows,
    rejection_cases,
    write_csv,
)

pytestmark = pytest.mark.django_db

CRIMES = PARTNERS / "police-crimes.csv"
HEADER, ROWS = read_rows(CRIMES)
GOOD = {
    "crime_reference": "T/1",
    "force_code": "E23000021",
    "offence_code": "8N",
    "committed_from": "2024-03-01 12:00",
    "lsoa_code": "E01013776",
    "location_type": "public",
    "weapon": "none",
    "domestic": "N",
    "injury": "minor",
}


def crime(reference: str) -> Crime:
    return Crime.objects.get(crime_reference=reference)


def test_loads_every_row_with_derived_fields(reference: None, context: LoadContext) -> None:
    result = load("police-extract", CRIMES, context)

    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        10,
        10,
        0,
    )
    assert accounted(result)
    file_load = FileLoad.objects.get(pk=result.load_id)
    assert file_load.dataset == "police-extract"
    assert file_load.partitions == [
        ["crimes", "E23000021", "2024-01"],
        ["crimes", "E23000021", "2024-02"],
    ]

    first = crime("LE/24/0001")
    assert first.police_uk_crime_type == "Violence and sexual offences"
    assert first.committed_from == datetime(2024, 1, 5, 14, 30, tzinfo=UTC)  # GMT in January
    assert (first.committed_date, first.month) == (date(2024, 1, 5), date(2024, 1, 1))
    assert (first.hour, first.weekday, first.has_time, first.time_exact) == (14, 5, True, True)
    assert (first.lsoa21_code, first.lsoa_match, first.local_authority_code) == (
        "E01013776",
        "2021",
        "E06000016",
    )
    assert first.in_network_area and first.public_place and not first.domestic
    assert first.weapon == "knife_or_sharp" and first.synthetic is False

    merged = crime("LE/24/0002")
    assert (merged.lsoa_code_published, merged.lsoa21_code, merged.lsoa_match) == (
        "E01013647",
        "E01034020",
        "2011-single",
    )
    split = crime("LE/24/0003")
    assert (split.lsoa21_code, split.lsoa_match) == ("E01034014", "2011-split-point")
    unresolved = crime("LE/24/0004")
    assert (unresolved.lsoa_code_published, unresolved.lsoa21_code) == ("E01013778", "")
    assert (unresolved.lsoa_match, unresolved.local_authority_code) == (
        "2011-split-unresolved",
        "E06000016",
    )
    assert unresolved.location_type == "unknown" and not unresolved.public_place

    from_grid = crime("LE/24/0005")
    assert (from_grid.easting, from_grid.northing) == (457546.9, 303389.0)
    assert from_grid.latitude == pytest.approx(52.625221, abs=1e-5)
    assert from_grid.longitude == pytest.approx(-1.151298, abs=1e-5)
    assert (from_grid.lsoa21_code, from_grid.lsoa_match) == ("E01013776", "point")

    blaby = crime("LE/24/0006")
    assert (blaby.lsoa21_code, blaby.lsoa_match, blaby.local_authority_code) == (
        "",
        "point-authority",
        "E07000129",
    )
    assert blaby.in_network_area and not blaby.time_exact
    assert blaby.committed_to == datetime(2024, 1, 10, 6, 30, tzinfo=UTC)

    outside = crime("LE/24/0007")
    assert (outside.local_authority_code, outside.in_network_area) == ("E06000061", False)
    assert outside.domestic

    date_only = crime("LE/24/0008")
    assert (date_only.has_time, date_only.time_exact, date_only.hour, date_only.weekday) == (
        False,
        False,
        None,
        None,
    )
    assert date_only.committed_from == datetime(2024, 2, 3, 0, 0, tzinfo=UTC)


def test_times_are_uk_local_and_stored_in_utc(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    rows = [
        {**GOOD, "crime_reference": "T/1", "committed_from": "2024-07-01 12:00"},
        # The hour the clocks go back happens twice: read as the first (BST) one.
        {**GOOD, "crime_reference": "T/2", "committed_from": "2024-10-27 01:30"},
        # The hour the clocks skip: moved forward.
        {**GOOD, "crime_reference": "T/3", "committed_from": "2024-03-31 01:30"},
    ]
    load("police-extract", write_csv(tmp_path / "c.csv", HEADER, rows), context)

    assert crime("T/1").committed_from == datetime(2024, 7, 1, 11, 0, tzinfo=UTC)
    assert (crime("T/1").hour, crime("T/1").weekday) == (12, 1)
    assert crime("T/2").committed_from == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert crime("T/3").committed_from == datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    assert crime("T/3").hour == 1


def test_headers_match_in_any_case_and_order_and_x_columns_are_ignored(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    header = [f"  {name.upper()} " for name in reversed(HEADER)] + ["x_Station"]
    path = tmp_path / "c.csv"
    write_csv(path, header, [{f"  {k.upper()} ": v for k, v in GOOD.items()}])
    result = load("police-extract", path, context)
    assert (result.status, result.rows_loaded) == ("loaded", 1)
    assert crime("T/1").offence_code == "8N"


# (id, changes to a good row, field, reason)
REJECTIONS: list[tuple[str, dict[str, str], str, str]] = [
    *[
        (f"{name}-empty", {name: ""}, name, "is empty; this column is required")
        for name in (
            "crime_reference",
            "force_code",
            "offence_code",
            "committed_from",
            "location_type",
            "weapon",
            "domestic",
            "injury",
        )
    ],
    ("reference-long", {"crime_reference": "X" * 41}, "crime_reference", "longer than 40"),
    ("force", {"force_code": "Leics"}, "force_code", "'Leics' is not a police force area code"),
    ("offence", {"offence_code": "99Z"}, "offence_code", "'99Z' is not in the offence-codes"),
    ("from-form", {"committed_from": "01/03/2024"}, "committed_from", "not a date and time"),
    ("from-date", {"committed_from": "2024-02-30"}, "committed_from", "not a date and time"),
    ("from-future", {"committed_from": "2025-01-01 10:00"}, "committed_from", "in the future"),
    ("to-form", {"committed_to": "tomorrow"}, "committed_to", "not a date and time"),
    ("to-before", {"committed_to": "2024-03-01 11:59"}, "committed_to", "before committed_from"),
    ("to-day-before", {"committed_to": "2024-02-29"}, "committed_to", "before committed_from"),
    ("to-future", {"committed_to": "2025-02-01"}, "committed_to", "in the future"),
    ("easting-alone", {"easting": "457546"}, "northing", "is empty but easting is given"),
    ("northing-alone", {"northing": "303389"}, "easting", "is empty but northing is given"),
    (
        "easting-text",
        {"easting": "four", "northing": "303389"},
        "easting",
        "'four' is not a number",
    ),
    (
        "easting-outside",
        {"easting": "800000", "northing": "303389"},
        "easting",
        "outside Great Britain",
    ),
    ("latitude-alone", {"latitude": "52.6"}, "longitude", "is empty but latitude is given"),
    (
        "latitude-outside",
        {"latitude": "48.1", "longitude": "-1.1"},
        "latitude",
        "48.1 is outside the United Kingdom",
    ),
    (
        "coordinates-disagree",
        {
            "easting": "457546.9",
            "northing": "303389.0",
            "latitude": "52.626165",
            "longitude": "-1.137077",
        },
        "latitude",
        "m apart (at most 100 m allowed)",
    ),
    ("lsoa", {"lsoa_code": "E01999999"}, "lsoa_code", "neither a 2021 nor a 2011 LSOA"),
    ("location-type", {"location_type": "garden"}, "location_type", "'garden' is not one of"),
    ("weapon", {"weapon": "knife"}, "weapon", "'knife' is not one of"),
    ("domestic", {"domestic": "yes"}, "domestic", "'yes' is not one of: Y, N"),
    ("injury", {"injury": "bad"}, "injury", "'bad' is not one of"),
    ("synthetic", {"synthetic": "maybe"}, "synthetic", "'maybe' is not one of: true, false"),
    ("duplicate", {"crime_reference": "T/1"}, "crime_reference", "duplicates the crime_reference"),
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
    rows = [
        {**GOOD, "crime_reference": "T/1"},
        {**GOOD, "crime_reference": "T/2"},
        {**GOOD, "crime_reference": "T/3", **changes},
    ]
    result = load("police-extract", write_csv(tmp_path / "c.csv", HEADER, rows), context)

    assert_third_row_quarantined(result, field, reason)
    raw = QuarantinedRow.objects.get().raw
    assert raw["crime_reference"] == rows[2]["crime_reference"]


def test_ragged_row_is_quarantined(reference: None, context: LoadContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", HEADER, [GOOD, {**GOOD, "crime_reference": "T/2"}])
    path.write_text(path.read_text() + "T/3,E23000021,8N\n")
    result = load("police-extract", path, context)
    assert quarantine(result) == [(4, "(row)", f"expected {len(HEADER)} fields, found 3")]
    assert QuarantinedRow.objects.get().raw == {
        "crime_reference": "T/3",
        "force_code": "E23000021",
        "offence_code": "8N",
    }


def test_crime_already_loaded_for_another_month_is_quarantined(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    march = write_csv(tmp_path / "march.csv", HEADER, [GOOD])
    load("police-extract", march, context)
    rows = [
        {**GOOD, "crime_reference": "T/1", "committed_from": "2024-04-02 10:00"},
        {**GOOD, "crime_reference": "T/2", "committed_from": "2024-04-03 10:00"},
        {**GOOD, "crime_reference": "T/3", "committed_from": "2024-04-04 10:00"},
    ]
    result = load("police-extract", write_csv(tmp_path / "april.csv", HEADER, rows), context)
    [(line, field, reason)] = quarantine(result)
    assert (line, field) == (2, "crime_reference")
    assert "T/1 is already loaded for 2024-03" in reason
    assert Crime.objects.filter(crime_reference="T/1").count() == 1


@pytest.mark.parametrize(
    ("header", "rows", "problem"),
    [
        (
            [*HEADER, "weapon_type"],
            [GOOD],
            "has columns a police-extract crimes file does not have: 'weapon_type' (a "
            "partner's own columns must start with x_)",
        ),
        (
            [name for name in HEADER if name != "injury"],
            [GOOD],
            "is not a police-extract crimes file: required columns missing: 'injury'",
        ),
        ([*HEADER, "Offence_Code"], [GOOD], "has the column 'offence_code' twice"),
        (HEADER, [], "has a header but no data rows"),
        (
            HEADER,
            [GOOD, {**GOOD, "crime_reference": "T/2", "synthetic": "true"}],
            "mixes synthetic rows (1 with synthetic=true) with real ones (1)",
        ),
        (
            ["crime_reference", "force_code", "role", "offence_code"],
            [GOOD],
            "has both offence_code (crimes file) and role (people file) columns",
        ),
        (
            ["Crime ID", "Month", "Reported by"],
            [{}],
            "is neither a police-extract crimes file (it has no offence_code column) nor a "
            "people file (no role column)",
        ),
    ],
    ids=["unknown-column", "missing-column", "twice", "no-rows", "mixed", "both", "neither"],
)
def test_whole_file_refusals(
    reference: None,
    context: LoadContext,
    tmp_path: Path,
    header: list[str],
    rows: list[dict[str, str]],
    problem: str,
) -> None:
    result = load("police-extract", write_csv(tmp_path / "c.csv", header, rows), context)
    assert result.status == "refused"
    assert problem in result.message
    assert not FileLoad.objects.exists() and not Crime.objects.exists()


def test_an_istv_file_given_as_a_police_extract_is_named(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    header = ["attendance_id", "treatment_site_code", "arrival", "offence_code"]
    result = load("police-extract", write_csv(tmp_path / "c.csv", header, [GOOD]), context)
    assert result.status == "refused"
    assert "looks like a file for `vrn ingest istv`" in result.message


def test_refused_without_reference_geography(db: None, context: LoadContext) -> None:
    result = load("police-extract", CRIMES, context)
    assert result.status == "refused"
    assert "reference geography is not loaded" in result.message


def test_too_many_bad_rows_refuse_the_file(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    rows = [GOOD, *({**GOOD, "crime_reference": f"B/{i}", "weapon": "spoon"} for i in range(3))]
    result = load("police-extract", write_csv(tmp_path / "c.csv", HEADER, rows), context)
    assert result.status == "refused"
    assert "3 of 4 rows are invalid" in result.message


def test_same_file_twice_changes_nothing(reference: None, context: LoadContext) -> None:
    first = load("police-extract", CRIMES, context)
    before = list(Crime.objects.order_by("id").values())
    second = load("police-extract", CRIMES, context)
    assert (second.status, second.load_id, second.rows_loaded) == ("unchanged", first.load_id, 10)
    assert list(Crime.objects.order_by("id").values()) == before
    assert FileLoad.objects.count() == 1


def test_corrected_file_replaces_its_force_months(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    original = load("police-extract", CRIMES, context)
    corrected = [dict(row) for row in ROWS if row["crime_reference"] != "LE/24/0010"]
    corrected[0]["offence_code"] = "5D"
    result = load("police-extract", write_csv(tmp_path / CRIMES.name, HEADER, corrected), context)

    assert result.status == "replaced"
    assert f"replaced load {original.load_id} (police-crimes.csv)" in result.message
    old = FileLoad.objects.get(pk=original.load_id)
    assert (old.status, old.superseded_by_id) == (FileLoad.Status.SUPERSEDED, result.load_id)
    assert Crime.objects.count() == 9
    assert set(Crime.objects.values_list("load_id", flat=True)) == {result.load_id}
    assert crime("LE/24/0001").offence_code == "5D"

    january_only = [row for row in corrected if row["committed_from"].startswith("2024-01")]
    partial = load(
        "police-extract", write_csv(tmp_path / CRIMES.name, HEADER, january_only), context
    )
    assert partial.status == "refused"
    assert "a file replaces whole earlier loads only" in partial.message


def test_synthetic_file_never_replaces_real_data(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    load("police-extract", write_csv(tmp_path / "real.csv", HEADER, [GOOD]), context)
    synthetic = [{**GOOD, "crime_reference": "SYN1", "synthetic": "true"}]
    result = load("police-extract", write_csv(tmp_path / "syn.csv", HEADER, synthetic), context)

    assert result.status == "loaded"
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["synthetic", "crimes", "E23000021", "2024-03"]
    ]
    assert sorted(Crime.objects.values_list("crime_reference", "synthetic")) == [
        ("SYN1", True),
        ("T/1", False),
    ]


def _snapshot() -> tuple[list[dict[str, Any]], ...]:
    return (
        list(FileLoad.objects.order_by("id").values()),
        list(Crime.objects.order_by("id").values()),
        list(QuarantinedRow.objects.order_by("id").values()),
    )


@pytest.mark.django_db(transaction=True)
def test_failure_mid_file_leaves_the_database_as_it_was(
    reference: None, context: LoadContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load("police-extract", CRIMES, context)
    before = _snapshot()
    corrected = [{**row, "injury": "serious"} for row in ROWS]
    corrected[-1]["weapon"] = "spoon"  # one quarantined row too
    real_insert = pipeline.bulk_insert

    def failing(model: Any, fields: Any, rows: Any) -> int:
        real_insert(model, fields, list(rows)[:3])
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "bulk_insert", failing)
    failed = load("police-extract", write_csv(tmp_path / CRIMES.name, HEADER, corrected), context)
    assert (failed.status, failed.load_id) == ("failed", None)
    assert _snapshot() == before
