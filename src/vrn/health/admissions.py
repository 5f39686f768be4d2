"""Admitted patient care episodes, HES APC style (``vrn ingest admissions``;
docs/formats/admissions.md). A file is the authority for the provider-months (of
``admission_date``) of its rows."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from django.conf import settings

from vrn.definitions import load_definitions, normalise_icd
from vrn.health.models import DIAGNOSIS_FIELDS, AdmissionEpisode
from vrn.ingest.bulk import ColumnRows
from vrn.ingest.columns import Distinct, Positions, Problems
from vrn.ingest.partner_csv import (
    Array,
    Column,
    Layout,
    PartnerTable,
    check_code,
    check_length,
    check_pattern,
    check_record_identifiers,
    check_required,
    flag_outside_period,
    iso_dates,
    months,
    optional_integers,
    parse_dates,
    parse_whole_numbers,
    partitions,
    read_partner_table,
    synthetic_flags,
)
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.places import Places
from vrn.ingest.pseudonymise import (
    PERSON_COLUMNS,
    check_age_from_birth,
    pseudonymise,
    require_person_columns,
    secret_for,
)
from vrn.ingest.reading import RawFile

ODS_CODE = r"[A-Z0-9]{3,9}"
#: HES ADMIMETH codes (docs/formats/admissions.md).
ADMISSION_METHODS = (
    *("11", "12", "13"),
    *("21", "22", "23", "24", "25", "2A", "2B", "2C", "2D", "28"),
    *("31", "32"),
    *("81", "82", "83"),
)
#: HES EPISTAT: 1 unfinished, 3 finished, 9 unknown.
EPISODE_STATUSES = ("1", "3", "9")
#: HES SEX codes, and the letters of the other formats, to the stored letter.
SEX_CODES = {"1": "M", "2": "F", "9": "X", "0": "U", "M": "M", "F": "F", "X": "X", "U": "U"}
#: A well-formed ICD-10 code once normalised: a letter, two digits, optionally a 4th character.
ICD_CODE = re.compile(r"[A-Z][0-9]{2}[0-9A-Z]?")

LAYOUT = Layout(
    kind="admissions file (HES APC style episodes)",
    columns=(
        Column("episode_id", required=True),
        Column("provider_code", required=True),
        *(Column(name) for name in PERSON_COLUMNS),
        Column("admission_date", required=True),
        Column("admission_method", required=True),
        Column("episode_order", required=True),
        Column("episode_status", required=True),
        Column("episode_start"),
        Column("episode_end"),
        Column("discharge_date"),
        Column("length_of_stay"),
        *(Column(name, required=name == "diag_01") for name in DIAGNOSIS_FIELDS),
        Column("age"),
        Column("sex"),
        Column("residence_lsoa"),
        Column("synthetic"),
    ),
)


def _under_one(age: int) -> int | None:
    """HES STARTAGE 7001-7007 (under one year) is stored as 0."""
    return 0 if 7001 <= age <= 7007 else None


class Admissions(Dataset):
    name = "admissions"
    model = AdmissionEpisode
    fields = [
        "line_number",
        "synthetic",
        "episode_id",
        "provider_code",
        "person_key",
        "key_basis",
        "admission_date",
        "admission_method",
        "episode_order",
        "episode_status",
        "episode_start",
        "episode_end",
        "discharge_date",
        "length_of_stay",
        *DIAGNOSIS_FIELDS,
        "age",
        "sex",
        "residence_postcode_district",
        "residence_lsoa_published",
        "month",
        "first_emergency_episode",
        "diagnosis_count",
        "residence_lsoa21_code",
        "residence_lsoa_match",
        "residence_local_authority_code",
        "resident_in_network",
    ]

    def __init__(self) -> None:
        self.places = Places()
        self._emergency: tuple[str, ...] | None = None

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        table = read_partner_table(raw, LAYOUT)
        require_person_columns(table)
        secret = secret_for(raw.name, table.identifier_columns())
        self.places.require_reference(raw.name)
        problems = Problems(len(table))
        check_required(table, problems)
        check_length(table, problems, "episode_id", 40)
        provider = check_pattern(
            table, problems, "provider_code", ODS_CODE, "an ODS code (e.g. RWE)"
        )
        people = pseudonymise(table, problems, provider, secret, required=True)
        admitted = parse_dates(table, problems, "admission_date", context.today)
        method = check_code(table, problems, "admission_method", ADMISSION_METHODS)
        order = parse_whole_numbers(table, problems, "episode_order", 1, 99)
        status = check_code(table, problems, "episode_status", EPISODE_STATUSES)
        start = parse_dates(table, problems, "episode_start", context.today)
        end = parse_dates(table, problems, "episode_end", context.today)
        discharged = parse_dates(table, problems, "discharge_date", context.today)
        _check_order(problems, admitted, start, end, discharged)
        stay = parse_whole_numbers(table, problems, "length_of_stay", 0, 99_999)
        diagnoses = _diagnoses(table, problems)
        age = parse_whole_numbers(table, problems, "age", 0, 120, also=_under_one)
        sex = check_code(table, problems, "sex", tuple(SEX_CODES))
        ages = check_age_from_birth(problems, age, people.date_of_birth, admitted, "admission")
        residence = self.places.check_lsoas(
            table.text("residence_lsoa"), problems, "residence_lsoa"
        )
        synthetic = synthetic_flags(table, problems)
        month = months(admitted)
        flag_outside_period(problems, month, context.period, "admission_date")
        identifier, is_synthetic = check_record_identifiers(
            problems,
            table,
            raw.name,
            AdmissionEpisode,
            id_field="episode_id",
            source_field="provider_code",
            sources=provider,
            month_text=month,
            synthetic=synthetic,
        )

        valid = np.flatnonzero(~problems.found)
        nowhere = np.full(len(valid), np.nan)
        home = self.places.place(residence[valid], nowhere, nowhere)
        derived_stay = (discharged - admitted).astype("timedelta64[D]").astype(np.float64)
        derived_stay[np.isnat(discharged) | np.isnat(admitted)] = np.nan
        stay = np.where(np.isnan(stay), derived_stay, stay)
        emergency = np.isin(method[valid], self._emergency_methods()) & (order[valid] == 1)
        used = np.sum([diagnosis[valid] != "" for diagnosis in diagnoses], axis=0)
        stored_sex = np.array([SEX_CODES.get(code, "U") for code in sex[valid]], dtype=object)
        rows = ColumnRows(
            [
                table.line_numbers[valid].tolist(),
                [is_synthetic] * len(valid),
                identifier[valid].tolist(),
                provider[valid].tolist(),
                people.key[valid].tolist(),
                people.basis[valid].tolist(),
                iso_dates(admitted[valid]),
                method[valid].tolist(),
                optional_integers(order[valid]),
                status[valid].tolist(),
                iso_dates(start[valid]),
                iso_dates(end[valid]),
                iso_dates(discharged[valid]),
                optional_integers(stay[valid]),
                *(diagnosis[valid].tolist() for diagnosis in diagnoses),
                optional_integers(ages[valid]),
                stored_sex.tolist(),
                people.postcode_district[valid].tolist(),
                residence[valid].tolist(),
                iso_dates(admitted[valid].astype("datetime64[M]")),
                emergency.tolist(),
                np.asarray(used, dtype=np.int64).tolist(),
                home.lsoa21.tolist(),
                home.match.tolist(),
                home.local_authority.tolist(),
                home.in_network.tolist(),
            ]
        )
        return ParsedFile(
            rows_read=table.rows_read,
            partitions=partitions(
                is_synthetic, [], provider[valid], month[valid], period=context.period
            ),
            rows=rows,
            rejections=table.rejections(problems),
            synthetic=is_synthetic,
        )

    def _emergency_methods(self) -> tuple[str, ...]:
        """Emergency admission methods, from the hospital definition."""
        if self._emergency is None:
            hospital = load_definitions(settings.VRN_DEFINITIONS_DIR).hospital
            self._emergency = tuple(hospital.episodes.emergency_admission_methods)
        return self._emergency


def _check_order(problems: Problems, admitted: Any, start: Any, end: Any, discharged: Any) -> None:
    """Episode and spell dates in order: admission <= episode start <= episode end <=
    discharge, and discharge not before admission."""
    for later, earlier, field, reason in (
        (start, admitted, "episode_start", "is before admission_date"),
        (end, start, "episode_end", "is before episode_start"),
        (discharged, admitted, "discharge_date", "is before admission_date"),
        (discharged, end, "discharge_date", "is before episode_end"),
    ):
        with np.errstate(invalid="ignore"):
            wrong = (later < earlier) & ~np.isnat(later) & ~np.isnat(earlier)
        problems.flag(wrong, field, reason)


def _diagnoses(table: PartnerTable, problems: Problems) -> list[np.ndarray[Any, Any]]:
    """Each diagnosis column normalised (dots, spaces, trailing dashes, asterisks and
    daggers removed, upper case); a code that is not then a letter, two digits and an
    optional fourth character is a problem."""
    result = []
    for name in DIAGNOSIS_FIELDS:
        column = table.distinct(name)
        normal = column.apply(normalise_icd)
        bad = np.array(
            [code != "" and ICD_CODE.fullmatch(code) is None for code in normal], dtype=bool
        )
        texts = column.uniques

        def not_icd10(
            rows: Positions, column: Distinct = column, texts: Array = texts
        ) -> list[str]:
            return [
                f"'{texts[code]}' is not an ICD-10 code (a letter, two digits and an optional "
                "fourth character)"
                for code in column.codes[rows]
            ]

        problems.flag(column.spread(bad), name, not_icd10)
        normal[bad] = ""
        result.append(column.spread(normal))
    return result
