"""``intervention-contacts``, ``-outcomes`` and ``-assessments``: rows find their
participant by provider and case reference (loaded or entered through a form); every
rejection; the kind of file; a batch of every kind; replacement of a corrected file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vrn.ingest import registry
from vrn.ingest.models import FileLoad
from vrn.ingest.pipeline import LoadContext, load_files
from vrn.interventions import reference as definitions
from vrn.interventions.models import Assessment, Contact, Outcome, Participant

from ...partners import accounted, assert_third_row_quarantined, quarantine, rejection_cases
from .conftest import CONTACT, CONTACTS, PARTICIPANT, PARTICIPANTS, rows

pytestmark = pytest.mark.django_db

Load = Callable[..., Any]
Write = Callable[..., Path]
OUTCOMES = ["provider_code", "case_reference", "kind", "outcome_date", "evidence"]
OUTCOME = {
    "provider_code": "turning-point",
    "case_reference": "TP-0001",
    "kind": "entered_training",
    "outcome_date": "2024-06-03",
    "evidence": "document_seen",
}
ASSESSMENTS = ["provider_code", "case_reference", "assessed_on", "stage"]
ASSESSMENTS += ["impulsivity", "social_isolation", "healthy_problem_solving"]
ASSESSMENT = {
    "provider_code": "turning-point",
    "case_reference": "TP-0001",
    "assessed_on": "2024-03-11",
    "stage": "entry",
    "impulsivity": "yes",
    "social_isolation": "No",
    "healthy_problem_solving": "YES",
}


@pytest.fixture
def participants(provider_a: Any, provider_b: Any, write: Write, load_as: Load) -> None:
    """TP-0001 and TP-0002 of turning-point (referred 2024-03-04), LC-1 of leics-cares."""
    header = [name for name in PARTICIPANTS if name not in ("residence_lsoa", "nhs_number")]
    content = rows(
        PARTICIPANT,
        {"case_reference": "TP-0001"},
        {"case_reference": "TP-0002"},
        {"case_reference": "LC-1", "provider_code": "leics-cares", "programme_code": "UP"},
    )
    assert (
        load_as("intervention-participants", write("referrals.csv", header, content)).rows_loaded
        == 3
    )


def three(base: dict[str, str], **changes: str) -> list[dict[str, str]]:
    return rows(base, {}, {"case_reference": "TP-0002"}, changes)


def test_contacts_are_loaded_for_their_participants(
    participants: None, write: Write, load_as: Load
) -> None:
    content = rows(
        CONTACT,
        {},
        {"case_reference": "TP-0002", "attendance": "did_not_attend", "duration_minutes": ""},
        {"provider_code": "leics-cares", "case_reference": "LC-1", "contact_date": "2024-04-01"},
    )

    result = load_as("intervention-contacts", write("contacts.csv", CONTACTS, content))

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert accounted(result)
    load = FileLoad.objects.get(pk=result.load_id)
    assert (load.dataset, load.table) == ("interventions", "interventions.Contact")
    assert load.partitions == [
        ["contacts", "leics-cares", "2024-04"],
        ["contacts", "turning-point", "2024-03"],
    ]
    assert sorted(
        Contact.objects.values_list(
            "provider__code", "case_reference", "contact_date", "attendance", "duration_minutes"
        )
    ) == [
        ("leics-cares", "LC-1", dt.date(2024, 4, 1), "attended", 60),
        ("turning-point", "TP-0001", dt.date(2024, 3, 12), "attended", 60),
        ("turning-point", "TP-0002", dt.date(2024, 3, 12), "did_not_attend", None),
    ]
    assert set(Contact.objects.values_list("load_id", "recorded_by", "kind")) == {
        (result.load_id, "tester", "one_to_one")
    }


CONTACT_CASES = [
    (
        "unknown case reference",
        {"case_reference": "TP-0099"},
        "case_reference",
        "no participant with this case reference for turning-point",
    ),
    (
        "participant of another provider",
        {"case_reference": "LC-1"},
        "case_reference",
        "no participant with this case reference for turning-point",
    ),
    ("provider", {"provider_code": "nobody"}, "provider_code", "'nobody' is not an organisation"),
    ("before referral", {"contact_date": "2024-03-01"}, "contact_date", "is before the referral"),
    ("bad date", {"contact_date": "2024-02-30"}, "contact_date", "is not a date in YYYY-MM-DD"),
    (
        "attended in the future",
        {"contact_date": "2025-01-06"},
        "contact_date",
        "is in the future, but the contact is recorded as attended",
    ),
    ("kind", {"kind": "chat"}, "kind", "'chat' is not one of: one_to_one"),
    ("attendance", {"attendance": "came"}, "attendance", "'came' is not one of: attended"),
    ("duration", {"duration_minutes": "0"}, "duration_minutes", "0 is outside 1 to 1440"),
    ("duration text", {"duration_minutes": "1h"}, "duration_minutes", "'1h' is not a whole"),
    ("case reference", {"case_reference": "TP 1"}, "case_reference", "your own record number"),
]


@rejection_cases(CONTACT_CASES)
def test_a_bad_contact_quarantines_its_row(
    changes: dict[str, str],
    field: str,
    reason: str,
    participants: None,
    write: Write,
    load_as: Load,
) -> None:
    path = write("contacts.csv", CONTACTS, three(CONTACT, **changes))

    assert_third_row_quarantined(load_as("intervention-contacts", path), field, reason)
    assert Contact.objects.count() == 2


def test_a_contact_booked_or_cancelled_may_be_in_the_future(
    participants: None, write: Write, load_as: Load
) -> None:
    path = write(
        "contacts.csv",
        CONTACTS,
        three(CONTACT, contact_date="2025-01-06", attendance="cancelled_by_provider"),
    )

    result = load_as("intervention-contacts", path)

    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 3, 0)
    assert Contact.objects.filter(contact_date=dt.date(2025, 1, 6)).count() == 1


def test_contacts_loaded_for_an_organisation_quarantine_other_providers_rows(
    participants: None, write: Write, load_as: Load
) -> None:
    path = write(
        "contacts.csv",
        CONTACTS,
        three(CONTACT, provider_code="leics-cares", case_reference="LC-1"),
    )

    result = load_as("intervention-contacts", path, organisation="turning-point")

    assert_third_row_quarantined(
        result, "provider_code", "you can upload only for your own organisation (turning-point)"
    )
    assert not Contact.objects.filter(case_reference="LC-1").exists()


def test_a_file_of_another_kind_is_refused_naming_its_format(
    participants: None, write: Write, load_as: Load
) -> None:
    path = write("referrals-2.csv", PARTICIPANTS, rows(PARTICIPANT, {}))

    result = load_as("intervention-contacts", path)

    assert result.status == "refused"
    assert "is an intervention participants file (it has a programme_code column)" in (
        result.message
    )
    assert "load it as intervention-participants" in result.message


def test_a_missing_column_refuses_a_contacts_file(
    participants: None, write: Write, load_as: Load
) -> None:
    header = [name for name in CONTACTS if name != "attendance"]

    result = load_as("intervention-contacts", write("contacts.csv", header, three(CONTACT)))

    assert result.status == "refused"
    assert "required columns missing: 'attendance'" in result.message


def test_one_batch_loads_participants_first(
    provider_a: Any, write: Write, context: LoadContext
) -> None:
    contacts = write("a-contacts.csv", CONTACTS, rows(CONTACT, {}))
    outcomes = write("b-outcomes.csv", OUTCOMES, rows(OUTCOME, {}))
    header = [name for name in PARTICIPANTS if name != "residence_lsoa"]
    referrals = write("z-referrals.csv", header, rows(PARTICIPANT, {}))

    results = load_files(
        registry.dataset_for("interventions"), [outcomes, contacts, referrals], context
    )

    assert [(r.file, r.status, r.rows_loaded) for r in results] == [
        ("z-referrals.csv", "loaded", 1),
        ("a-contacts.csv", "loaded", 1),
        ("b-outcomes.csv", "loaded", 1),
    ]
    assert (Participant.objects.count(), Contact.objects.count(), Outcome.objects.count()) == (
        1,
        1,
        1,
    )
    assert sorted(FileLoad.objects.values_list("table", flat=True)) == [
        "interventions.Contact",
        "interventions.Outcome",
        "interventions.Participant",
    ]


def test_a_corrected_contacts_file_keeps_contacts_entered_through_the_form(
    participants: None,
    provider_a: Any,
    write: Write,
    load_as: Load,
    enter: Callable[..., Any],
) -> None:
    first = load_as("intervention-contacts", write("contacts.csv", CONTACTS, three(CONTACT)))
    participant = Participant.objects.get(case_reference="TP-0001")
    entered = enter(
        provider_a,
        "contact",
        participant,
        contact_date=dt.date(2024, 3, 14),
        kind="phone_or_online",
        attendance="attended",
    )

    corrected = rows(CONTACT, {"duration_minutes": "45"})
    result = load_as("intervention-contacts", write("contacts.csv", CONTACTS, corrected))

    assert (result.status, result.message) == (
        "replaced",
        f"replaced load {first.load_id} (contacts.csv)",
    )
    assert set(Contact.objects.values_list("load_id", "duration_minutes")) == {
        (result.load_id, 45),
        (None, None),
    }
    assert Contact.objects.get(load=None) == entered


def test_outcomes_are_loaded_with_whether_their_evidence_is_verified(
    participants: None, write: Write, load_as: Load
) -> None:
    content = three(OUTCOME, evidence="participant_report", kind="entered_employment")

    result = load_as("intervention-outcomes", write("outcomes.csv", OUTCOMES, content))

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["outcomes", "turning-point", "2024-06"]
    ]
    assert sorted(
        Outcome.objects.values_list("case_reference", "kind", "evidence", "verified")
    ) == [
        ("TP-0001", "entered_employment", "participant_report", False),
        ("TP-0001", "entered_training", "document_seen", True),
        ("TP-0002", "entered_training", "document_seen", True),
    ]


OUTCOME_CASES = [
    ("kind", {"kind": "got_a_job"}, "kind", "'got_a_job' is not one of: entered_education"),
    ("evidence", {"evidence": "hearsay"}, "evidence", "'hearsay' is not one of: document_seen"),
    ("missing evidence", {"evidence": ""}, "evidence", "is empty; this column is required"),
    ("before referral", {"outcome_date": "2024-01-31"}, "outcome_date", "before the referral"),
    ("future", {"outcome_date": "2025-02-01"}, "outcome_date", "is in the future"),
    (
        "unknown participant",
        {"case_reference": "TP-7"},
        "case_reference",
        "no participant with this case reference for turning-point",
    ),
]


@rejection_cases(OUTCOME_CASES)
def test_a_bad_outcome_quarantines_its_row(
    changes: dict[str, str],
    field: str,
    reason: str,
    participants: None,
    write: Write,
    load_as: Load,
) -> None:
    path = write("outcomes.csv", OUTCOMES, three(OUTCOME, **changes))

    assert_third_row_quarantined(load_as("intervention-outcomes", path), field, reason)


def test_assessments_are_scored_with_the_checklist(
    participants: None, write: Write, load_as: Load
) -> None:
    content = three(
        ASSESSMENT, stage="exit", impulsivity="", social_isolation="yes", assessed_on="2024-06-01"
    )

    result = load_as("intervention-assessments", write("assessments.csv", ASSESSMENTS, content))

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert FileLoad.objects.get(pk=result.load_id).partitions == [
        ["assessments", "turning-point", "2024-03"],
        ["assessments", "turning-point", "2024-06"],
    ]
    entry = Assessment.objects.filter(stage="entry").first()
    assert entry is not None
    assert entry.answers == {
        "impulsivity": True,
        "social_isolation": False,
        "healthy_problem_solving": True,
    }
    assert (entry.risk_score, entry.protective_score) == (1.0, 1.0)
    assert entry.checklist == definitions.checklist().ref.short_id
    exit_ = Assessment.objects.get(stage="exit")
    assert exit_.answers == {"social_isolation": True, "healthy_problem_solving": True}
    assert (exit_.risk_score, exit_.protective_score, exit_.assessed_on) == (
        1.0,
        1.0,
        dt.date(2024, 6, 1),
    )


ASSESSMENT_CASES = [
    ("stage", {"stage": "middle"}, "stage", "'middle' is not one of: entry, review, exit"),
    ("answer", {"impulsivity": "maybe"}, "impulsivity", "'maybe' is not one of: yes, no"),
    ("before referral", {"assessed_on": "2024-03-01"}, "assessed_on", "before the referral"),
]


@rejection_cases(ASSESSMENT_CASES)
def test_a_bad_assessment_quarantines_its_row(
    changes: dict[str, str],
    field: str,
    reason: str,
    participants: None,
    write: Write,
    load_as: Load,
) -> None:
    path = write("assessments.csv", ASSESSMENTS, three(ASSESSMENT, **changes))

    assert_third_row_quarantined(load_as("intervention-assessments", path), field, reason)


def test_a_column_that_is_no_factor_refuses_an_assessments_file(
    participants: None, write: Write, load_as: Load
) -> None:
    path = write("assessments.csv", [*ASSESSMENTS, "bad_mood"], three(ASSESSMENT))

    result = load_as("intervention-assessments", path)

    assert result.status == "refused" and "'bad_mood'" in result.message
    assert not Assessment.objects.exists()


def test_journey_rows_of_a_synthetic_file_need_synthetic_participants(
    participants: None, write: Write, load_as: Load
) -> None:
    content = [{**row, "synthetic": "true"} for row in three(CONTACT)]

    result = load_as(
        "intervention-contacts", write("contacts.csv", [*CONTACTS, "synthetic"], content)
    )

    assert result.status == "refused"
    assert "none of its participants is held (synthetic participants" in result.message
    assert "load the participants file first" in result.message
    assert quarantine(result) == [] and not Contact.objects.exists()
