"""A programme manager changes a programme's facts; nobody else may."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.audit.models import AuditEvent
from vrn.interventions.models import Programme

from .conftest import PASSWORD, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db: None) -> User:
    user = User.objects.create_user(username="manager", password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.PROGRAMME_MANAGER.label))
    return user


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Violence Intervention Project",
        "what_it_does": "Youth workers in A&E",
        "prevention_level": "tertiary",
        "life_course_stages": ["adolescence", "young_adulthood"],
        "target_groups": ["males_under_25"],
        "strategy_actions": "Priority 5, action 3\n\nExtending to urgent care",
        "evidence_approach": "ae_navigators",
        "board_sponsor": "University Hospitals of Leicester",
        "funder": "Home Office",
        "funding": "450000",
        "period_start_day": "1",
        "period_start_month": "4",
        "period_start_year": "2022",
        "capacity": "1500",
        "linkage_agreement": "ISA 2022/07",
    }
    data.update(changes)
    return data


def test_a_programme_manager_changes_a_programme(
    provider_a: Provider, manager: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("interventions:programme-edit", args=["VIP"])
    client = client_for(manager)
    assert client.get(url).status_code == 200
    response = client.post(url, _form())
    assert response.status_code == 302
    programme = Programme.objects.get(code="VIP")
    assert programme.name == "Violence Intervention Project"
    assert programme.strategy_actions == ["Priority 5, action 3", "Extending to urgent care"]
    assert programme.linkage_agreement == "ISA 2022/07"
    assert programme.capacity == 1500 and programme.funding == 450000
    assert programme.provider == provider_a.organisation
    event = AuditEvent.objects.get(action="interventions.programme")
    assert (event.actor, event.target) == ("manager", "programme VIP")


def test_a_bad_value_names_the_field_and_saves_nothing(
    provider_a: Provider, manager: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("interventions:programme-edit", args=["VIP"])
    response = client_for(manager).post(url, _form(prevention_level="sideways", name="Changed"))
    assert response.status_code == 200
    assert "Prevention level is not one of the prevention levels" in response.content.decode()
    assert Programme.objects.get(code="VIP").name == provider_a.programme.name
    response = client_for(manager).post(url, _form(**{"period_start_month": "13"}))
    assert "There is a problem" in response.content.decode()


def test_only_a_programme_manager(
    provider_a: Provider,
    analyst: User,
    board_member: User,
    client_for: Callable[[User], Client],
    manager: User,
) -> None:
    url = reverse("interventions:programme-edit", args=["VIP"])
    for user in (analyst, board_member, provider_a.caseworker):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, _form(name="Taken")).status_code == 403
    assert Client().get(url).status_code == 302
    missing = reverse("interventions:programme-edit", args=["NOPE"])
    assert client_for(manager).get(missing).status_code == 404
    assert Programme.objects.get(code="VIP").name == provider_a.programme.name
