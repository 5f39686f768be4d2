"""The profile pages' data: a profile built once per area, period and state of the data.

A profile takes seconds to build, so the web pages keep the last one built (and its
printed PDF) in the cache, keyed by the area, the period, the definitions and the loads
that are current: loading, correcting or withdrawing any file changes the key, so a page
never shows findings older than the data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max

from vrn.analytics.measures import Period
from vrn.definitions import load_definitions
from vrn.ingest.models import FileLoad
from vrn.profile.build import boundaries_for, build_profile
from vrn.profile.publish import Profile
from vrn.profile.report import render_html, render_pdf

#: Seconds a built profile is kept (it is rebuilt sooner when the data change).
CACHE_SECONDS = 24 * 60 * 60


def data_state() -> str:
    """A fingerprint of which loads are current (changes with every load or withdrawal)."""
    state = FileLoad.objects.values("status").annotate(n=Count("pk"), last=Max("pk"))
    return ";".join(f"{row['status']}:{row['n']}:{row['last']}" for row in state.order_by("status"))


def _key(kind: str, area: str, period: Period | None) -> str:
    definitions = load_definitions()
    key_text = "|".join(
        [area, str(period), data_state(), *(ref.sha256 for ref in definitions.refs.values())]
    )
    return f"profile:{kind}:" + hashlib.sha256(key_text.encode()).hexdigest()


def profile_for(area: str, period: Period | None = None) -> tuple[Profile, dict[str, Any]]:
    """The profile of ``area`` and its published dict, from the cache when the data have
    not changed since it was built."""
    definitions = load_definitions()
    key = _key("data", area, period)
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    profile = build_profile(area, period, definitions)
    result = (profile, profile.to_dict())
    cache.set(key, result, CACHE_SECONDS)
    return result


def pdf_for(area: str, period: Period | None = None) -> bytes:
    """The printed report of ``area`` (:func:`profile_for`'s profile), cached the same way."""
    key = _key("pdf", area, period)
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return cached
    profile, data = profile_for(area, period)
    printed = render_html(data, boundaries_for(profile.scope), data_tables=False)
    pdf = render_pdf(printed)
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf
