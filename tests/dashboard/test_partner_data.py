""" "About these data" lists the partner datasets loaded, with row counts and a Synthetic
tag where synthetic; the dashboard's downloads stay unmarked (they are police.uk data)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from django.test import Client
from django.urls import reverse

from vrn.accounts.roles import Role
from vrn.ingest.models import FileLoad

NETWORK_URL = reverse("dashboard:street")


def _load(name: str, table: str, rows: int, synthetic: bool) -> None:
    FileLoad.objects.create(
        dataset=name,
        file_name=f"{name}.csv",
        sha256=name.encode().hex().ljust(64, "0")[:64],
        size_bytes=1,
        loaded_at=datetime(2024, 7, 1, tzinfo=UTC),
        loaded_by="tester",
        rows_read=rows,
        rows_loaded=rows,
        rows_quarantined=0,
        synthetic=synthetic,
        table=table,
    )


def _about(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    section = html[html.index('id="about"') :]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_about_lists_partner_datasets_with_a_synthetic_tag(
    sign_in: Callable[..., Client], dashboard_data: None
) -> None:
    _load("police-extract", "police.Crime", 1_500, synthetic=True)
    _load("police-extract-people", "police.Person", 2_000, synthetic=True)
    _load("istv", "health.EdAttendance", 40, synthetic=False)

    about = _about(sign_in(Role.BOARD_MEMBER).get(NETWORK_URL))

    assert "Partner data loaded" in about
    assert "Police crime extract (person level) Crimes Synthetic 1,500" in about
    assert "Police crime extract (person level) People Synthetic 2,000" in about
    # Real partner rows carry no tag.
    assert "ED assault attendances 40" in about
    assert "describe no real people" in about


def test_about_without_partner_data_says_nothing_of_it(
    sign_in: Callable[..., Client], dashboard_data: None
) -> None:
    about = _about(sign_in(Role.BOARD_MEMBER).get(NETWORK_URL))
    assert "Partner data loaded" not in about
    assert "Synthetic" not in about


def test_downloads_are_not_marked_synthetic(
    sign_in: Callable[..., Client], dashboard_data: None
) -> None:
    _load("police-extract", "police.Crime", 1_500, synthetic=True)
    response = sign_in(Role.BOARD_MEMBER).get(reverse("dashboard:street-types-csv"))
    assert "synthetic" not in response["Content-Disposition"]
    assert "synthetic" not in response.content.decode().splitlines()[0]
