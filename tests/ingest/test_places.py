"""Coordinates and places: the National Grid conversion and point location."""

from __future__ import annotations

import numpy as np
import pytest

from vrn.ingest.places import Places, _grid_to_osgb36, bng_to_wgs84, metres_between

from ..partners import reference

__all__ = ["reference"]


def test_grid_to_osgb36_matches_the_ordnance_survey_worked_example() -> None:
    # OS, "A guide to coordinate systems in Great Britain", annex C: Caister water tower.
    latitude, longitude = _grid_to_osgb36(np.array([651409.903]), np.array([313177.270]))
    assert np.degrees(latitude[0]) == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-7)
    assert np.degrees(longitude[0]) == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-7)


def test_grid_to_wgs84_is_within_a_few_metres() -> None:
    # The same tower in ETRS89 (WGS84 to well under a metre in Britain).
    longitude, latitude = bng_to_wgs84(np.array([651409.903]), np.array([313177.270]))
    etrs_longitude = 1 + 42 / 60 + 57.8663 / 3600
    etrs_latitude = 52 + 39 / 60 + 28.8282 / 3600
    distance = metres_between(
        longitude, latitude, np.array([etrs_longitude]), np.array([etrs_latitude])
    )
    assert distance[0] < 6


def test_metres_between() -> None:
    # One minute of latitude is about 1,853 m.
    assert metres_between(
        np.array([0.0]), np.array([52.0]), np.array([0.0]), np.array([52 + 1 / 60])
    )[0] == pytest.approx(1853, abs=2)


@pytest.mark.django_db
def test_points_are_located_in_lsoas_then_local_authorities(reference: None) -> None:
    lsoa, authority = Places().locate(
        np.array([-1.151298, -1.210707, -2.5]), np.array([52.625221, 52.577307, 53.0])
    )
    assert lsoa.tolist() == ["E01013776", "", ""]
    assert authority.tolist() == ["E06000016", "E07000129", ""]
