"""The load pipeline's guarantees, on the police.uk dataset: atomicity and the command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from vrn.crime.models import StreetCrime
from vrn.ingest import pipeline
from vrn.ingest.models import FileLoad, QuarantinedRow

from ..crime.conftest import FEBRUARY, JANUARY, POLICE_UK


def _failing_after(rows_before_failure: int, error: BaseException) -> Any:
    """A bulk_insert that really inserts some rows, then fails part-way through the file."""
    real_insert = pipeline.bulk_insert

    def insert(model: Any, fields: Any, rows: Any) -> int:
        rows = list(rows)
        real_insert(model, fields, rows[:rows_before_failure])
        assert StreetCrime.objects.count() >= rows_before_failure
        raise error

    return insert


def _snapshot() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        list(FileLoad.objects.order_by("id").values()),
        list(StreetCrime.objects.order_by("id").values()),
        list(QuarantinedRow.objects.order_by("id").values()),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_failure_mid_file_leaves_the_database_as_it_was(
    police_reference: dict[str, object],
    dataset: Any,
    context: Any,
    street_files: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
) -> None:
    pipeline.load_file(dataset, POLICE_UK / FEBRUARY, context)
    pipeline.load_file(dataset, POLICE_UK / JANUARY, context)
    before = _snapshot()
    corrected = street_files / JANUARY
    corrected.write_text(corrected.read_text().replace("Other theft", "Shoplifting"))
    monkeypatch.setattr(pipeline, "bulk_insert", _failing_after(10, error))

    if isinstance(error, Exception):
        result = pipeline.load_file(dataset, corrected, context)
        assert result.status == "failed"
        assert type(error).__name__ in result.message
    else:  # Ctrl-C stops the batch
        with pytest.raises(type(error)):
            pipeline.load_file(dataset, corrected, context)

    assert _snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_failure_on_first_load_leaves_nothing(
    police_reference: dict[str, object],
    dataset: Any,
    context: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "bulk_insert", _failing_after(5, RuntimeError("boom")))
    result = pipeline.load_file(dataset, POLICE_UK / JANUARY, context)
    assert (result.status, result.load_id) == ("failed", None)
    assert "RuntimeError: boom" in result.message
    assert _snapshot() == ([], [], [])


@pytest.mark.django_db
def test_command_json_accounting(
    police_reference: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(POLICE_UK / JANUARY), str(POLICE_UK / FEBRUARY)]
    call_command("ingest", "police-uk", *files, "--json", "--user", "analyst1")
    first = json.loads(capsys.readouterr().out)
    call_command("ingest", "police-uk", *files, "--json")
    second = json.loads(capsys.readouterr().out)

    assert [
        (r["file"], r["status"], r["rows_read"], r["rows_loaded"], r["rows_quarantined"])
        for r in first
    ] == [(JANUARY, "loaded", 34, 34, 0), (FEBRUARY, "loaded", 10, 10, 0)]
    assert [r["status"] for r in second] == ["unchanged", "unchanged"]
    assert all(
        set(r) >= {"file", "sha256", "status", "rows_read", "rows_loaded", "rows_quarantined"}
        for r in first
    )
    assert set(FileLoad.objects.values_list("loaded_by", flat=True)) == {"analyst1"}


@pytest.mark.django_db
def test_command_summary_table_and_refusal_exit_code(
    police_reference: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_text("hello,world\n1,2\n")

    with pytest.raises(CommandError, match=r"1 of 2 files not loaded \(1 refused\)"):
        call_command("ingest", "police-uk", str(POLICE_UK / JANUARY), str(garbage))

    out = capsys.readouterr().out
    assert "2023-01-leicestershire-street.csv  loaded" in out
    assert "garbage.csv: refused: is not a data.police.uk street-level crime file" in out
    assert "total (2 files)" in out
    assert StreetCrime.objects.count() == 34
