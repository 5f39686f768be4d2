"""The points the spatial analysis reads, on the British National Grid (metres).

The only module of the hotspot analysis that uses the ORM. Every point frame has ``x`` and
``y`` (easting and northing, EPSG:27700) and ``month`` (``YYYY-MM``); points outside the
network's area are kept (the grid drops them) so that the caller can say how many fell
outside.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import shapely
from django.conf import settings
from django.db.models import QuerySet

from vrn.analytics.measures import Period, month_text
from vrn.analytics.spatial.projection import wgs84_to_bng
from vrn.crime.models import StreetCrime
from vrn.geography.models import CENSUS_2021, Area, AreaType, Population
from vrn.geography.queries import latest_reference_load, lsoa_boundaries
from vrn.health.models import EdAttendance
from vrn.police.models import Crime

#: Rows fetched from the database at a time.
CHUNK = 20_000


def _frame(query: QuerySet[Any, Any], fields: Sequence[str]) -> pd.DataFrame:
    rows = query.order_by().values_list(*fields).iterator(chunk_size=CHUNK)
    return pd.DataFrame.from_records(list(rows), columns=list(fields))


def _project(table: pd.DataFrame, longitude: str, latitude: str) -> pd.DataFrame:
    x, y = wgs84_to_bng(
        pd.to_numeric(table.pop(longitude), errors="coerce").to_numpy(dtype=float),
        pd.to_numeric(table.pop(latitude), errors="coerce").to_numpy(dtype=float),
    )
    table["x"], table["y"] = x, y
    return table


def _in_period(query: QuerySet[Any, Any], field: str, period: Period | None) -> QuerySet[Any, Any]:
    if period is None:
        return query
    return query.filter(**{f"{field}__gte": period.first, f"{field}__lte": period.last})


def street_points(
    crime_types: Sequence[str] | None = None, period: Period | None = None
) -> pd.DataFrame:
    """data.police.uk street-level crimes with a map point (anti-social behaviour left
    out): ``crime_type``, ``month``, ``x``, ``y``. Months are all the dating police.uk
    gives, and each point is an anonymous map point near the crime (docs/hotspots.md)."""
    query = StreetCrime.objects.filter(is_anti_social_behaviour=False, has_location=True)
    if crime_types:
        query = query.filter(crime_type__in=list(crime_types))
    table = _frame(
        _in_period(query, "month", period), ("crime_type", "month", "longitude", "latitude")
    )
    table["month"] = month_text(table["month"])
    return _project(table, "longitude", "latitude")


def street_crime_types() -> list[str]:
    """The data.police.uk crime types loaded (anti-social behaviour left out)."""
    query = StreetCrime.objects.filter(is_anti_social_behaviour=False)
    return sorted(query.order_by().values_list("crime_type", flat=True).distinct())


def extract_points(period: Period | None = None) -> pd.DataFrame:
    """Crimes of the force extract with a location: ``crime_id`` (force code and
    reference, as the dashboard's events name them), ``offence_code``, ``month``, ``date``
    (the day it was committed, from), ``hour`` (missing without a time), ``x``, ``y``."""
    query = Crime.objects.filter(latitude__isnull=False, longitude__isnull=False)
    fields = (
        *("force_code", "crime_reference", "offence_code", "month", "committed_from", "hour"),
        *("longitude", "latitude"),
    )
    table = _frame(_in_period(query, "month", period), fields)
    table["crime_id"] = table.pop("force_code").astype(str) + table.pop("crime_reference")
    table["month"] = month_text(table["month"])
    committed = pd.to_datetime(table.pop("committed_from"), utc=True).dt.tz_convert(
        settings.TIME_ZONE
    )
    table["date"] = committed.dt.date
    table["hour"] = pd.to_numeric(table["hour"], errors="coerce")
    return _project(table, "longitude", "latitude")


def attendance_points(period: Period | None = None) -> pd.DataFrame:
    """Emergency-department assault attendances (ISTV) with where and when the assault
    happened: ``month`` (of arrival), ``date`` (the incident date, or the arrival date
    where none was recorded; ``dated_by`` says which), ``hour`` (of the incident, missing
    where not recorded), ``weekday`` (1 = Monday), ``geocode_confidence``,
    ``means_of_assault``, ``incident_lsoa``, ``incident_local_authority``, ``x``, ``y``
    (missing where the incident was not geocoded)."""
    fields = (
        *("month", "incident_date", "arrival_date", "incident_hour", "incident_weekday"),
        *("geocode_confidence", "means_of_assault", "incident_lsoa21_code"),
        *("incident_local_authority_code", "incident_longitude", "incident_latitude"),
    )
    table = _frame(_in_period(EdAttendance.objects.all(), "month", period), fields)
    table["month"] = month_text(table["month"])
    incident = table.pop("incident_date")
    arrival = table.pop("arrival_date")
    table["dated_by"] = np.where(incident.isna(), "arrival", "incident")
    table["date"] = incident.where(incident.notna(), arrival)
    table["hour"] = pd.to_numeric(table.pop("incident_hour"), errors="coerce")
    table["weekday"] = pd.to_numeric(table.pop("incident_weekday"), errors="coerce")
    table = table.rename(
        columns={
            "incident_lsoa21_code": "incident_lsoa",
            "incident_local_authority_code": "incident_local_authority",
        }
    )
    return _project(table, "incident_longitude", "incident_latitude")


@dataclass(frozen=True)
class NetworkArea:
    """The network's area on the National Grid and its LSOAs' residents, for the grid."""

    #: The union of the network's LSOA boundaries (EPSG:27700).
    area: Any
    #: Each LSOA of the network with a boundary: ``lsoa``, ``residents``, ``geometry``
    #: (EPSG:27700), ``local_authority``.
    lsoas: pd.DataFrame


_areas: dict[tuple[int | None, tuple[str, ...]], NetworkArea] = {}
_areas_lock = threading.Lock()


def network_area() -> NetworkArea | None:
    """The network's area (None before its LSOA boundaries are loaded); built once per
    process and reference load."""
    load = latest_reference_load()
    codes = tuple(settings.VRN_NETWORK.local_authority_codes)
    key = (load.pk if load is not None else None, codes)
    with _areas_lock:
        if key not in _areas:
            built = _build_area(codes)
            if built is None:
                return None
            _areas[key] = built
        return _areas[key]


def _build_area(codes: Sequence[str]) -> NetworkArea | None:
    lsoas = _frame(
        Area.objects.filter(type=AreaType.LSOA, local_authority_id__in=list(codes)),
        ("code", "local_authority_id"),
    )
    lsoas.columns = ["lsoa", "local_authority"]
    shapes = lsoa_boundaries(lsoas["lsoa"].tolist())
    lsoas = lsoas[lsoas["lsoa"].isin(shapes)].reset_index(drop=True)
    if lsoas.empty:
        return None
    people = _frame(Population.objects.filter(source=CENSUS_2021), ("lsoa_id", "residents"))
    per_lsoa = people.groupby("lsoa_id")["residents"].sum()
    lsoas["residents"] = lsoas["lsoa"].map(per_lsoa).fillna(0).astype("int64")
    projected = [_to_grid(shapes[code]) for code in lsoas["lsoa"]]
    lsoas["geometry"] = projected
    area = shapely.union_all(projected)
    return NetworkArea(area=area, lsoas=lsoas)


def _to_grid(geometry: Any) -> Any:
    return shapely.transform(geometry, _grid_coordinates)


def _grid_coordinates(points: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    x, y = wgs84_to_bng(points[:, 0], points[:, 1])
    return np.column_stack([x, y])


def forget() -> None:
    """Drop this process's network areas (tests)."""
    with _areas_lock:
        _areas.clear()


def first_day(month: str) -> date:
    """``YYYY-MM`` -> the first day of that month."""
    return date(int(month[:4]), int(month[5:7]), 1)
