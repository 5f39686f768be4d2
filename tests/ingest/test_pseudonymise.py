"""Pseudonymisation at ingest: normalisation, keys, linkage across files and formats, and
no identifier anywhere in the database after a load (docs/formats/README.md)."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from django.test import override_settings

from vrn.health.models import AdmissionEpisode, EdAttendance
from vrn.ingest.pipeline import LoadContext
from vrn.ingest.pseudonymise import (
    ages_at,
    normal_district,
    normal_name,
    normal_nhs_number,
    person_key,
    postcode_district,
    secret_for,
)
from vrn.ingest.reading import FileRefused
from vrn.police.models import Person

from ..partners import (
    KEY,
    PARTNERS,
    context,
    load,
    other_files,
    pseudonym_key,
    read_rows,
    reference,
    stored_text,
)

__all__ = ["context", "pseudonym_key", "reference"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9434765919", "9434765919"),
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        ("9434765918", None),  # wrong check digit
        ("4010232137", "4010232137"),
        ("1234567890", None),  # check digit would be 10: never issued
        ("943476591", None),
        ("94347659190", None),
        ("943476591X", None),
    ],
)
def test_nhs_numbers_are_ten_digits_with_a_modulus_11_check(
    text: str, expected: str | None
) -> None:
    assert normal_nhs_number(text) == expected


def test_names_keep_upper_case_letters_only() -> None:
    assert normal_name("O'Brien-Ébé ") == "OBRIENEBE"
    assert normal_name(" mary  ann ") == "MARYANN"
    assert normal_name("---") == ""


def test_postcodes_reduce_to_their_district() -> None:
    assert postcode_district("le1 5ww") == "LE1"
    assert postcode_district("LE195AB") == "LE19"
    assert postcode_district("EC1A 1BB") == "EC1A"
    assert postcode_district("LE1") is None
    assert normal_district("le2") == "LE2"
    assert normal_district("LEICESTER") is None


def test_person_keys_are_hmac_sha256_in_hexadecimal() -> None:
    expected = hmac.new(b"k" * 32, b"nhs:9434765919", hashlib.sha256).hexdigest()
    assert person_key(b"k" * 32, "nhs:9434765919") == expected
    assert person_key(b"j" * 32, "nhs:9434765919") != expected
    assert len(expected) == 64


def test_ages_count_whole_years_across_leap_days() -> None:
    born = np.array(["2000-02-29", "2000-03-01", "2006-03-02", "NaT"], dtype="datetime64[D]")
    on = np.array(["2024-02-28", "2024-02-29", "2024-03-02", "2024-01-01"], dtype="datetime64[D]")
    ages = ages_at(born, on)
    assert ages[:3].tolist() == [23.0, 23.0, 18.0]
    assert np.isnan(ages[3])


def test_refusal_names_the_file_and_columns_but_never_the_secret() -> None:
    assert secret_for("a.csv", []) is None
    with override_settings(VRN_PSEUDONYM_KEY=""), pytest.raises(FileRefused) as refused:
        secret_for("people.csv", ["nhs_number", "surname"])
    assert refused.value.file_name == "people.csv"
    assert "identifier columns (nhs_number, surname)" in refused.value.problem
    secret = "s" * 20
    with override_settings(VRN_PSEUDONYM_KEY=secret), pytest.raises(FileRefused) as short:
        secret_for("people.csv", ["person_id"])
    assert secret not in str(short.value)
    with override_settings(VRN_PSEUDONYM_KEY=KEY):
        assert secret_for("people.csv", ["person_id"]) == KEY.encode()


#: Every identifier value in the identifiable fixtures, as written and as normalised.
def _identifier_values() -> set[str]:
    values: set[str] = set()
    for name in ("police-people-identifiable.csv", "istv.csv", "admissions.csv"):
        _, rows = read_rows(PARTNERS / name)
        for row in rows:
            for column in ("nhs_number", "surname", "forename", "person_id", "residence_postcode"):
                value = row.get(column, "")
                if value:
                    values |= {value, value.replace(" ", "")}
                if value and column in ("surname", "forename"):
                    values.add(normal_name(value))
            if row.get("date_of_birth"):
                values.add(row["date_of_birth"])
            if row.get("x_officer_note"):
                values.add(row["x_officer_note"])
    return values


@pytest.mark.django_db
def test_same_person_same_key_across_files_and_formats_and_no_identifier_is_stored(
    reference: None, context: LoadContext, pseudonym_key: str
) -> None:
    results = [
        load("police-extract", PARTNERS / "police-crimes.csv", context),
        load("police-extract", PARTNERS / "police-people-identifiable.csv", context),
        load("istv", PARTNERS / "istv.csv", context),
        load("admissions", PARTNERS / "admissions.csv", context),
    ]
    assert [r.status for r in results] == ["loaded"] * 4
    assert sum(r.rows_quarantined for r in results) == 1  # with identifiers in its raw row

    by_nhs = Person.objects.get(crime_reference="LE/24/0004").person_key
    assert EdAttendance.objects.get(attendance_id="ED-0001").person_key == by_nhs
    assert AdmissionEpisode.objects.get(episode_id="EP-0001").person_key == by_nhs
    by_name = Person.objects.get(crime_reference="LE/24/0005").person_key
    assert AdmissionEpisode.objects.get(episode_id="EP-0004").person_key == by_name
    # person_id links within one source only.
    local = Person.objects.get(crime_reference="LE/24/0006").person_key
    assert local not in set(AdmissionEpisode.objects.values_list("person_key", flat=True))

    identifiers = _identifier_values()
    assert len(identifiers) > 20
    stored = stored_text()
    assert stored
    leaks = {value for value in identifiers for text in stored if value in text}
    assert leaks == set()
    assert all(KEY not in text for text in stored)


@pytest.mark.django_db
def test_the_same_file_loaded_again_under_another_name_gives_the_same_keys(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    load("police-extract", PARTNERS / "police-crimes.csv", context)
    load("admissions", PARTNERS / "admissions.csv", context)
    first = sorted(AdmissionEpisode.objects.values_list("episode_id", "person_key"))
    AdmissionEpisode.objects.all().delete()
    copy = tmp_path / "admissions-resent.csv"
    copy.write_text((PARTNERS / "admissions.csv").read_text() + "\n")
    with override_settings(VRN_PSEUDONYM_KEY=KEY):
        assert (
            load("admissions", copy, other_files(context, "2024-01..2024-12")).status == "replaced"
        )
    assert sorted(AdmissionEpisode.objects.values_list("episode_id", "person_key")) == first
    assert date(2024, 1, 5) in set(
        AdmissionEpisode.objects.values_list("admission_date", flat=True)
    )


def test_the_secret_comes_from_the_environment_and_is_hidden_from_debug_pages() -> None:
    script = (
        "import django; from django.conf import settings; django.setup(); "
        "from django.views.debug import SafeExceptionReporterFilter; "
        "print(settings.VRN_PSEUDONYM_KEY == 'e' * 40, "
        "SafeExceptionReporterFilter().get_safe_settings()['VRN_PSEUDONYM_KEY'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRN_", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="vrn.site.settings", VRN_PSEUDONYM_KEY="e" * 40)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "********************"]
