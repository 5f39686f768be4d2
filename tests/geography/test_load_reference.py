"""The ``load_reference`` management command (``vrn load-reference``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("load_reference", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_prints_progress_and_summary_table(reference_dir: Path) -> None:
    stdout, stderr = _run(str(reference_dir))

    assert "read geographr/lookup_lsoa21_ward24_ltla24.csv: 7 rows" in stderr
    assert "replaced the reference tables" in stderr
    lines = stdout.splitlines()
    assert lines[0].split() == ["table", "rows"]
    assert "Population" in lines[4] and lines[4].endswith("42")
    assert "Note: 1 ltla24 areas in several csp24 areas" in stdout


def test_json_summary(reference_dir: Path) -> None:
    stdout, _ = _run(str(reference_dir), "--json")

    summary = json.loads(stdout)
    assert summary["counts"]["Area lsoa21"] == 7
    assert summary["source_dir"] == str(reference_dir)
    assert set(summary) == {
        "loaded_at",
        "duration_seconds",
        "source_dir",
        "files",
        "counts",
        "notes",
    }


def test_directory_defaults_to_the_setting(reference_dir: Path) -> None:
    with override_settings(REFERENCE_DATA_DIR=reference_dir):
        stdout, _ = _run("--json", "--verbosity", "0")

    assert json.loads(stdout)["source_dir"] == str(reference_dir)


def test_bad_data_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"geographr/lookup_lsoa21_ward24_ltla24\.csv: ONS"):
        _run(str(tmp_path))
