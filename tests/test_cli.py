"""The `vrn` command maps our subcommands and passes Django's through."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["load-reference", "--help"], "--json"),
        (["ingest", "--help"], "police-uk"),
        (["demo", "--help"], "--no-serve"),
        (["serve", "--help"], "addrport"),
        (["migrate", "--help"], "app_label"),
        (["createsuperuser", "--help"], "--username"),
    ],
)
def test_subcommands(arguments: list[str], expected: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vrn.cli", *arguments], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
