"""Two providers, each with a programme and a caseworker, and the network's analyst: the
cast of every intervention-monitoring test. Identifiers are pseudonymised with the test
key (``tests/partners.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings

from vrn.accounts.models import Organisation, User
from vrn.accounts.roles import Role
from vrn.interventions.models import Programme

from ..partners import KEY, reference

__all__ = ["reference"]

PASSWORD = "a-long-test-password-1234"


@dataclass
class Provider:
    organisation: Organisation
    programme: Programme
    caseworker: User


def _user(username: str, role: Role, organisation: Organisation | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, organisation=organisation)
    user.groups.add(Group.objects.get(name=role.label))
    return user


def _provider(code: str, name: str, programme_code: str, caseworker: str) -> Provider:
    organisation = Organisation.objects.create(
        name=name, code=code, kind=Organisation.Kind.PROVIDER
    )
    programme = Programme.objects.create(
        code=programme_code,
        name=f"{name} programme",
        provider=organisation,
        prevention_level="tertiary",
        period_start=dt.date(2023, 4, 1),
        period_end=dt.date(2026, 3, 31),
        funding=100_000,
        capacity=200,
    )
    user = _user(caseworker, Role.PROVIDER_CASEWORKER, organisation)
    return Provider(organisation, programme, user)


@pytest.fixture(autouse=True)
def _pseudonym_key() -> Iterator[None]:
    with override_settings(VRN_PSEUDONYM_KEY=KEY):
        yield


@pytest.fixture
def provider_a(db: None) -> Provider:
    return _provider("turning-point", "Turning Point", "VIP", "caseworker-a")


@pytest.fixture
def provider_b(db: None) -> Provider:
    return _provider("leics-cares", "Leicestershire Cares", "UP", "caseworker-b")


@pytest.fixture
def analyst(db: None) -> User:
    return _user("analyst", Role.ANALYST)


@pytest.fixture
def board_member(db: None) -> User:
    return _user("board", Role.BOARD_MEMBER)


@pytest.fixture
def client_for() -> object:
    """A signed-in test client for a user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
