"""What another process commits while a file is parsed is taken into account before the
file is stored: checks that read earlier loads are made again under the dataset's lock.

The other process is simulated by loading a file in the middle of the parse (the real
processes of tests/ingest/test_concurrent_loads.py cannot choose their interleaving)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vrn.health.models import EdAttendance
from vrn.ingest import registry
from vrn.ingest.models import QuarantinedRow
from vrn.ingest.pipeline import LoadContext, load_file

from ..health.test_istv import GOOD, PLAIN_HEADER
from ..partners import context, reference, write_csv

__all__ = ["context", "reference"]

pytestmark = pytest.mark.django_db

APRIL = {**GOOD, "arrival": "2024-04-02 01:30", "incident_date": "2024-04-02"}


def _files(tmp_path: Path) -> tuple[Path, Path]:
    """March's and April's extracts, both with attendance X1 (a record can be loaded for
    one month only)."""
    march = write_csv(
        tmp_path / "istv-march.csv",
        PLAIN_HEADER,
        [{**GOOD, "attendance_id": name} for name in ("X1", "A2", "A3")],
    )
    april = write_csv(
        tmp_path / "istv-april.csv",
        PLAIN_HEADER,
        [{**APRIL, "attendance_id": name} for name in ("X1", "B2", "B3")],
    )
    return march, april


def test_a_record_loaded_by_another_process_during_the_parse_is_not_stored_twice(
    reference: None, context: LoadContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    march, april = _files(tmp_path)
    dataset = registry.dataset_for("istv")
    parse = type(dataset).parse
    meanwhile: dict[str, Any] = {}

    def parse_while_march_is_loaded(self: Any, raw: Any, load_context: LoadContext) -> Any:
        parsed = parse(self, raw, load_context)
        if raw.name == april.name and not meanwhile:
            meanwhile["march"] = load_file(registry.dataset_for("istv"), march, load_context)
        return parsed

    monkeypatch.setattr(type(dataset), "parse", parse_while_march_is_loaded)
    result = load_file(dataset, april, context)

    assert meanwhile["march"].rows_loaded == 3
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 2, 1)
    assert EdAttendance.objects.filter(attendance_id="X1").count() == 1
    row = QuarantinedRow.objects.get(load_id=result.load_id)
    assert (row.field, row.line_number) == ("attendance_id", 2)
    assert "already loaded for 2024-03" in row.reason
