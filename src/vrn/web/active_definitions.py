"""The definitions in force for the web pages: the shipped files, or the analyst's edited
copies in ``VRN_DEFINITIONS_DIR`` (docs/definitions.md), as the commands use them.

Loading takes a few hundred milliseconds, so each process keeps the last load and loads
again only when :func:`vrn.definitions.fingerprint` of the files changes (an edit takes
effect on the next request, without a restart).
"""

from __future__ import annotations

import threading

from django.conf import settings

from vrn.definitions import Definitions, fingerprint, load_definitions

_loaded: dict[str, Definitions] = {}
_lock = threading.Lock()


def definitions_fingerprint() -> str:
    """The hash of the definition files in force."""
    return fingerprint(settings.VRN_DEFINITIONS_DIR)


def active_definitions() -> Definitions:
    """The definitions in force (loaded again only after an edit)."""
    key = definitions_fingerprint()
    with _lock:
        if key not in _loaded:
            _loaded.clear()
            _loaded[key] = load_definitions(settings.VRN_DEFINITIONS_DIR)
        return _loaded[key]
