"""The ``seeds`` marker: recovery over many synthetic seeds, run only when chosen with
``-m seeds`` (it takes tens of minutes)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "seeds" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason="many-seed recovery run: select it with -m seeds")
    for item in items:
        if item.get_closest_marker("seeds") is not None:
            item.add_marker(skip)
