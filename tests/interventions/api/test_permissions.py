"""Who gets what from every endpoint and method of the API, for every role: a caseworker
never reads, lists, searches or writes another provider's participants or their records
(by any URL, filter or guessed id); the network's team reads pseudonymised records and no
case notes, and writes nothing; the board, the administrator and the public read no
participant record; a visitor must sign in (401)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from vrn.interventions.models import CaseNote, Contact, Participant

from ..conftest import Provider
from .conftest import ROLES, Journey

pytestmark = pytest.mark.django_db

#: Status by role, for each endpoint and method ("{a}": provider A's participant).
#: Bodies for writes are valid for provider A's caseworker. A method an endpoint does not
#: have is 405 before any record is looked up, so it tells nothing either. URLs are under
#: /api/; "?purpose" stands for ?purpose=casework.
EXPECTED = """
method url                                   anon admin analyst manager board cw_a cw_b public
GET    programmes/                           401  200   200     200     200   200  200  403
GET    programmes/VIP/                       401  200   200     200     200   200  200  403
GET    programmes/NOPE/                      401  404   404     404     404   404  404  403
POST   programmes/                           401  405   405     405     405   405  405  403
GET    participants/?purpose                 401  403   200     200     403   200  200  403
GET    participants/                         401  403   400     400     403   400  400  403
POST   participants/                         401  403   403     403     403   201  400  403
DELETE participants/                         401  403   403     403     403   405  405  403
GET    participants/{a}/?purpose             401  403   200     200     403   200  404  403
GET    participants/{a}/                     401  403   400     400     403   400  400  403
PATCH  participants/{a}/                     401  403   403     403     403   200  404  403
PUT    participants/{a}/                     401  403   403     403     403   405  405  403
DELETE participants/{a}/                     401  403   403     403     403   405  405  403
GET    participants/{a}/contacts/?purpose    401  403   200     200     403   200  404  403
POST   participants/{a}/contacts/            401  403   403     403     403   201  404  403
GET    participants/{a}/assessments/?purpose 401  403   200     200     403   200  404  403
POST   participants/{a}/assessments/         401  403   403     403     403   201  404  403
GET    participants/{a}/reviews/?purpose     401  403   200     200     403   200  404  403
POST   participants/{a}/reviews/             401  403   403     403     403   201  404  403
GET    participants/{a}/outcomes/?purpose    401  403   200     200     403   200  404  403
POST   participants/{a}/outcomes/            401  403   403     403     403   201  404  403
GET    participants/{a}/case-notes/?purpose  401  403   403     403     403   200  404  403
POST   participants/{a}/case-notes/          401  403   403     403     403   201  404  403
DELETE participants/{a}/contacts/            401  403   403     403     403   405  405  403
GET    participants/987654321/?purpose       401  403   404     404     403   404  404  403
GET    nowhere/                              404  404   404     404     404   404  404  404
"""

BODIES: dict[str, dict[str, Any]] = {
    "participants": {
        "programme": "VIP",
        "case_reference": "A-2",
        "referral_date": "2024-04-01",
        "referral_source": "school",
        "consent_status": "given",
        "lawful_basis": "consent",
        "person_id": "P-2",
    },
    "{a}": {"start_date": "2024-03-11"},
    "contacts": {"contact_date": "2024-03-12", "kind": "outreach", "attendance": "attended"},
    "assessments": {"assessed_on": "2024-03-12", "answers": {"impulsivity": False}},
    "reviews": {
        "review_date": "2024-03-12",
        "scale": "vrn_practitioner_journey",
        "scores": {"engagement": 4},
    },
    "outcomes": {
        "kind": "entered_training",
        "outcome_date": "2024-03-12",
        "evidence": "participant_report",
    },
    "case-notes": {"text": "Met at the centre.", "visibility": "provider"},
}


def _rows() -> list[Any]:
    lines = [line.split() for line in EXPECTED.strip().splitlines()]
    rows = lines[1:]
    return [
        pytest.param(
            method,
            "/api/" + url.replace("?purpose", "?purpose=casework"),
            dict(zip(ROLES, cells, strict=True)),
            id=f"{method} {url}",
        )
        for method, url, *cells in rows
    ]


def _body(url: str) -> dict[str, Any]:
    last = url.rstrip("/").split("?")[0].rsplit("/", 1)[-1]
    return BODIES.get("{a}" if last.isdigit() else last, {})


@pytest.mark.parametrize(("method", "url", "expected"), _rows())
def test_every_role_against_every_endpoint(
    method: str,
    url: str,
    expected: dict[str, str],
    clients: dict[str, APIClient],
    journeys: dict[str, Journey],
) -> None:
    real = url.replace("{a}", str(journeys["a"].participant.pk))
    measured = {}
    for role, client in clients.items():
        body = _body(real) if method in ("POST", "PATCH", "PUT") else None
        response = client.generic(method, real, _json(body), content_type="application/json")
        measured[role] = str(response.status_code)
        assert response["Content-Type"] == "application/json", (role, response.content)
        # Whatever the answer, nothing of another provider's participant is in it.
        if role == "casewk_b":
            assert b"A-1" not in response.content
    assert measured == expected


def _json(body: dict[str, Any] | None) -> str:
    return "" if body is None else json.dumps(body)


def test_a_caseworker_never_finds_another_providers_participants_by_any_filter(
    clients: dict[str, APIClient], journeys: dict[str, Journey], provider_a: Provider
) -> None:
    client = clients["casewk_b"]
    theirs = journeys["a"].participant
    searches: list[dict[str, str]] = [
        {},
        {"programme": "VIP"},
        {"provider": "turning-point"},
        {"case_reference": "A-1"},
        {"programme": "VIP", "provider": "turning-point", "case_reference": "A-1"},
        {"status": "open"},
        {"status": "exited"},
        {"referred_from": "2024-03-04", "referred_to": "2024-03-04"},
        {"limit": "500", "offset": "0"},
    ]
    for search in searches:
        response = client.get("/api/participants/", {"purpose": "casework", **search})
        assert response.status_code == 200, response.content
        found = {p["id"] for p in response.json()["results"]}
        assert theirs.pk not in found, search
        assert found <= {journeys["b"].participant.pk}, search
    # Naming provider A narrows B's own list to nothing: never A's data.
    only_a = client.get("/api/participants/", {"purpose": "casework", "provider": "turning-point"})
    assert only_a.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_guessed_ids_find_only_the_callers_own_and_look_like_missing_ones(
    clients: dict[str, APIClient], journeys: dict[str, Journey]
) -> None:
    client = clients["casewk_b"]
    mine = journeys["b"].participant.pk
    highest = Participant.objects.order_by("-pk").values_list("pk", flat=True)[0]
    missing = client.get(f"/api/participants/{highest + 1000}/", {"purpose": "casework"})
    for guess in range(1, highest + 3):
        for tail in ["", "contacts/", "assessments/", "reviews/", "outcomes/", "case-notes/"]:
            response = client.get(f"/api/participants/{guess}/{tail}", {"purpose": "casework"})
            if guess == mine:
                assert response.status_code == 200
            else:
                assert (response.status_code, response.json()) == (404, missing.json())
    for tail in ["contacts/", "case-notes/"]:
        post = client.post(
            f"/api/participants/{journeys['a'].participant.pk}/{tail}",
            BODIES[tail.rstrip("/")],
            format="json",
        )
        assert (post.status_code, post.json()) == (404, missing.json())
    assert Contact.objects.filter(case_reference="A-1").count() == 1
    assert CaseNote.objects.filter(case_reference="A-1").count() == 2


def test_each_audience_sees_its_own_representation(
    clients: dict[str, APIClient], journeys: dict[str, Journey]
) -> None:
    a = journeys["a"].participant
    own = clients["casewk_a"].get(f"/api/participants/{a.pk}/", {"purpose": "casework"}).json()
    assert own["case_reference"] == "A-1" and "person_key" not in own
    for role in ("analyst", "manager"):
        listed = clients[role].get("/api/participants/", {"purpose": "evaluation"}).json()
        assert {p["id"] for p in listed["results"]} == {
            journeys["a"].participant.pk,
            journeys["b"].participant.pk,
        }
        for record in listed["results"]:
            assert "case_reference" not in record
            # The person key only to the analysts (person-level access).
            if role == "analyst":
                assert len(record["person_key"]) == 64
            else:
                assert "person_key" not in record
        assert (
            b"A-1"
            not in clients[role]
            .get(f"/api/participants/{a.pk}/", {"purpose": "evaluation"})
            .content
        )
        # The case reference is not something the network can search by either.
        search = clients[role].get(
            "/api/participants/", {"purpose": "evaluation", "case_reference": "A-1"}
        )
        assert search.status_code == 400 and set(search.json()) == {"case_reference"}
        notes = clients[role].get(f"/api/participants/{a.pk}/case-notes/", {"purpose": "casework"})
        assert notes.status_code == 403
        contacts = clients[role].get(f"/api/participants/{a.pk}/contacts/", {"purpose": "casework"})
        assert [c["id"] for c in contacts.json()["results"]] == [
            journeys["a"].record_ids["contacts"]
        ]
        assert all("case_reference" not in c for c in contacts.json()["results"])


def test_the_person_key_is_shown_only_to_the_analysts(
    clients: dict[str, APIClient], journeys: dict[str, Journey]
) -> None:
    a = journeys["a"].participant
    key = a.person_key
    assert len(key) == 64
    for role, sees in (("analyst", True), ("manager", False), ("casewk_a", False)):
        client = clients[role]
        purpose = {"purpose": "evaluation" if role != "casewk_a" else "casework"}
        listed = client.get("/api/participants/", purpose)
        one = client.get(f"/api/participants/{a.pk}/", purpose)
        assert (listed.status_code, one.status_code) == (200, 200)
        shown = [p for p in listed.json()["results"] if p["id"] == a.pk] + [one.json()]
        assert len(shown) == 2
        assert all(("person_key" in p) is sees for p in shown), (role, shown)
        assert (key.encode() in listed.content + one.content) is sees, role


def test_without_a_known_caller_the_serializer_hides_the_person_key(
    journeys: dict[str, Journey],
) -> None:
    from vrn.interventions.api.serializers import ParticipantSerializer

    shown = ParticipantSerializer(journeys["a"].participant).data
    assert "person_key" not in shown and "case_reference" not in shown


def test_a_note_kept_to_its_author_is_read_only_by_its_author(
    journeys: dict[str, Journey], provider_a: Provider, api_as: Any
) -> None:
    from vrn.accounts.roles import Role

    from .conftest import make_user

    colleague = make_user(
        "colleague-a", Role.PROVIDER_CASEWORKER, organisation=provider_a.organisation
    )
    url = f"/api/participants/{journeys['a'].participant.pk}/case-notes/"
    author = api_as(provider_a.caseworker).get(url, {"purpose": "casework"}).json()
    assert [n["text"] for n in author["results"]] == ["Note about A-1.", "Mine about A-1."]
    other = api_as(colleague).get(url, {"purpose": "casework"}).json()
    assert [n["text"] for n in other["results"]] == ["Note about A-1."]


def test_the_filters_narrow_the_list(
    clients: dict[str, APIClient], journeys: dict[str, Journey], provider_a: Provider
) -> None:
    analyst = clients["analyst"]
    a, b = journeys["a"].participant.pk, journeys["b"].participant.pk

    def ids(**search: str) -> set[int]:
        response = analyst.get("/api/participants/", {"purpose": "data_quality", **search})
        assert response.status_code == 200, response.content
        return {p["id"] for p in response.json()["results"]}

    assert ids() == {a, b}
    assert ids(programme="UP") == {b}
    assert ids(provider="turning-point") == {a}
    assert ids(referred_from="2024-03-05") == set()
    assert ids(referred_to="2024-03-04") == {a, b}
    clients["casewk_a"].patch(
        f"/api/participants/{a}/",
        {"exit_date": "2024-04-01", "exit_reason": "disengaged"},
        format="json",
    )
    assert ids(status="exited") == {a}
    assert ids(status="open") == {b}
    page = analyst.get("/api/participants/", {"purpose": "evaluation", "limit": 1}).json()
    assert (page["count"], len(page["results"])) == (2, 1)
    assert page["next"] is not None and "offset=1" in page["next"]
    bad = analyst.get("/api/participants/", {"purpose": "evaluation", "referred_from": "soon"})
    assert bad.status_code == 400 and set(bad.json()) == {"referred_from"}
    assert analyst.get(
        "/api/participants/", {"purpose": "evaluation", "status": "lost"}
    ).json().keys() == {"status"}


def test_seeing_every_record_does_not_let_a_caseworker_change_another_providers(
    journeys: dict[str, Journey], provider_b: Provider, api_as: Any
) -> None:
    from vrn.accounts.roles import Role

    from .conftest import make_user

    both = make_user("caseworker-and-analyst", Role.PROVIDER_CASEWORKER)
    both.organisation = provider_b.organisation
    both.save()
    both.groups.add(*make_user("spare-analyst", Role.ANALYST).groups.all())
    client = api_as(both)
    theirs = journeys["a"].participant.pk
    seen = client.get(f"/api/participants/{theirs}/", {"purpose": "supervision"})
    assert seen.status_code == 200 and "case_reference" not in seen.json()
    changes = [
        ("patch", f"/api/participants/{theirs}/", BODIES["{a}"]),
        *(
            ("post", f"/api/participants/{theirs}/{tail}/", BODIES[tail])
            for tail in ("contacts", "assessments", "reviews", "outcomes", "case-notes")
        ),
    ]
    for method, url, body in changes:
        assert getattr(client, method)(url, body, format="json").status_code == 403, url
    notes = client.get(f"/api/participants/{theirs}/case-notes/", {"purpose": "supervision"})
    assert notes.json()["results"] == []
    participant = Participant.objects.get(pk=theirs)
    assert participant.start_date is None
    assert Contact.objects.filter(case_reference="A-1").count() == 1
    assert CaseNote.objects.filter(case_reference="A-1").count() == 2
