"""WGS84 <-> British National Grid against the Ordnance Survey's worked example."""

from __future__ import annotations

import numpy as np
import pytest

from vrn.analytics.spatial.projection import bng_to_wgs84, metres_between, wgs84_to_bng

# OS, "A guide to coordinate systems in Great Britain", annex C: Caister water tower, on
# the National Grid and in ETRS89 (WGS84 to well under a metre in Britain).
TOWER_GRID = (651409.903, 313177.270)
TOWER_ETRS89 = (1 + 42 / 60 + 57.8663 / 3600, 52 + 39 / 60 + 28.8282 / 3600)


def test_grid_to_wgs84_is_within_a_few_metres() -> None:
    longitude, latitude = bng_to_wgs84([TOWER_GRID[0]], [TOWER_GRID[1]])
    distance = metres_between(longitude, latitude, [TOWER_ETRS89[0]], [TOWER_ETRS89[1]])
    assert distance[0] < 6


def test_wgs84_to_grid_is_within_a_few_metres() -> None:
    easting, northing = wgs84_to_bng([TOWER_ETRS89[0]], [TOWER_ETRS89[1]])
    assert np.hypot(easting[0] - TOWER_GRID[0], northing[0] - TOWER_GRID[1]) < 6


def test_round_trip_and_missing_values() -> None:
    easting, northing = wgs84_to_bng([-1.1335, np.nan], [52.6366, 52.0])
    assert np.isnan(easting[1]) and np.isnan(northing[1])
    longitude, latitude = bng_to_wgs84(easting, northing)
    assert longitude[0] == pytest.approx(-1.1335, abs=1e-7)
    assert latitude[0] == pytest.approx(52.6366, abs=1e-7)
    assert np.isnan(longitude[1])


def test_metres_between() -> None:
    # One minute of latitude is about 1,853 m.
    assert metres_between([0.0], [52.0], [0.0], [52 + 1 / 60])[0] == pytest.approx(1853, abs=2)
