"""Results of the spatial analyses kept in this process for the current state of the data,
so that a page and its CSV compute them once (a load or a new definition starts afresh)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from vrn.dashboard import store

T = TypeVar("T")
#: Results kept at most (the oldest goes first).
SIZE = 24

_results: OrderedDict[tuple[Hashable, ...], object] = OrderedDict()
_lock = threading.Lock()


def remembered(kind: str, params: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s result for ``kind`` and ``params`` in the current state of the data."""
    key = (store.state_key(), kind, params)
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]  # type: ignore[return-value]
    result = build()
    with _lock:
        _results[key] = result
        while len(_results) > SIZE:
            _results.popitem(last=False)
    return result


def forget() -> None:
    """Drop every kept result (tests)."""
    with _lock:
        _results.clear()
