"""Fixtures for the hostile-input tests: the reference geography loaded once per module,
the partner fixtures (a pseudonym key, the load date), and the ``fuzz`` marker's long runs
skipped unless chosen with ``-m fuzz``."""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

from vrn.definitions import load_definitions

from ...partners import REFERENCE, context, pseudonym_key

__all__ = ["context", "pseudonym_key"]


@pytest.fixture(scope="module")
def module_reference(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The reference fixture (tests/fixtures/reference), loaded once for a module's tests
    (each test runs in its own transaction on top) and removed after them."""
    with django_db_blocker.unblock():
        empty = {model for model in apps.get_models() if not model._default_manager.exists()}
        call_command("load_reference", str(REFERENCE), stdout=io.StringIO(), stderr=io.StringIO())
        filled = [model for model in empty if model._default_manager.exists()]
        try:
            yield
        finally:
            with transaction.atomic(), connection.cursor() as cursor:
                for model in filled:
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"DELETE FROM {table}")


@pytest.fixture(scope="module")
def shipped_definitions_cached() -> Iterator[None]:
    """The shipped definitions read once per module rather than once per file (a fresh
    dataset reads them for each ``vrn ingest`` run): only to keep hundreds of loads fast."""
    cached = functools.lru_cache(maxsize=4)(load_definitions)
    with pytest.MonkeyPatch.context() as patch:
        for module in ("vrn.police.extract", "vrn.health.admissions"):
            patch.setattr(f"{module}.load_definitions", cached, raising=False)
        yield


@pytest.fixture
def reference(module_reference: None, shipped_definitions_cached: None, db: None) -> None:
    """The reference geography, in a test with database access."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long fuzzing runs only when the marker expression names them (``-m fuzz``)."""
    if "fuzz" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason="long fuzzing run: select it with -m fuzz")
    for item in items:
        if item.get_closest_marker("fuzz") is not None:
            item.add_marker(skip)
