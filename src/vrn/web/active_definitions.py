"""The definitions in force for the web pages: the shipped files, or the analyst's edited
copies in ``VRN_DEFINITIONS_DIR`` (docs/definitions.md), as the commands use them.

Loading takes a few hundred milliseconds, so each process keeps the last load and loads
again only when :func:`vrn.definitions.fingerprint` of the files changes (an edit takes
effect on the next request, without a restart).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.conf import settings

from vrn.definitions import Definitions, fingerprint, load_definitions, shipped_directory

_loaded: dict[str, Definitions] = {}
_lock = threading.Lock()


_fingerprints: dict[tuple[object, ...], str] = {}


def definitions_fingerprint() -> str:
    """The hash of the definition files in force: hashed again only when a file's size or
    modification time changes (a few ``stat`` calls a request, not a read of every file)."""
    key = _stamp(settings.VRN_DEFINITIONS_DIR)
    with _lock:
        known = _fingerprints.get(key)
    if known is None:
        known = fingerprint(settings.VRN_DEFINITIONS_DIR)
        with _lock:
            _fingerprints.clear()
            _fingerprints[key] = known
    return known


def _stamp(directory: object) -> tuple[object, ...]:
    """Name, size and modification time of every file of the shipped and edited folders."""
    stamps: list[object] = [str(directory)]
    for folder in (shipped_directory(), *([Path(str(directory))] if directory else [])):
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except FileNotFoundError:
            stamps.append(f"missing:{folder}")
            continue
        for entry in entries:
            if entry.is_file():
                info = entry.stat()
                stamps.append((str(folder), entry.name, info.st_size, info.st_mtime_ns))
    return tuple(stamps)


def active_definitions() -> Definitions:
    """The definitions in force (loaded again only after an edit)."""
    key = definitions_fingerprint()
    with _lock:
        if key not in _loaded:
            _loaded.clear()
            _loaded[key] = load_definitions(settings.VRN_DEFINITIONS_DIR)
        return _loaded[key]
