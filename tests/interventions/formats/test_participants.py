"""``intervention-participants``: what a row stores, pseudonymised; every rejection with
its line, field and reason; whole-file refusals; case references held elsewhere;
idempotency and the replacement of a corrected file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vrn.audit.models import AuditEvent
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.period import Period
from vrn.ingest.pseudonymise import person_key
from vrn.interventions.models import Contact, Participant

from ...partners import (
    KEY,
    accounted,
    assert_third_row_quarantined,
    quarantine,
    rejection_cases,
    stored_text,
)
from .conftest import NHS_NUMBER, OTHER_NHS_NUMBER, PARTICIPANT, PARTICIPANTS, rows

pytestmark = pytest.mark.django_db

FORMAT = "intervention-participants"
IDENTIFIED = [*PARTICIPANTS, "surname", "forename", "date_of_birth", "residence_postcode"]
Load = Callable[..., Any]
Write = Callable[..., Path]


def three(**changes: str) -> list[dict[str, str]]:
    """Three participants; the third with ``changes``."""
    return rows(
        PARTICIPANT,
        {"case_reference": "TP-0001"},
        {"case_reference": "TP-0002"},
        {"case_reference": "TP-0003", **changes},
    )


def test_loads_participants_pseudonymised(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    path = write(
        "referrals.csv",
        IDENTIFIED,
        rows(
            PARTICIPANT,
            {},
            {
                "case_reference": "TP-0002",
                "nhs_number": "",
                "surname": "O'Brien",
                "forename": "Seán",
                "date_of_birth": "2007-05-01",
                "age": "",
                "residence_postcode": "LE1 5WW",
                "priority_groups": "",
                "sex": "",
                "ethnicity": "",
                "residence_lsoa": "",
                "start_date": "",
                "exit_date": "2024-04-30",
                "exit_reason": "Completed",
            },
        ),
    )

    result = load_as(FORMAT, path)

    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 2, 2)
    assert accounted(result)
    load = FileLoad.objects.get(pk=result.load_id)
    assert (load.dataset, load.table, load.synthetic) == (
        "interventions",
        "interventions.Participant",
        False,
    )
    assert load.partitions == [["participants", "turning-point", "VIP", "2024-03"]]
    first = Participant.objects.get(case_reference="TP-0001")
    assert first.person_key == person_key(KEY.encode(), f"nhs:{NHS_NUMBER}")
    assert (first.key_basis, first.provider, first.programme) == (
        "nhs",
        provider_a.organisation,
        provider_a.programme,
    )
    assert (first.load_id, first.line_number, first.recorded_by) == (result.load_id, 2, "tester")
    assert first.recorded_at is not None
    assert (first.referral_date, first.start_date, first.exit_date) == (
        dt.date(2024, 3, 4),
        dt.date(2024, 3, 11),
        None,
    )
    assert (first.referral_source, first.reachable_moment) == (
        "emergency_department",
        "ae_attendance",
    )
    assert (first.consent_status, first.lawful_basis) == ("given", "consent")
    assert (first.age_at_referral, first.sex, first.ethnicity) == (17, "M", "black")
    assert first.priority_groups == ["males_under_25", "at_risk_of_exploitation"]
    assert (first.residence_lsoa21_code, first.residence_local_authority_code) == (
        "E01013776",
        "E06000016",
    )
    second = Participant.objects.get(case_reference="TP-0002")
    assert second.person_key == person_key(KEY.encode(), "name:OBRIEN|SEAN|2007-05-01")
    assert (second.key_basis, second.age_at_referral) == ("name", 16)
    assert (second.residence_postcode_district, second.sex, second.ethnicity) == (
        "LE1",
        "U",
        "not_stated",
    )
    assert (second.priority_groups, second.residence_lsoa21_code) == ([], "")
    assert (second.exit_date, second.exit_reason) == (dt.date(2024, 4, 30), "completed")
    stored = " ".join(stored_text()) + " ".join(
        str(value) for row in Participant.objects.values_list() for value in row
    )
    for identifier in (NHS_NUMBER, "O'Brien", "Seán", "2007-05-01", "LE1 5WW"):
        assert identifier not in stored


def test_no_identifiers_needed_and_no_reference_geography_without_an_lsoa(
    provider_a: Any, write: Write, load_as: Load
) -> None:
    header = [name for name in PARTICIPANTS if name not in ("nhs_number", "residence_lsoa")]
    result = load_as(FORMAT, write("referrals.csv", header, rows(PARTICIPANT, {})))

    assert (result.status, result.rows_loaded) == ("loaded", 1)
    assert Participant.objects.get().person_key == ""


@pytest.mark.parametrize(
    "column",
    [
        "provider_code",
        "programme_code",
        "case_reference",
        "referral_date",
        "referral_source",
        "consent_status",
        "lawful_basis",
    ],
)
def test_a_file_without_a_required_column_is_refused_naming_it(
    column: str, provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    header = [name for name in PARTICIPANTS if name != column]
    result = load_as(FORMAT, write("referrals.csv", header, three()))

    assert result.status == "refused"
    assert f"required columns missing: '{column}'" in result.message
    assert not Participant.objects.exists() and not FileLoad.objects.exists()


def test_an_unknown_column_refuses_the_file(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    result = load_as(FORMAT, write("referrals.csv", [*PARTICIPANTS, "first_name"], three()))

    assert result.status == "refused"
    assert "'first_name'" in result.message
    assert not Participant.objects.exists()


CASES = [
    ("bad date", {"referral_date": "04/03/2024"}, "referral_date", "is not a date in YYYY-MM-DD"),
    ("future date", {"referral_date": "2025-01-02"}, "referral_date", "is in the future"),
    ("bad code", {"referral_source": "a_and_e"}, "referral_source", "'a_and_e' is not one of"),
    ("bad moment", {"reachable_moment": "party"}, "reachable_moment", "'party' is not one of"),
    (
        "consent refused",
        {"consent_status": "refused"},
        "lawful_basis",
        "is consent, but consent was refused or withdrawn",
    ),
    ("bad lsoa", {"residence_lsoa": "E01999999"}, "residence_lsoa", "neither a 2021 nor a 2011"),
    ("age", {"age": "121"}, "age", "121 is outside 0 to 120"),
    ("sex", {"sex": "male"}, "sex", "'male' is not one of: M, F, X, U"),
    ("ethnicity", {"ethnicity": "purple"}, "ethnicity", "'purple' is not one of"),
    (
        "priority group",
        {"priority_groups": "males_under_25; nobody"},
        "priority_groups",
        "has unknown priority groups: nobody",
    ),
    ("case reference", {"case_reference": "TP 0003"}, "case_reference", "your own record number"),
    (
        "nhs number as case reference",
        {"case_reference": OTHER_NHS_NUMBER},
        "case_reference",
        "looks like an NHS number",
    ),
    ("provider", {"provider_code": "nobody"}, "provider_code", "'nobody' is not an organisation"),
    ("programme", {"programme_code": "XYZ"}, "programme_code", "'XYZ' is not a programme's code"),
    (
        "programme of another provider",
        {"programme_code": "up"},
        "programme_code",
        "UP is not delivered by turning-point",
    ),
    ("start early", {"start_date": "2024-03-01"}, "start_date", "is before the referral date"),
    ("exit no reason", {"exit_date": "2024-06-01"}, "exit_reason", "is required with an exit date"),
    (
        "reason no exit",
        {"exit_reason": "completed"},
        "exit_date",
        "is required with an exit reason",
    ),
    (
        "exit before start",
        {"exit_date": "2024-03-05", "exit_reason": "completed"},
        "exit_date",
        "is before the start date",
    ),
    (
        "exit reason",
        {"exit_date": "2024-06-01", "exit_reason": "finished"},
        "exit_reason",
        "'finished' is not one of",
    ),
    ("nhs number", {"nhs_number": "1234567890"}, "nhs_number", "is not a valid NHS number"),
    ("synthetic", {"synthetic": "maybe"}, "synthetic", "'maybe' is not one of: true, false"),
]


@rejection_cases(CASES)
def test_a_bad_value_quarantines_its_row_naming_line_and_field(
    changes: dict[str, str],
    field: str,
    reason: str,
    provider_a: Any,
    provider_b: Any,
    reference: None,
    write: Write,
    load_as: Load,
) -> None:
    result = load_as(FORMAT, write("referrals.csv", [*PARTICIPANTS, "synthetic"], three(**changes)))

    assert_third_row_quarantined(result, field, reason)
    assert set(Participant.objects.values_list("case_reference", flat=True)) == {
        "TP-0001",
        "TP-0002",
    }
    raw = QuarantinedRow.objects.get(load_id=result.load_id).raw
    # Identifiers are kept only as their shape, a case reference like an NHS number too.
    assert raw["nhs_number"] == "9999999999"
    assert OTHER_NHS_NUMBER not in str(raw)


def test_a_date_of_birth_after_the_referral_quarantines_the_row(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    changes = {
        "nhs_number": "",
        "surname": "Smith",
        "forename": "Jo",
        "date_of_birth": "2024-05-01",
    }
    result = load_as(FORMAT, write("referrals.csv", IDENTIFIED, three(**changes)))

    assert_third_row_quarantined(result, "date_of_birth", "is after the referral")
    raw = QuarantinedRow.objects.get(load_id=result.load_id).raw
    assert (raw["surname"], raw["date_of_birth"]) == ("Aaaaa", "9999-99-99")


def test_a_case_reference_twice_in_the_file_quarantines_the_second(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    result = load_as(FORMAT, write("referrals.csv", PARTICIPANTS, three(case_reference="TP-0001")))

    assert_third_row_quarantined(
        result, "case_reference", "duplicates the case reference on line 2"
    )


def test_a_case_reference_entered_through_the_form_is_not_loaded_again(
    provider_a: Any, reference: None, write: Write, load_as: Load, enter: Callable[..., Any]
) -> None:
    entered = enter(
        provider_a, "participant", case_reference="TP-0003", referral_date=dt.date(2024, 3, 1)
    )

    result = load_as(FORMAT, write("referrals.csv", PARTICIPANTS, three()))

    assert_third_row_quarantined(
        result,
        "case_reference",
        "turning-point already holds this case reference for a "
        "participant entered through the web form or the API",
    )
    assert Participant.objects.get(case_reference="TP-0003") == entered
    assert Participant.objects.get(case_reference="TP-0003").load_id is None


def test_the_same_case_reference_at_another_provider_is_another_participant(
    provider_a: Any, provider_b: Any, reference: None, write: Write, load_as: Load
) -> None:
    path = write(
        "referrals.csv",
        PARTICIPANTS,
        rows(
            PARTICIPANT,
            {"case_reference": "X-1"},
            {"case_reference": "X-1", "provider_code": "LEICS-CARES", "programme_code": "UP"},
        ),
    )

    result = load_as(FORMAT, path)

    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert sorted(Participant.objects.values_list("provider__code", "programme__code")) == [
        ("leics-cares", "UP"),
        ("turning-point", "VIP"),
    ]
    assert FileLoad.objects.get().partitions == [
        ["participants", "leics-cares", "UP", "2024-03"],
        ["participants", "turning-point", "VIP", "2024-03"],
    ]


def test_a_case_reference_loaded_for_another_month_is_quarantined(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    march = load_as(FORMAT, write("march.csv", PARTICIPANTS, rows(PARTICIPANT, {})))
    april = rows(
        {**PARTICIPANT, "referral_date": "2024-04-02", "start_date": ""},
        {"case_reference": "TP-0009"},
        {"case_reference": "TP-0001"},
        {"case_reference": "TP-0010"},
    )

    result = load_as(FORMAT, write("april.csv", PARTICIPANTS, april))

    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert quarantine(result) == [
        (
            3,
            "case_reference",
            f"is already loaded for VIP 2024-03 (load {march.load_id}); a correction must "
            "come in a file for that programme and month",
        )
    ]
    assert Participant.objects.get(case_reference="TP-0001").referral_date == dt.date(2024, 3, 4)


def test_loading_the_same_file_again_changes_nothing(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    path = write("referrals.csv", PARTICIPANTS, three(referral_date="2024-13-01"))
    first = load_as(FORMAT, path)
    ids = sorted(Participant.objects.values_list("pk", flat=True))

    again = load_as(FORMAT, path)

    assert (again.status, again.load_id, again.rows_loaded, again.rows_quarantined) == (
        "unchanged",
        first.load_id,
        2,
        1,
    )
    assert sorted(Participant.objects.values_list("pk", flat=True)) == ids
    assert (FileLoad.objects.count(), QuarantinedRow.objects.count()) == (1, 1)


def test_a_corrected_file_replaces_its_participants_and_keeps_their_journeys(
    provider_a: Any,
    reference: None,
    write: Write,
    load_as: Load,
    enter: Callable[..., Any],
) -> None:
    first = load_as(FORMAT, write("referrals.csv", PARTICIPANTS, three()))
    contacts = write(
        "contacts.csv",
        ["provider_code", "case_reference", "contact_date", "kind", "attendance"],
        [
            {
                "provider_code": "turning-point",
                "case_reference": "TP-0001",
                "contact_date": "2024-03-12",
                "kind": "one_to_one",
                "attendance": "attended",
            }
        ],
    )
    assert load_as("intervention-contacts", contacts).rows_loaded == 1
    participant = Participant.objects.get(case_reference="TP-0002")
    entered = enter(
        provider_a,
        "contact",
        participant,
        contact_date=dt.date(2024, 3, 20),
        kind="group_session",
        attendance="did_not_attend",
    )

    corrected = rows(
        PARTICIPANT,
        {"case_reference": "TP-0001", "exit_date": "2024-05-31", "exit_reason": "completed"},
        {"case_reference": "TP-0002", "referral_date": "2024-03-05"},
        {"case_reference": "TP-0004"},
    )
    result = load_as(FORMAT, write("referrals.csv", PARTICIPANTS, corrected))

    assert (result.status, result.rows_loaded) == ("replaced", 3)
    assert result.message == f"replaced load {first.load_id} (referrals.csv)"
    assert FileLoad.objects.get(pk=first.load_id).status == "superseded"
    assert sorted(Participant.objects.values_list("case_reference", flat=True)) == [
        "TP-0001",
        "TP-0002",
        "TP-0004",
    ]
    assert set(Participant.objects.values_list("load_id", flat=True)) == {result.load_id}
    assert Participant.objects.get(case_reference="TP-0001").exit_reason == "completed"
    assert Participant.objects.get(case_reference="TP-0002").referral_date == dt.date(2024, 3, 5)
    # The journeys are kept: the loaded contact and the one entered through the form.
    assert sorted(Contact.objects.values_list("case_reference", "load_id")) == [
        (
            "TP-0001",
            FileLoad.objects.get(dataset="interventions", table="interventions.Contact").pk,
        ),
        ("TP-0002", None),
    ]
    assert Contact.objects.get(load=None) == entered
    assert AuditEvent.objects.filter(action="ingest.replace").count() == 1


def test_a_file_of_another_name_for_the_same_months_is_refused(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    load_as(FORMAT, write("referrals.csv", PARTICIPANTS, three()))

    result = load_as(FORMAT, write("other.csv", PARTICIPANTS, three(age="18")))

    assert result.status == "refused"
    assert "would withdraw 3 rows loaded earlier" in result.message
    assert set(Participant.objects.values_list("age_at_referral", flat=True)) == {17}


def test_a_file_with_too_many_bad_rows_is_refused_whole(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    bad = rows(
        PARTICIPANT,
        {"case_reference": "TP-0001"},
        {"case_reference": "TP-0002", "referral_date": "yesterday"},
        {"case_reference": "TP-0003", "consent_status": "maybe"},
    )

    result = load_as(FORMAT, write("referrals.csv", PARTICIPANTS, bad))

    assert result.status == "refused"
    assert "2 of 3 rows are invalid" in result.message
    assert "line 3, referral_date" in result.message
    assert not Participant.objects.exists() and not FileLoad.objects.exists()


def test_a_file_loaded_for_an_organisation_quarantines_other_providers_rows(
    provider_a: Any, provider_b: Any, reference: None, write: Write, load_as: Load
) -> None:
    path = write(
        "referrals.csv",
        PARTICIPANTS,
        three(provider_code="leics-cares", programme_code="UP"),
    )

    refused = load_as(FORMAT, path, organisation="nobody")
    result = load_as(FORMAT, path, organisation="turning-point")

    assert refused.status == "refused" and "'nobody'" in refused.message
    assert_third_row_quarantined(
        result, "provider_code", "you can upload only for your own organisation (turning-point)"
    )


def test_a_declared_period_quarantines_rows_outside_it(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    path = write("referrals.csv", PARTICIPANTS, three(referral_date="2024-04-01", start_date=""))

    result = load_as(FORMAT, path, period=Period.parse("2024-02..2024-03"))

    assert_third_row_quarantined(result, "referral_date", "2024-04 is outside the period")
    assert FileLoad.objects.get().partitions == [
        ["participants", "turning-point", "VIP", "2024-02"],
        ["participants", "turning-point", "VIP", "2024-03"],
    ]


def test_synthetic_files_are_marked_and_never_mixed(
    provider_a: Any, reference: None, write: Write, load_as: Load
) -> None:
    header = [*PARTICIPANTS, "synthetic"]
    synthetic = [{**row, "synthetic": "true"} for row in three()]
    result = load_as(FORMAT, write("synthetic.csv", header, synthetic))
    assert result.status == "loaded"

    mixed = rows(
        PARTICIPANT,
        {"case_reference": "S-1", "synthetic": "true"},
        {"case_reference": "S-2", "synthetic": "true"},
        {"case_reference": "S-3", "synthetic": "false"},
    )
    refused = load_as(FORMAT, write("mixed.csv", header, mixed))

    load = FileLoad.objects.get(pk=result.load_id)
    assert load.synthetic and load.partitions == [
        ["synthetic", "participants", "turning-point", "VIP", "2024-03"]
    ]
    assert (result.rows_loaded, Participant.objects.filter(synthetic=True).count()) == (3, 3)
    assert refused.status == "refused" and "mixes synthetic rows" in refused.message
