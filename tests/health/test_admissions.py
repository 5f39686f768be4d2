"""Admission episodes (HES APC style): derived fields, every rejection path, refusals,
idempotency and replacement."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from pathlib import Path

import pytest

from vrn.health.models import AdmissionEpisode
from vrn.ingest.models import FileLoad
from vrn.ingest.pipeline import LoadContext

from ..partners import (
    KEY,
    PARTNERS,
    accounted,
    assert_third_row_quarantined,
    load,
    read_rows,
    rejection_cases,
    write_csv,
)

pytestmark = pytest.mark.django_db

ADMISSIONS = PARTNERS / "admissions.csv"
HEADER, ROWS = read_rows(ADMISSIONS)
KEYED_HEADER = [
    "episode_id",
    "provider_code",
    "person_key",
    "admission_date",
    "admission_method",
    "episode_order",
    "episode_status",
    "episode_start",
    "episode_end",
    "discharge_date",
    "length_of_stay",
    "diag_01",
    "diag_02",
    "age",
    "sex",
    "residence_lsoa",
]
GOOD = {
    "provider_code": "RWE",
    "admission_date": "2024-03-01",
    "admission_method": "21",
    "episode_order": "1",
    "episode_status": "3",
    "episode_start": "2024-03-01",
    "episode_end": "2024-03-02",
    "discharge_date": "2024-03-02",
    "diag_01": "S01.1",
    "diag_02": "Y04.0",
    "age": "22",
    "sex": "1",
}
KEYS = ["d" * 64, "e" * 64, "f" * 64]


def episode(identifier: str) -> AdmissionEpisode:
    return AdmissionEpisode.objects.get(episode_id=identifier)


def key(message: str) -> str:
    return hmac.new(KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def test_loads_every_row_with_derived_fields(
    reference: None, context: LoadContext, pseudonym_key: str
) -> None:
    result = load("admissions", ADMISSIONS, context)

    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 4, 4)
    assert accounted(result)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["RWE", "2024-01"],
        ["RWE", "2024-02"],
    ]
    first = episode("EP-0001")
    assert (first.diag_01, first.diag_02, first.diag_03, first.diag_04) == (
        "S211",
        "X991",
        "F321",
        "",
    )
    assert (first.diagnosis_count, first.first_emergency_episode) == (3, True)
    assert (first.length_of_stay, first.sex, first.age) == (2, "M", 17)
    assert (first.person_key, first.key_basis) == (key("nhs:9434765919"), "nhs")
    assert first.month == date(2024, 1, 1)

    second = episode("EP-0002")
    assert (second.admission_method, second.first_emergency_episode) == ("2A", True)
    assert (second.diag_01, second.diag_02, second.length_of_stay) == ("S099", "Y040", 0)
    assert second.person_key == key("name:THISTLEWOODPARR|OZYMANDIAS|1991-07-19")
    assert (second.age, second.sex) == (32, "F")  # from the date of birth
    assert (second.residence_lsoa21_code, second.residence_lsoa_match) == (
        "E01034020",
        "2011-single",
    )

    elective = episode("EP-0003")
    assert (elective.first_emergency_episode, elective.age, elective.sex) == (False, 0, "X")
    assert (elective.person_key, elective.key_basis) == (key("local:RWE:RWE-5512"), "local")
    assert (elective.length_of_stay, elective.episode_end) == (None, None)

    later = episode("EP-0004")
    assert (later.episode_order, later.first_emergency_episode, later.diagnosis_count) == (
        2,
        False,
        4,
    )
    assert (later.diag_02, later.sex, later.resident_in_network) == ("Y09X", "M", False)


REJECTIONS: list[tuple[str, dict[str, str], str, str]] = [
    *[
        (f"{name}-empty", {name: ""}, name, "is empty; this column is required")
        for name in (
            "episode_id",
            "provider_code",
            "admission_date",
            "admission_method",
            "episode_order",
            "episode_status",
            "diag_01",
        )
    ],
    ("no-person", {"person_key": ""}, "person_key", "no person_key, and not enough identifiers"),
    ("provider", {"provider_code": "R W E"}, "provider_code", "is not an ODS code"),
    ("admitted-form", {"admission_date": "2024-3-1"}, "admission_date", "not a date in YYYY-MM-DD"),
    ("admitted-future", {"admission_date": "2025-01-01"}, "admission_date", "is in the future"),
    ("method", {"admission_method": "99"}, "admission_method", "'99' is not one of: 11, 12"),
    ("order-zero", {"episode_order": "0"}, "episode_order", "0 is outside 1 to 99"),
    ("order-text", {"episode_order": "first"}, "episode_order", "'first' is not a whole number"),
    ("status", {"episode_status": "2"}, "episode_status", "'2' is not one of: 1, 3, 9"),
    ("start-before", {"episode_start": "2024-02-29"}, "episode_start", "before admission_date"),
    ("end-before", {"episode_end": "2024-02-29"}, "episode_end", "is before episode_start"),
    ("end-form", {"episode_end": "soon"}, "episode_end", "not a date in YYYY-MM-DD"),
    (
        "discharge-before",
        {"discharge_date": "2024-02-28", "episode_end": "", "episode_start": ""},
        "discharge_date",
        "is before admission_date",
    ),
    ("discharge-before-end", {"discharge_date": "2024-03-01"}, "discharge_date", "episode_end"),
    ("stay", {"length_of_stay": "1.5"}, "length_of_stay", "'1.5' is not a whole number"),
    ("diagnosis", {"diag_02": "Y4"}, "diag_02", "'Y4' is not an ICD-10 code"),
    ("diagnosis-long", {"diag_01": "S0111"}, "diag_01", "'S0111' is not an ICD-10 code"),
    ("age", {"age": "121"}, "age", "121 is outside 0 to 120"),
    ("age-code", {"age": "7008"}, "age", "7008 is outside 0 to 120"),
    ("sex", {"sex": "3"}, "sex", "'3' is not one of: 1, 2, 9, 0, M, F, X, U"),
    ("residence", {"residence_lsoa": "E0101377"}, "residence_lsoa", "neither a 2021 nor"),
    ("duplicate", {"episode_id": "E1"}, "episode_id", "duplicates the episode_id on line 2"),
]


@rejection_cases(REJECTIONS)
def test_each_rejection_path(
    reference: None,
    context: LoadContext,
    tmp_path: Path,
    changes: dict[str, str],
    field: str,
    reason: str,
) -> None:
    rows = [
        {**GOOD, "episode_id": f"E{i}", "person_key": person} for i, person in enumerate(KEYS, 1)
    ]
    rows[2].update(changes)
    result = load("admissions", write_csv(tmp_path / "a.csv", KEYED_HEADER, rows), context)

    assert_third_row_quarantined(result, field, reason)


def test_a_file_without_diag_01_is_refused(
    reference: None, context: LoadContext, tmp_path: Path
) -> None:
    header = [name for name in KEYED_HEADER if name != "diag_01"]
    result = load("admissions", write_csv(tmp_path / "a.csv", header, [GOOD]), context)
    assert result.status == "refused"
    assert "required columns missing: 'diag_01'" in result.message


def test_same_file_twice_and_a_corrected_file(
    reference: None, context: LoadContext, pseudonym_key: str, tmp_path: Path
) -> None:
    first = load("admissions", ADMISSIONS, context)
    assert load("admissions", ADMISSIONS, context).status == "unchanged"
    corrected = [{**row, "episode_status": "9"} for row in ROWS]
    result = load("admissions", write_csv(tmp_path / "admissions.csv", HEADER, corrected), context)

    assert result.status == "replaced"
    assert FileLoad.objects.get(pk=first.load_id).status == FileLoad.Status.SUPERSEDED
    assert set(AdmissionEpisode.objects.values_list("episode_status", flat=True)) == {"9"}
