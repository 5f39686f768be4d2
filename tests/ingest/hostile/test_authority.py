"""Which file may replace which: a file never withdraws rows loaded from another file
unless the loader says so (``vrn ingest --replace-other-files``); a data.police.uk file is
the authority for the month in its name only; a corrected version of the same file
replaces its earlier load."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from vrn.crime.models import StreetCrime
from vrn.ingest.models import FileLoad
from vrn.ingest.pipeline import LoadContext

from .checks import MODELS, assert_accounted, load, load_crimes_for_people, quarantine
from .corpus import CRIMES, KINDS_BY_NAME, PEOPLE, POLICE_UK, Kind, police_uk_row

pytestmark = pytest.mark.django_db

PARTNER_KINDS = ["crimes", "people", "istv", "admissions", "indicators"]


def ingest(format_name: str, *paths: Path, options: tuple[str, ...] = ()) -> tuple[int, Any]:
    """Run ``vrn ingest FORMAT PATHS --json``: the exit status and the JSON accounting."""
    out = io.StringIO()
    status = 0
    try:
        call_command(
            "ingest",
            format_name,
            *map(str, paths),
            "--json",
            "--user",
            "tester",
            *options,
            stdout=out,
            stderr=io.StringIO(),
        )
    except CommandError as error:
        status = error.returncode
    return status, json.loads(out.getvalue())


def changed(kind: Kind) -> bytes:
    """The kind's valid file with a value changed in every row (same partitions)."""
    column = {
        "crimes": "weapon",
        "people": "ethnicity",
        "istv": "means_of_assault",
        "admissions": "episode_status",
        "indicators": "Value",
    }[kind.name]
    value = {
        "weapon": "other",
        "ethnicity": "asian",
        "means_of_assault": "blunt_object",
        "episode_status": "1",
        "Value": "51.5",
    }[column]
    return kind.data([row | {column: value} for row in kind.rows()])


def _prepare(kind: Kind, folder: Path, context: LoadContext) -> Path:
    """The kind's valid file, loaded, as the earlier load."""
    if kind is PEOPLE:
        load_crimes_for_people(folder, context)
    first = folder / kind.file_name
    first.write_bytes(kind.data())
    result = load(kind.format, first, context)
    assert result.status == "loaded", result
    return first


@pytest.mark.parametrize("kind_name", PARTNER_KINDS)
def test_a_file_of_another_name_does_not_replace_without_the_option(
    kind_name: str, reference: None, pseudonym_key: str, context: LoadContext, tmp_path: Path
) -> None:
    kind = KINDS_BY_NAME[kind_name]
    first = _prepare(kind, tmp_path, context)
    model = MODELS[kind_name]
    before = model._default_manager.count()
    other = tmp_path / "other-name.csv"
    other.write_bytes(changed(kind))

    result = load(kind.format, other, context)

    assert result.status == "refused", result
    assert first.name in result.message, result.message
    assert FileLoad.objects.get(file_name=first.name).status == FileLoad.Status.CURRENT
    assert not FileLoad.objects.filter(file_name=other.name).exists()
    assert model._default_manager.count() == before


@pytest.mark.parametrize("kind_name", PARTNER_KINDS)
def test_the_option_lets_a_file_of_another_name_replace(
    kind_name: str, reference: None, pseudonym_key: str, context: LoadContext, tmp_path: Path
) -> None:
    kind = KINDS_BY_NAME[kind_name]
    first = _prepare(kind, tmp_path, context)
    other = tmp_path / "other-name.csv"
    other.write_bytes(changed(kind))

    # Every partner file of the corpus holds January 2024; indicators have no months.
    period = () if kind_name == "indicators" else ("--period", "2024-01")
    status, [result] = ingest(kind.format, other, options=("--replace-other-files", *period))

    assert status == 0, result
    assert result["status"] == "replaced", result
    assert FileLoad.objects.get(file_name=first.name).status == FileLoad.Status.SUPERSEDED
    assert MODELS[kind_name]._default_manager.filter(load_id=result["load_id"]).count() == len(
        kind.rows()
    )


@pytest.mark.parametrize("kind_name", ["crimes", "people", "istv", "admissions"])
def test_the_option_needs_a_declared_period_for_partner_extracts(
    kind_name: str, reference: None, pseudonym_key: str, context: LoadContext, tmp_path: Path
) -> None:
    """Without --period the months a partner file covers come from its rows, so consent to
    replace other files' rows would let one stray row replace a month."""
    kind = KINDS_BY_NAME[kind_name]
    first = _prepare(kind, tmp_path, context)
    other = tmp_path / "other-name.csv"
    other.write_bytes(changed(kind))

    status, [result] = ingest(kind.format, other, options=("--replace-other-files",))

    assert (status, result["status"]) == (1, "refused"), result
    assert "needs --period" in result["message"] and first.name in result["message"]
    assert FileLoad.objects.get(file_name=first.name).status == FileLoad.Status.CURRENT


@pytest.mark.parametrize("kind_name", ["police-uk", *PARTNER_KINDS])
def test_a_corrected_version_of_the_same_file_replaces_it(
    kind_name: str, reference: None, pseudonym_key: str, context: LoadContext, tmp_path: Path
) -> None:
    kind = KINDS_BY_NAME[kind_name]
    first = _prepare(kind, tmp_path, context)
    earlier = FileLoad.objects.get(file_name=first.name)
    if kind is POLICE_UK:
        first.write_bytes(kind.data([row | {"Crime type": "Robbery"} for row in kind.rows()]))
    else:
        first.write_bytes(changed(kind))

    result = load(kind.format, first, context)

    assert result.status == "replaced", result
    earlier.refresh_from_db()
    assert earlier.status == FileLoad.Status.SUPERSEDED
    assert_accounted(result)


def test_a_stray_crime_row_does_not_withdraw_another_files_month(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    """A February crimes file with one January row would cover January too: it must not
    withdraw the January file's crimes."""
    january = tmp_path / "crimes-2024-01.csv"
    january.write_bytes(CRIMES.data())
    assert load(CRIMES.format, january, context).status == "loaded"
    february_rows = [
        row | {"crime_reference": f"LE/24/F{i}", "committed_from": "2024-02-03 10:00"}
        for i, row in enumerate(CRIMES.rows())
    ]
    stray = CRIMES.rows(9)[8]
    february = tmp_path / "crimes-2024-02.csv"
    february.write_bytes(CRIMES.data([*february_rows, stray]))

    result = load(CRIMES.format, february, context)

    january_load = FileLoad.objects.get(file_name=january.name)
    assert january_load.status == FileLoad.Status.CURRENT
    assert MODELS["crimes"]._default_manager.filter(load=january_load).count() == 4
    if result.status == "refused":
        assert january.name in result.message, result.message
    else:
        # Or the stray row is quarantined and February alone is loaded.
        assert result.status == "loaded", result
        assert_accounted(result)
        assert [line for line, _, _ in quarantine(result)] == [6]


def test_a_police_uk_file_is_the_authority_for_its_month_only(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    february = tmp_path / "2024-02-leicestershire-street.csv"
    february.write_bytes(POLICE_UK.data([police_uk_row(i, "2024-02") for i in range(4)]))
    assert load(POLICE_UK.format, february, context).status == "loaded"
    january = tmp_path / POLICE_UK.file_name
    january.write_bytes(POLICE_UK.data([*POLICE_UK.rows(3), police_uk_row(7, "2024-02")]))

    result = load(POLICE_UK.format, january, context)

    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 4, 3), result
    assert_accounted(result)
    [(line, field, reason)] = quarantine(result)
    assert (line, field) == (5, "Month")
    assert "outside" in reason.lower()
    february_load = FileLoad.objects.get(file_name=february.name)
    assert february_load.status == FileLoad.Status.CURRENT
    assert StreetCrime.objects.filter(load=february_load).count() == 4


def test_a_police_uk_file_of_another_name_for_the_same_month_is_refused(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    """Two files for the same force-month under different names (a renamed download):
    the second would withdraw the first's rows, so it is refused without the option."""
    first = tmp_path / POLICE_UK.file_name
    first.write_bytes(POLICE_UK.data())
    assert load(POLICE_UK.format, first, context).status == "loaded"
    copy = tmp_path / "2024-01-leicestershire-police-street.csv"
    copy.write_bytes(POLICE_UK.data([row | {"Crime type": "Robbery"} for row in POLICE_UK.rows()]))

    result = load(POLICE_UK.format, copy, context)

    assert result.status == "refused", result
    assert first.name in result.message
    assert FileLoad.objects.get(file_name=first.name).status == FileLoad.Status.CURRENT
