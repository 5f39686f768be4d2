"""Users for the site shell tests, and the headless Chromium of :mod:`tests.web.browser`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group

from tests.web.browser import browser
from vrn.accounts.models import User
from vrn.accounts.roles import Role

__all__ = ["browser"]  # the fixture, for every test module here

PASSWORD = "a-long-test-password-42"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """A user (in the given role's group, if any) whose password is :data:`PASSWORD`."""

    def make(
        username: str = "member", role: Role | None = Role.BOARD_MEMBER, **fields: object
    ) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, **fields)
        if role is not None:
            user.groups.add(Group.objects.get(name=role.label))
        return user

    return make
