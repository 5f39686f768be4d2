"""Every read of participant records through the API is audited: one event per request,
with who, which participants, the purpose they declared and ``via="api"``. Without a
purpose (or with one that is not an access purpose) nothing is returned."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from vrn.audit.models import AuditEvent
from vrn.interventions import audit

from .conftest import Journey

pytestmark = pytest.mark.django_db

TAILS = ["contacts/", "assessments/", "reviews/", "outcomes/", "case-notes/"]


def _reads() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action__in=[audit.VIEW, audit.LIST, audit.EXPORT]).order_by("pk")
    )


def test_each_read_writes_one_event_with_who_which_why_and_how(
    clients: dict[str, APIClient], journeys: dict[str, Journey]
) -> None:
    a, b = journeys["a"].participant.pk, journeys["b"].participant.pk
    caseworker, analyst = clients["casewk_a"], clients["analyst"]

    assert caseworker.get("/api/participants/", {"purpose": "casework"}).status_code == 200
    [event] = _reads()
    assert (event.action, event.actor, event.detail["participants"]) == (
        audit.LIST,
        "caseworker-a",
        [a],
    )
    assert (event.detail["purpose"], event.detail["via"], event.detail["count"]) == (
        "casework",
        "api",
        1,
    )
    assert event.address == "127.0.0.1"

    listed = analyst.get("/api/participants/", {"purpose": "evaluation", "limit": 1, "offset": 1})
    assert [p["id"] for p in listed.json()["results"]] == [b]
    event = _reads()[-1]
    # The participants returned (this page), not every one the search matched.
    assert (event.actor, event.detail["participants"], event.detail["purpose"]) == (
        "analyst",
        [b],
        "evaluation",
    )

    analyst.get(f"/api/participants/{a}/", {"purpose": "supervision"})
    event = _reads()[-1]
    assert (event.action, event.actor, event.detail["participants"]) == (audit.VIEW, "analyst", [a])
    assert (event.detail["purpose"], event.detail["via"], event.detail["what"]) == (
        "supervision",
        "api",
        "participant",
    )

    before = len(_reads())
    for tail in TAILS:
        response = caseworker.get(f"/api/participants/{a}/{tail}", {"purpose": "safeguarding"})
        assert response.status_code == 200
    events = _reads()[before:]
    assert len(events) == len(TAILS)
    assert [e.detail["what"] for e in events] == [
        "contacts",
        "assessments",
        "reviews",
        "outcomes",
        "case notes",
    ]
    for event in events:
        assert (event.action, event.actor, event.detail["participants"]) == (
            audit.VIEW,
            "caseworker-a",
            [a],
        )
        assert (event.detail["purpose"], event.detail["via"]) == ("safeguarding", "api")


def test_no_purpose_no_records_and_no_event(
    clients: dict[str, APIClient], journeys: dict[str, Journey]
) -> None:
    a = journeys["a"].participant.pk
    client = clients["casewk_a"]
    for url in ["/api/participants/", f"/api/participants/{a}/"] + [
        f"/api/participants/{a}/{tail}" for tail in TAILS
    ]:
        missing = client.get(url)
        assert (missing.status_code, missing.json()) == (
            400,
            {"purpose": ["This field is required."]},
        ), url
        wrong = client.get(url, {"purpose": "curiosity"})
        assert wrong.status_code == 400 and list(wrong.json()) == ["purpose"], url
        assert "casework, supervision" in wrong.json()["purpose"][0]
    assert _reads() == []


def test_refused_and_missing_reads_are_not_recorded_as_reads(
    clients: dict[str, APIClient], journeys: dict[str, Journey]
) -> None:
    a = journeys["a"].participant.pk
    assert (
        clients["casewk_b"].get(f"/api/participants/{a}/", {"purpose": "casework"}).status_code
        == 404
    )
    assert clients["board"].get("/api/participants/", {"purpose": "casework"}).status_code == 403
    assert _reads() == []
