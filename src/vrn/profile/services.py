"""The profile pages' data: a profile built once per area, period and state of the data.

A profile takes seconds to build, so the web pages keep the last one built (and its
printed PDF) in the cache, keyed by the area, the period, the definition files in force
(``VRN_DEFINITIONS_DIR`` or the shipped ones) and the loads that are current: loading,
correcting or withdrawing any file changes the key, so a page never shows findings older
than the data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache

from vrn.analytics.measures import Period
from vrn.ingest.queries import data_state
from vrn.profile.build import boundaries_for, build_profile
from vrn.profile.publish import Profile
from vrn.profile.report import render_html, render_pdf
from vrn.web.active_definitions import active_definitions, definitions_fingerprint

#: Seconds a built profile is kept (it is rebuilt sooner when the data change).
CACHE_SECONDS = 24 * 60 * 60


def _key(kind: str, area: str, period: Period | None) -> str:
    key_text = "|".join([area, str(period), data_state(), definitions_fingerprint()])
    return f"profile:{kind}:" + hashlib.sha256(key_text.encode()).hexdigest()


def profile_for(area: str, period: Period | None = None) -> tuple[Profile, dict[str, Any]]:
    """The profile of ``area`` and its published dict, from the cache when the data have
    not changed since it was built."""
    key = _key("data", area, period)
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    profile = build_profile(area, period, active_definitions())
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
