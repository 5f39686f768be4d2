"""Fixtures shared by the whole suite."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session", autouse=True)
def _test_caches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The test run's caches: in memory, and a folder of its own for the dashboard's built
    data; and the dashboard builds in the request (a background thread has a database
    connection of its own, which cannot see a test's uncommitted rows). Passwords are
    hashed quickly (hundreds of tests make users; production's hasher is the default)."""
    from django.test.utils import override_settings

    override = override_settings(
        VRN_CACHE_DIR=tmp_path_factory.mktemp("cache"),
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        VRN_DASHBOARD_BUILD_WAIT=None,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _fresh_caches(_test_caches: None) -> Iterator[None]:
    """Each test starts with empty caches: a cache outlives the test database, and two
    tests can load data whose fingerprint (load ids, checksums, times) is the same."""
    from django.conf import settings
    from django.core.cache import cache

    from vrn.dashboard import boundaries, store
    from vrn.hotspots import grids, memo, queries

    def empty() -> None:
        store.forget()
        boundaries.forget()
        queries.forget()
        grids.forget()
        memo.forget()
        cache.clear()
        shutil.rmtree(Path(settings.VRN_CACHE_DIR) / "dashboard", ignore_errors=True)

    empty()
    yield
    empty()
