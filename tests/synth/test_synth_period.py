"""`vrn synth --mode pure --first-month --last-month`: a pure world over another period."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from vrn.synth.management.commands.synth import Command, period_parameters
from vrn.synth.parameters import Parameters

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference"
TODAY = dt.date(2025, 3, 14)


def synth(*args: str) -> str:
    stdout = io.StringIO()
    call_command(Command(), *args, "--no-progress", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


@pytest.mark.django_db
def test_the_crimes_lie_in_the_months_given(tmp_path: Path) -> None:
    call_command("load_reference", str(REFERENCE), stdout=io.StringIO(), stderr=io.StringIO())
    out = tmp_path / "world"
    arguments = ("--mode", "pure", "--seed", "2", "--crimes", "2000", "--out", str(out))

    synth(*arguments, "--first-month", "2021-01", "--last-month", "2021-06")

    crimes = pd.read_csv(out / "police-crimes.csv", dtype=str, keep_default_na=False)
    assert len(crimes) == 2000
    months = set(crimes["committed_from"].str[:7])
    assert months == {f"2021-{month:02d}" for month in range(1, 7)}
    truth = json.loads((out / "truth.json").read_text())
    assert truth["change_date"]["value"] == "2021-04-01"
    readme = (out / "README.txt").read_text()
    assert "--first-month 2021-01 --last-month 2021-06" in readme
    people = pd.read_csv(out / "police-people.csv", dtype=str)
    assert people["crime_reference"].isin(crimes["crime_reference"]).all()


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2021-13", "2021-06", "--first-month must be a month as YYYY-MM"),
        ("2021-1", "2021-06", "--first-month must be a month as YYYY-MM"),
        ("2021-01", "June", "--last-month must be a month as YYYY-MM"),
        ("2021-06", "2021-01", "comes before --first-month"),
        ("2021-01", "2999-01", "before the current month"),
    ],
)
def test_bad_months_are_refused(tmp_path: Path, first: str, last: str, message: str) -> None:
    arguments = ("--mode", "pure", "--seed", "1", "--out", str(tmp_path))
    with pytest.raises(CommandError, match=message):
        synth(*arguments, "--first-month", first, "--last-month", last)


def test_the_months_are_for_pure_mode_only(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--mode pure only"):
        synth("--seed", "1", "--first-month", "2021-01", "--out", str(tmp_path))


@pytest.mark.parametrize(
    ("first", "last", "start", "end", "change"),
    [
        # The default change (2024-04-01) is kept when it is inside the period.
        ("2020-01", "2024-12", "2020-01-01", "2024-12-31", "2024-04-01"),
        ("2024-02", None, "2024-02-01", "2024-12-31", "2024-04-01"),
        # Otherwise: the start of the last nine months...
        ("2019-01", "2021-12", "2019-01-01", "2021-12-31", "2021-04-01"),
        (None, "2023-12", "2023-01-01", "2023-12-31", "2023-04-01"),
        # ... of nine months or fewer, the middle month; of one month, its 16th.
        ("2024-04", "2024-12", "2024-04-01", "2024-12-31", "2024-08-01"),
        ("2021-01", "2021-06", "2021-01-01", "2021-06-30", "2021-04-01"),
        ("2020-02", "2020-02", "2020-02-01", "2020-02-29", "2020-02-16"),
    ],
)
def test_the_period_and_its_change(
    first: str | None, last: str | None, start: str, end: str, change: str
) -> None:
    parameters = period_parameters(first, last, today=TODAY)
    assert parameters.period_start.isoformat() == start
    assert parameters.period_end.isoformat() == end
    assert parameters.change_date.isoformat() == change
    assert parameters.change_rate_ratio == Parameters().change_rate_ratio


def test_without_months_the_parameters_are_the_defaults() -> None:
    assert period_parameters(None, None) == Parameters()
