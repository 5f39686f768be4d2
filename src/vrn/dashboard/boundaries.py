"""Boundaries for the dashboard's maps, by LSOA, ward or local authority.

Only LSOA boundaries are loaded (the reference data), so a ward or a local authority is
drawn as the union of its LSOAs: LSOAs nest exactly in 2024 wards and authorities
(``docs/reference-data.md``), and the map's areas then meet without gaps or overlaps.
Geometries are simplified to about 20 m, which the eye cannot see at a force's scale and
which keeps the page small. Built once per process and reference load.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry import mapping

from vrn.analytics.dashboard_events import DashboardEvents
from vrn.geography.queries import latest_reference_load, lsoa_boundaries

#: Simplification tolerance in degrees of longitude/latitude (about 20 m).
TOLERANCE = 0.0002

_cache: dict[tuple[str, int | None], dict[str, Any]] = {}
_lock = threading.Lock()


def map_boundaries(events: DashboardEvents, level: str) -> Mapping[str, Any]:
    """GeoJSON geometry (WGS84) of every area of ``level`` in the network, by code."""
    load = latest_reference_load()
    key = (level, load.pk if load is not None else None)
    with _lock:
        if key not in _cache:
            _cache[key] = _build(events, level)
        return _cache[key]


def _build(events: DashboardEvents, level: str) -> dict[str, Any]:
    places = events.population[["lsoa"]].assign(area=events.population[level])
    places = places.dropna().drop_duplicates()
    shapes = lsoa_boundaries(places["lsoa"].astype(str))
    groups: dict[str, list[Any]] = {}
    for lsoa, area in places.itertuples(index=False):
        geometry = shapes.get(str(lsoa))
        if geometry is not None:
            groups.setdefault(str(area), []).append(geometry)
    result = {}
    for code, parts in groups.items():
        merged = parts[0] if len(parts) == 1 else shapely.union_all(parts)
        simple = merged.simplify(TOLERANCE, preserve_topology=True)
        result[code] = mapping(simple)
    return result


def forget() -> None:
    """Drop this process's boundaries (tests)."""
    with _lock:
        _cache.clear()
