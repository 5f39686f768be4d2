"""What the findings are computed from: the loaded data of one area and period, as frames.

The data layer (``vrn.profile.queries``) builds a :class:`ProfileInputs`; every finding
function takes one. A frame is ``None`` when that kind of data is not loaded for the
period, and a finding that needs it raises :class:`~vrn.analytics.findings.NotComputed`.

Frames (one row per ...):

``crimes``
    crime of the force extract (``vrn.profile.queries.crime_events``): ``crime_id``,
    ``crime_group``, ``offence``, ``weapon``, ``domestic``, ``public_place``, ``injury``,
    ``month`` (``YYYY-MM``), ``weekday`` (1 = Monday), ``hour``, ``lsoa``, ``ward``,
    ``local_authority``, ``csp``, ``imd_decile``;
``victims`` / ``perpetrators``
    person on that side of a crime (``person_events``): the crime's columns and
    ``victim_age``, ``victim_age_band``, ``victim_sex``, ``victim_residence`` (or
    ``suspect_...``), ``person_key``, ``role``;
``street_crimes``
    data.police.uk street-level crime (no anti-social behaviour): ``crime_type``,
    ``month``, ``lsoa``, ``ward``, ``local_authority``, ``csp``, ``imd_decile``;
``admissions``
    violence-related hospital admission episode (see ``vrn.profile.queries``);
``attendances``
    emergency-department assault attendance (every one loaded: the findings choose the
    area's residents);
``indicators``
    Fingertips-format indicator value;
``population``
    residents of one LSOA in one Census 2021 age group: ``lsoa``, ``ward``,
    ``local_authority``, ``csp``, ``imd_decile``, ``age_from``, ``age_to`` (inclusive,
    None for "and over"), ``residents``.

``places`` (a :class:`PlaceInputs`) holds the area's outline on the British National Grid
and the points of violent crime and ED assaults, for the hotspot findings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
import shapely

from vrn.analytics.findings.base import NotComputed
from vrn.analytics.measures import Period
from vrn.analytics.population import ASSUMED_MALE_SHARE
from vrn.analytics.spatial.grid import Grid, build_grid
from vrn.analytics.stats import DEFAULT_POLICY, DisclosurePolicy
from vrn.definitions import Definitions

#: The oldest age a resident is counted at when an open age group ("65 and over") is
#: spread over single years of age.
OLDEST_AGE = 90


@dataclass(frozen=True)
class Scope:
    """The area a profile is of: the network, a CSP or a local authority, by its local
    authorities, with the names to print."""

    code: str
    name: str
    kind: str  # "network", "csp" or "local_authority"
    local_authorities: Mapping[str, str]  # code -> name
    #: Groups of local authorities reported together, such as a two-tier county: name ->
    #: codes (only those in the area).
    counties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ward_names: Mapping[str, str] = field(default_factory=dict)
    csp_names: Mapping[str, str] = field(default_factory=dict)

    def name_of(self, code: object) -> str:
        """A readable name for an area code of any level."""
        text = str(code)
        for names in (self.local_authorities, self.csp_names, self.ward_names):
            if text in names:
                return names[text]
        return text


#: The cells of the hotspot findings: squares of this side (metres).
CELL_SIZE = 250.0


@dataclass(frozen=True, eq=False)
class PlaceInputs:
    """Where things happened, on the British National Grid (EPSG:27700, metres).

    ``area`` is the union of the area's LSOA boundaries. ``violence`` is one row per
    police-recorded violent crime with a location, wherever it is (the grid keeps those
    inside the area): ``x``, ``y``, ``month`` (``YYYY-MM``) and ``date`` (the day it was
    committed; with ``violence_dated_by == "month"``, data.police.uk's, the month's first
    day). ``assaults`` is one row per ED assault attendance: ``x``, ``y`` (missing where
    not geocoded), ``month``, ``date`` (incident date, else arrival), ``dated_by``,
    ``hour``, ``geocode_confidence``, ``means_of_assault``, ``incident_local_authority``;
    None when none is loaded."""

    area: shapely.Polygon | shapely.MultiPolygon
    violence: pd.DataFrame
    violence_dated_by: str  # "day" or "month"
    #: What ``violence`` is, in words (its source and definition).
    violence_label: str
    assaults: pd.DataFrame | None = None
    #: Definitions the violence points were chosen with (the offence codes' id).
    definitions: tuple[str, ...] = ()

    @cached_property
    def grid(self) -> Grid:
        """Squares of :data:`CELL_SIZE` over the area, clipped to it."""
        return build_grid(self.area, shape="square", size=CELL_SIZE)

    @cached_property
    def violence_cells(self) -> pd.Series:
        """The grid cell of each violent crime (-1 outside the area)."""
        cells = self.grid.locate(self.violence["x"].to_numpy(), self.violence["y"].to_numpy())
        return pd.Series(cells, index=self.violence.index)


@dataclass(frozen=True, eq=False)
class ProfileInputs:
    """The loaded data of one area and period; see the module docstring."""

    definitions: Definitions
    period: Period
    scope: Scope
    population: pd.DataFrame
    crimes: pd.DataFrame | None = None
    victims: pd.DataFrame | None = None
    perpetrators: pd.DataFrame | None = None
    street_crimes: pd.DataFrame | None = None
    admissions: pd.DataFrame | None = None
    attendances: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    #: The area's outline and points, for the hotspot findings (None: no points loaded).
    places: PlaceInputs | None = None
    #: The person keys of every victim of the force extract in the period, whatever the
    #: area (an ED patient of the area may be a victim of a crime elsewhere).
    police_victim_keys: frozenset[str] | None = None
    #: Whether any row read was synthetic.
    synthetic: bool = False
    #: The disclosure policy every count in a published sentence goes through.
    policy: DisclosurePolicy = DEFAULT_POLICY
    #: Findings computed once and shared between finding functions (e.g. the measures).
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def years(self) -> float:
        """The period's length in years (months / 12), for rates a year."""
        return self.period.months / 12

    def need(self, name: str, what: str) -> pd.DataFrame:
        """The frame ``name``, or :class:`NotComputed` saying that ``what`` is not loaded."""
        frame = getattr(self, name)
        if frame is None or len(frame) == 0:
            raise NotComputed(f"needs {what}, and none is loaded for {self.period}")
        return frame

    @cached_property
    def population_by_age(self) -> pd.DataFrame:
        """Residents of the area by single year of age (``age``, ``residents``): each
        Census group spread evenly over its years (an open group to :data:`OLDEST_AGE`)."""
        groups = self.population.groupby(["age_from", "age_to"], dropna=False)["residents"].sum()
        rows = []
        for (age_from, age_to), residents in groups.items():
            last = OLDEST_AGE if pd.isna(age_to) else int(age_to)
            years = range(int(age_from), last + 1)
            rows += [(age, residents / len(years), int(age_from)) for age in years]
        return pd.DataFrame(rows, columns=["age", "residents", "group_from"])

    def residents(self, low: int = 0, high: int | None = None, sex: str | None = None) -> float:
        """Residents aged ``low`` to ``high`` (inclusive; None: and over), of one ``sex``
        ("male"/"female") with :data:`ASSUMED_MALE_SHARE`, or of both."""
        table = self.population_by_age
        ages = table["age"] >= low
        if high is not None:
            ages &= table["age"] <= high
        chosen = table[ages]
        if sex is None:
            return float(chosen["residents"].sum())
        male = chosen["group_from"].map(ASSUMED_MALE_SHARE).fillna(0.5)
        share = male if sex == "male" else 1 - male
        return float((chosen["residents"] * share).sum())

    def count(self, value: float) -> str:
        """A count as a published sentence may show it: through :attr:`policy` (under the
        HES rule 1-7 as ``*``, others rounded to 5), with thousands separators."""
        shown = str(self.policy.apply(pd.DataFrame({"n": [int(value)]}), "n")["n"].iloc[0])
        return f"{int(shown):,}" if shown.isdigit() else shown

    def months_in(self) -> list[str]:
        return self.period.labels

    def days(self) -> pd.DatetimeIndex:
        """Every day of the period."""
        last = pd.Timestamp(self.period.last) + pd.offsets.MonthEnd(0)
        return pd.date_range(pd.Timestamp(self.period.first), last, freq="D")


def slug(name: str) -> str:
    """An area name as part of a finding id: ``"North West Leicestershire"`` ->
    ``"north_west_leicestershire"``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def month_start(label: str) -> dt.date:
    return dt.date(int(label[:4]), int(label[5:7]), 1)
