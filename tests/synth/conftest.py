"""A small made-up LLR-like world (no database needed) and helpers for the synth tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

# The police.uk fixtures and their reference geography, for the augmented-mode DB test.
from tests.crime.conftest import context, police_reference, street_files  # noqa: F401
from vrn.definitions import Definitions, load_definitions
from vrn.synth import World

LEICESTER = "E06000016"
RUTLAND = "E06000017"
COUNTY = ("E07000129", "E07000130", "E07000131", "E07000132", "E07000133", "E07000134")
COUNTY += ("E07000135",)

#: (latitude, longitude) of each made-up local authority's centre.
CENTRES = {
    LEICESTER: (52.636, -1.133),
    RUTLAND: (52.667, -0.727),
    "E07000129": (52.575, -1.200),
    "E07000130": (52.772, -1.206),
    "E07000131": (52.478, -0.921),
    "E07000132": (52.541, -1.372),
    "E07000133": (52.766, -0.886),
    "E07000134": (52.722, -1.370),
    "E07000135": (52.588, -1.095),
}
#: P(IMD decile 1..10) for LSOAs of the city and of everywhere else.
CITY_DECILES = (0.25, 0.3, 0.15, 0.1, 0.07, 0.05, 0.04, 0.02, 0.02, 0.0)
OTHER_DECILES = (0.01, 0.02, 0.05, 0.07, 0.1, 0.12, 0.15, 0.17, 0.16, 0.15)
AGE_SHARES = (0.19, 0.12, 0.14, 0.19, 0.19, 0.17)
CITY_AGE_SHARES = (0.21, 0.17, 0.17, 0.19, 0.15, 0.11)


def make_world(lsoas_per_county_district: int = 15, city_lsoas: int = 60) -> World:
    """A deterministic made-up world shaped like LLR: the real local authority codes, a
    deprived city, an affluent county, LSOAs of about 1,750 residents."""
    rng = np.random.default_rng(20240101)
    rows = []
    population = []
    counts = {LEICESTER: city_lsoas, RUTLAND: 6}
    counts.update(dict.fromkeys(COUNTY, lsoas_per_county_district))
    for la, count in counts.items():
        city = la == LEICESTER
        lat0, lon0 = CENTRES[la]
        spread = 0.03 if city else 0.06
        for i in range(count):
            deciles = CITY_DECILES if city else OTHER_DECILES
            rows.append(
                {
                    "lsoa_code": f"E0{'1' if city else '2'}{la[-4:]}{i:04d}",
                    "local_authority_code": la,
                    "imd_decile": int(rng.choice(np.arange(1, 11), p=deciles)),
                    "latitude": round(lat0 + rng.normal(0, spread), 6),
                    "longitude": round(lon0 + rng.normal(0, spread), 6),
                    "radius_m": 400.0 if city else 1500.0,
                }
            )
            residents = rng.integers(1400, 2200)
            shares = CITY_AGE_SHARES if city else AGE_SHARES
            population.append([round(residents * share) for share in shares])
    return World(
        lsoas=pd.DataFrame(rows),
        population=pd.DataFrame(
            population, columns=["0-15", "16-24", "25-34", "35-49", "50-64", "65+"]
        ),
        local_authority_names={la: f"Authority {la}" for la in counts},
    )


@pytest.fixture(scope="session")
def definitions() -> Definitions:
    return load_definitions()


@pytest.fixture(scope="session")
def world() -> World:
    return make_world()


def digests(directory: Path) -> dict[str, str]:
    """sha256 of every file in a folder, by name."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
    }
