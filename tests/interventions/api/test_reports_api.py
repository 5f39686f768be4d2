"""The reports as JSON: exact for the network's team and a provider's own programmes,
published tables for the board, nothing for the rest."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from .conftest import Journey

pytestmark = pytest.mark.django_db

NETWORK = "/api/reports/"
VIP = "/api/reports/programmes/VIP/"
UP = "/api/reports/programmes/UP/"
TURNING_POINT = "/api/reports/providers/turning-point/"

EXPECTED = {
    "anon": {NETWORK: 401, VIP: 401, UP: 401, TURNING_POINT: 401},
    "admin": {NETWORK: 200, VIP: 200, UP: 200, TURNING_POINT: 200},
    "analyst": {NETWORK: 200, VIP: 200, UP: 200, TURNING_POINT: 200},
    "manager": {NETWORK: 200, VIP: 200, UP: 200, TURNING_POINT: 200},
    "board": {NETWORK: 200, VIP: 200, UP: 200, TURNING_POINT: 200},
    "casewk_a": {NETWORK: 403, VIP: 200, UP: 403, TURNING_POINT: 200},
    "casewk_b": {NETWORK: 403, VIP: 403, UP: 200, TURNING_POINT: 403},
    "public": {NETWORK: 403, VIP: 403, UP: 403, TURNING_POINT: 403},
}


def test_who_gets_which_report(clients: dict[str, APIClient], journeys: dict[str, Journey]) -> None:
    for role, statuses in EXPECTED.items():
        for url, status in statuses.items():
            assert clients[role].get(url).status_code == status, (role, url)
    assert clients["analyst"].get("/api/reports/programmes/NOPE/").status_code == 404


def test_exact_figures_for_the_team_tables_only_for_the_board(
    clients: dict[str, APIClient], journeys: dict[str, Journey]
) -> None:
    exact = clients["analyst"].get(VIP).json()
    assert exact["exact"] is True
    assert exact["figures"]["journey_total"][0]["referred"] == 1
    board = clients["board"].get(VIP).json()
    assert board["exact"] is False
    assert "figures" not in board
    journey = next(table for table in board["tables"] if table["key"] == "journey")
    assert journey["rows"][0][1] == "*"  # one referral: suppressed
