"""Emergency-department assault attendances, ISTV / ISB 1594 (``vrn ingest istv``;
docs/formats/istv.md). A file is the authority for the treatment site-months (of
``arrival``) of its rows."""

from __future__ import annotations

import numpy as np

from vrn.health.models import (
    EdAttendance,
    GeocodeConfidence,
    IncidentLocationType,
    MeansOfAssault,
    Sex,
)
from vrn.ingest.bulk import ColumnRows
from vrn.ingest.columns import Problems
from vrn.ingest.partner_csv import (
    Column,
    Layout,
    check_code,
    check_length,
    check_pattern,
    check_record_identifiers,
    check_required,
    choices,
    flag_outside_period,
    iso_dates,
    months,
    optional_booleans,
    optional_integers,
    optional_numbers,
    parse_coordinates,
    parse_dates,
    parse_datetimes,
    parse_times,
    parse_whole_numbers,
    partitions,
    read_partner_table,
    synthetic_flags,
    times,
    utc_datetimes,
)
from vrn.ingest.pipeline import Dataset, LoadContext, ParsedFile
from vrn.ingest.places import Places
from vrn.ingest.pseudonymise import PERSON_COLUMNS, check_age_from_birth, pseudonymise, secret_for
from vrn.ingest.reading import RawFile

#: ODS codes: a trust (3 characters) or a site (5), letters and digits.
ODS_CODE = r"[A-Z0-9]{3,9}"
#: Incidents longer before arrival are quarantined to be checked (docs/formats/istv.md).
MAXIMUM_DAYS_BEFORE_ARRIVAL = 28
#: Confidences good enough to place the incident in an LSOA.
PLACED_CONFIDENCES = ("exact", "street")

LAYOUT = Layout(
    kind="istv file (ED assault attendances)",
    columns=(
        Column("attendance_id", required=True),
        Column("treatment_site_code", required=True),
        Column("arrival", required=True),
        Column("incident_date"),
        Column("incident_time"),
        Column("incident_location"),
        Column("incident_easting"),
        Column("incident_northing"),
        Column("incident_latitude"),
        Column("incident_longitude"),
        Column("geocode_confidence"),
        Column("incident_location_type"),
        Column("means_of_assault", required=True),
        Column("age"),
        Column("sex"),
        Column("residence_lsoa"),
        *(Column(name) for name in PERSON_COLUMNS),
        Column("synthetic"),
    ),
)


class Istv(Dataset):
    name = "istv"
    model = EdAttendance
    fields = [
        "line_number",
        "synthetic",
        "attendance_id",
        "treatment_site_code",
        "arrival",
        "incident_date",
        "incident_time",
        "incident_location",
        "incident_easting",
        "incident_northing",
        "incident_latitude",
        "incident_longitude",
        "geocode_confidence",
        "incident_location_type",
        "means_of_assault",
        "person_key",
        "key_basis",
        "age",
        "sex",
        "residence_postcode_district",
        "residence_lsoa_published",
        "arrival_date",
        "month",
        "incident_hour",
        "incident_weekday",
        "incident_lsoa21_code",
        "incident_local_authority_code",
        "incident_in_network",
        "residence_lsoa21_code",
        "residence_lsoa_match",
        "residence_local_authority_code",
        "resident_in_network",
    ]

    def __init__(self) -> None:
        self.places = Places()

    def parse(self, raw: RawFile, context: LoadContext) -> ParsedFile:
        table = read_partner_table(raw, LAYOUT)
        secret = secret_for(raw.name, table.identifier_columns())
        self.places.require_reference(raw.name)
        problems = Problems(len(table))
        check_required(table, problems)
        check_length(table, problems, "attendance_id", 40)
        site = check_pattern(
            table, problems, "treatment_site_code", ODS_CODE, "an ODS code (e.g. RWEAA)"
        )
        arrival = parse_datetimes(table, problems, "arrival", context.today, date_only=False)
        incident_date = parse_dates(table, problems, "incident_date", context.today)
        arrival_date = arrival.dates
        with np.errstate(invalid="ignore"):
            problems.flag(incident_date > arrival_date, "incident_date", "is after arrival")
            too_early = (arrival_date - incident_date).astype("timedelta64[D]").astype(
                np.float64
            ) > MAXIMUM_DAYS_BEFORE_ARRIVAL
        too_early &= ~np.isnat(incident_date) & ~np.isnat(arrival_date)
        problems.flag(
            too_early,
            "incident_date",
            f"incident more than {MAXIMUM_DAYS_BEFORE_ARRIVAL} days before arrival",
        )
        incident_time = parse_times(table, problems, "incident_time")
        check_length(table, problems, "incident_location", 200)
        point = parse_coordinates(table, problems, prefix="incident_")
        confidence = check_code(table, problems, "geocode_confidence", choices(GeocodeConfidence))
        problems.flag(
            point.given & (confidence == ""),
            "geocode_confidence",
            "is empty; it is required when the incident has coordinates",
        )
        location_type = check_code(
            table, problems, "incident_location_type", choices(IncidentLocationType)
        )
        means = check_code(table, problems, "means_of_assault", choices(MeansOfAssault))
        age = parse_whole_numbers(table, problems, "age", 0, 120)
        sex = check_code(table, problems, "sex", choices(Sex))
        people = pseudonymise(table, problems, site, secret, required=False)
        ages = check_age_from_birth(problems, age, people.date_of_birth, arrival_date, "arrival")
        residence = self.places.check_lsoas(
            table.text("residence_lsoa"), problems, "residence_lsoa"
        )
        synthetic = synthetic_flags(table, problems)
        month = months(arrival_date)
        flag_outside_period(problems, month, context.period, "arrival")
        identifier, is_synthetic = check_record_identifiers(
            problems,
            table,
            raw.name,
            EdAttendance,
            id_field="attendance_id",
            source_field="treatment_site_code",
            sources=site,
            month_text=month,
            synthetic=synthetic,
        )

        valid = np.flatnonzero(~problems.found)
        placeable = np.isin(confidence[valid], PLACED_CONFIDENCES)
        blank = np.full(len(valid), "", dtype=object)
        incident = self.places.place(
            blank, point.longitude[valid], point.latitude[valid], use_point=placeable
        )
        nowhere = np.full(len(valid), np.nan)
        home = self.places.place(residence[valid], nowhere, nowhere)
        day = incident_date[valid]
        minutes = incident_time[valid]
        hour = np.where(
            np.isnat(minutes), np.nan, minutes.astype("timedelta64[h]").astype(np.float64)
        )
        weekday = np.where(np.isnat(day), np.nan, (day.astype(np.int64) + 3) % 7 + 1).astype(
            np.float64
        )
        stored_sex = sex[valid]
        stored_sex[stored_sex == ""] = Sex.UNKNOWN.value
        rows = ColumnRows(
            [
                table.line_numbers[valid].tolist(),
                [is_synthetic] * len(valid),
                identifier[valid].tolist(),
                site[valid].tolist(),
                utc_datetimes(arrival.local[valid]),
                iso_dates(day),
                times(minutes),
                table.text("incident_location")[valid].tolist(),
                optional_numbers(point.easting[valid]),
                optional_numbers(point.northing[valid]),
                optional_numbers(point.latitude[valid]),
                optional_numbers(point.longitude[valid]),
                confidence[valid].tolist(),
                location_type[valid].tolist(),
                means[valid].tolist(),
                [key or "" for key in people.key[valid].tolist()],
                people.basis[valid].tolist(),
                optional_integers(ages[valid]),
                stored_sex.tolist(),
                people.postcode_district[valid].tolist(),
                residence[valid].tolist(),
                iso_dates(arrival_date[valid]),
                iso_dates(arrival_date[valid].astype("datetime64[M]")),
                optional_integers(hour),
                optional_integers(weekday),
                incident.lsoa21.tolist(),
                incident.local_authority.tolist(),
                optional_booleans(incident.in_network, incident.known),
                home.lsoa21.tolist(),
                home.match.tolist(),
                home.local_authority.tolist(),
                home.in_network.tolist(),
            ]
        )
        return ParsedFile(
            rows_read=table.rows_read,
            partitions=partitions(
                is_synthetic, [], site[valid], month[valid], period=context.period
            ),
            rows=rows,
            rejections=table.rejections(problems),
            synthetic=is_synthetic,
        )
