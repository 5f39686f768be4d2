"""An assessment's "not known" answers (null) round-trip as null, the schema says an
answer may be null, and the journey page does not count them as answered."""

from __future__ import annotations

import pytest

from vrn.interventions import queries, reference
from vrn.interventions.models import Assessment

from ..conftest import Provider
from .conftest import Journey, token_client

pytestmark = pytest.mark.django_db


def test_an_answer_not_known_round_trips_as_null_and_is_not_counted_as_answered(
    provider_a: Provider, journeys: dict[str, Journey]
) -> None:
    client = token_client(provider_a.caseworker)
    participant = journeys["a"].participant
    url = f"/api/participants/{participant.pk}/assessments/"
    answers = {"impulsivity": True, "social_isolation": None, "male": None}

    created = client.post(
        url, {"assessed_on": "2024-03-12", "stage": "review", "answers": answers}, format="json"
    )

    assert created.status_code == 201, created.content
    assert created.json()["answers"] == answers
    listed = client.get(url, {"purpose": "casework"}).json()["results"]
    assert [a["answers"] for a in listed if a["id"] == created.json()["id"]] == [answers]
    stored = Assessment.objects.get(pk=created.json()["id"])
    assert stored.answers == answers
    # The journey page: only the one answered factor counts; the two nulls are not known.
    latest = queries.journey(provider_a.caseworker, participant).latest_assessment
    assert latest is not None and latest.assessment.pk == stored.pk
    assert latest.unknown == len(reference.checklist().factors) - 1
    assert len(latest.risks) == 1


def test_the_schema_says_an_answer_may_be_null(provider_a: Provider) -> None:
    client = token_client(provider_a.caseworker)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    answers = schema["components"]["schemas"]["Assessment"]["properties"]["answers"]
    assert answers["additionalProperties"].get("nullable") is True, answers
