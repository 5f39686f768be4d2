"""WGS84 longitude/latitude <-> British National Grid (EPSG:27700) easting/northing.

PROJ (through pyproj) does the work. Without the OSTN15 grid file, which this project
does not download, PROJ uses the published seven-parameter Helmert transformation, good to
a few metres: far finer than a map cell or the anonymised points of data.police.uk.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from pyproj import Transformer

Floats = np.ndarray[Any, np.dtype[np.float64]]

WGS84 = "EPSG:4326"
BRITISH_NATIONAL_GRID = "EPSG:27700"


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def wgs84_to_bng(longitude: ArrayLike, latitude: ArrayLike) -> tuple[Floats, Floats]:
    """WGS84 degrees -> National Grid (easting, northing) in metres; NaN stays NaN."""
    x, y = _transformer(WGS84, BRITISH_NATIONAL_GRID).transform(
        np.asarray(longitude, dtype=float), np.asarray(latitude, dtype=float)
    )
    return _finite(x), _finite(y)


def bng_to_wgs84(easting: ArrayLike, northing: ArrayLike) -> tuple[Floats, Floats]:
    """National Grid metres -> WGS84 (longitude, latitude) in degrees; NaN stays NaN."""
    x, y = _transformer(BRITISH_NATIONAL_GRID, WGS84).transform(
        np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
    )
    return _finite(x), _finite(y)


def _finite(values: Any) -> Floats:
    array = np.atleast_1d(np.asarray(values, dtype=np.float64))
    array[~np.isfinite(array)] = np.nan
    return array


def metres_between(
    longitude1: ArrayLike, latitude1: ArrayLike, longitude2: ArrayLike, latitude2: ArrayLike
) -> Floats:
    """Great-circle distance in metres (haversine on a 6,371 km sphere)."""
    ends = (longitude1, latitude1, longitude2, latitude2)
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in ends)
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return np.asarray(2 * 6_371_000.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1))), dtype=np.float64)
