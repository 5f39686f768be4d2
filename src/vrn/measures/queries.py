"""Reading the partner tables into the plain tables of :mod:`vrn.analytics.measures`.

The only module of the app that uses the ORM. Each function reads only the columns the
measures need, as tuples (``values_list``) straight into a DataFrame; which rows count is
left to the definitions, applied by the analytics core.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import pandas as pd
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from vrn.analytics.measures import Period
from vrn.geography.models import CENSUS_2021, Area, Population
from vrn.health.models import DIAGNOSIS_FIELDS, AdmissionEpisode
from vrn.police.models import Crime, Person, Weapon

#: Rows fetched from the database at a time.
CHUNK = 20_000


def _frame(query: QuerySet[Any, Any], fields: Sequence[str]) -> pd.DataFrame:
    rows = query.order_by().values_list(*fields).iterator(chunk_size=CHUNK)
    return pd.DataFrame.from_records(list(rows), columns=list(fields))


def _in_period(query: QuerySet[Any, Any], period: Period | None) -> QuerySet[Any, Any]:
    if period is None:
        return query
    return query.filter(month__gte=period.first, month__lte=period.last)


def crimes_and_people(
    period: Period | None, offence_codes: Collection[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Crimes of the force extract in the period and the people involved in them.

    ``offence_codes`` limits the crimes read to those codes (see
    ``vrn.analytics.measures.police_offence_codes``). ``knife_or_sharp_instrument`` is
    the ``weapon`` column read as a flag: ``knife_or_sharp`` yes, ``unknown`` not known,
    anything else no. ``crime_id`` is the force code and crime reference, which is how
    people link to crimes.
    """
    crimes = _in_period(Crime.objects.all(), period)
    if offence_codes is not None:
        crimes = crimes.filter(offence_code__in=sorted(offence_codes))
    crime_fields = ("force_code", "crime_reference", "month", "local_authority_code")
    crime_fields += ("offence_code", "public_place", "domestic", "weapon", "synthetic")
    crime_table = _frame(crimes, crime_fields)
    crime_table["crime_id"] = _crime_id(crime_table)
    weapon = crime_table.pop("weapon")
    knife = pd.Series(weapon == Weapon.KNIFE_OR_SHARP, dtype="boolean")
    crime_table["knife_or_sharp_instrument"] = knife.mask(weapon == Weapon.UNKNOWN)
    crime_table = crime_table.rename(columns={"local_authority_code": "area_code"})
    for flag in ("public_place", "domestic", "synthetic"):
        crime_table[flag] = crime_table[flag].astype(bool)

    of_crimes = crimes.filter(
        force_code=OuterRef("force_code"), crime_reference=OuterRef("crime_reference")
    )
    people = Person.objects.filter(Exists(of_crimes))
    person_fields = ("force_code", "crime_reference", "role", "age", "synthetic")
    person_table = _frame(people, person_fields)
    person_table["crime_id"] = _crime_id(person_table)
    person_table["age"] = pd.to_numeric(person_table["age"], errors="coerce")
    person_table["synthetic"] = person_table["synthetic"].astype(bool)
    return (
        crime_table.drop(columns=["force_code", "crime_reference"]),
        person_table.drop(columns=["force_code", "crime_reference"]),
    )


def _crime_id(table: pd.DataFrame) -> pd.Series:
    # Force codes are nine characters, so the joined text is unambiguous.
    return table["force_code"].astype(str) + table["crime_reference"].astype(str)


def episodes(period: Period | None) -> pd.DataFrame:
    """Admission episodes in the period (month of admission), with the local authority of
    residence as ``area_code`` and the diagnosis positions any of them uses."""
    query = _in_period(AdmissionEpisode.objects.all(), period).order_by()
    used = query.aggregate(
        **{field: Count("pk", filter=~Q(**{field: ""})) for field in DIAGNOSIS_FIELDS}
    )
    diagnoses = [field for field in DIAGNOSIS_FIELDS if used[field]] or [DIAGNOSIS_FIELDS[0]]
    fields = ("month", "residence_local_authority_code", "admission_method", "episode_order")
    fields += ("episode_status", "age", "synthetic", *diagnoses)
    table = _frame(query, fields).rename(columns={"residence_local_authority_code": "area_code"})
    table["age"] = pd.to_numeric(table["age"], errors="coerce")
    table["synthetic"] = table["synthetic"].astype(bool)
    return table


def population(local_authority_codes: Sequence[str]) -> pd.DataFrame | None:
    """Census 2021 residents of these local authorities by age band (``None`` when none
    are loaded)."""
    rows = (
        Population.objects.filter(
            source=CENSUS_2021, lsoa__local_authority_id__in=list(local_authority_codes)
        )
        .order_by()
        .values_list("lsoa__local_authority_id", "age_from", "age_to")
        .annotate(residents=Sum("residents"))
    )
    table = pd.DataFrame.from_records(
        list(rows), columns=["area_code", "age_from", "age_to", "population"]
    )
    return None if table.empty else table


def area_names(codes: Collection[str]) -> dict[str, str]:
    """Names of the areas with these codes (codes not in the reference data left out)."""
    return dict(Area.objects.filter(code__in=list(codes)).values_list("code", "name"))
