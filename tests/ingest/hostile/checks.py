"""Loading a hostile file and checking the outcome against the contract of docs/ingest.md:
a load in which every record read is loaded or quarantined, or a clean refusal; never an
exception out of ``load_file``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import models

from vrn.crime.models import StreetCrime
from vrn.health.models import AdmissionEpisode, EdAttendance
from vrn.indicators.models import IndicatorValue
from vrn.ingest import registry
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.pipeline import FileResult, LoadContext, load_file
from vrn.police.models import Crime, Person

from .corpus import CRIMES, CRIMES_FOR_PEOPLE, Case, Expect

#: The model each kind of file loads into.
MODELS: dict[str, type[models.Model]] = {
    "police-uk": StreetCrime,
    "crimes": Crime,
    "people": Person,
    "istv": EdAttendance,
    "admissions": AdmissionEpisode,
    "indicators": IndicatorValue,
}
#: QuarantinedRow.field's length.
FIELD_LENGTH = QuarantinedRow._meta.get_field("field").max_length or 100


def load(format_name: str, path: Path, context: LoadContext) -> FileResult:
    return load_file(registry.dataset_for(format_name), path, context)


def load_crimes_for_people(folder: Path, context: LoadContext) -> None:
    """The crimes a people file's rows refer to."""
    path = folder / "crimes-for-people.csv"
    path.write_bytes(CRIMES.data(CRIMES.rows(CRIMES_FOR_PEOPLE)))
    result = load(CRIMES.format, path, context)
    assert (result.status, result.rows_loaded) == ("loaded", CRIMES_FOR_PEOPLE), result


def quarantine(result: FileResult) -> list[tuple[int, str, str]]:
    return list(
        QuarantinedRow.objects.filter(load_id=result.load_id)
        .order_by("line_number", "id")
        .values_list("line_number", "field", "reason")
    )


def field_matches(got: str, expected: str) -> bool:
    """``expected`` is a field, "" for any field, or alternatives "A | B"; a heading longer
    than QuarantinedRow.field may be stored cut short."""
    if expected == "":
        return True
    for option in expected.split(" | "):
        if got == option:
            return True
        if len(option) > FIELD_LENGTH and got and option.startswith(got.rstrip(".… ")):
            return True
    return False


def assert_accounted(result: FileResult) -> None:
    """Every record read is loaded or quarantined, in the result and in the database."""
    assert result.rows_read == result.rows_loaded + result.rows_quarantined, result
    assert result.load_id is not None, result
    stored = FileLoad.objects.get(pk=result.load_id)
    assert (stored.rows_read, stored.rows_loaded, stored.rows_quarantined) == (
        result.rows_read,
        result.rows_loaded,
        result.rows_quarantined,
    )
    assert QuarantinedRow.objects.filter(load=stored).count() == result.rows_quarantined
    model = _model_of(stored)
    if model is not None and result.status == "loaded":
        assert model._default_manager.filter(load=stored).count() == result.rows_loaded


def _model_of(load: FileLoad) -> Any:
    for model in MODELS.values():
        if model._meta.label == load.table:
            return model
    return None


def assert_clean_refusal(result: FileResult, name: str, before: dict[str, int]) -> None:
    """Refused with a message, naming the file; nothing from it is stored."""
    assert result.status == "refused", result
    assert result.file == name, result
    assert result.message.strip(), result
    assert result.load_id is None, result
    assert not FileLoad.objects.filter(file_name=name).exists()
    assert counts() == before


def counts() -> dict[str, int]:
    return {
        label: model._default_manager.count()
        for label, model in [*MODELS.items(), ("load", FileLoad), ("quarantine", QuarantinedRow)]
    }


def check_case(case: Case, result: FileResult, before: dict[str, int]) -> None:
    """The outcome of loading ``case`` is the one it expects."""
    expect: Expect = case.expect
    if expect.status == "refused" or (
        expect.status == "quarantined-or-refused" and result.status == "refused"
    ):
        assert_clean_refusal(result, case.name, before)
        message = result.message.lower()
        for text in expect.message:
            assert text in message, f"refusal message {result.message!r} lacks {text!r}"
        return
    assert result.status == "loaded", result
    assert_accounted(result)
    rows = quarantine(result)
    if expect.status == "loaded":
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (
            expect.rows_read,
            expect.rows_loaded,
            expect.rows_quarantined,
        ), (result, rows)
    else:
        assert result.rows_read == expect.rows_read, (result, rows)
        assert result.rows_quarantined >= 1, (result, rows)
    for line, field in expect.quarantined:
        found = [row for row in rows if row[0] == line and field_matches(row[1], field)]
        assert found, f"no quarantined row at line {line} for {field!r}: {rows}"
        for text in expect.reason:
            assert text in found[0][2].lower(), f"reason {found[0][2]!r} lacks {text!r}"
    if expect.stored is not None:
        attribute, value = expect.stored
        model = MODELS[case.kind.name]
        assert model._default_manager.filter(load_id=result.load_id, **{attribute: value}).exists()
