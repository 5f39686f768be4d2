"""Reading the generator's inputs from the database (the only Django-aware part besides the
management command): the network's geography as a :class:`World` and the loaded
data.police.uk incidents as a :class:`Skeleton`.
"""

from __future__ import annotations

import math

import pandas as pd
from django.conf import settings

from vrn.crime.models import StreetCrime
from vrn.definitions import Definitions
from vrn.geography.models import CENSUS_2021, IOD_2025, Area, AreaType, Deprivation, Population
from vrn.geography.queries import lsoa_boundaries, network_local_authorities
from vrn.synth.world import Skeleton, World

_METRES_PER_DEGREE = 111_320.0


def world_from_database(definitions: Definitions) -> World:
    """The network's LSOAs with local authority, IMD decile, Census 2021 population by age
    group and a representative point from the loaded boundaries."""
    authorities = dict(network_local_authorities().values_list("code", "name"))
    codes = settings.VRN_NETWORK.local_authority_codes
    lsoas = pd.DataFrame(
        Area.objects.filter(type=AreaType.LSOA, local_authority_id__in=codes)
        .order_by("code")
        .values_list("code", "local_authority_id"),
        columns=["lsoa_code", "local_authority_code"],
    )
    if lsoas.empty:
        raise ValueError(
            "no LSOAs of the network's local authorities are loaded: run `vrn load-reference`"
        )
    codes_list = list(lsoas["lsoa_code"])
    deciles = dict(
        Deprivation.objects.filter(release=IOD_2025, lsoa_id__in=codes_list).values_list(
            "lsoa_id", "imd_decile"
        )
    )
    lsoas["imd_decile"] = lsoas["lsoa_code"].map(deciles).fillna(0).astype(int)

    labels = [band.label for band in definitions.age_bands["census2021"].bands]
    population = pd.DataFrame(0.0, index=codes_list, columns=labels)
    rows = Population.objects.filter(source=CENSUS_2021, lsoa_id__in=codes_list).values_list(
        "lsoa_id", "age_from", "age_to", "residents"
    )
    for lsoa, age_from, age_to, residents in rows:
        label = f"{age_from}+" if age_to is None else f"{age_from}-{age_to}"
        if label not in population.columns:
            raise ValueError(
                f"population age group {label} is not a census2021 band ({', '.join(labels)})"
            )
        population.loc[lsoa, label] += residents

    points = []
    for code, geometry in sorted(lsoa_boundaries(codes_list).items()):
        point = geometry.representative_point()
        scale = _METRES_PER_DEGREE**2 * math.cos(math.radians(point.y))
        radius = math.sqrt(geometry.area * scale / math.pi)
        points.append((code, round(point.y, 6), round(point.x, 6), round(radius, 1)))
    located = pd.DataFrame(points, columns=["lsoa_code", "latitude", "longitude", "radius_m"])
    lsoas = lsoas.merge(located, on="lsoa_code", how="left")
    return World(
        lsoas=lsoas,
        population=population.reset_index(drop=True),
        local_authority_names=authorities,
    )


def skeleton_from_database() -> Skeleton:
    """Every loaded data.police.uk crime (anti-social behaviour left out, as it is not a
    crime), ordered by month, file load and line."""
    rows = (
        StreetCrime.objects.filter(is_anti_social_behaviour=False)
        .order_by("month", "load_id", "line_number")
        .values_list(
            "month",
            "crime_type",
            "latitude",
            "longitude",
            "lsoa21_code",
            "local_authority_code",
            "location",
        )
    )
    incidents = pd.DataFrame(
        list(rows),
        columns=[
            "month",
            "crime_type",
            "latitude",
            "longitude",
            "lsoa_code",
            "local_authority_code",
            "location",
        ],
    )
    incidents["latitude"] = pd.to_numeric(incidents["latitude"]).astype(float)
    incidents["longitude"] = pd.to_numeric(incidents["longitude"]).astype(float)
    return Skeleton(incidents)
