"""Signing in to the API: a token issued with ``vrn api-token`` (audited, never stored in
the audit trail, replaced on reissue, revocable), or the browser's session, whose writes
need the CSRF token."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from vrn.audit.models import AuditEvent
from vrn.interventions.api import tokens
from vrn.interventions.models import CaseNote

from ..conftest import Provider
from .conftest import Journey

pytestmark = pytest.mark.django_db


def _issue(username: str) -> str:
    out = io.StringIO()
    call_command("api_token", username, "--user", "operator", stdout=out)
    return out.getvalue().strip()


def _status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return int(client.get("/api/programmes/").status_code)


def test_vrn_api_token_issues_a_token_that_signs_in_and_audits_it(provider_a: Provider) -> None:
    key = _issue("caseworker-a")
    assert len(key) == 40 and Token.objects.get(user=provider_a.caseworker).key == key
    assert _status(key) == 200
    [event] = AuditEvent.objects.filter(action=tokens.ISSUED)
    assert (event.actor, event.target, event.detail) == (
        "operator",
        "user caseworker-a",
        {"replaced": False},
    )
    assert key not in json.dumps(
        list(AuditEvent.objects.values("action", "actor", "target", "detail")), default=str
    )

    again = _issue("caseworker-a")
    assert again != key
    assert (_status(key), _status(again)) == (401, 200)
    latest = AuditEvent.objects.filter(action=tokens.ISSUED).order_by("pk").last()
    assert latest is not None and latest.detail == {"replaced": True}

    out = io.StringIO()
    call_command("api_token", "caseworker-a", "--revoke", "--user", "operator", stdout=out)
    assert "Revoked" in out.getvalue()
    assert _status(again) == 401
    assert AuditEvent.objects.filter(action=tokens.REVOKED, target="user caseworker-a").count() == 1


def test_no_token_for_an_unknown_or_inactive_user(provider_a: Provider) -> None:
    with pytest.raises(CommandError, match="no user 'nobody'"):
        call_command("api_token", "nobody", stdout=io.StringIO())
    provider_a.caseworker.is_active = False
    provider_a.caseworker.save()
    with pytest.raises(CommandError, match="not active"):
        call_command("api_token", "caseworker-a", stdout=io.StringIO())
    assert not Token.objects.exists()


def test_a_wrong_or_missing_token_is_a_401_asking_for_one() -> None:
    assert _status("0" * 40) == 401
    response = APIClient().get("/api/programmes/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_session_write_needs_the_csrf_token(
    provider_a: Provider, journeys: dict[str, Journey]
) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(provider_a.caseworker)
    url = f"/api/participants/{journeys['a'].participant.pk}/case-notes/"
    note = json.dumps({"text": "By the browser.", "visibility": "provider"})

    # Reads need no token.
    assert browser.get(url, {"purpose": "casework"}).status_code == 200
    refused = browser.post(url, note, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF Failed")
    assert not CaseNote.objects.filter(text="By the browser.").exists()

    # The docs page hands the browser its token (as the cookie and on the page).
    page = browser.get("/api/docs/")
    token = page.cookies["csrftoken"].value
    allowed = browser.post(url, note, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert allowed.status_code == 201, allowed.content
    assert CaseNote.objects.filter(text="By the browser.").count() == 1


def test_a_token_write_needs_no_csrf_token(
    provider_a: Provider, journeys: dict[str, Journey]
) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue('caseworker-a', actor='t')}")
    url = f"/api/participants/{journeys['a'].participant.pk}/case-notes/"
    response = client.post(url, {"text": "By the system.", "visibility": "provider"}, format="json")
    assert response.status_code == 201


def test_tokens_are_not_in_the_admin() -> None:
    from django.contrib import admin
    from rest_framework.authtoken.models import TokenProxy

    assert not admin.site.is_registered(TokenProxy)
    assert not admin.site.is_registered(Token)
