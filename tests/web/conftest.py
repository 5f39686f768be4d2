"""Users for the site shell tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group

from vrn.accounts.models import User
from vrn.accounts.roles import Role

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
