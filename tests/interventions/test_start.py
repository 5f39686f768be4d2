"""Signing in leads each role to its own first page (``web:start``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vrn.accounts.models import User

from .conftest import Provider

pytestmark = pytest.mark.django_db


def test_each_role_starts_where_it_works(
    provider_a: Provider,
    analyst: User,
    board_member: User,
    client_for: Callable[[User], Client],
) -> None:
    start = reverse("web:start")
    assert client_for(analyst).get(start).url == reverse("dashboard:overview")
    assert client_for(board_member).get(start).url == reverse("dashboard:overview")
    assert client_for(provider_a.caseworker).get(start).url == reverse("interventions:home")
    assert Client().get(start).url == reverse("web:home")


def test_the_menu_leads_to_interventions_for_those_who_see_them(
    provider_a: Provider, board_member: User, client_for: Callable[[User], Client]
) -> None:
    home = reverse("web:home")
    caseworker_page = client_for(provider_a.caseworker).get(home).content.decode()
    assert f'href="{reverse("interventions:home")}"' in caseworker_page
    board_page = client_for(board_member).get(home).content.decode()
    assert f'href="{reverse("reports:network")}"' in board_page
    assert "Interventions" not in Client().get(home).content.decode()
