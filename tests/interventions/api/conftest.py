"""The API's cast: every role (a visitor, administrator, analyst, programme manager, board
member, a caseworker of each provider, public), each with a client that signs in with an
API token, and a participant of each provider with a record of every kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.interventions import entry
from vrn.interventions.api import tokens
from vrn.interventions.models import Participant

from ..conftest import PASSWORD, Provider

ROLES = ("anon", "admin", "analyst", "manager", "board", "casewk_a", "casewk_b", "public")


def make_user(username: str, role: Role, **fields: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    user.groups.add(Group.objects.get(name=role.label))
    return user


def token_client(user: User | None) -> APIClient:
    """A client that calls the API as ``user`` with their token (no token: a visitor)."""
    client = APIClient()
    if user is not None:
        key = tokens.issue(user.get_username(), actor="tests")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@dataclass
class Journey:
    """A participant and one record of each kind (case notes: one for the provider, one
    for its author only)."""

    participant: Participant
    record_ids: dict[str, int]


def record_journey(provider: Provider, reference: str) -> Journey:
    who = entry.actor_for(provider.caseworker)
    participant = entry.new_participant(
        who,
        {
            "programme": provider.programme,
            "case_reference": reference,
            "referral_date": dt.date(2024, 3, 4),
            "referral_source": "school",
            "consent_status": "given",
            "lawful_basis": "consent",
            "person_id": reference,
        },
    )
    day = dt.date(2024, 3, 5)
    ids = {
        "contacts": entry.new_contact(
            who, participant, contact_date=day, kind="one_to_one", attendance="attended"
        ).pk,
        "assessments": entry.new_assessment(
            who, participant, assessed_on=day, stage="entry", answers={"impulsivity": True}
        ).pk,
        "reviews": entry.new_review(
            who,
            participant,
            review_date=day,
            scale="vrn_practitioner_journey",
            scores={"engagement": 3},
        ).pk,
        "outcomes": entry.new_outcome(
            who, participant, kind="entered_education", outcome_date=day, evidence="document_seen"
        ).pk,
        "case-notes": entry.new_case_note(
            who, participant, text=f"Note about {reference}.", visibility="provider"
        ).pk,
        "author-note": entry.new_case_note(
            who, participant, text=f"Mine about {reference}.", visibility="author"
        ).pk,
    }
    return Journey(participant, ids)


@pytest.fixture
def users(
    provider_a: Provider, provider_b: Provider, analyst: User, board_member: User
) -> dict[str, User | None]:
    """A user of each role, by the access matrix's column names (``None``: a visitor)."""
    return {
        "anon": None,
        "admin": make_user("administrator", Role.ADMINISTRATOR, is_staff=True),
        "analyst": analyst,
        "manager": make_user("manager", Role.PROGRAMME_MANAGER),
        "board": board_member,
        "casewk_a": provider_a.caseworker,
        "casewk_b": provider_b.caseworker,
        "public": make_user("member-of-public", Role.PUBLIC),
    }


@pytest.fixture
def clients(users: dict[str, User | None]) -> dict[str, APIClient]:
    return {role: token_client(user) for role, user in users.items()}


@pytest.fixture
def journeys(provider_a: Provider, provider_b: Provider) -> dict[str, Journey]:
    return {"a": record_journey(provider_a, "A-1"), "b": record_journey(provider_b, "B-1")}


@pytest.fixture
def api_as() -> Callable[[User | None], APIClient]:
    return token_client
