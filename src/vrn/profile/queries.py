"""Reading the loaded data into the event frames of :mod:`vrn.analytics.crosstab`.

The only module of the problem profile that uses the ORM: one row per event, with the
dimensions of the five analysis variables as columns, named as in
``vrn.analytics.crosstab.ANALYSIS_VARIABLES``. Categorical dimensions with a fixed set of
values (weekday, hour, IMD decile) are pandas categoricals, so that a cross-tabulation
shows their empty cells too. Groupings come from the definitions passed in (the active
version), not from what was stored at load time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

import numpy as np
import pandas as pd
import shapely
from django.db.models import QuerySet

from vrn.analytics.findings.inputs import PlaceInputs
from vrn.analytics.measures import Period, month_text
from vrn.analytics.spatial.projection import wgs84_to_bng
from vrn.crime.models import StreetCrime
from vrn.definitions.loader import Definitions
from vrn.geography.models import CENSUS_2021, Area, AreaType, Deprivation, Population
from vrn.geography.queries import lsoa_boundaries
from vrn.hotspots import queries as hotspot_queries
from vrn.police.models import Crime, Person, Role, Sex

#: Rows fetched from the database at a time.
CHUNK = 20_000
WEEKDAYS = pd.CategoricalDtype(range(1, 8))  # 1 = Monday ... 7 = Sunday
HOURS = pd.CategoricalDtype(range(24))
DECILES = pd.CategoricalDtype(range(1, 11))  # 1 = most deprived 10% in England
#: The roles on each side of a crime: the victim, and the perpetrator (suspects and
#: offenders), whose dimensions are named ``victim_...`` and ``suspect_...``.
SIDES: dict[str, tuple[str, tuple[str, ...]]] = {
    "victim": ("victim", (Role.VICTIM,)),
    "perpetrator": ("suspect", (Role.SUSPECT, Role.OFFENDER)),
}
#: The age-band scheme of the age dimensions unless another is asked for.
DEFAULT_AGE_SCHEME = "sna"


def _frame(query: QuerySet[Any, Any], fields: Sequence[str]) -> pd.DataFrame:
    rows = query.order_by().values_list(*fields).iterator(chunk_size=CHUNK)
    return pd.DataFrame.from_records(list(rows), columns=list(fields))


#: Within :func:`places_read_once`, the LSOA places read for the first frame.
_PLACES: ContextVar[pd.DataFrame | None] = ContextVar("lsoa_places", default=None)


@contextmanager
def places_read_once() -> Iterator[None]:
    """Read the LSOA places once for every frame read inside (a profile reads seven)."""
    token = _PLACES.set(_read_places())
    try:
        yield
    finally:
        _PLACES.reset(token)


def lsoa_places() -> pd.DataFrame:
    """Each 2021 LSOA (``lsoa``) with its ``ward``, ``local_authority``, ``csp`` (blank
    where its authority is placed directly under a force area) and the ``imd_decile`` of
    the newest deprivation release loaded."""
    shared = _PLACES.get()
    return shared.copy() if shared is not None else _read_places()


def _read_places() -> pd.DataFrame:
    lsoas = _frame(
        Area.objects.filter(type=AreaType.LSOA),
        ("code", "parent_id", "local_authority_id", "local_authority__parent_id"),
    )
    lsoas.columns = ["lsoa", "ward", "local_authority", "authority_parent"]
    csps = set(Area.objects.filter(type=AreaType.CSP).values_list("code", flat=True))
    lsoas["csp"] = lsoas.pop("authority_parent").where(lambda parent: parent.isin(csps), other=None)
    newest = Deprivation.objects.order_by("-release").values_list("release", flat=True).first()
    deciles = _frame(Deprivation.objects.filter(release=newest), ("lsoa_id", "imd_decile"))
    decile_of = deciles.set_index("lsoa_id")["imd_decile"]
    lsoas["imd_decile"] = lsoas["lsoa"].map(decile_of).astype(DECILES)
    return lsoas


def residents(by: Sequence[str] = ("local_authority",), source: str = CENSUS_2021) -> pd.DataFrame:
    """Usual residents (all ages) of each combination of the location dimensions ``by``
    (any of ``lsoa``, ``ward``, ``local_authority``, ``csp``, ``imd_decile``), as the
    ``population`` column: the population at risk of ``vrn.analytics.crosstab.Rates``."""
    places = lsoa_places()
    unknown = [name for name in by if name not in places.columns]
    if unknown:
        raise ValueError(f"by: {unknown} are not location dimensions ({list(places.columns)})")
    counts = _frame(Population.objects.filter(source=source), ("lsoa_id", "residents"))
    per_lsoa = counts.groupby("lsoa_id")["residents"].sum().rename("population")
    places["population"] = places["lsoa"].map(per_lsoa).fillna(0).astype("int64")
    return places.groupby(list(by), observed=True, dropna=True)["population"].sum().reset_index()


def crime_events(definitions: Definitions, period: Period | None = None) -> pd.DataFrame:
    """One row per crime of the force extract (in ``period``): its nature (``crime_group``
    from the offence-code definition, ``offence``, ``weapon``, ``domestic``,
    ``public_place``, ``injury``), time (``month`` as ``YYYY-MM``, ``weekday``, ``hour``;
    missing where the crime has no time of day) and location (``lsoa``, ``ward``,
    ``local_authority``, ``csp``, ``imd_decile``), with ``crime_id`` (force code and
    reference, as people link to crimes) and ``synthetic``."""
    crimes = Crime.objects.all()
    if period is not None:
        crimes = crimes.filter(month__gte=period.first, month__lte=period.last)
    fields = [
        *("force_code", "crime_reference", "offence_code", "weapon", "domestic"),
        *("public_place", "injury", "month", "weekday", "hour", "lsoa21_code"),
        *("local_authority_code", "synthetic"),
    ]
    table = _frame(crimes, fields)
    table["crime_id"] = table.pop("force_code").astype(str) + table.pop("crime_reference")
    groups = definitions.offence_codes.to_frame().set_index("code")["group"]
    table["crime_group"] = table["offence_code"].str.strip().str.upper().map(groups)
    table = table.rename(
        columns={
            "offence_code": "offence",
            "lsoa21_code": "lsoa",
            "local_authority_code": "crime_local_authority",
        }
    )
    table["month"] = month_text(table["month"])
    table["weekday"] = pd.to_numeric(table["weekday"]).astype(WEEKDAYS)
    table["hour"] = pd.to_numeric(table["hour"]).astype(HOURS)
    for flag in ("domestic", "public_place", "synthetic"):
        table[flag] = table[flag].astype(bool)
    places = lsoa_places()
    table = table.merge(places, on="lsoa", how="left", validate="many_to_one")
    # A crime placed in an authority but no LSOA keeps its authority.
    table["local_authority"] = table["local_authority"].fillna(
        table.pop("crime_local_authority").replace("", None)
    )
    table["lsoa"] = table["lsoa"].replace("", None)
    return table


def person_events(
    definitions: Definitions,
    side: Literal["victim", "perpetrator"],
    period: Period | None = None,
    age_scheme: str = DEFAULT_AGE_SCHEME,
    crimes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per person on one ``side`` of a crime in ``period`` (victims; or suspects
    and offenders), with the crime's dimensions (:func:`crime_events`) and the person's:
    ``{prefix}_age`` (years, missing where unknown), ``{prefix}_age_band`` (bands of
    ``age_scheme`` from the age-band definition),
    ``{prefix}_sex`` and ``{prefix}_residence`` (local authority of residence, blank where
    unknown), where the prefix is ``victim`` or ``suspect``; with ``person_key`` (the
    pseudonym, for repeats), ``role`` and ``synthetic`` (the person's row). People whose
    crime is not loaded are left out.
    ``crimes``, if given, is :func:`crime_events` already read for the same period."""
    prefix, roles = SIDES[side]
    chosen = Person.objects.filter(role__in=roles)
    if period is not None:  # the crime's month, loaded with the people (indexed)
        chosen = chosen.filter(crime_month__gte=period.first, crime_month__lte=period.last)
    people = _frame(
        chosen,
        (
            "force_code",
            "crime_reference",
            "role",
            "person_key",
            "age",
            "sex",
            "residence_local_authority_code",
            "synthetic",
        ),
    )
    people["crime_id"] = people.pop("force_code").astype(str) + people.pop("crime_reference")
    people[f"{prefix}_age"] = pd.to_numeric(people.pop("age"))
    people[f"{prefix}_age_band"] = definitions.age_bands.assign(
        age_scheme, people[f"{prefix}_age"]
    ).to_numpy()
    people[f"{prefix}_sex"] = people.pop("sex").map(dict(Sex.choices))
    people[f"{prefix}_residence"] = people.pop("residence_local_authority_code").replace("", None)
    people["synthetic"] = people["synthetic"].astype(bool)
    if crimes is None:
        crimes = crime_events(definitions, period)
    crimes = crimes.drop(columns=["synthetic"])
    return people.merge(crimes, on="crime_id", how="inner", validate="many_to_one")


def street_crime_events(period: Period | None = None) -> pd.DataFrame:
    """One row per data.police.uk street-level crime (in ``period``; anti-social behaviour
    left out): ``crime_type`` (the police.uk category), ``month`` (``YYYY-MM``) and the
    location dimensions of :func:`crime_events` (none where the crime has no LSOA)."""
    crimes = StreetCrime.objects.filter(is_anti_social_behaviour=False)
    if period is not None:
        crimes = crimes.filter(month__gte=period.first, month__lte=period.last)
    fields = ("crime_type", "month", "lsoa21_code", "local_authority_code")
    table = _frame(crimes, fields)
    table = table.rename(
        columns={"lsoa21_code": "lsoa", "local_authority_code": "crime_local_authority"}
    )
    table["month"] = month_text(table["month"])
    table = table.merge(lsoa_places(), on="lsoa", how="left", validate="many_to_one")
    table["local_authority"] = table["local_authority"].fillna(
        table.pop("crime_local_authority").replace("", None)
    )
    table["lsoa"] = table["lsoa"].replace("", None)
    return table


def population_groups(
    local_authorities: Sequence[str] | None = None, source: str = CENSUS_2021
) -> pd.DataFrame:
    """Residents of each LSOA (of ``local_authorities``, or all) in each age group
    (``lsoa``, ``age_from``, ``age_to``, ``residents``) with its location dimensions: the
    ``population`` frame of ``vrn.analytics.findings.ProfileInputs``."""
    rows = Population.objects.filter(source=source)
    if local_authorities is not None:
        rows = rows.filter(lsoa__local_authority_id__in=list(local_authorities))
    counts = _frame(rows, ("lsoa_id", "age_from", "age_to", "residents")).rename(
        columns={"lsoa_id": "lsoa"}
    )
    return counts.merge(lsoa_places(), on="lsoa", how="left", validate="many_to_one")


def network_csps(local_authorities: Sequence[str]) -> list[tuple[str, str]]:
    """``(code, name)`` of every Community Safety Partnership with one of
    ``local_authorities`` (the network's), by name."""
    csps = Area.objects.filter(type=AreaType.CSP, children__code__in=list(local_authorities))
    return list(csps.distinct().order_by("name").values_list("code", "name"))


#: The police.uk crime type of the hotspot findings' violent crime.
VIOLENCE = "Violence and sexual offences"


def area_outline(local_authorities: Sequence[str]) -> shapely.Polygon | shapely.MultiPolygon | None:
    """The union of the LSOA boundaries of ``local_authorities`` on the British National
    Grid (None when none is loaded)."""
    places = lsoa_places()
    codes = places.loc[places["local_authority"].isin(list(local_authorities)), "lsoa"]
    shapes = lsoa_boundaries(codes.dropna().tolist())
    if not shapes:
        return None
    outline = shapely.union_all([shapely.transform(s, _to_grid) for s in shapes.values()])
    if not outline.is_valid:
        outline = shapely.make_valid(outline)
    if isinstance(outline, shapely.GeometryCollection):
        outline = shapely.union_all(
            [
                part
                for part in outline.geoms
                if isinstance(part, shapely.Polygon | shapely.MultiPolygon)
            ]
        )
    if not isinstance(outline, shapely.Polygon | shapely.MultiPolygon) or outline.is_empty:
        return None
    return outline


def _to_grid(points: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    x, y = wgs84_to_bng(points[:, 0], points[:, 1])
    return np.column_stack([x, y])


def violence_points(
    definitions: Definitions, period: Period, *, extract: bool, street: bool
) -> tuple[pd.DataFrame, str, str, tuple[str, ...]] | None:
    """Police-recorded violent crimes with a location in ``period`` (``x``, ``y``,
    ``month``, ``date``), how they are dated, what they are in words and the definitions
    used: the force extract's crimes whose offence code is published as police.uk
    "Violence and sexual offences" (dated by day) where ``extract`` is loaded and has
    any, else data.police.uk's "Violence and sexual offences" (by month) where ``street``
    is; None when neither has one."""
    if extract:
        table = hotspot_queries.extract_points(period)
        codes = definitions.offence_codes
        violent = codes.police_uk_crime_type(table["offence_code"]).eq(VIOLENCE)
        table = table[violent.fillna(False).to_numpy(dtype=bool)]
        table = table[table["x"].notna() & table["y"].notna()]
        if len(table):
            label = (
                f'violent crime (force extract: offence codes published as police.uk "{VIOLENCE}")'
            )
            frame = table[["x", "y", "month", "date"]].reset_index(drop=True)
            return frame, "day", label, (codes.ref.short_id,)
    if street:
        table = hotspot_queries.street_points([VIOLENCE], period)
        table = table[table["x"].notna() & table["y"].notna()]
        if len(table):
            frame = table[["x", "y", "month"]].reset_index(drop=True)
            frame["date"] = pd.to_datetime(frame["month"] + "-01").dt.date
            return frame, "month", f'data.police.uk "{VIOLENCE}"', ()
    return None


def place_inputs(
    outline: Callable[[], shapely.Polygon | shapely.MultiPolygon | None],
    definitions: Definitions,
    period: Period,
    *,
    extract: bool,
    street: bool,
    attendances: bool,
) -> PlaceInputs | None:
    """The hotspot findings' inputs: the area's ``outline`` (a callable giving the BNG
    geometry, called only when there are points) and the points of ``period`` of the
    sources loaded; None without violent crime points or an outline."""
    violence = violence_points(definitions, period, extract=extract, street=street)
    if violence is None:
        return None
    area = outline()
    if area is None:
        return None
    frame, dated_by, label, refs = violence
    assaults = None
    if attendances:
        columns = ["x", "y", "month", "date", "dated_by", "hour", "geocode_confidence"]
        columns += ["means_of_assault", "incident_local_authority"]
        points = hotspot_queries.attendance_points(period)
        assaults = points[columns].reset_index(drop=True) if len(points) else None
    return PlaceInputs(
        area=area,
        violence=frame,
        violence_dated_by=dated_by,
        violence_label=label,
        assaults=assaults,
        definitions=refs,
    )
