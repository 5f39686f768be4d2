"""The report pages and CSVs: who sees which report, and how exactly."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from vrn.accounts.models import User

from .conftest import Provider
from .test_reports import _journeys

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def _rows(response: object) -> list[list[str]]:
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_each_user_gets_the_report_they_may_see(
    provider_a: Provider,
    provider_b: Provider,
    analyst: User,
    board_member: User,
    client_for: ClientFor,
) -> None:
    _journeys(provider_a, count=10, started=7, completed=3)
    network = reverse("reports:network")
    vip = reverse("reports:programme", args=["VIP"])
    up = reverse("reports:programme", args=["UP"])
    own = reverse("reports:provider", args=["turning-point"])
    expected = {
        "analyst": (analyst, {network: 200, vip: 200, up: 200, own: 200}),
        "board": (board_member, {network: 200, vip: 200, up: 200, own: 200}),
        "caseworker A": (provider_a.caseworker, {network: 403, vip: 200, up: 403, own: 200}),
        "caseworker B": (provider_b.caseworker, {network: 403, vip: 403, up: 200, own: 403}),
    }
    for name, (user, statuses) in expected.items():
        client = client_for(user)
        for url, status in statuses.items():
            assert client.get(url).status_code == status, (name, url)
            assert client.get(url + "report.csv").status_code == status, (name, url)
    assert Client().get(network).status_code == 302
    assert client_for(analyst).get(reverse("reports:programme", args=["NOPE"])).status_code == 404


def test_exact_for_the_network_team_and_the_provider_controlled_for_the_board(
    provider_a: Provider, analyst: User, board_member: User, client_for: ClientFor
) -> None:
    _journeys(provider_a, count=10, started=7, completed=3)
    url = reverse("reports:programme", args=["VIP"])
    exact = client_for(analyst).get(url).content.decode()
    assert "70.0% (" in exact
    controlled = client_for(board_member).get(url).content.decode()
    assert "70.0% (" not in controlled
    assert "counts from 1 to 7" in controlled.lower() or "*" in controlled
    rows = _rows(client_for(board_member).get(url + "report.csv"))
    journey = [row for row in rows if row[1] == "Referral to start, and completion"]
    assert journey[1][2:5] == ["VIP", "10", "*"]


def test_the_public_report_is_open_and_disclosure_controlled(
    provider_a: Provider, client_for: ClientFor
) -> None:
    _journeys(provider_a, count=10, started=7, completed=3)
    response = Client().get(reverse("public-interventions:report"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Every VRN-funded intervention" in page
    assert "70.0% (" not in page
    assert Client().get(reverse("public-interventions:report-csv")).status_code == 200
