"""The profile pages' data: a profile built once per area, period and state of the data.

A profile takes seconds to build, so the web pages keep the last one built in the cache,
keyed by the area, the period, the definitions and the loads that are current: loading,
correcting or withdrawing any file changes the key, so a page never shows findings older
than the data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max

from vrn.analytics.measures import Period
from vrn.definitions import load_definitions
from vrn.ingest.models import FileLoad
from vrn.profile.build import build_profile
from vrn.profile.publish import Profile

#: Seconds a built profile is kept (it is rebuilt sooner when the data change).
CACHE_SECONDS = 24 * 60 * 60


def data_state() -> str:
    """A fingerprint of which loads are current (changes with every load or withdrawal)."""
    state = FileLoad.objects.values("status").annotate(n=Count("pk"), last=Max("pk"))
    return ";".join(f"{row['status']}:{row['n']}:{row['last']}" for row in state.order_by("status"))


def profile_for(area: str, period: Period | None = None) -> tuple[Profile, dict[str, Any]]:
    """The profile of ``area`` and its published dict, from the cache when the data have
    not changed since it was built."""
    definitions = load_definitions()
    key_text = "|".join(
        [area, str(period), data_state(), *(ref.sha256 for ref in definitions.refs.values())]
    )
    key = "profile:" + hashlib.sha256(key_text.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    profile = build_profile(area, period, definitions)
    result = (profile, profile.to_dict())
    cache.set(key, result, CACHE_SECONDS)
    return result
