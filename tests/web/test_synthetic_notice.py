"""While synthetic data is loaded every page says so (the site's and the admin's), with a
link to the page that explains what is synthetic and what is real; otherwise no page does.
CSV downloads built from synthetic data are marked."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from vrn.accounts.models import User
from vrn.ingest.models import FileLoad
from vrn.synth.models import SyntheticWorld
from vrn.web.downloads import csv_response, mark_synthetic

NOTICE = (
    "This system contains SYNTHETIC person-level data, generated for demonstration and "
    "testing: it describes no real people."
)
PAGE = reverse("web:synthetic-data")
PAGES = [
    reverse("web:home"),
    reverse("web:sign-in"),
    PAGE,
    reverse("dashboard:street"),
    reverse("dashboard:overview"),
    reverse("public:overview"),
    reverse("public:about"),
    reverse("admin:index"),
    reverse("admin:ingest_fileload_changelist"),
    "/no-such-page/",
]


def _load(
    name: str,
    *,
    synthetic: bool,
    table: str = "police.Crime",
    rows: int = 10,
    status: str = FileLoad.Status.CURRENT,
) -> FileLoad:
    dataset = "police-uk-street" if table == "crime.StreetCrime" else "police-extract"
    return FileLoad.objects.create(
        dataset=dataset,
        file_name=name,
        sha256=name.encode().hex().ljust(64, "0")[:64],
        size_bytes=1,
        loaded_at=datetime(2024, 7, 1, tzinfo=UTC),
        loaded_by="vrn demo",
        rows_read=rows,
        rows_loaded=rows,
        rows_quarantined=0,
        synthetic=synthetic,
        table=table,
        status=status,
    )


@pytest.fixture
def staff(make_user: Callable[..., User], client: Client) -> Client:
    """Signed in as a board member who is also staff, so every page in PAGES is open."""
    user = make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _text(response: Any) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_no_page_carries_the_notice_without_synthetic_data(staff: Client) -> None:
    _load("real.csv", synthetic=False)
    _load("old-synthetic.csv", synthetic=True, status=FileLoad.Status.WITHDRAWN)
    for url in PAGES:
        response = staff.get(url)
        assert response.status_code in (200, 404), url
        assert NOTICE not in _text(response), url


def test_every_page_carries_the_notice_while_synthetic_data_is_loaded(staff: Client) -> None:
    _load("police-crimes.csv", synthetic=True)
    for url in PAGES:
        response = staff.get(url)
        assert response.status_code in (200, 404), url
        assert NOTICE in _text(response), url
        assert f'href="{PAGE}"' in response.content.decode(), url


def test_the_admin_list_of_loads_shows_and_filters_synthetic(staff: Client) -> None:
    _load("police-crimes.csv", synthetic=True)
    url = reverse("admin:ingest_fileload_changelist")
    assertContains(staff.get(url), 'class="sortable column-synthetic"')
    assertContains(staff.get(url, {"synthetic__exact": "1"}), "police-crimes.csv")
    assertNotContains(staff.get(url, {"synthetic__exact": "0"}), "police-crimes.csv")


def test_visitors_see_the_notice_too(client: Client, db: None) -> None:
    _load("police-crimes.csv", synthetic=True)
    response = client.get(reverse("web:home"))
    assertContains(response, "govuk-tag--orange govuk-phase-banner__content__tag")
    assert NOTICE in _text(response)


def test_the_notice_costs_one_query_on_the_loads(client: Client, db: None) -> None:
    _load("police-crimes.csv", synthetic=True)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("web:home"))
    on_loads = [q["sql"] for q in queries.captured_queries if "ingest_fileload" in q["sql"]]
    assert len(on_loads) == 1, on_loads


def test_explanation_page_without_synthetic_data(client: Client, db: None) -> None:
    _load("2024-06-leicestershire-street.csv", synthetic=False, table="crime.StreetCrime")
    response = client.get(PAGE)
    assertContains(response, '<h1 class="govuk-heading-xl">Synthetic and real data</h1>')
    assertContains(response, "No synthetic data is loaded.")
    text = _text(response)
    assert "data.police.uk street-level crime" in text
    assertNotContains(response, "What is synthetic</h2>")


def test_explanation_page_names_what_is_synthetic_the_seed_and_the_truth_file(
    client: Client, settings: Any, tmp_path: Path, db: None
) -> None:
    settings.DATA_DIR = tmp_path
    crimes = _load("police-crimes.csv", synthetic=True, rows=150)
    _load("police-people.csv", synthetic=True, table="police.Person", rows=200)
    _load("2024-06-leicestershire-street.csv", synthetic=False, table="crime.StreetCrime")
    SyntheticWorld.objects.create(
        directory=str(tmp_path / "synthetic" / "seed-7"),
        seed="7",
        mode="augmented",
        crimes=150,
        command="vrn synth --mode augmented --seed 7 --out DIR",
        files={"police-crimes.csv": crimes.sha256, "truth.json": "f" * 64},
        rows={"police-crimes.csv": 150},
        written_at=datetime(2024, 7, 1, tzinfo=UTC),
    )

    text = _text(client.get(PAGE))

    assert "Police crime extract (person level) Crimes Synthetic 150" in text
    assert "Police crime extract (person level) People Synthetic 200" in text
    assert "Seed 7" in text
    assert "synthetic/seed-7/truth.json in the data directory (VRN_DATA_DIR)" in text
    assert "vrn synth --mode augmented --seed 7 --out DIR" in text
    # The people file came from no recorded world: said so, with where to find its seed.
    assert (
        "The synthetic file police-people.csv came from a world not written on this system" in text
    )
    # Visitors see counts as the disclosure policy publishes them, and no count of files.
    assert "data.police.uk street-level crime 10" in text
    assert "Files loaded" not in text


def test_a_truth_file_outside_the_data_directory_is_shown_to_staff_only(
    client: Client, make_user: Callable[..., User], settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    crimes = _load("police-crimes.csv", synthetic=True)
    elsewhere = tmp_path / "elsewhere"
    SyntheticWorld.objects.create(
        directory=str(elsewhere),
        seed="3",
        mode="pure",
        crimes=10,
        command="vrn synth --mode pure --seed 3 --crimes 10 --out DIR",
        files={"police-crimes.csv": crimes.sha256},
        rows={"police-crimes.csv": 10},
        written_at=datetime(2024, 7, 1, tzinfo=UTC),
    )
    visitor = _text(client.get(PAGE))
    assert str(elsewhere) not in visitor
    assert "outside the data directory; an administrator can see where" in visitor

    client.force_login(make_user(is_staff=True))
    assert str(elsewhere / "truth.json") in _text(client.get(PAGE))


def test_csv_downloads_of_synthetic_data_are_marked() -> None:
    rows = [["area", "count"], ["E06000016", 3], ["E06000017", 1]]
    assert mark_synthetic(rows) == [
        ["area", "count", "synthetic"],
        ["E06000016", 3, "true"],
        ["E06000017", 1, "true"],
    ]

    marked = csv_response(rows, "victims.csv", synthetic=True)
    assert marked["Content-Disposition"] == 'attachment; filename="synthetic-victims.csv"'
    read = list(csv.reader(io.StringIO(marked.content.decode())))
    assert read[0][-1] == "synthetic" and {row[-1] for row in read[1:]} == {"true"}

    real = csv_response(rows, "crimes.csv", synthetic=False)
    assert real["Content-Disposition"] == 'attachment; filename="crimes.csv"'
    assert list(csv.reader(io.StringIO(real.content.decode()))) == [
        [str(value) for value in row] for row in rows
    ]
