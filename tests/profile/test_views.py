"""The profile pages: the same findings as `vrn profile`, for the network and each CSP,
access checked on the server, downloads, and a page rebuilt when the data change."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from vrn.accounts.roles import Role
from vrn.ingest import withdrawal
from vrn.ingest.models import FileLoad
from vrn.profile.build import build_profile

from ..dashboard.conftest import sign_in
from .test_command import world

__all__ = ["sign_in", "world"]

pytestmark = pytest.mark.django_db

NETWORK = reverse("profile:network")
LEICESTER_CSP = "E22000168"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def test_the_page_shows_every_finding_of_the_profile(
    world: Path, sign_in: Callable[..., Client]
) -> None:
    response = sign_in(Role.ANALYST).get(NETWORK)
    assert response.status_code == 200
    html = response.content.decode()
    profile = build_profile("network")
    assert profile.findings
    for finding in profile.findings.values():
        assert f'id="finding-{finding.id.replace("_", "-")}"' in html, finding.id
    assert "Synthetic data" in html
    assert reverse("profile:network-pdf") in html


def test_a_csp_page_and_its_downloads(world: Path, sign_in: Callable[..., Client]) -> None:
    client = sign_in(Role.BOARD_MEMBER)
    page = client.get(reverse("profile:csp", args=[LEICESTER_CSP]))
    assert page.status_code == 200
    assert "Leicester" in page.content.decode()
    data = json.loads(client.get(reverse("profile:csp-json", args=[LEICESTER_CSP])).content)
    assert data["area"] == {"code": LEICESTER_CSP, "name": "Leicester", "kind": "csp"}
    pdf = client.get(reverse("profile:csp-pdf", args=[LEICESTER_CSP]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_an_area_outside_the_network_is_not_found(
    world: Path, sign_in: Callable[..., Client]
) -> None:
    client = sign_in(Role.ANALYST)
    assert client.get(reverse("profile:csp", args=["E22000999"])).status_code == 404
    assert client.get(reverse("profile:csp", args=["E06000016"])).status_code == 404  # not a CSP


@pytest.mark.parametrize("role", [Role.PROVIDER_CASEWORKER, Role.PUBLIC])
def test_roles_without_the_dashboards_are_refused(
    world: Path, sign_in: Callable[..., Client], role: Role
) -> None:
    client = sign_in(role)
    for url in (NETWORK, reverse("profile:network-json"), reverse("profile:network-pdf")):
        assert client.get(url).status_code == 403


def test_the_page_follows_the_data(world: Path, sign_in: Callable[..., Client]) -> None:
    client = sign_in(Role.ANALYST)
    before = json.loads(client.get(reverse("profile:network-json")).content)
    assert "ed_assaults_unknown_to_police_share" in before["findings"]
    istv = FileLoad.objects.get(file_name="istv.csv", status=FileLoad.Status.CURRENT)
    withdrawal.withdraw([istv.pk], actor="tester")
    after = json.loads(client.get(reverse("profile:network-json")).content)
    assert "ed_assaults_unknown_to_police_share" not in after["findings"]
    assert "ed_assaults_unknown_to_police_share" in after["not_computed"]
    assert date.fromisoformat(after["generated"][:10])
