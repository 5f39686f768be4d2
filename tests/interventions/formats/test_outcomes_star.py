"""``outcomes-star``: journey-star style exports, with the headings exports use for the
client and the date, UK dates, the organisation given by the loader, ignored columns
never stored; and ``vrn ingest --organisation``."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.partner_csv import MASKED
from vrn.interventions.models import Review

from ...partners import accounted, assert_third_row_quarantined
from .conftest import PARTICIPANT, PARTICIPANTS, rows

pytestmark = pytest.mark.django_db

FORMAT = "outcomes-star"
Load = Callable[..., Any]
Write = Callable[..., Path]
EXPORT = ["Client ID", "Date of reading", "Reading number", "Worker"]
EXPORT += ["Keeping safe", "Emotional health", "Where you live", "Money"]
READING = {
    "Client ID": "TP-0001",
    "Date of reading": "12/04/2024",
    "Reading number": "1",
    "Worker": "Sam Jones",
    "Keeping safe": "3",
    "Emotional health": "4",
    "Where you live": "N/A",
    "Money": "",
}


@pytest.fixture
def participants(provider_a: Any, provider_b: Any, write: Write, load_as: Load) -> None:
    header = [name for name in PARTICIPANTS if name not in ("residence_lsoa", "nhs_number")]
    content = rows(
        PARTICIPANT,
        {"case_reference": "TP-0001"},
        {"case_reference": "TP-0002"},
        {"case_reference": "LC-1", "provider_code": "leics-cares", "programme_code": "UP"},
    )
    assert (
        load_as("intervention-participants", write("referrals.csv", header, content)).rows_loaded
        == 3
    )


def three(**changes: str) -> list[dict[str, str]]:
    return rows(
        READING,
        {},
        {"Client ID": "TP-0002", "Date of reading": "2024-05-10 00:00", "Money": "7"},
        {"Date of reading": "14/06/2024", "Reading number": "2", "Keeping safe": "6", **changes},
    )


def test_an_export_loads_as_reviews_on_the_star_style_scale(
    participants: None, write: Write, load_as: Load
) -> None:
    result = load_as(FORMAT, write("star.csv", EXPORT, three()), organisation="turning-point")

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert accounted(result)
    load = FileLoad.objects.get(pk=result.load_id)
    assert (load.dataset, load.table) == ("interventions", "interventions.Review")
    assert load.partitions == [
        ["reviews", "turning-point", "journey_star_style", f"2024-{month:02d}"]
        for month in (4, 5, 6)
    ]
    readings = list(
        Review.objects.order_by("review_date").values_list(
            "case_reference", "review_date", "scale", "perspective", "scores", "mean_score"
        )
    )
    assert readings == [
        (
            "TP-0001",
            dt.date(2024, 4, 12),
            "journey_star_style",
            "self_report",
            {"keeping_safe": 3.0, "emotional_wellbeing": 4.0},
            3.5,
        ),
        (
            "TP-0002",
            dt.date(2024, 5, 10),
            "journey_star_style",
            "self_report",
            {"keeping_safe": 3.0, "emotional_wellbeing": 4.0, "money": 7.0},
            14 / 3,
        ),
        (
            "TP-0001",
            dt.date(2024, 6, 14),
            "journey_star_style",
            "self_report",
            {"keeping_safe": 6.0, "emotional_wellbeing": 4.0},
            5.0,
        ),
    ]
    assert set(Review.objects.values_list("provider__code", "load_id")) == {
        ("turning-point", result.load_id)
    }


@pytest.mark.parametrize(
    "heading",
    [
        "Client ID",
        "client_ref",
        "Service User ID",
        "Case Reference",
        "Reference",
        "Participant No.",
    ],
)
def test_the_case_reference_goes_by_the_names_exports_give_it(
    heading: str, participants: None, write: Write, load_as: Load
) -> None:
    header = [heading if name == "Client ID" else name for name in EXPORT]
    content = [{(heading if k == "Client ID" else k): v for k, v in row.items()} for row in three()]

    result = load_as(FORMAT, write("star.csv", header, content), organisation="turning-point")

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert sorted(Review.objects.values_list("case_reference", flat=True)) == [
        "TP-0001",
        "TP-0001",
        "TP-0002",
    ]


@pytest.mark.parametrize(
    "heading",
    ["Date", "Reading date", "Date of review", "Assessment Date", "date_completed", "review_date"],
)
def test_the_date_goes_by_the_names_exports_give_it(
    heading: str, participants: None, write: Write, load_as: Load
) -> None:
    header = [heading if name == "Date of reading" else name for name in EXPORT]
    content = [
        {(heading if k == "Date of reading" else k): v for k, v in row.items()} for row in three()
    ]

    result = load_as(FORMAT, write("star.csv", header, content), organisation="turning-point")

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert sorted(Review.objects.values_list("review_date", flat=True)) == [
        dt.date(2024, 4, 12),
        dt.date(2024, 5, 10),
        dt.date(2024, 6, 14),
    ]


def test_bad_rows_are_quarantined_without_the_ignored_columns(
    participants: None, write: Write, load_as: Load
) -> None:
    path = write("star.csv", EXPORT, three(**{"Keeping safe": "11"}))

    result = load_as(FORMAT, path, organisation="turning-point")

    assert_third_row_quarantined(result, "Keeping safe", "must be between 1 and 10")
    raw = QuarantinedRow.objects.get(load_id=result.load_id).raw
    assert (raw["Worker"], raw["Reading number"], raw["Client ID"]) == (MASKED, MASKED, "TP-0001")
    assert "Sam Jones" not in json.dumps(list(QuarantinedRow.objects.values_list("raw", flat=True)))


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        (
            {"Date of reading": "31/02/2024"},
            "Date of reading",
            "'31/02/2024' is not a date in YYYY-MM-DD or DD/MM/YYYY form",
        ),
        ({"Date of reading": "01/01/2025"}, "Date of reading", "is in the future"),
        ({"Emotional health": "lots"}, "Emotional health", "is not a number"),
        (
            {"Client ID": "TP-0404"},
            "Client ID",
            "no participant with this case reference for turning-point",
        ),
        (
            {"Keeping safe": "", "Emotional health": "n/a"},
            "scale",
            "no area of the scale journey_star_style has a score",
        ),
    ],
)
def test_a_bad_reading_quarantines_its_row(
    changes: dict[str, str],
    field: str,
    reason: str,
    participants: None,
    write: Write,
    load_as: Load,
) -> None:
    result = load_as(
        FORMAT, write("star.csv", EXPORT, three(**changes)), organisation="turning-point"
    )

    assert_third_row_quarantined(result, field, reason)


def test_an_export_without_a_provider_needs_the_organisation(
    participants: None, write: Write, load_as: Load
) -> None:
    result = load_as(FORMAT, write("star.csv", EXPORT, three()))

    assert result.status == "refused"
    assert "has no provider_code column" in result.message
    assert "--organisation" in result.message
    assert not Review.objects.exists()


def test_a_provider_column_is_checked_against_the_organisation(
    participants: None, write: Write, load_as: Load
) -> None:
    content = [{**row, "provider_code": "turning-point"} for row in three()]
    content[2].update({"provider_code": "leics-cares", "Client ID": "LC-1"})
    path = write("star.csv", ["provider_code", *EXPORT], content)

    as_uploaded = load_as(FORMAT, path, organisation="turning-point")

    assert_third_row_quarantined(
        as_uploaded, "provider_code", "you can upload only for your own organisation"
    )


def test_a_provider_column_is_enough_without_an_organisation(
    participants: None, write: Write, load_as: Load
) -> None:
    content = [{**row, "provider_code": "turning-point"} for row in three()]
    content[2].update({"provider_code": "leics-cares", "Client ID": "LC-1"})

    result = load_as(FORMAT, write("star.csv", ["provider_code", *EXPORT], content))

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert Review.objects.get(case_reference="LC-1").provider.code == "leics-cares"


def test_a_heading_that_is_no_area_of_the_scale_refuses_the_file(
    participants: None, write: Write, load_as: Load
) -> None:
    header = [*EXPORT, "Motivation and taking responsibility"]

    result = load_as(FORMAT, write("star.csv", header, three()), organisation="turning-point")

    assert result.status == "refused"
    assert (
        "nor areas of the scale journey_star_style: 'Motivation and taking responsibility'"
        in result.message
    )
    assert "add a provider's own headings as aliases" in result.message


def test_a_scale_column_names_another_scale(
    participants: None, write: Write, load_as: Load
) -> None:
    header = ["Client ID", "Date", "scale", "Keeping safe", "Feeling safe"]
    content = [
        {"Client ID": "TP-0001", "Date": "2024-04-01", "scale": "", "Keeping safe": "5"},
        {
            "Client ID": "TP-0002",
            "Date": "2024-04-01",
            "scale": "vrn_self_report_journey",
            "Feeling safe": "8",
        },
    ]

    result = load_as(FORMAT, write("star.csv", header, content), organisation="turning-point")

    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert sorted(Review.objects.values_list("case_reference", "scale", "scores")) == [
        ("TP-0001", "journey_star_style", {"keeping_safe": 5.0}),
        ("TP-0002", "vrn_self_report_journey", {"feeling_safe": 8.0}),
    ]


def test_the_ingest_command_takes_the_organisation(participants: None, write: Write) -> None:
    path = write("star.csv", EXPORT, three())
    out = io.StringIO()

    call_command(
        "ingest",
        "outcomes-star",
        str(path),
        "--organisation",
        "turning-point",
        "--user",
        "loader",
        "--json",
        stdout=out,
        stderr=io.StringIO(),
    )

    [result] = json.loads(out.getvalue())
    assert (result["status"], result["rows_loaded"], result["rows_quarantined"]) == ("loaded", 3, 0)
    assert set(Review.objects.values_list("recorded_by", flat=True)) == {"loader"}
    assert quarantine_count(result["load_id"]) == 0


def quarantine_count(load_id: int) -> int:
    return QuarantinedRow.objects.filter(load_id=load_id).count()
