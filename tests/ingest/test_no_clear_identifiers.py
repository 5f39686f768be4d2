"""No identifier or clear personal data is stored anywhere, the quarantine included
(docs/formats/README.md, "Pseudonymisation at ingest").

Unique, greppable identifiers are planted in every person column of every partner format
that has them (police people, ISTV, admissions), in rows that load and in rows that are
quarantined (a clear NHS number or a name as ``person_key``, a full postcode as the
district, an invalid NHS number, a date of birth in the wrong form, a ragged row, a row
refused for another reason), and in ``x_`` columns of every partner format (police crimes
and indicators have no person columns). After loading, every text-like column (CharField,
TextField, JSONField) of every table is searched for each of them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction

from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.pipeline import FileResult, LoadContext
from vrn.ingest.pseudonymise import normal_name, normal_nhs_number, postcode_district

from ..partners import PARTNERS, context, load, pseudonym_key, read_rows, reference, write_csv

__all__ = ["context", "pseudonym_key", "reference"]

pytestmark = pytest.mark.django_db

# --- What is planted ------------------------------------------------------------------------

#: A valid NHS number, written with spaces, on rows that load.
NHS_LOADS = "718 264 9306"
#: A valid NHS number given as person_key (quarantined).
NHS_AS_KEY = "6294038170"
#: An NHS number with a wrong check digit (quarantined).
NHS_INVALID = "7182649307"
#: A valid NHS number on ragged rows.
NHS_RAGGED = "5518273649"
#: A valid NHS number in x_ columns only.
NHS_EXTRA = "4861027594"
SURNAME = "Vandersteen-Okafor"
FORENAME = "Perpetua"
OTHER_SURNAME = "Hollingbroke"
OTHER_FORENAME = "Thaddeus"
DATE_OF_BIRTH = "1987-04-23"
OTHER_DATE_OF_BIRTH = "1979-11-08"
#: A date of birth not in YYYY-MM-DD form (quarantined).
BAD_DATE_OF_BIRTH = "23/04/1987"
PERSON_ID = "NICHE-48151623"
OTHER_PERSON_ID = "PAS-90210377"
#: A full postcode, in residence_postcode (reduced to its district).
POSTCODE = "LE3 9QT"
#: A full postcode given as the district (quarantined).
POSTCODE_AS_DISTRICT = "LE2 8WZ"
#: A name in a partner's own column.
EXTRA_NAME = "Blenkinsop"
#: A name given as person_key (quarantined).
NAME_AS_KEY = f"{FORENAME} {SURNAME}"

PLANTED = (
    NHS_LOADS,
    NHS_AS_KEY,
    NHS_INVALID,
    NHS_RAGGED,
    NHS_EXTRA,
    SURNAME,
    FORENAME,
    OTHER_SURNAME,
    OTHER_FORENAME,
    DATE_OF_BIRTH,
    OTHER_DATE_OF_BIRTH,
    BAD_DATE_OF_BIRTH,
    PERSON_ID,
    OTHER_PERSON_ID,
    POSTCODE,
    POSTCODE_AS_DISTRICT,
    EXTRA_NAME,
)
NAMES = (SURNAME, FORENAME, OTHER_SURNAME, OTHER_FORENAME, EXTRA_NAME)
#: A partner's own column, on every row of every file.
EXTRA = {"x_notes": f"{EXTRA_NAME} {NHS_EXTRA} {OTHER_FORENAME} {POSTCODE}"}
#: Every person column filled, for rows quarantined for some other reason.
EVERYTHING = {
    "nhs_number": NHS_LOADS,
    "surname": SURNAME,
    "forename": FORENAME,
    "date_of_birth": DATE_OF_BIRTH,
    "person_id": PERSON_ID,
    "residence_postcode": POSTCODE,
}
PERSON_HEADER = [
    "person_key",
    "nhs_number",
    "surname",
    "forename",
    "date_of_birth",
    "person_id",
    "residence_postcode",
    "residence_postcode_district",
]


def search_terms() -> set[str]:
    """Each planted value as written, and as it might be stored: without spaces or
    hyphens, normalised (NHS digits, names in capitals, the compact postcode); lower case."""
    terms: set[str] = set()
    for value in PLANTED:
        terms |= {value, value.replace(" ", ""), value.replace("-", "")}
        digits = normal_nhs_number(value)
        if digits is not None:
            terms.add(digits)
        if value in NAMES:
            terms.add(normal_name(value))
        if postcode_district(value) is not None:
            terms.add(value.replace(" ", ""))
    return {term.casefold() for term in terms}


# --- The files ------------------------------------------------------------------------------


def person_rows(base: dict[str, str], vary: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows that load, each identified in another way, then rows quarantined for each
    identifier problem (the first two keyed by a clear identifier)."""
    loading = [
        EVERYTHING,
        {
            "surname": OTHER_SURNAME,
            "forename": OTHER_FORENAME,
            "date_of_birth": OTHER_DATE_OF_BIRTH,
            "residence_postcode": POSTCODE,
        },
        {"person_id": OTHER_PERSON_ID},
        {"person_key": "ab" * 32, "residence_postcode_district": "LE2"},
        {"nhs_number": NHS_LOADS, "residence_postcode_district": "LE3"},
        {"surname": SURNAME, "forename": FORENAME, "date_of_birth": DATE_OF_BIRTH},
        {"person_id": PERSON_ID, "surname": OTHER_SURNAME},
        {"nhs_number": NHS_LOADS, "date_of_birth": DATE_OF_BIRTH},
        {
            "surname": OTHER_SURNAME,
            "forename": OTHER_FORENAME,
            "date_of_birth": OTHER_DATE_OF_BIRTH,
        },
    ]
    quarantined = [
        {**EVERYTHING, "person_key": NHS_AS_KEY},
        {**EVERYTHING, "person_key": NAME_AS_KEY},
        {**EVERYTHING, "residence_postcode_district": POSTCODE_AS_DISTRICT},
        {**EVERYTHING, "nhs_number": NHS_INVALID},
        {**EVERYTHING, "nhs_number": "", "date_of_birth": BAD_DATE_OF_BIRTH},
        {**EVERYTHING, "sex": "Q"},
    ]
    rows = [{**base, **EXTRA, **person} for person in loading + quarantined]
    assert len(vary) == len(rows)
    return [{**row, **changes} for row, changes in zip(rows, vary, strict=True)]


def ragged_line(width: int) -> str:
    """A line with one field too many, full of identifiers."""
    values = [NHS_RAGGED, SURNAME, FORENAME, DATE_OF_BIRTH, PERSON_ID, POSTCODE, EXTRA_NAME]
    return ",".join((values * (width // len(values) + 2))[: width + 1]) + "\n"


def with_ragged_row(path: Path, header: list[str]) -> Path:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(ragged_line(len(header)))
    return path


def crimes_file(tmp_path: Path) -> Path:
    header, rows = read_rows(PARTNERS / "police-crimes.csv")
    header = [*header, *EXTRA]
    rows = [{**row, **EXTRA} for row in rows]
    rows.append({**rows[0], "crime_reference": "LE/24/0099", "offence_code": "ZZZ"})
    return with_ragged_row(write_csv(tmp_path / "crimes.csv", header, rows), header)


def people_file(tmp_path: Path) -> Path:
    header = ["crime_reference", "force_code", "role", *PERSON_HEADER, "age", "sex", *EXTRA]
    crimes = [f"LE/24/{number:04d}" for number in range(1, 11)]
    vary = [
        {"crime_reference": crime, "role": role}
        for role in ("victim", "suspect")
        for crime in crimes
    ][:15]
    base = {"force_code": "E23000021", "sex": "F"}
    rows = person_rows(base, vary)
    return with_ragged_row(write_csv(tmp_path / "people.csv", header, rows), header)


def istv_file(tmp_path: Path) -> Path:
    fixture_header, fixture_rows = read_rows(PARTNERS / "istv.csv")
    header = [name for name in fixture_header if name not in PERSON_HEADER]
    header += [*PERSON_HEADER, *EXTRA]
    base = {name: fixture_rows[1][name] for name in header if name in fixture_rows[1]}
    base = {**base, "residence_postcode_district": "", "nhs_number": ""}
    vary = [{"attendance_id": f"ED-P{number:02d}"} for number in range(15)]
    rows = person_rows(base, vary)
    return with_ragged_row(write_csv(tmp_path / "istv.csv", header, rows), header)


def admissions_file(tmp_path: Path) -> Path:
    header = [
        "episode_id",
        "provider_code",
        *PERSON_HEADER,
        "admission_date",
        "admission_method",
        "episode_order",
        "episode_status",
        "diag_01",
        "age",
        "sex",
        *EXTRA,
    ]
    base = {
        "provider_code": "RWE",
        "admission_date": "2024-03-01",
        "admission_method": "21",
        "episode_order": "1",
        "episode_status": "3",
        "diag_01": "S01.1",
        "sex": "1",
    }
    vary = [{"episode_id": f"EP-P{number:02d}"} for number in range(15)]
    rows = person_rows(base, vary)
    return with_ragged_row(write_csv(tmp_path / "admissions.csv", header, rows), header)


def indicators_file(tmp_path: Path) -> Path:
    header, rows = read_rows(PARTNERS / "indicators.csv")
    header = [*header, *EXTRA]
    rows = [{**row, **EXTRA} for row in rows]
    rows.append({**rows[0], "Area Code": "E06000099", "Sex": "Both"})
    return with_ragged_row(write_csv(tmp_path / "indicators.csv", header, rows), header)


# --- The search -----------------------------------------------------------------------------


def text_columns() -> list[tuple[type[models.Model], list[str]]]:
    """Every table (the model registry's concrete models) and its text-like columns."""
    tables = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if names:
            tables.append((model, names))
    return tables


def found_in_database(terms: set[str]) -> list[tuple[str, str, str]]:
    """(term, table.column, value) for every stored value containing a term."""
    found = []
    for model, names in text_columns():
        for row in model.objects.values_list(*names):
            for name, value in zip(names, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                folded = text.casefold()
                found += [
                    (term, f"{model._meta.db_table}.{name}", text)
                    for term in terms
                    if term in folded
                ]
    return found


# --- The test -------------------------------------------------------------------------------


def quarantined_fields(result: FileResult) -> list[str]:
    return list(
        QuarantinedRow.objects.filter(load_id=result.load_id)
        .order_by("line_number")
        .values_list("field", flat=True)
    )


PERSON_QUARANTINE = [
    "person_key",
    "person_key",
    "residence_postcode_district",
    "nhs_number",
    "date_of_birth",
    "sex",
    "(row)",
]


def test_no_planted_identifier_is_stored_in_any_table(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    crimes = load("police-extract", crimes_file(tmp_path), context)
    people = load("police-extract", people_file(tmp_path), context)
    istv = load("istv", istv_file(tmp_path), context)
    indicators = load("indicators", indicators_file(tmp_path), context)
    call_command(
        "ingest",
        "admissions",
        str(admissions_file(tmp_path)),
        "--json",
        "--user",
        "tester",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    admissions = FileLoad.objects.get(dataset="admissions")

    # Every file loaded, with every planted row loaded or quarantined as intended.
    assert [result.status for result in (crimes, people, istv, indicators)] == ["loaded"] * 4
    assert (crimes.rows_loaded, quarantined_fields(crimes)) == (10, ["offence_code", "(row)"])
    assert (indicators.rows_loaded, quarantined_fields(indicators)) == (5, ["Sex", "(row)"])
    for result in (people, istv):
        assert (result.rows_loaded, quarantined_fields(result)) == (9, PERSON_QUARANTINE)
    assert admissions.rows_loaded == 9
    assert list(admissions.quarantined_rows.values_list("field", flat=True)) == (PERSON_QUARANTINE)

    # The quarantine keeps the shape of what was wrong, never the value.
    person_key, named_key, district = QuarantinedRow.objects.filter(
        load_id=people.load_id
    ).order_by("line_number")[:3]
    assert (person_key.raw["person_key"], named_key.raw["person_key"]) == (
        "9999999999",
        "Aaaaaaaa Aaaaaaa…",
    )
    assert (district.raw["residence_postcode_district"], district.raw["x_notes"]) == (
        "AA9 9AA",
        "[not kept]",
    )
    assert district.reason == (
        "is a full postcode; only the postcode district (e.g. LE2) may be sent"
    )

    terms = search_terms()
    found = found_in_database(terms)
    print(f"{len(PLANTED)} values planted ({len(terms)} search terms), {len(found)} found")
    assert found == []


def test_the_search_finds_a_planted_value_when_one_is_stored(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    load("indicators", indicators_file(tmp_path), context)
    terms = search_terms()
    assert found_in_database(terms) == []

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        row = QuarantinedRow.objects.first()
        assert row is not None
        row.raw = {**row.raw, "x_notes": f"seen: {NHS_LOADS.replace(' ', '')}"}
        row.save()
        found = found_in_database(terms)
        assert [(term, column) for term, column, _ in found] == [
            ("7182649306", "ingest_quarantinedrow.raw")
        ]
        raise Undo
