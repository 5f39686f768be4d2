"""Reading the loaded health data and indicators into the frames of the problem profile.

The ``admissions``, ``attendances`` and ``indicators`` frames of
``vrn.analytics.findings.ProfileInputs``; the police and population frames are in
:mod:`vrn.profile.queries`. Which admissions are violence-related, their cause group and
their condition flags come from the definitions passed in (the active version), never
from what was derived at load time, so an edited definition applies to every episode
already loaded.
"""

from __future__ import annotations

import pandas as pd
from django.db.models import Count, Q

from vrn.analytics.measures import Period, month_text
from vrn.definitions.loader import Definitions
from vrn.health.models import DIAGNOSIS_FIELDS, AdmissionEpisode, EdAttendance, Sex
from vrn.indicators.models import IndicatorValue
from vrn.profile.queries import DECILES, HOURS, WEEKDAYS, _frame, lsoa_places

#: Sex as the findings name it (``inputs.residents(sex="male")``), by the stored code.
SEXES = {Sex.MALE: "male", Sex.FEMALE: "female", Sex.OTHER: "other", Sex.UNKNOWN: "unknown"}
#: The location columns of a place of residence, from the LSOA (``lsoa_places``).
PLACE_COLUMNS = ("lsoa", "ward", "local_authority", "csp", "imd_decile")


def _places(table: pd.DataFrame, lsoa: str, authority: str) -> pd.DataFrame:
    """Add ``lsoa``, ``ward``, ``local_authority``, ``csp`` and ``imd_decile`` of the 2021
    LSOA in column ``lsoa``; a row placed in a local authority (column ``authority``) but no
    LSOA keeps its authority. Both source columns are dropped."""
    table = table.rename(columns={lsoa: "lsoa"})
    table["lsoa"] = table["lsoa"].replace("", None)
    table = table.merge(lsoa_places(), on="lsoa", how="left", validate="many_to_one")
    table["local_authority"] = table["local_authority"].fillna(
        table.pop(authority).replace("", None)
    )
    table["imd_decile"] = table["imd_decile"].astype(DECILES)
    return table


def admission_events(definitions: Definitions, period: Period | None = None) -> pd.DataFrame:
    """One row per violence-related hospital admission (month of admission in ``period``).

    The rows are the episodes the hospital definition's violence-related admission rule
    counts (``definitions.hospital.violence_related``: by default X85-Y09 in any diagnosis
    position, an emergency admission method, the first finished episode of the spell), so
    in effect one row per admission. Columns:

    - ``month`` (``YYYY-MM`` of admission), ``person_key`` (the pseudonym), ``age`` (at
      admission, years; missing where unknown), ``sex`` (``male``, ``female``,
      ``other``, ``unknown``), ``length_of_stay`` (days; missing where not
      known), ``synthetic``;
    - the place of residence: ``lsoa`` (2021), ``ward``, ``local_authority``, ``csp``,
      ``imd_decile`` (categorical 1-10, missing without an LSOA); an admission placed in a
      local authority but no LSOA keeps its authority;
    - ``cause``: the cause group id of the hospital definition (``sharp_object``,
      ``bodily_force``, ``other`` as shipped); one boolean column per condition flag of
      the definition, named by its id (``mental_health``, ``substance_misuse``,
      ``alcohol`` as shipped);
    - the episode columns of ``vrn.analytics.measures.EPISODE_COLUMNS`` other than
      ``area_code`` (``admission_method``, ``episode_order``, ``episode_status``) and the
      diagnosis positions any episode of the period uses (``diag_01``, ...), so that the
      frame can be counted again by ``compute_measures`` (with ``area_code`` =
      ``local_authority``).
    """
    query = AdmissionEpisode.objects.all()
    if period is not None:
        query = query.filter(month__gte=period.first, month__lte=period.last)
    query = query.order_by()
    used = query.aggregate(
        **{field: Count("pk", filter=~Q(**{field: ""})) for field in DIAGNOSIS_FIELDS}
    )
    diagnoses = [field for field in DIAGNOSIS_FIELDS if used[field]] or [DIAGNOSIS_FIELDS[0]]
    fields = [
        *("month", "person_key", "age", "sex", "length_of_stay", "synthetic"),
        *("residence_lsoa21_code", "residence_local_authority_code"),
        *("admission_method", "episode_order", "episode_status"),
        *diagnoses,
    ]
    episodes = _frame(query, fields)
    hospital = definitions.hospital
    table = episodes[hospital.violence_related(episodes)].reset_index(drop=True)
    table["cause"] = hospital.cause_group(table)
    flags = hospital.condition_flags(table)
    for flag in flags.columns:
        table[flag] = flags[flag].astype(bool)
    table["month"] = month_text(table["month"])
    table["age"] = pd.to_numeric(table["age"], errors="coerce")
    table["length_of_stay"] = pd.to_numeric(table["length_of_stay"], errors="coerce")
    table["sex"] = table["sex"].map({str(code): word for code, word in SEXES.items()})
    table["synthetic"] = table["synthetic"].astype(bool)
    table["person_key"] = table["person_key"].replace("", None)
    return _places(table, "residence_lsoa21_code", "residence_local_authority_code")


def attendance_events(period: Period | None = None) -> pd.DataFrame:
    """One row per emergency-department assault attendance (ISTV; month of arrival in
    ``period``). Columns:

    - ``month`` (``YYYY-MM`` of arrival), ``person_key`` (the pseudonym shared with other
      partners; missing where none was shared), ``means_of_assault`` (ISTV code, e.g.
      ``knife_sharp``, ``body_part``), ``age`` (on arrival; missing where unknown),
      ``sex`` (``male``, ``female``, ``other``, ``unknown``),
      ``synthetic``;
    - the incident: ``incident_location_type``, ``public_place`` (a public location type),
      ``weekday`` (1 = Monday; categorical 1-7) and ``hour`` (categorical 0-23) of the
      incident, missing where not recorded, ``incident_lsoa`` and
      ``incident_local_authority`` (only where geocoded to an address or street);
    - the patient's place of residence: ``lsoa``, ``ward``, ``local_authority``, ``csp``,
      ``imd_decile`` (as :func:`admission_events`).

    Note that ``local_authority`` is where the patient lives, as for admissions (the
    crimes frame's is where the crime happened); where the assault happened is
    ``incident_local_authority``.
    """
    query = EdAttendance.objects.all()
    if period is not None:
        query = query.filter(month__gte=period.first, month__lte=period.last)
    fields = [
        *("month", "person_key", "means_of_assault", "age", "sex", "synthetic"),
        *("incident_location_type", "public_place", "incident_weekday", "incident_hour"),
        *("incident_lsoa21_code", "incident_local_authority_code"),
        *("residence_lsoa21_code", "residence_local_authority_code"),
    ]
    table = _frame(query, fields)
    table["month"] = month_text(table["month"])
    table["person_key"] = table["person_key"].replace("", None)
    table["age"] = pd.to_numeric(table["age"], errors="coerce")
    table["sex"] = table["sex"].map({str(code): word for code, word in SEXES.items()})
    for flag in ("public_place", "synthetic"):
        table[flag] = table[flag].astype(bool)
    table["weekday"] = pd.to_numeric(table.pop("incident_weekday")).astype(WEEKDAYS)
    table["hour"] = pd.to_numeric(table.pop("incident_hour")).astype(HOURS)
    table["incident_location_type"] = table["incident_location_type"].replace("", None)
    table = table.rename(
        columns={
            "incident_lsoa21_code": "incident_lsoa",
            "incident_local_authority_code": "incident_local_authority",
        }
    )
    for column in ("incident_lsoa", "incident_local_authority"):
        table[column] = table[column].replace("", None)
    return _places(table, "residence_lsoa21_code", "residence_local_authority_code")


#: The columns of :func:`indicator_values`, in order.
INDICATOR_COLUMNS = (
    "indicator_id",
    "indicator_name",
    "area_code",
    "area_name",
    "area_type",
    "parent_code",
    "sex",
    "age",
    "time_period",
    "time_period_sortable",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "count",
    "denominator",
    "value_note",
    "compared_to_england",
    "compared_to_parent",
    "synthetic",
)


def indicator_values() -> pd.DataFrame:
    """Every loaded Fingertips-format indicator value for a whole area (no category
    breakdown): :data:`INDICATOR_COLUMNS`. ``value`` and the limits are missing where
    suppressed; the text columns are blank where the file left them blank;
    ``time_period_sortable`` is missing where not given."""
    query = IndicatorValue.objects.filter(category_type="", category="")
    table = _frame(query, INDICATOR_COLUMNS)
    for column in ("value", "lower_ci_95", "upper_ci_95", "count", "denominator"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype(float)
    table["time_period_sortable"] = pd.to_numeric(table["time_period_sortable"]).astype("Int64")
    table["synthetic"] = table["synthetic"].astype(bool)
    return table
