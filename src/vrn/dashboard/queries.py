"""Database queries behind the dashboard: the only dashboard module that uses the ORM.

Every query aggregates in the database and returns plain values: at most a few thousand
rows (months x local authorities x crime types), however many crimes are loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Q, Sum

from vrn.crime.models import StreetCrime
from vrn.geography.models import CENSUS_2021, Area, AreaType, Population
from vrn.ingest.models import FileLoad

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
class CrimeCount:
    """Records located in the network area in one month, local authority and crime type."""

    month: date
    local_authority_code: str
    crime_type: str
    is_anti_social_behaviour: bool
    records: int


@dataclass(frozen=True)
class RecordAccount:
    """Where every loaded street-level record went: ``total`` is the sum of the rest."""

    total: int
    in_network: int
    no_location: int
    outside_network: int


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


def network_counts() -> list[CrimeCount]:
    """Records in the network area by month, local authority and crime type."""
    rows = (
        StreetCrime.objects.filter(in_network_area=True)
        .values_list("month", "local_authority_code", "crime_type", "is_anti_social_behaviour")
        .annotate(records=Count("pk"))
        .order_by()
    )
    return [CrimeCount(*row) for row in rows]


def record_account() -> RecordAccount:
    """Counts of all loaded records: in the network area, with no location, elsewhere."""
    outside = Q(in_network_area=False)
    counts = StreetCrime.objects.aggregate(
        total=Count("pk"),
        in_network=Count("pk", filter=Q(in_network_area=True)),
        no_location=Count("pk", filter=outside & Q(has_location=False)),
        outside_network=Count("pk", filter=outside & Q(has_location=True)),
    )
    return RecordAccount(**counts)


def months_loaded() -> list[date]:
    """Every month with at least one loaded record, in order."""
    return list(StreetCrime.objects.order_by("month").values_list("month", flat=True).distinct())


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


def reporting_forces() -> list[str]:
    """The police forces whose records are loaded (``StreetCrime.reported_by``)."""
    return list(
        StreetCrime.objects.order_by("reported_by").values_list("reported_by", flat=True).distinct()
    )


def last_loaded() -> datetime | None:
    """When the latest current street-level file was loaded, or None if none was."""
    latest: datetime | None = FileLoad.objects.filter(
        dataset=STREET_CRIME_DATASET, status=FileLoad.Status.CURRENT
    ).aggregate(latest=Max("loaded_at"))["latest"]
    return latest
