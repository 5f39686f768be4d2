"""Helpers and fixtures shared by the partner-format tests (police extract, ISTV,
admissions, indicators): the reference geography, a pseudonym key, writing small CSVs,
loading them and reading back the quarantine."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import override_settings

from vrn.ingest import registry
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.period import Period
from vrn.ingest.pipeline import FileResult, LoadContext, load_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PARTNERS = FIXTURES / "partners"
REFERENCE = FIXTURES / "reference"
#: A test secret for VRN_PSEUDONYM_KEY (never a real one).
KEY = "test-pseudonym-key-0123456789-abcdefghijklmnop"
OTHER_KEY = "another-test-pseudonym-key-9876543210-zyxwvuts"
TODAY = date(2024, 12, 31)
#: The apps whose tables hold partner data.
PARTNER_APPS = ("police", "health", "indicators")


@pytest.fixture
def reference(db: None) -> None:
    """The reference fixture (tests/fixtures/reference): 7 LSOAs in Leicester, Blaby and
    North Northamptonshire, 2011 -> 2021 changes (a split and a merge), LLR boundaries."""
    call_command("load_reference", str(REFERENCE), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def context() -> LoadContext:
    return LoadContext(loaded_by="tester", today=TODAY)


@pytest.fixture
def pseudonym_key() -> Iterator[str]:
    with override_settings(VRN_PSEUDONYM_KEY=KEY):
        yield KEY


@pytest.fixture
def no_pseudonym_key() -> Iterator[None]:
    with override_settings(VRN_PSEUDONYM_KEY=""):
        yield


def write_csv(path: Path, header: Sequence[str], rows: Sequence[dict[str, str]]) -> Path:
    """A CSV with ``header`` and one line per row (missing values blank)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A fixture CSV's header and rows, to copy and change."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def other_files(context: LoadContext, period: str | None = None) -> LoadContext:
    """``context`` with ``--replace-other-files`` (a file may replace another file's rows)
    and, for a partner extract, the ``--period`` that option needs."""
    declared = Period.parse(period) if period else context.period
    return dataclasses.replace(context, replace_other_files=True, period=declared)


def load(format_name: str, path: Path, context: LoadContext, **options: Any) -> FileResult:
    return load_file(registry.dataset_for(format_name), path, context, **options)


def quarantine(result: FileResult) -> list[tuple[int, str, str]]:
    """(line, field, reason) of each quarantined row of a load, in line order."""
    return list(
        QuarantinedRow.objects.filter(load_id=result.load_id)
        .order_by("line_number")
        .values_list("line_number", "field", "reason")
    )


def rejection_cases(cases: Sequence[tuple[str, dict[str, str], str, str]]) -> Any:
    """Parametrise a test by ``(id, changes, field, reason)`` rejection cases."""
    return pytest.mark.parametrize(
        ("changes", "field", "reason"),
        [case[1:] for case in cases],
        ids=[case[0] for case in cases],
    )


def assert_third_row_quarantined(result: FileResult, field: str, reason: str) -> None:
    """Of a three-row file, the third row (line 4) alone is quarantined, for ``field`` with a
    reason containing ``reason``, and every row is accounted for."""
    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 3, 2)
    assert accounted(result)
    [(line, got_field, got_reason)] = quarantine(result)
    assert (line, got_field) == (4, field)
    assert reason in got_reason


def accounted(result: FileResult) -> bool:
    """The result and its FileLoad agree, and every row read is loaded or quarantined."""
    load = FileLoad.objects.get(pk=result.load_id)
    return (
        result.rows_read == result.rows_loaded + result.rows_quarantined
        and (load.rows_read, load.rows_loaded, load.rows_quarantined)
        == (result.rows_read, result.rows_loaded, result.rows_quarantined)
        and QuarantinedRow.objects.filter(load=load).count() == result.rows_quarantined
    )


def partner_models() -> list[type[models.Model]]:
    return [model for label in PARTNER_APPS for model in apps.get_app_config(label).get_models()]


def stored_text() -> list[str]:
    """Every text and JSON value stored in the partner tables, FileLoad and the quarantine."""
    values: list[str] = []
    for model in [*partner_models(), FileLoad, QuarantinedRow]:
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list(*names):
            values += [str(value) for value in row]
    return values
