"""Read-only questions about the reference geography that the rest of the platform asks.

The network is ``settings.VRN_NETWORK``, read at call time, so a settings change (or
``override_settings`` in a test) changes the answers without reloading anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from vrn.geography.models import (
    CENSUS_2021,
    Area,
    AreaType,
    Boundary,
    LsoaChange,
    Population,
    ReferenceLoad,
)


def network_local_authorities() -> QuerySet[Area]:
    """The network's local authorities (those of its codes present in the hierarchy)."""
    codes = settings.VRN_NETWORK.local_authority_codes
    return Area.objects.filter(type=AreaType.LOCAL_AUTHORITY, code__in=codes)


def network_csps() -> QuerySet[Area]:
    """The Community Safety Partnerships that are parents of the network's local authorities.

    A local authority placed directly under its police force area (see
    docs/reference-data.md) contributes no CSP.
    """
    return Area.objects.filter(
        type=AreaType.CSP, children__in=network_local_authorities()
    ).distinct()


def lsoas_loaded() -> bool:
    """True once the reference geography holds any LSOA."""
    return Area.objects.filter(type=AreaType.LSOA).exists()


def lsoa_lookup(codes: Iterable[str] | None = None) -> dict[str, str | None]:
    """Every 2021 LSOA code -> the code of its local authority.

    With ``codes``, only those of them that are 2021 LSOAs (cheaper than the whole of
    England and Wales when a file holds a few thousand codes).
    """
    if codes is None:
        lsoas = Area.objects.filter(type=AreaType.LSOA).order_by()
        return dict(lsoas.values_list("code", "local_authority_id"))
    result: dict[str, str | None] = {}
    # Filtered by code alone: given the type as well, SQLite scans every LSOA.
    for batch in _batches(codes, Area.objects.order_by()):
        for code, authority, kind in batch.values_list("code", "local_authority_id", "type"):
            if kind == AreaType.LSOA:
                result[code] = authority
    return result


def lsoa11_to_21(codes: Iterable[str] | None = None) -> dict[str, list[tuple[str, str]]]:
    """Every 2011 LSOA code -> its 2021 LSOAs as (code, change code U/S/M/X), by code.

    With ``codes``, only those of them that are 2011 LSOAs.
    """
    changes = LsoaChange.objects.order_by("lsoa11_code", "lsoa21_id")
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for batch in _batches(codes, changes, field="lsoa11_code"):
        for lsoa11, lsoa21, change in batch.values_list("lsoa11_code", "lsoa21_id", "change_code"):
            result[lsoa11].append((lsoa21, change))
    return dict(result)


def _batches(
    codes: Iterable[str] | None, query: QuerySet[Any, Any], field: str = "code", size: int = 900
) -> Iterator[QuerySet[Any, Any]]:
    """``query``, or ``query`` filtered to ``codes`` in batches that fit any SQLite's limit
    on query parameters."""
    if codes is None:
        yield query
        return
    wanted = sorted(set(codes))
    for start in range(0, len(wanted), size):
        yield query.filter(**{f"{field}__in": wanted[start : start + size]})


def lsoa_boundaries(codes: Iterable[str]) -> dict[str, BaseGeometry]:
    """Shapely geometries of the given areas that have a boundary (others are left out)."""
    boundaries = Boundary.objects.filter(area_id__in=list(codes))
    return {
        area: shape(geometry) for area, geometry in boundaries.values_list("area_id", "geometry")
    }


def population_by_local_authority(source: str = CENSUS_2021) -> dict[str, int]:
    """Residents per local authority code (all ages), from one population source."""
    totals = (
        Population.objects.filter(source=source)
        .values_list("lsoa__local_authority_id")
        .annotate(residents=Sum("residents"))
        .order_by()
    )
    return dict(totals)


def latest_reference_load() -> ReferenceLoad | None:
    """The newest load of the reference tables, or None before the first."""
    return ReferenceLoad.objects.order_by("-loaded_at").first()
