"""A caseworker records a whole journey through the API, as a provider's system would:
a referral with an NHS number (pseudonymised, nothing of it stored), the start, an
assessment, contacts, two reviews, an outcome and the exit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from vrn.audit.models import AuditEvent
from vrn.ingest.pseudonymise import person_key
from vrn.interventions.models import Assessment, Contact, Outcome, Participant, Review

from ...partners import KEY
from ..conftest import Provider
from .conftest import token_client

pytestmark = pytest.mark.django_db

NHS_NUMBER = "943 476 5919"
IDENTIFIERS = {
    "nhs_number": NHS_NUMBER,
    "surname": "Thistlewood",
    "forename": "Jonah",
    "date_of_birth": "2007-05-06",
    "residence_postcode": "LE1 5WW",
}


def referral(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "programme": "VIP",
        "case_reference": "TP-0001",
        "referral_date": "2024-03-04",
        "referral_source": "emergency_department",
        "reachable_moment": "ae_attendance",
        "consent_status": "given",
        "lawful_basis": "consent",
        "sex": "M",
        "ethnicity": "black",
        "priority_groups": ["males_under_25"],
        **IDENTIFIERS,
    }
    body.update(changes)
    return body


def _post(client: APIClient, url: str, body: dict[str, Any], expected: int = 201) -> Any:
    response = client.post(url, body, format="json")
    assert response.status_code == expected, response.content
    return response.json()


def test_a_caseworker_records_a_whole_journey(provider_a: Provider) -> None:
    client = token_client(provider_a.caseworker)
    created = _post(client, "/api/participants/", referral())
    pid = created["id"]
    base = f"/api/participants/{pid}/"

    stored = Participant.objects.get(pk=pid)
    assert stored.person_key == person_key(KEY.encode(), "nhs:9434765919")
    assert (stored.key_basis, stored.age_at_referral) == ("nhs", 16)
    assert stored.residence_postcode_district == "LE1"
    assert (stored.provider_id, stored.case_reference) == (provider_a.organisation.pk, "TP-0001")
    row = " ".join(str(v) for v in Participant.objects.filter(pk=pid).values()[0].values())
    for value in [*IDENTIFIERS.values(), "9434765919", "THISTLEWOOD", "LE1 5WW", "LE15WW"]:
        assert value.upper() not in row.upper()
    # The identifiers are not returned either; the holder sees their own case reference.
    assert created["case_reference"] == "TP-0001"
    assert "person_key" not in created
    shown = str(created).upper()
    assert all(value.upper() not in shown for value in IDENTIFIERS.values())
    assert created["status"] == "open" and created["start_date"] is None

    started = client.patch(base, {"start_date": "2024-03-11"}, format="json")
    assert started.status_code == 200, started.content
    assert started.json()["start_date"] == "2024-03-11"

    answers = {"impulsivity": True, "social_isolation": False, "prosocial_peers": True}
    assessment = _post(
        client, base + "assessments/", {"assessed_on": "2024-03-11", "answers": answers}
    )
    assert (assessment["risk_score"], assessment["protective_score"]) == (1.0, 1.0)
    assert assessment["stage"] == "entry" and assessment["participant"] == pid

    for day, attendance in [("2024-03-12", "attended"), ("2024-03-19", "did_not_attend")]:
        contact = {"contact_date": day, "kind": "one_to_one", "attendance": attendance}
        _post(client, base + "contacts/", {**contact, "duration_minutes": 45})

    scale = "vrn_practitioner_journey"
    first = _post(
        client,
        base + "reviews/",
        {
            "review_date": "2024-03-12",
            "scale": scale,
            "scores": {"engagement": 2, "safety_from_harm": 3},
        },
    )
    second = _post(
        client,
        base + "reviews/",
        {
            "review_date": "2024-06-12",
            "scale": scale,
            "scores": {"engagement": 4, "safety_from_harm": 5},
        },
    )
    assert (first["mean_score"], second["mean_score"]) == (2.5, 4.5)
    assert second["perspective"] == "practitioner"

    outcome = _post(
        client,
        base + "outcomes/",
        {"kind": "entered_education", "outcome_date": "2024-06-20", "evidence": "document_seen"},
    )
    assert outcome["verified"] is True

    exited = client.patch(
        base, {"exit_date": "2024-07-01", "exit_reason": "completed"}, format="json"
    )
    assert exited.status_code == 200, exited.content
    assert (exited.json()["status"], exited.json()["exit_reason"]) == ("exited", "completed")

    # All of it is stored against the participant's provider and case reference.
    mine = {"provider_id": provider_a.organisation.pk, "case_reference": "TP-0001"}
    assert Assessment.objects.filter(**mine).count() == 1
    assert list(
        Contact.objects.filter(**mine).order_by("contact_date").values_list("attendance", flat=True)
    ) == ["attended", "did_not_attend"]
    assert Review.objects.filter(**mine).count() == 2
    assert Outcome.objects.filter(**mine, kind="entered_education").count() == 1
    participant = Participant.objects.get(pk=pid)
    assert (participant.start_date, participant.exit_date) == (
        dt.date(2024, 3, 11),
        dt.date(2024, 7, 1),
    )
    # Every change is in the audit trail, made through the API.
    changes = AuditEvent.objects.filter(action="interventions.change").order_by("pk")
    assert [event.detail["what"] for event in changes] == [
        "referral",
        "progress",
        "assessment",
        "contact",
        "contact",
        "review",
        "review",
        "outcome",
        "progress",
    ]
    assert {event.detail["via"] for event in changes} == {"api"}
    assert {event.actor for event in changes} == {provider_a.caseworker.username}

    # And read back, in date order.
    read = client.get(base + "reviews/", {"purpose": "casework"})
    assert [r["mean_score"] for r in read.json()["results"]] == [2.5, 4.5]


def test_what_is_wrong_is_a_400_naming_each_field_and_nothing_is_stored(
    provider_a: Provider,
) -> None:
    client = token_client(provider_a.caseworker)
    wrong = referral(
        referral_date="2999-01-01",
        referral_source="pigeon",
        nhs_number="123",
        case_reference="Jonah Thistlewood",
    )
    body = _post(client, "/api/participants/", wrong, expected=400)
    assert set(body) == {"referral_date", "referral_source", "nhs_number", "case_reference"}
    assert body["referral_date"] == ["is in the future"]
    assert not Participant.objects.exists()
    # The identifiers given are never echoed back.
    assert "123" not in str(body["nhs_number"])

    assert _post(client, "/api/participants/", referral(nhs_numbr="x"), expected=400) == {
        "nhs_numbr": ["is not a field of this endpoint"]
    }
    assert set(_post(client, "/api/participants/", {}, expected=400)) == {
        "programme",
        "case_reference",
        "referral_date",
        "referral_source",
        "consent_status",
        "lawful_basis",
    }
    assert _post(client, "/api/participants/", referral(programme="NOPE"), expected=400) == {
        "programme": ["is not a programme's code"]
    }
    pid = _post(client, "/api/participants/", referral())["id"]
    review = {
        "review_date": "2024-03-12",
        "scale": "vrn_practitioner_journey",
        "scores": {"engagement": 9},
    }
    assert _post(client, f"/api/participants/{pid}/reviews/", review, expected=400) == {
        "scores.engagement": ["must be between 1 and 5"]
    }
    late = client.patch(f"/api/participants/{pid}/", {"exit_date": "2024-01-01"}, format="json")
    assert late.status_code == 400
    assert set(late.json()) == {"exit_date", "exit_reason"}
    assert client.patch(f"/api/participants/{pid}/", {}, format="json").status_code == 400


def test_the_programme_must_be_the_caseworkers_own(
    provider_a: Provider, provider_b: Provider
) -> None:
    client = token_client(provider_a.caseworker)
    body = _post(client, "/api/participants/", referral(programme="UP"), expected=400)
    assert body == {"programme": ["is not delivered by your organisation"]}
    assert not Participant.objects.exists()
