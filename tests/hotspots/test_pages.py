"""The hotspot pages of the dashboard and their CSVs on a small loaded world."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.dashboard.conftest import sign_in
from tests.hotspots.conftest import street
from tests.profile.test_command import world
from vrn.accounts.roles import Role

__all__ = ["sign_in", "street", "world"]

pytestmark = pytest.mark.django_db


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_the_three_pages_and_their_csvs(street: Path, sign_in: Callable[..., Client]) -> None:
    board = sign_in(Role.BOARD_MEMBER)
    page = text(board.get(reverse("dashboard:hotspots")))
    assert (
        "Where crime concentrates" in page
        and "Gi* hot spots after the false discovery rate" in page
    )
    used = page[page.index("Data used on this page") :]
    assert "data.police.uk street-level crime" in used.lower(), used[:600]
    assert "<svg" in page and "Emerging hot spots" in page

    rows = list(csv.reader(io.StringIO(text(board.get(reverse("dashboard:hotspots-csv"))))))
    header = rows[0] if rows[0][0] != "#" else rows[1]
    assert {"cell", "crimes", "gi_z", "gi_q", "hotspot", "kde_per_km2_a_year"} <= set(header)

    tasking = text(board.get(reverse("dashboard:tasking") + "?coverage=5"))
    assert "covering 5% of the network" in tasking and "How well this forecast has done" in tasking
    listed = text(board.get(reverse("dashboard:tasking-csv") + "?coverage=5&month=2024-01"))
    assert listed.splitlines()[-1]  # ranked cells
    assert "rank,cell,score" in listed

    hidden = text(board.get(reverse("dashboard:hidden-hotspots")))
    assert "unknown to police" in hidden and "Hidden hotspots" in hidden
    shares = text(board.get(reverse("dashboard:hidden-hotspots-csv")))
    assert "share_unknown_corrected" in shares


def test_bad_parameters_are_named(street: Path, sign_in: Callable[..., Client]) -> None:
    board = sign_in(Role.BOARD_MEMBER)
    page = text(
        board.get(reverse("dashboard:tasking") + "?crime_type=Piracy&coverage=7&month=24-1")
    )
    assert "There is a problem" in page
    for message in (
        "Choose a crime type from the list",
        "Choose an area coverage from the list",
        "Enter a month as YYYY-MM",
    ):
        assert message in page
    assert board.get(reverse("dashboard:tasking-csv") + "?coverage=7").status_code == 400
    far = board.get(reverse("dashboard:tasking-csv") + "?month=9999-12")
    assert far.status_code == 400 and b"more than 12 months" in far.content
    assert "more than 12 months" in text(board.get(reverse("dashboard:tasking") + "?month=9999-12"))
    assert board.get(reverse("dashboard:hotspots") + "?area=E06000016").status_code == 404


def test_without_street_crime_the_pages_say_so(world: Path, sign_in: Callable[..., Client]) -> None:
    board = sign_in(Role.BOARD_MEMBER)
    page = text(board.get(reverse("dashboard:hotspots")))
    assert "Not available for the data loaded" in page
    assert board.get(reverse("dashboard:hotspots-csv")).status_code == 404
