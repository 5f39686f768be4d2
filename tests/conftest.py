"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(autouse=True)
def _fresh_caches(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test starts with empty caches of its own: a cache outlives the test database,
    and two tests can load data whose fingerprint (load ids, checksums, times) is the same."""
    from django.core.cache import cache

    from vrn.dashboard import boundaries, store

    settings.VRN_CACHE_DIR = tmp_path_factory.mktemp("cache")
    # Build the dashboard's data in the request: a background thread has a database
    # connection of its own, which cannot see a test's uncommitted rows.
    settings.VRN_DASHBOARD_BUILD_WAIT = None
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(settings.VRN_CACHE_DIR / "django"),
        }
    }
    store.forget()
    boundaries.forget()
    cache.clear()
    yield
    store.forget()
    boundaries.forget()
