"""The demo's building blocks: one sign-in per role, police files found and loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vrn.accounts.models import User
from vrn.accounts.roles import Role, roles_of
from vrn.demo import setup

from ..crime.conftest import FEBRUARY, JANUARY, POLICE_UK

pytestmark = pytest.mark.django_db


def test_one_sign_in_per_role_with_the_right_permissions() -> None:
    setup.create_demo_accounts()
    setup.create_demo_accounts()  # running the demo again resets, never duplicates

    users = {user.username: user for user in User.objects.all()}
    assert len(users) == len(Role)
    assert {roles_of(user)[0] for user in users.values()} == set(Role)
    assert users["board"].check_password("demo-board")
    assert users["board"].has_perm("accounts.view_network_dashboard")
    assert not users["caseworker"].has_perm("accounts.view_network_dashboard")
    assert not users["public"].has_perm("accounts.view_network_dashboard")
    assert users["admin"].is_staff and not users["analyst"].is_staff


def test_loads_every_street_file_under_the_data_directory(
    police_reference: dict[str, object], tmp_path: Path
) -> None:
    force = tmp_path / "police-uk-street" / "leicestershire"
    force.mkdir(parents=True)
    for name in (FEBRUARY, JANUARY):
        shutil.copy(POLICE_UK / name, force / name)

    results = setup.load_police_data(tmp_path)

    assert [(r.file, r.status, r.rows_loaded) for r in results] == [
        (JANUARY, "loaded", 34),
        (FEBRUARY, "loaded", 10),
    ]
    assert [r.status for r in setup.load_police_data(tmp_path)] == ["unchanged", "unchanged"]
