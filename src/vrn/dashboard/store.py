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
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

from vrn.analytics.dashboard_events import DashboardEvents, events_from_inputs
from vrn.analytics.findings.base import NotComputed
from vrn.ingest.queries import data_state
from vrn.profile import queries as profile_queries
from vrn.profile.build import ProfileError, default_period, read_inputs, resolve_area
from vrn.profile.publish import sources_of
from vrn.web.active_definitions import active_definitions, definitions_fingerprint

#: Bump when the pickled layout changes, so old files are not read.
FORMAT = "2"

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


@dataclass(frozen=True)
class Current:
    """The events a page is drawn from: those of ``key``; ``stale`` when they are an
    earlier state's, shown while the data loaded since are being built."""

    events: DashboardEvents
    key: str
    stale: bool = False


class Building(Exception):
    """The first build of the data is under way and there is no earlier one to show."""


def current(progress: Callable[[str], None] | None = None) -> DashboardEvents:
    """The events of the data loaded now (built here if need be, however long it takes);
    :class:`NoData` when there is no police or hospital data."""
    return current_state(progress, wait=None).events


def current_state(
    progress: Callable[[str], None] | None = None, wait: float | None = None
) -> Current:
    """The events of the data loaded now, with their key.

    With ``wait`` (seconds; the web pages pass ``VRN_DASHBOARD_BUILD_WAIT``), a build
    runs in a background thread of this process and the caller waits at most that long:
    then it gets the newest earlier build, marked stale, or :class:`Building` when there
    is none, and the build goes on, so that no request outlives the web server's timeout.
    With ``wait=None`` the build runs in the calling thread (commands, tests).
    """
    key = state_key()
    with _memo_lock:
        cached = _memo.get(key)
    if cached is not None:
        return Current(cached, key)
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.pickle"
    events = _read(path)
    if events is None:
        job = None if wait is None else _background(key)
        events = _build_once(key, progress) if job is None else job.result(wait or 0.0)
    if events is None:
        return _earlier(key)
    with _memo_lock:
        _memo.clear()
        _memo[key] = events
    return Current(events, key)


def _build_once(key: str, progress: Callable[[str], None] | None) -> DashboardEvents:
    """Build the events of ``key`` unless another process did while we waited for the
    lock; write them and remove older builds."""
    folder = cache_dir()
    path = folder / f"{key}.pickle"
    with _locked(folder / "build.lock"):
        events = _read(path)
        if events is not None:
            return events
        events = build(progress)
        _write(path, events)
        for old in folder.glob("*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        return events


class _Job:
    """A build in a background thread, and its outcome."""

    def __init__(self, key: str) -> None:
        self.done = threading.Event()
        self.events: DashboardEvents | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(key,), daemon=True)

    def _run(self, key: str) -> None:
        try:
            self.events = _build_once(key, None)
        except BaseException as error:  # handed to the waiting requests
            self.error = error
        finally:
            connections.close_all()  # this thread's database connections
            self.done.set()
            with _jobs_lock:
                _jobs.pop(key, None)

    def result(self, wait: float) -> DashboardEvents | None:
        """The events if built within ``wait`` seconds (re-raising a build's error)."""
        self.done.wait(wait)
        if self.error is not None:
            raise self.error
        return self.events


_jobs: dict[str, _Job] = {}
_jobs_lock = threading.Lock()


def _background(key: str) -> _Job:
    """This process's build of ``key``, started if none is running."""
    with _jobs_lock:
        job = _jobs.get(key)
        if job is None:
            job = _jobs[key] = _Job(key)
            job.thread.start()
        return job


def _earlier(key: str) -> Current:
    """The newest build of an earlier state, marked stale; :class:`Building` if none."""
    folder = cache_dir()
    for path in sorted(folder.glob("*.pickle"), key=_mtime, reverse=True):
        if path.stem == key:
            continue
        with _memo_lock:
            events = _memo.get(path.stem)
        if events is None and (events := _read(path)) is not None:
            with _memo_lock:
                _memo[path.stem] = events
        if events is not None:
            return Current(events, path.stem, stale=True)
    raise Building("the dashboard's data are being built for the first time")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


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
