"""The inputs of the generator as plain data: the network's geography and, for augmented
mode, the skeleton of real incidents. Built by the command layer from the database
(``vrn.synth.sources``) or by tests directly; nothing here touches Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Columns of :attr:`World.lsoas`.
LSOA_COLUMNS = (
    "lsoa_code",
    "local_authority_code",
    "imd_decile",
    "latitude",
    "longitude",
    "radius_m",
)
#: Columns of :attr:`Skeleton.incidents`.
SKELETON_COLUMNS = (
    "month",
    "crime_type",
    "latitude",
    "longitude",
    "lsoa_code",
    "local_authority_code",
    "location",
)


@dataclass(frozen=True)
class World:
    """The network's 2021 LSOAs, one row each, in a fixed order.

    ``lsoas`` has the columns of :data:`LSOA_COLUMNS`: the LSOA and its local authority
    codes; the IoD2025 IMD decile (1 most deprived; 0 when unknown); a representative point
    (WGS84, NaN when the LSOA has no boundary) and the radius in metres of a circle of the
    LSOA's area (NaN when unknown). ``population`` has one column per Census 2021 age group
    (``0-15``, ``16-24``, ``25-34``, ``35-49``, ``50-64``, ``65+``: the ``census2021``
    scheme of ``age-bands.toml``) and one row per LSOA, in the same order.
    """

    lsoas: pd.DataFrame
    population: pd.DataFrame
    local_authority_names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = [column for column in LSOA_COLUMNS if column not in self.lsoas.columns]
        if missing:
            raise ValueError(f"World.lsoas lacks the column(s) {', '.join(missing)}")
        if len(self.lsoas) == 0:
            raise ValueError("the world has no LSOAs (is the reference geography loaded?)")
        if len(self.population) != len(self.lsoas):
            raise ValueError("World.population needs one row per LSOA, in the same order")
        if self.lsoas["lsoa_code"].duplicated().any():
            raise ValueError("World.lsoas lists an LSOA twice")
        values = self.population.to_numpy(dtype=float)
        if (values < 0).any() or not np.isfinite(values).all():
            raise ValueError("World.population must be finite and not negative")
        if values.sum() <= 0:
            raise ValueError("the world has no population (is Census 2021 loaded?)")
        lsoas = self.lsoas.reset_index(drop=True)
        object.__setattr__(self, "lsoas", lsoas)
        object.__setattr__(self, "population", self.population.reset_index(drop=True))

    @property
    def local_authorities(self) -> tuple[str, ...]:
        """The local authority codes of the network, sorted."""
        return tuple(sorted(set(self.lsoas["local_authority_code"])))

    @property
    def has_points(self) -> bool:
        return bool(self.lsoas["latitude"].notna().any())


@dataclass(frozen=True)
class Skeleton:
    """Real incidents to dress with synthetic detail (augmented mode), in output order.

    ``incidents`` has the columns of :data:`SKELETON_COLUMNS`: ``month`` the first day of
    the month (``datetime64``), the data.police.uk crime type, the published coordinates
    (NaN when "No location"), the harmonised 2021 LSOA and its local authority (empty text
    when unknown) and the published location text ("On or near ...").
    """

    incidents: pd.DataFrame

    def __post_init__(self) -> None:
        missing = [column for column in SKELETON_COLUMNS if column not in self.incidents]
        if missing:
            raise ValueError(f"Skeleton.incidents lacks the column(s) {', '.join(missing)}")
        if len(self.incidents) == 0:
            raise ValueError(
                "there are no police.uk incidents to build on (load some with "
                "`vrn ingest police-uk`, or use --mode pure)"
            )
        incidents = self.incidents.reset_index(drop=True).copy()
        incidents["month"] = pd.to_datetime(incidents["month"]).dt.to_period("M").dt.to_timestamp()
        for column in ("lsoa_code", "local_authority_code", "location", "crime_type"):
            incidents[column] = incidents[column].fillna("").astype(str)
        object.__setattr__(self, "incidents", incidents)

    def __len__(self) -> int:
        return len(self.incidents)
