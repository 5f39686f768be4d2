"""A small world for the hotspot commands and pages: the fixture geography, the synthetic
partner data of ``tests/profile`` and twelve months of data.police.uk street crime with a
planted cluster of violence."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely

from tests.partners import write_csv
from tests.profile.test_command import world
from vrn.analytics.spatial.projection import bng_to_wgs84
from vrn.crime.police_uk import HEADER, PoliceUkStreet
from vrn.hotspots import queries
from vrn.ingest.pipeline import LoadContext, load_files

__all__ = ["world"]

MONTHS = [f"2023-{m:02d}" for m in range(1, 13)]
VIOLENCE = "Violence and sexual offences"
#: Where the planted cluster is (metres, inside the fixture's Leicester LSOAs): filled in
#: by :func:`street` and read by the tests.
PLANTED: dict[str, float] = {}


def street_rows(month: str, rng: np.random.Generator) -> list[dict[str, str]]:
    """About 80 crimes of the month inside the network's fixture LSOAs, 30 of them violent
    crimes scattered 150 m about one point (the planted cluster)."""
    area = queries.network_area()
    assert area is not None
    lsoas = area.lsoas
    largest = lsoas.loc[lsoas["geometry"].map(lambda g: g.area).idxmax()]
    centre = largest["geometry"].representative_point()
    PLANTED.update(x=centre.x, y=centre.y)
    points = [
        (centre.x + rng.normal(0, 150), centre.y + rng.normal(0, 150), VIOLENCE, largest["lsoa"])
        for _ in range(30)
    ]
    kinds = [VIOLENCE, VIOLENCE, "Robbery", "Burglary", "Burglary"]
    for code, geometry in zip(lsoas["lsoa"], lsoas["geometry"], strict=True):
        minx, miny, maxx, maxy = geometry.bounds
        placed = 0
        while placed < 8:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if shapely.contains_xy(geometry, x, y):
                points.append((x, y, kinds[int(rng.integers(len(kinds)))], code))
                placed += 1
    longitude, latitude = bng_to_wgs84([p[0] for p in points], [p[1] for p in points])
    rows = []
    for i, (point, lon, lat) in enumerate(zip(points, longitude, latitude, strict=True)):
        rows.append(
            {
                "Crime ID": hashlib.sha256(f"{month}-{i}".encode()).hexdigest(),
                "Month": month,
                "Reported by": "Leicestershire Police",
                "Falls within": "Leicestershire Police",
                "Longitude": f"{lon:.6f}",
                "Latitude": f"{lat:.6f}",
                "Location": "On or near Test Street",
                "LSOA code": point[3],
                "LSOA name": f"LSOA {point[3]}",
                "Crime type": point[2],
                "Last outcome category": "Under investigation",
            }
        )
    return rows


def load_street_months(folder: Path, months: list[str], seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(exist_ok=True)
    paths = [
        write_csv(folder / f"{month}-leicestershire-street.csv", HEADER, street_rows(month, rng))
        for month in months
    ]
    results = load_files(
        PoliceUkStreet(), paths, LoadContext(loaded_by="tester", today=date(2026, 12, 7))
    )
    assert {result.status for result in results} == {"loaded"}, [r.message for r in results]


@pytest.fixture
def street(world: Path, tmp_path: Path) -> Path:
    """The synthetic world and twelve months of street crime, loaded."""
    load_street_months(tmp_path / "street", MONTHS)
    return world
