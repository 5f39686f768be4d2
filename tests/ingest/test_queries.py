"""A load says whether it is synthetic and which table it filled; the queries pages use to
say what is loaded, real and synthetic apart; the migration that fills both fields in for
loads made before them."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.apps import apps

from vrn.ingest.models import FileLoad
from vrn.ingest.pipeline import LoadContext, withdraw_loads
from vrn.ingest.queries import (
    DatasetLoads,
    LoadedRows,
    current_loads_by_dataset,
    loaded_rows,
    loaded_tables,
    synthetic_data_loaded,
    synthetic_loads,
)
from vrn.police.models import Crime, Person

from ..partners import load, other_files, reference, write_csv

__all__ = ["reference"]

pytestmark = pytest.mark.django_db

HEADER = ["crime_reference", "force_code", "offence_code", "committed_from", "lsoa_code"]
HEADER += ["location_type", "weapon", "domestic", "injury", "synthetic"]
ROW = {
    "force_code": "E23000021",
    "offence_code": "8N",
    "committed_from": "2024-03-01 12:00",
    "lsoa_code": "E01013776",
    "location_type": "public",
    "weapon": "none",
    "domestic": "N",
    "injury": "minor",
}


def _crimes(tmp_path: Path, name: str, references: list[str], synthetic: bool) -> Path:
    flag = "true" if synthetic else ""
    rows = [{**ROW, "crime_reference": ref, "synthetic": flag} for ref in references]
    return write_csv(tmp_path / name, HEADER, rows)


def test_loads_record_whether_synthetic_and_their_table(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    real = load("police-extract", _crimes(tmp_path, "real.csv", ["T/1", "T/2"], False), context)
    assert not synthetic_data_loaded()
    syn = load("police-extract", _crimes(tmp_path, "syn.csv", ["S/1"], True), context)

    loads = {load.pk: load for load in FileLoad.objects.all()}
    assert (loads[real.load_id].synthetic, loads[real.load_id].table) == (False, "police.Crime")
    assert (loads[syn.load_id].synthetic, loads[syn.load_id].table) == (True, "police.Crime")
    assert synthetic_data_loaded()
    assert [(s.pk, s.file_name, s.rows_loaded) for s in synthetic_loads()] == [
        (syn.load_id, "syn.csv", 1)
    ]
    assert loaded_rows() == [
        LoadedRows("Police crime extract (person level)", "Crimes", "police.Crime", False, 2),
        LoadedRows("Police crime extract (person level)", "Crimes", "police.Crime", True, 1),
    ]
    assert current_loads_by_dataset() == [
        DatasetLoads("police-extract", False, 1, 2),
        DatasetLoads("police-extract", True, 1, 1),
    ]


def test_a_superseded_synthetic_load_no_longer_counts(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    load("police-extract", _crimes(tmp_path, "a.csv", ["S/1"], True), context)
    b = _crimes(tmp_path, "b.csv", ["S/1", "S/2"], True)
    replaced = load("police-extract", b, other_files(context, "2024-01..2024-12"))
    assert replaced.status == "replaced"
    assert [s.file_name for s in synthetic_loads()] == ["b.csv"]
    assert [(r.synthetic, r.rows) for r in loaded_rows()] == [(True, 2)]

    FileLoad.objects.update(status=FileLoad.Status.SUPERSEDED)
    assert not synthetic_data_loaded()
    assert loaded_rows() == []


def test_loaded_tables_are_found_not_listed() -> None:
    """Every model with a load and a synthetic flag: the partner tables, not police.uk."""
    labels = [model._meta.label for model in loaded_tables()]
    assert labels[:4] == [
        "police.Crime",
        "police.Person",
        "health.EdAttendance",
        "health.AdmissionEpisode",
    ]
    assert "indicators.IndicatorValue" in labels
    assert "crime.StreetCrime" not in labels
    assert Crime in loaded_tables() and Person in loaded_tables()


def test_withdrawn_loads_lose_their_rows_and_can_be_loaded_again(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    path = _crimes(tmp_path, "syn.csv", ["S/1", "S/2"], True)
    first = load("police-extract", path, context)
    real = load("police-extract", _crimes(tmp_path, "real.csv", ["T/1"], False), context)
    FileLoad.objects.filter(pk=first.load_id).update(table="")  # as before the field

    assert withdraw_loads(list(FileLoad.objects.filter(pk=first.load_id))) == 2

    assert FileLoad.objects.get(pk=first.load_id).status == FileLoad.Status.WITHDRAWN
    assert list(Crime.objects.values_list("load_id", flat=True)) == [real.load_id]
    assert not synthetic_data_loaded()
    assert withdraw_loads(list(FileLoad.objects.filter(pk=first.load_id))) == 0
    again = load("police-extract", path, context)
    assert (again.status, again.rows_loaded) == ("loaded", 2)


def _old_load(name: str, partitions: list[list[str]]) -> FileLoad:
    return FileLoad.objects.create(
        dataset="police-extract",
        file_name=name,
        sha256=name.ljust(64, "0"),
        size_bytes=1,
        loaded_at=datetime(2024, 1, 1, tzinfo=UTC),
        loaded_by="tester",
        partitions=partitions,
        rows_read=0,
        rows_loaded=0,
        rows_quarantined=0,
    )


def test_migration_marks_earlier_loads_from_partitions_and_rows(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    loaded = load("police-extract", _crimes(tmp_path, "real.csv", ["T/1"], False), context)
    FileLoad.objects.update(table="")
    synthetic = _old_load("syn", [["synthetic", "crimes", "E23000021", "2024-01"]])
    real = _old_load("real", [["crimes", "E23000021", "2024-01"]])
    empty = _old_load("empty", [])
    migration = importlib.import_module(
        "vrn.ingest.migrations.0002_fileload_synthetic_table_withdrawn"
    )

    migration.backfill(apps, None)

    marked = dict(FileLoad.objects.values_list("pk", "synthetic"))
    assert marked == {loaded.load_id: False, synthetic.pk: True, real.pk: False, empty.pk: False}
    tables = dict(FileLoad.objects.values_list("pk", "table"))
    assert tables == {loaded.load_id: "police.Crime", synthetic.pk: "", real.pk: "", empty.pk: ""}
