"""The schema and its docs page (for anyone signed in), and errors: always JSON, never a
500, a 404 that tells nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from django.test import Client
from rest_framework.test import APIClient

from vrn.accounts.models import User
from vrn.interventions import reference

from .conftest import Journey

pytestmark = pytest.mark.django_db

RECORD_READS = [
    "/api/participants/",
    "/api/participants/{participant_id}/",
    *(
        f"/api/participants/{{participant_id}}/{tail}/"
        for tail in ("contacts", "assessments", "reviews", "outcomes", "case-notes")
    ),
]


def _schema(client: APIClient) -> dict[str, Any]:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def test_the_schema_is_for_anyone_signed_in(clients: dict[str, APIClient]) -> None:
    for role, client in clients.items():
        expected = 401 if role == "anon" else 200
        assert client.get("/api/schema/").status_code == expected, role
    yaml_schema = yaml.safe_load(clients["public"].get("/api/schema/").content)
    assert yaml_schema["openapi"].startswith("3.")


def test_every_read_of_records_requires_a_purpose_from_the_definitions(
    clients: dict[str, APIClient],
) -> None:
    schema = _schema(clients["casewk_a"])
    purposes = list(reference.codes().ids("access_purpose"))
    for path in RECORD_READS:
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        purpose = parameters["purpose"]
        assert (purpose["in"], purpose["required"]) == ("query", True), path
        assert purpose["schema"]["enum"] == purposes, path
    for path in ["/api/programmes/", "/api/programmes/{programme_code}/"]:
        names = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
        assert "purpose" not in names
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    # The identifiers a referral gives are write-only: not in any response.
    participant = schema["components"]["schemas"]["Participant"]["properties"]
    assert "nhs_number" not in participant and "date_of_birth" not in participant
    referral = schema["components"]["schemas"]["ReferralRequest"]["properties"]
    assert referral["nhs_number"]["writeOnly"] is True


def test_the_docs_page_runs_swagger_ui_from_this_site(users: dict[str, User | None]) -> None:
    assert Client().get("/api/docs/").status_code == 302
    browser = Client()
    user = users["public"]
    assert user is not None
    browser.force_login(user)
    page = browser.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert re.search(r"<script[^>]*>\s*[^<\s]", html) is None  # no inline script
    assert "style=" not in html
    assert 'src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in html
    assert 'src="/static/interventions_api/docs.js"' in html
    assert 'data-schema-url="/api/schema/"' in html
    for path in [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "/static/interventions_api/docs.js",
    ]:
        response = browser.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_errors_are_json_and_a_404_tells_nothing(
    clients: dict[str, APIClient], journeys: dict[str, Journey]
) -> None:
    client = clients["casewk_a"]
    not_found = {"detail": "Not found."}
    for url in [
        "/api/participants/987654321/",
        f"/api/participants/{journeys['b'].participant.pk}/",
        f"/api/participants/{2**63}/",
        f"/api/participants/{10**40}/contacts/",
        "/api/participants/not-an-id/",
        "/api/programmes/not a code/",
        "/api/nowhere/",
        "/api/",
    ]:
        response = client.get(url, {"purpose": "casework"})
        assert (response.status_code, response.json()) == (404, not_found), url

    participants = "/api/participants/"
    broken = client.post(participants, "{not json", content_type="application/json")
    assert broken.status_code == 400 and list(broken.json()) == ["detail"]
    form = client.post(participants, "a=b", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 415 and list(form.json()) == ["detail"]
    listed = client.post(participants, [1, 2], format="json")
    assert listed.status_code == 400 and list(listed.json()) == ["non_field_errors"]
    nested = client.post(
        f"/api/participants/{journeys['a'].participant.pk}/",
        {"priority_groups": [1, {"x": 1}]},
        format="json",
    )
    assert nested.status_code == 405
    for body in [
        {"text": "\x00"},
        {"text": "\ud800"},
        {"text": "x" * 5001},
        {"visibility": "everyone", "text": "hi"},
    ]:
        response = client.post(
            f"/api/participants/{journeys['a'].participant.pk}/case-notes/", body, format="json"
        )
        assert response.status_code == 400, body
    groups = client.post(participants, {"priority_groups": ["x", 3, None]}, format="json").json()
    assert "priority_groups.2" in groups
    pid = journeys["a"].participant.pk
    for raw in [
        '{"review_date": "2024-03-12", "scale": "vrn_practitioner_journey", '
        '"scores": {"engagement": 1e400}}',
        '{"review_date": "2024-03-12", "scale": "vrn_practitioner_journey", '
        '"scores": {"engagement": NaN}}',
        '{"review_date": "10000-01-01", "scale": "x", "scores": {"\\u0000": 1}}',
        '{"review_date": "2024-03-12", "scale": "vrn_practitioner_journey", '
        '"scores": {"' + "a" * 65 + '": 1}}',
    ]:
        response = client.post(
            f"/api/participants/{pid}/reviews/", raw, content_type="application/json"
        )
        assert response.status_code == 400, raw
    contact = '{"contact_date": "2024-03-12", "kind": "outreach", "attendance": "attended", '
    for duration in ["1e400", "9" * 5000, "-1", "true"]:
        response = client.post(
            f"/api/participants/{pid}/contacts/",
            contact + f'"duration_minutes": {duration}}}',
            content_type="application/json",
        )
        assert response.status_code == 400, duration
    huge = client.get(participants, {"purpose": "casework", "offset": str(10**30)})
    assert huge.status_code == 200 and huge.json()["results"] == []
