"""Signed-in clients with a declared purpose, participants of each provider, and the
other roles' users, for the intervention pages' tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.interventions import entry
from vrn.interventions.models import Participant

from ..conftest import PASSWORD, Provider, _user

__all__ = ["PASSWORD"]

NHS_NUMBER = "943 476 5919"


def referral(provider: Provider, case_reference: str, **changes: Any) -> dict[str, Any]:
    """What a caseworker records for a referral (values as ``entry`` takes them)."""
    values: dict[str, Any] = {
        "programme": provider.programme,
        "case_reference": case_reference,
        "referral_date": dt.date(2024, 3, 4),
        "referral_source": "emergency_department",
        "reachable_moment": "ae_attendance",
        "consent_status": "given",
        "lawful_basis": "consent",
        "sex": "M",
        "ethnicity": "black",
        "priority_groups": ["males_under_25"],
        "person_id": f"{provider.organisation.code}-{case_reference}",
        "residence_postcode_district": "LE1",
    }
    values.update(changes)
    return values


def refer(provider: Provider, case_reference: str, **changes: Any) -> Participant:
    """A participant held by ``provider``, recorded by its caseworker."""
    actor = entry.actor_for(provider.caseworker, address="127.0.0.1")
    return entry.new_participant(actor, referral(provider, case_reference, **changes))


def declare(client: Client, purpose: str = "casework") -> Client:
    """Declare the purpose on the purpose page, as a user does."""
    response = client.post(reverse("interventions:purpose"), {"purpose": purpose})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.fixture
def signed_in(client_for: Callable[[User], Client]) -> Callable[..., Client]:
    """A signed-in client for the user, with ``purpose`` declared (None: none declared)."""

    def make(user: User, purpose: str | None = "casework") -> Client:
        client = client_for(user)
        return declare(client, purpose) if purpose else client

    return make


@pytest.fixture
def manager(db: None) -> User:
    return _user("manager", Role.PROGRAMME_MANAGER)


@pytest.fixture
def public_user(db: None) -> User:
    return _user("public", Role.PUBLIC)
