"""The dashboard's events for the current state of the data, built once and shared.

Building :class:`~vrn.analytics.dashboard_events.DashboardEvents` reads every loaded
crime, person and admission (seconds at force scale), so it is done once per state of the
data (:func:`vrn.ingest.queries.data_state` and the definitions' hashes) and kept:

- in a file under ``VRN_CACHE_DIR/dashboard/`` that every web worker reads (written
  whole then renamed into place, so a reader never sees half a file); while one process
  builds it, the others wait on a lock instead of building it too;
- in each process's memory, until the state changes.

A load, correction or withdrawal changes the state, so the next request builds the new
events and no page shows figures older than the data; older files are removed.
``vrn dashboard warm`` builds them ahead of the first visitor.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from vrn.analytics.dashboard_events import DashboardEvents, events_from_inputs
from vrn.analytics.findings.base import NotComputed
from vrn.ingest.queries import data_state
from vrn.profile import queries as profile_queries
from vrn.profile.build import ProfileError, default_period, read_inputs, resolve_area
from vrn.profile.publish import sources_of
from vrn.web.active_definitions import active_definitions, definitions_fingerprint

#: Bump when the pickled layout changes, so old files are not read.
FORMAT = "1"

_memo: dict[str, DashboardEvents] = {}
_memo_lock = threading.Lock()


class NoData(Exception):
    """Nothing the dashboard counts is loaded (no police data)."""


def state_key() -> str:
    """The key of the current data and definitions (a few milliseconds)."""
    text = "|".join([FORMAT, data_state(), definitions_fingerprint()])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cache_dir() -> Path:
    return Path(settings.VRN_CACHE_DIR) / "dashboard"


def current(progress: Callable[[str], None] | None = None) -> DashboardEvents:
    """The events of the data loaded now; :class:`NoData` when there is no police data."""
    return current_with_key(progress)[0]


def current_with_key(
    progress: Callable[[str], None] | None = None,
) -> tuple[DashboardEvents, str]:
    """The events of the data loaded now and their :func:`state_key` (for the caches of
    what is drawn from them)."""
    key = state_key()
    with _memo_lock:
        cached = _memo.get(key)
        if cached is not None:
            return cached, key
        events = _read_or_build(key, progress)
        _memo.clear()
        _memo[key] = events
        return events, key


def _read_or_build(key: str, progress: Callable[[str], None] | None) -> DashboardEvents:
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.pickle"
    events = _read(path)
    if events is not None:
        return events
    with _locked(folder / "build.lock"):
        events = _read(path)  # another process may have built it while we waited
        if events is not None:
            return events
        events = build(progress)
        _write(path, events)
        for old in folder.glob("*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        return events


def build(progress: Callable[[str], None] | None = None) -> DashboardEvents:
    """Read the network's inputs and derive the events (no cache)."""
    definitions = active_definitions()
    try:
        period = default_period()
    except ProfileError as error:
        raise NoData(str(error)) from None
    scope = resolve_area("network")
    with profile_queries.places_read_once():
        inputs = read_inputs(scope, period, definitions, progress)
        places = profile_queries.lsoa_places()
    members: dict[str, list[str]] = {}
    for la, csp in places[["local_authority", "csp"]].drop_duplicates().itertuples(index=False):
        if la in scope.local_authorities and isinstance(csp, str):
            members.setdefault(csp, []).append(str(la))
    # The network's CSPs (each of one or more of its authorities): the areas every page
    # offers besides the network.
    areas = dict(sorted(members.items()))
    if progress is not None:
        progress("measures of each area")
    try:
        return events_from_inputs(inputs, areas, sources_of(inputs))
    except NotComputed as reason:
        raise NoData(str(reason)) from None


def _read(path: Path) -> DashboardEvents | None:
    try:
        with path.open("rb") as handle:
            events = pickle.load(handle)
    except FileNotFoundError:
        return None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        path.unlink(missing_ok=True)  # unreadable (e.g. an older layout): build again
        return None
    return events if isinstance(events, DashboardEvents) else None


def _write(path: Path, events: DashboardEvents) -> None:
    handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(events, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def forget() -> None:
    """Drop this process's copy (tests)."""
    with _memo_lock:
        _memo.clear()
