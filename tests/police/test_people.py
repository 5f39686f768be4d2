"""The police-extract people file: links to loaded crimes, pseudonymisation, every
rejection path, whole-file refusals, replacement, and the command with both files."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from vrn.ingest import registry
from vrn.ingest.identifiers import redact
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.partner_csv import MASKED
from vrn.ingest.pipeline import LoadContext
from vrn.police.extract import PoliceExtract
from vrn.police.models import Crime, Person

from ..partners import (
    KEY,
    PARTNERS,
    accounted,
    assert_third_row_quarantined,
    load,
    quarantine,
    read_rows,
    rejection_cases,
    write_csv,
)

pytestmark = pytest.mark.django_db

CRIMES = PARTNERS / "police-crimes.csv"
PEOPLE = PARTNERS / "police-people.csv"
IDENTIFIABLE = PARTNERS / "police-people-identifiable.csv"
HEADER, ROWS = read_rows(PEOPLE)
ID_HEADER, ID_ROWS = read_rows(IDENTIFIABLE)
GOOD = {
    "crime_reference": "LE/24/0001",
    "force_code": "E23000021",
    "role": "victim",
    "age": "30",
    "sex": "F",
    "ethnicity": "white",
    "residence_lsoa": "E01013776",
}
KEYS = ["a" * 64, "b" * 64, "c" * 64]


def expected_key(message: str, secret: str = KEY) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def crimes(reference: None, context: LoadContext) -> None:
    assert load("police-extract", CRIMES, context).status == "loaded"


def test_loads_people_of_loaded_crimes(crimes: None, context: LoadContext) -> None:
    result = load("police-extract", PEOPLE, context)

    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 8, 8)
    assert accounted(result)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["people", "E23000021", "2024-01"],
        ["people", "E23000021", "2024-02"],
    ]
    victim = Person.objects.get(crime_reference="LE/24/0001", role="victim")
    assert (victim.person_key, victim.key_basis, victim.age, victim.sex) == (
        "1" * 64,
        "given",
        17,
        "M",
    )
    assert victim.crime_month == date(2024, 1, 1)
    assert (victim.residence_lsoa21_code, victim.residence_local_authority_code) == (
        "E01013776",
        "E06000016",
    )
    suspect = Person.objects.get(crime_reference="LE/24/0001", role="suspect")
    assert (suspect.residence_lsoa_published, suspect.residence_lsoa21_code) == (
        "E01013647",
        "E01034020",
    )
    offender = Person.objects.get(role="offender")
    assert (offender.sex, offender.ethnicity) == ("M", "")
    assert (offender.residence_lsoa_match, offender.residence_local_authority_code) == (
        "2011-split-unresolved",
        "E06000016",
    )
    outside = Person.objects.get(crime_reference="LE/24/0007")
    assert (outside.resident_in_network, outside.ethnicity) == (False, "not_stated")
    assert Person.objects.get(crime_reference="LE/24/0009").sex == "U"
    assert Person.objects.get(crime_reference="LE/24/0010").person_key == "a" * 64
    # The same person (key) is a victim in two crimes.
    assert Person.objects.filter(person_key="1" * 64).count() == 2


def test_identifiers_become_keys_and_are_dropped(
    crimes: None, context: LoadContext, pseudonym_key: str
) -> None:
    result = load("police-extract", IDENTIFIABLE, context)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 4, 1)
    people = {
        (p.crime_reference, p.role): p
        for p in Person.objects.filter(load_id=result.load_id).order_by("line_number")
    }
    by_nhs = people[("LE/24/0004", "victim")]
    assert (by_nhs.person_key, by_nhs.key_basis) == (expected_key("nhs:9434765919"), "nhs")
    assert (by_nhs.age, by_nhs.residence_postcode_district) == (32, "LE3")  # born 1991-07-19
    by_name = people[("LE/24/0005", "suspect")]
    assert by_name.person_key == expected_key("name:QUENBYSMYTHE|ZEBEDEE|2006-03-02")
    assert (by_name.key_basis, by_name.age, by_name.residence_postcode_district) == (
        "name",
        17,
        "LE2",
    )
    local = people[("LE/24/0006", "victim")]
    assert local.person_key == expected_key("local:E23000021:NICHE-778812")
    assert (local.key_basis, local.age) == ("local", 52)
    nhs_first = people[("LE/24/0008", "victim")]
    assert nhs_first.person_key == expected_key("nhs:4010232137")
    assert (nhs_first.age, nhs_first.residence_postcode_district) == (43, "LE19")

    [quarantined] = QuarantinedRow.objects.filter(load_id=result.load_id)
    assert (quarantined.line_number, quarantined.field) == (6, "sex")
    assert quarantined.raw["sex"] == "Q"
    # Identifiers keep only their shape; a partner's own columns nothing.
    assert {
        column: quarantined.raw[column]
        for column in ("surname", "forename", "date_of_birth", "x_officer_note")
    } == {
        "surname": "Aaaaaaaaa",
        "forename": "Aaaaaa",
        "date_of_birth": "9999-99-99",
        "x_officer_note": MASKED,
    }
    assert quarantined.raw["nhs_number"] == ""  # blank stays blank


def test_a_different_secret_gives_different_keys(
    crimes: None, context: LoadContext, tmp_path: Path
) -> None:
    rows = [row for row in ID_ROWS if row["sex"] != "Q"]
    with override_settings(VRN_PSEUDONYM_KEY=KEY):
        load("police-extract", write_csv(tmp_path / "one.csv", ID_HEADER, rows), context)
    first = set(Person.objects.values_list("person_key", flat=True))
    Person.objects.all().delete()
    FileLoad.objects.filter(dataset="police-extract", partitions__0__0="people").delete()
    with override_settings(VRN_PSEUDONYM_KEY="x" * 40):
        result = load("police-extract", write_csv(tmp_path / "two.csv", ID_HEADER, rows), context)
    assert result.status == "loaded"
    second = set(Person.objects.values_list("person_key", flat=True))
    assert len(first) == len(second) == 4 and not first & second


@pytest.mark.parametrize(
    ("secret", "problem"), [("", "is not set"), ("short", "is shorter than 32")]
)
def test_identifiers_without_a_usable_key_refuse_the_file(
    crimes: None, context: LoadContext, secret: str, problem: str
) -> None:
    with override_settings(VRN_PSEUDONYM_KEY=secret):
        result = load("police-extract", IDENTIFIABLE, context)
    assert result.status == "refused"
    assert result.file == "police-people-identifiable.csv"
    assert (
        "has identifier columns (nhs_number, surname, forename, date_of_birth, person_id, "
        "residence_postcode) and VRN_PSEUDONYM_KEY " + problem
    ) in result.message
    assert not Person.objects.exists()
    assert FileLoad.objects.count() == 1  # the crimes


def test_people_before_their_crimes_refuse_the_file(reference: None, context: LoadContext) -> None:
    result = load("police-extract", PEOPLE, context)
    assert result.status == "refused"
    assert "none of its crimes is loaded; load the crimes file first" in result.message


def test_file_with_no_person_columns_is_refused(
    crimes: None, context: LoadContext, tmp_path: Path
) -> None:
    header = [name for name in HEADER if name != "person_key"]
    result = load("police-extract", write_csv(tmp_path / "p.csv", header, [GOOD]), context)
    assert result.status == "refused"
    assert "has no person_key column and no identifier column" in result.message


# (id, changes to a good row, field, reason)
REJECTIONS: list[tuple[str, dict[str, str], str, str]] = [
    *[
        (f"{name}-empty", {name: ""}, name, "is empty; this column is required")
        for name in ("crime_reference", "force_code", "role")
    ],
    ("force", {"force_code": "LEICS"}, "force_code", "is not a police force area code"),
    ("role", {"role": "witness"}, "role", "'witness' is not one of: victim, suspect, offender"),
    ("key-empty", {"person_key": ""}, "person_key", "no person_key, and not enough identifiers"),
    ("key-form", {"person_key": "z" * 64}, "person_key", "is not 64 hexadecimal characters"),
    ("age-text", {"age": "thirty"}, "age", "'thirty' is not a whole number"),
    ("age-range", {"age": "121"}, "age", "121 is outside 0 to 120"),
    ("sex", {"sex": "male"}, "sex", "'male' is not one of: M, F, X, U"),
    ("ethnicity", {"ethnicity": "W1"}, "ethnicity", "'W1' is not one of"),
    ("residence", {"residence_lsoa": "E01000000"}, "residence_lsoa", "neither a 2021 nor"),
    ("synthetic", {"synthetic": "yes"}, "synthetic", "'yes' is not one of: true, false"),
    (
        "crime-unknown",
        {"crime_reference": "LE/24/9999"},
        "crime_reference",
        "no crime LE/24/9999 of force E23000021 is loaded; load its crimes file first",
    ),
    (
        "same-person-role-crime",
        {"person_key": KEYS[0]},
        "person_key",
        "duplicates the same person in the same role of this crime on line 2",
    ),
]


@rejection_cases(REJECTIONS)
def test_each_rejection_path(
    crimes: None,
    context: LoadContext,
    tmp_path: Path,
    changes: dict[str, str],
    field: str,
    reason: str,
) -> None:
    rows = [{**GOOD, "person_key": key} for key in KEYS]
    rows[2].update(changes)
    result = load("police-extract", write_csv(tmp_path / "p.csv", HEADER, rows), context)

    assert_third_row_quarantined(result, field, reason)


ID_GOOD = {
    "crime_reference": "LE/24/0001",
    "force_code": "E23000021",
    "role": "victim",
    "nhs_number": "9434765919",
    "surname": "Doe",
    "forename": "Jo",
    "date_of_birth": "2000-01-01",
    "residence_postcode": "LE1 1AA",
}
ID_REJECTIONS: list[tuple[str, dict[str, str], str, str]] = [
    (
        "nhs-check-digit",
        {"nhs_number": "9434765918"},
        "nhs_number",
        "is not a valid NHS number (10 digits with a valid modulus-11 check digit)",
    ),
    ("nhs-length", {"nhs_number": "94347659"}, "nhs_number", "is not a valid NHS number"),
    ("dob-form", {"date_of_birth": "01/01/2000"}, "date_of_birth", "is not a date in YYYY-MM-DD"),
    ("dob-after-crime", {"date_of_birth": "2024-06-01"}, "date_of_birth", "is after the crime"),
    ("dob-too-old", {"date_of_birth": "1890-01-01"}, "date_of_birth", "gives an age over 120"),
    ("postcode", {"residence_postcode": "LE1"}, "residence_postcode", "is not a UK postcode"),
    (
        "not-enough",
        {"nhs_number": "", "date_of_birth": ""},
        "person_key",
        "no person_key, and not enough identifiers to make one",
    ),
]


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [case[1:] for case in ID_REJECTIONS],
    ids=[case[0] for case in ID_REJECTIONS],
)
def test_each_identifier_rejection_path_without_quoting_the_value(
    crimes: None,
    context: LoadContext,
    pseudonym_key: str,
    tmp_path: Path,
    changes: dict[str, str],
    field: str,
    reason: str,
) -> None:
    header = [*GOOD, "nhs_number", "surname", "forename", "date_of_birth", "residence_postcode"]
    rows = [
        {**GOOD, **ID_GOOD, "role": role, "nhs_number": number}
        for role, number in (("victim", "9434765919"), ("suspect", "4010232137"))
    ]
    rows.append({**GOOD, **ID_GOOD, "role": "offender", **changes})
    result = load("police-extract", write_csv(tmp_path / "p.csv", header, rows), context)

    [(line, got_field, got_reason)] = quarantine(result)
    assert (line, got_field) == (4, field)
    assert reason in got_reason
    for value in changes.values():
        assert not value or value not in got_reason
    raw = QuarantinedRow.objects.get().raw
    row = {**ID_GOOD, **changes}
    assert {name: raw[name] for name in ID_GOOD if name not in GOOD} == {
        name: redact(row[name]) for name in ID_GOOD if name not in GOOD
    }


def test_corrected_people_file_replaces_the_people_of_its_force_months(
    crimes: None, context: LoadContext, tmp_path: Path
) -> None:
    original = load("police-extract", PEOPLE, context)
    corrected = [{**row, "age": "20"} for row in ROWS]
    result = load("police-extract", write_csv(tmp_path / PEOPLE.name, HEADER, corrected), context)

    assert result.status == "replaced"
    assert FileLoad.objects.get(pk=original.load_id).status == FileLoad.Status.SUPERSEDED
    assert set(Person.objects.values_list("age", flat=True)) == {20}
    assert Person.objects.count() == 8
    assert Crime.objects.count() == 10  # the crimes file is a partition of its own


def test_batch_order_puts_crimes_files_first(tmp_path: Path) -> None:
    people = write_csv(tmp_path / "people.csv", HEADER, [])
    crimes = tmp_path / "crimes.csv"
    crimes.write_text(CRIMES.read_text())
    missing = tmp_path / "missing.csv"
    assert PoliceExtract().batch_order([people, missing, crimes]) == [crimes, people, missing]


def test_command_loads_both_files_with_json_accounting(
    reference: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("ingest", "police-extract", str(CRIMES), str(PEOPLE), "--json")
    results = json.loads(capsys.readouterr().out)

    assert [
        (r["file"], r["status"], r["rows_read"], r["rows_loaded"], r["rows_quarantined"])
        for r in results
    ] == [("police-crimes.csv", "loaded", 10, 10, 0), ("police-people.csv", "loaded", 8, 8, 0)]
    assert set(results[0]) == {
        "file",
        "sha256",
        "status",
        "rows_read",
        "rows_loaded",
        "rows_quarantined",
        "message",
        "load_id",
    }
    assert isinstance(registry.dataset_for("police-extract"), PoliceExtract)


def test_command_orders_a_batch_crimes_first(
    reference: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("ingest", "police-extract", str(PEOPLE), str(CRIMES), "--json")
    results = json.loads(capsys.readouterr().out)
    assert [(r["file"], r["status"]) for r in results] == [
        ("police-crimes.csv", "loaded"),
        ("police-people.csv", "loaded"),
    ]
