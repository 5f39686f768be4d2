"""Database queries behind the dashboard: the only dashboard module that uses the ORM.

Every query aggregates in the database and returns plain values: at most a few thousand
rows (months x forces x local authorities x crime types), however many crimes are loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Sum

from vrn.crime.models import StreetCrime
from vrn.geography.models import CENSUS_2021, Area, AreaType, Population
from vrn.ingest.models import FileLoad
from vrn.ingest.queries import LoadedRows, loaded_rows

#: ``FileLoad.dataset`` of data.police.uk street-level files.
STREET_CRIME_DATASET = "police-uk-street"


@dataclass(frozen=True)
class NamedArea:
    code: str
    name: str


@dataclass(frozen=True)
class Partnership:
    """A Community Safety Partnership and the local authorities it covers."""

    code: str
    name: str
    local_authorities: tuple[NamedArea, ...]


@dataclass(frozen=True)
class RecordGroup:
    """Loaded street-level records that share a month, force, local authority, crime type
    and flags; ``records`` is how many there are."""

    month: date
    local_authority_code: str
    crime_type: str
    is_anti_social_behaviour: bool
    in_network_area: bool
    has_location: bool
    reported_by: str
    records: int


def local_authorities(codes: Sequence[str]) -> list[NamedArea]:
    """The local authorities with these codes, in order; unknown codes are named by code."""
    names = dict(
        Area.objects.filter(type=AreaType.LOCAL_AUTHORITY, code__in=codes).values_list(
            "code", "name"
        )
    )
    return [NamedArea(code, names.get(code, code)) for code in codes]


def partnerships(local_authority_codes: Sequence[str]) -> list[Partnership]:
    """The CSPs that are parents of these local authorities, by name, with their LAs."""
    rows = (
        Area.objects.filter(
            type=AreaType.LOCAL_AUTHORITY,
            code__in=local_authority_codes,
            parent__type=AreaType.CSP,
        )
        .order_by("parent__name", "name")
        .values_list("parent__code", "parent__name", "code", "name")
    )
    grouped: dict[tuple[str, str], list[NamedArea]] = {}
    for csp_code, csp_name, code, name in rows:
        grouped.setdefault((csp_code, csp_name), []).append(NamedArea(code, name))
    return [Partnership(code, name, tuple(areas)) for (code, name), areas in grouped.items()]


def record_groups() -> list[RecordGroup]:
    """Every loaded street-level record, counted in groups by one aggregate query.

    One scan of the table gives everything the dashboard shows about crimes: the months
    and forces loaded, counts by area and type, and the records that can't be placed.
    """
    rows = (
        # Grouped in the order of the (month, local authority, crime type) index: faster.
        StreetCrime.objects.values_list(
            "month",
            "local_authority_code",
            "crime_type",
            "is_anti_social_behaviour",
            "in_network_area",
            "has_location",
            "reported_by",
        )
        .annotate(records=Count("pk"))
        .order_by()
    )
    return [RecordGroup(*row) for row in rows]


def residents(local_authority_codes: Sequence[str]) -> dict[str, int]:
    """Census 2021 usual residents (all ages) of each local authority that has any."""
    rows = (
        Population.objects.filter(
            source=CENSUS_2021, lsoa__local_authority__in=local_authority_codes
        )
        .values_list("lsoa__local_authority")
        .annotate(residents=Sum("residents"))
        .order_by()
    )
    return dict(rows)


def last_loaded() -> datetime | None:
    """When the latest current street-level file was loaded, or None if none was."""
    latest: datetime | None = FileLoad.objects.filter(
        dataset=STREET_CRIME_DATASET, status=FileLoad.Status.CURRENT
    ).aggregate(latest=Max("loaded_at"))["latest"]
    return latest


def partner_rows() -> list[LoadedRows]:
    """Rows of each partner dataset loaded (the tables file loads fill with a ``synthetic``
    flag: person-level police, health, indicators), real and synthetic apart."""
    return loaded_rows()
