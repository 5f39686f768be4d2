"""``intervention-reviews``: area columns by id, label or alias; files mixing scales;
scores checked against each row's scale; every rejection and refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vrn.ingest.models import FileLoad
from vrn.interventions import reference as definitions
from vrn.interventions.models import Review

from ...partners import accounted, assert_third_row_quarantined, rejection_cases
from .conftest import PARTICIPANT, PARTICIPANTS, rows

pytestmark = pytest.mark.django_db

FORMAT = "intervention-reviews"
Load = Callable[..., Any]
Write = Callable[..., Path]
#: Areas of the self-report scale (by label, id and alias), then of the practitioner one.
REVIEWS = ["provider_code", "case_reference", "review_date", "scale"]
REVIEWS += ["Feeling safe", "managing_emotions", "Aspirations", "engagement", "Risk of harm"]
SELF_REPORT = {
    "provider_code": "turning-point",
    "case_reference": "TP-0001",
    "review_date": "2024-04-02",
    "scale": "vrn_self_report_journey",
    "Feeling safe": "4",
    "managing_emotions": "6",
}
PRACTITIONER = {
    "provider_code": "turning-point",
    "case_reference": "TP-0002",
    "review_date": "2024-04-03",
    "scale": "vrn_practitioner_journey",
    "engagement": "3",
    "Risk of harm": "5",
}


@pytest.fixture
def participants(provider_a: Any, write: Write, load_as: Load) -> None:
    """TP-0001 and TP-0002 of turning-point, referred 2024-03-04."""
    header = [name for name in PARTICIPANTS if name not in ("residence_lsoa", "nhs_number")]
    content = rows(PARTICIPANT, {"case_reference": "TP-0001"}, {"case_reference": "TP-0002"})
    assert (
        load_as("intervention-participants", write("referrals.csv", header, content)).rows_loaded
        == 2
    )


def three(**changes: str) -> list[dict[str, str]]:
    """A self-report review, a practitioner review and a self-report one with ``changes``."""
    return [SELF_REPORT, PRACTITIONER, {**SELF_REPORT, "review_date": "2024-04-09", **changes}]


def test_reviews_on_two_scales_load_with_their_areas(
    participants: None, write: Write, load_as: Load
) -> None:
    result = load_as(FORMAT, write("reviews.csv", REVIEWS, three(Aspirations="9")))

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert accounted(result)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["reviews", "turning-point", "vrn_practitioner_journey", "2024-04"],
        ["reviews", "turning-point", "vrn_self_report_journey", "2024-04"],
    ]
    first = Review.objects.get(review_date=dt.date(2024, 4, 2))
    assert (first.scale, first.perspective, first.case_reference) == (
        "vrn_self_report_journey",
        "self_report",
        "TP-0001",
    )
    assert (first.scores, first.mean_score) == (
        {"feeling_safe": 4.0, "managing_emotions": 6.0},
        5.0,
    )
    practitioner = Review.objects.get(case_reference="TP-0002")
    assert (practitioner.perspective, practitioner.scores, practitioner.mean_score) == (
        "practitioner",
        {"engagement": 3.0, "safety_from_harm": 5.0},
        4.0,
    )
    third = Review.objects.get(review_date=dt.date(2024, 4, 9))
    assert third.scores == {"feeling_safe": 4.0, "managing_emotions": 6.0, "future_hopes": 9.0}
    assert third.mean_score == pytest.approx(19 / 3)
    assert set(Review.objects.values_list("load_id", "recorded_by")) == {(result.load_id, "tester")}


CASES = [
    ("too high", {"Feeling safe": "11"}, "Feeling safe", "must be between 1 and 10"),
    ("not a number", {"managing_emotions": "six"}, "managing_emotions", "is not a number"),
    (
        "area of another scale",
        {"engagement": "3"},
        "engagement",
        "is not an area of the scale vrn_self_report_journey; leave it blank",
    ),
    (
        "no score",
        {"Feeling safe": "", "managing_emotions": ""},
        "scale",
        "no area of the scale vrn_self_report_journey has a score",
    ),
    ("scale", {"scale": "wellbeing_star"}, "scale", "'wellbeing_star' is not one of"),
    (
        "the same day",
        {"review_date": "2024-04-02"},
        "review_date",
        "duplicates the review of this participant on this scale and day on line 2",
    ),
    ("before referral", {"review_date": "2024-03-01"}, "review_date", "before the referral"),
    (
        "no participant",
        {"case_reference": "TP-0404"},
        "case_reference",
        "no participant with this case reference for turning-point",
    ),
]


@rejection_cases(CASES)
def test_a_bad_review_quarantines_its_row(
    changes: dict[str, str],
    field: str,
    reason: str,
    participants: None,
    write: Write,
    load_as: Load,
) -> None:
    result = load_as(FORMAT, write("reviews.csv", REVIEWS, three(**changes)))

    assert_third_row_quarantined(result, field, reason)
    assert Review.objects.count() == 2


def test_a_heading_that_names_no_area_refuses_the_file(
    participants: None, write: Write, load_as: Load
) -> None:
    result = load_as(FORMAT, write("reviews.csv", [*REVIEWS, "Mood"], three()))

    assert result.status == "refused"
    assert "nor areas of any distance-travelled scale: 'Mood'" in result.message
    assert not Review.objects.exists()


def test_two_columns_for_one_area_of_a_scale_used_refuse_the_file(
    participants: None, write: Write, load_as: Load
) -> None:
    result = load_as(FORMAT, write("reviews.csv", [*REVIEWS, "feeling_safe"], three()))

    assert result.status == "refused"
    assert (
        "has 2 columns for the area feeling_safe of the scale vrn_self_report_journey "
        "('Feeling safe', 'feeling_safe')" in result.message
    )


def test_a_missing_scale_column_refuses_the_file(
    participants: None, write: Write, load_as: Load
) -> None:
    header = [name for name in REVIEWS if name != "scale"]

    result = load_as(FORMAT, write("reviews.csv", header, three()))

    assert result.status == "refused"
    assert "required columns missing: 'scale'" in result.message


def test_a_file_with_a_column_per_area_id_of_every_scale_loads_each_row_on_its_scale(
    participants: None, write: Write, load_as: Load
) -> None:
    scales = definitions.scales()
    header = ["provider_code", "case_reference", "review_date", "scale", "synthetic"]
    header += list(dict.fromkeys(area for scale in scales.scales for area in scale.area_ids))
    content = []
    for day, scale in enumerate(scales.scales, start=1):
        scores = {area: str(scale.minimum + i % 2) for i, area in enumerate(scale.area_ids)}
        content.append(
            {
                "provider_code": "turning-point",
                "case_reference": "TP-0001",
                "review_date": f"2024-04-0{day}",
                "scale": scale.id,
                **scores,
            }
        )

    result = load_as(FORMAT, write("reviews.csv", header, content))

    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 3, 0)
    for scale in scales.scales:
        review = Review.objects.get(scale=scale.id)
        assert sorted(review.scores) == sorted(scale.area_ids)
        assert review.perspective == scale.perspective
    star = Review.objects.get(scale="journey_star_style")
    assert (star.scores["education_and_work"], star.scores["relationships"]) == (2.0, 1.0)
