"""A partner extract covers the period it declares: a stray row never withdraws another
month's rows, even from a file of the same name (monthly extracts often share one)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from vrn.health.models import EdAttendance
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.period import Period
from vrn.ingest.pipeline import LoadContext

from ..partners import (
    PARTNERS,
    context,
    load,
    other_files,
    pseudonym_key,
    read_rows,
    reference,
    write_csv,
)

__all__ = ["context", "pseudonym_key", "reference"]

ISTV = PARTNERS / "istv.csv"


def _monthly_extracts(tmp_path: Path) -> tuple[Path, Path]:
    """January's and February's extracts, in folders of their own, both named istv.csv;
    February's with one stray row dated January (a new attendance identifier)."""
    header, rows = read_rows(ISTV)
    january = [row for row in rows if row["arrival"].startswith("2024-01")]
    february = [row for row in rows if row["arrival"].startswith("2024-02")]
    stray = {**january[0], "attendance_id": "ED-9999"}
    (tmp_path / "jan").mkdir()
    (tmp_path / "feb").mkdir()
    return (
        write_csv(tmp_path / "jan" / "istv.csv", header, january),
        write_csv(tmp_path / "feb" / "istv.csv", header, [*february, stray]),
    )


def test_a_stray_row_in_a_file_of_the_same_name_withdraws_nothing(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    january, february = _monthly_extracts(tmp_path)
    first = load("istv", january, context)
    assert (first.status, first.rows_loaded) == ("loaded", 4)

    refused = load("istv", february, context)

    assert refused.status == "refused"
    assert f"Load {first.load_id} has this file's name but covers only" in refused.message
    assert "--period" in refused.message and "--replace-other-files" in refused.message
    assert EdAttendance.objects.filter(load_id=first.load_id).count() == 4


def test_with_the_period_declared_the_stray_row_is_quarantined(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    january, february = _monthly_extracts(tmp_path)
    first = load("istv", january, context)
    february_only = dataclasses.replace(context, period=Period.parse("2024-02"))

    result = load("istv", february, february_only)

    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 1, 1)
    row = QuarantinedRow.objects.get(load_id=result.load_id)
    assert row.field == "arrival"
    assert "2024-01 is outside the period this file covers (2024-02, from --period)" in (row.reason)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [["RWEAA", "2024-02"]]
    assert FileLoad.objects.get(pk=first.load_id).status == FileLoad.Status.CURRENT
    assert EdAttendance.objects.count() == 5


def test_a_declared_period_covers_its_months_without_rows_too(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    """An extract declared for January to March with no March rows is the authority for
    March: a later March extract of another name needs the loader's consent."""
    quarter = dataclasses.replace(context, period=Period.parse("2024-01..2024-03"))
    result = load("istv", ISTV, quarter)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["RWEAA", "2024-01"],
        ["RWEAA", "2024-02"],
        ["RWEAA", "2024-03"],
    ]

    header, rows = read_rows(ISTV)
    march = [
        {
            **rows[0],
            "attendance_id": "ED-0301",
            "arrival": "2024-03-02 10:00",
            "incident_date": "2024-03-02",
        }
    ]
    march_file = write_csv(tmp_path / "istv-march.csv", header, march)
    in_march = dataclasses.replace(context, period=Period.parse("2024-03"))
    for consent in (in_march, other_files(in_march)):  # either way: part of the quarter
        refused = load("istv", march_file, consent)
        assert refused.status == "refused"
        assert "whole earlier loads only" in refused.message
        assert f"vrn withdraw {result.load_id}" in refused.message


def test_a_corrected_copy_of_the_same_extract_replaces_it(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    first = load("istv", ISTV, context)
    header, rows = read_rows(ISTV)
    corrected = [{**row, "means_of_assault": "blunt_object"} for row in rows]

    result = load("istv", write_csv(tmp_path / "istv.csv", header, corrected), context)

    assert result.status == "replaced"
    assert FileLoad.objects.get(pk=first.load_id).status == FileLoad.Status.SUPERSEDED
    assert set(EdAttendance.objects.values_list("means_of_assault", flat=True)) == {"blunt_object"}
