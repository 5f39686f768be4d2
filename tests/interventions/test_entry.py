"""Recording a journey through ``entry``: pseudonymised at once, checked field by field,
nothing stored when a check fails, every change audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from vrn.audit.models import AuditEvent
from vrn.ingest.pseudonymise import person_key
from vrn.interventions import entry, reference
from vrn.interventions.models import Assessment, Contact, Outcome, Participant, Review

from ..partners import KEY
from .conftest import Provider

pytestmark = pytest.mark.django_db

NHS_NUMBER = "943 476 5919"


def actor(provider: Provider) -> entry.Actor:
    return entry.actor_for(provider.caseworker, address="127.0.0.1")


def referral(provider: Provider, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "programme": provider.programme,
        "case_reference": "TP-0001",
        "referral_date": dt.date(2024, 3, 4),
        "referral_source": "emergency_department",
        "reachable_moment": "ae_attendance",
        "consent_status": "given",
        "lawful_basis": "consent",
        "sex": "M",
        "ethnicity": "black",
        "priority_groups": ["males_under_25"],
        "nhs_number": NHS_NUMBER,
        "date_of_birth": "2007-05-06",
        "residence_postcode": "LE1 5WW",
    }
    values.update(changes)
    return values


def test_a_referral_is_stored_with_the_partners_person_key_and_no_identifier(
    provider_a: Provider,
) -> None:
    participant = entry.new_participant(actor(provider_a), referral(provider_a))
    stored = Participant.objects.get(pk=participant.pk)
    assert stored.person_key == person_key(KEY.encode(), "nhs:9434765919")
    assert stored.key_basis == "nhs"
    assert stored.age_at_referral == 16  # born 2007-05-06, referred 2024-03-04
    assert stored.residence_postcode_district == "LE1"
    row = " ".join(
        str(value) for value in Participant.objects.filter(pk=participant.pk).values()[0].values()
    )
    for identifier in ("9434765919", "943 476 5919", "2007-05-06", "LE1 5WW", "5WW"):
        assert identifier not in row
    event = AuditEvent.objects.get(action="interventions.change")
    assert event.actor == "caseworker-a"
    assert event.detail["participants"] == [participant.pk]
    assert event.detail["what"] == "referral"


def test_names_and_date_of_birth_make_the_same_key_as_a_partner_file(provider_a: Provider) -> None:
    values = referral(provider_a, nhs_number="", surname="O'Brien", forename="Seán")
    participant = entry.new_participant(actor(provider_a), values)
    assert participant.person_key == person_key(KEY.encode(), "name:OBRIEN|SEAN|2007-05-06")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"case_reference": "John Smith"}, "case_reference"),
        ({"case_reference": "9434765919"}, "case_reference"),
        ({"referral_source": "nowhere"}, "referral_source"),
        ({"consent_status": "refused", "lawful_basis": "consent"}, "lawful_basis"),
        ({"referral_date": dt.date(2999, 1, 1)}, "referral_date"),
        ({"start_date": dt.date(2024, 1, 1)}, "start_date"),
        ({"priority_groups": ["nobody"]}, "priority_groups"),
        ({"nhs_number": "1234567890"}, "nhs_number"),
        ({"date_of_birth": "2025-01-01"}, "date_of_birth"),
        ({"residence_lsoa": "E01999999"}, "residence_lsoa"),
        ({"sex": "Q"}, "sex"),
        ({"age_at_referral": 130, "date_of_birth": ""}, "age_at_referral"),
    ],
)
def test_a_bad_referral_names_the_field_and_stores_nothing(
    provider_a: Provider, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(entry.EntryError) as raised:
        entry.new_participant(actor(provider_a), referral(provider_a, **changes))
    assert field in raised.value.errors
    assert "9434765919" not in str(raised.value)
    assert not Participant.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_caseworker_refers_only_to_their_own_organisations_programmes(
    provider_a: Provider, provider_b: Provider
) -> None:
    with pytest.raises(entry.EntryError) as raised:
        entry.new_participant(actor(provider_b), referral(provider_a))
    assert "programme" in raised.value.errors


def test_a_case_reference_is_used_once_per_provider(
    provider_a: Provider, provider_b: Provider
) -> None:
    entry.new_participant(actor(provider_a), referral(provider_a))
    with pytest.raises(entry.EntryError) as raised:
        entry.new_participant(actor(provider_a), referral(provider_a))
    assert "case_reference" in raised.value.errors
    other = entry.new_participant(actor(provider_b), referral(provider_b))
    assert other.case_reference == "TP-0001"


def test_identifiers_without_the_pseudonym_key_are_refused(provider_a: Provider) -> None:
    with override_settings(VRN_PSEUDONYM_KEY=""), pytest.raises(entry.EntryError) as raised:
        entry.new_participant(actor(provider_a), referral(provider_a))
    assert "VRN_PSEUDONYM_KEY" in raised.value.errors["identifiers"]


def test_a_whole_journey(provider_a: Provider) -> None:
    who = actor(provider_a)
    participant = entry.new_participant(who, referral(provider_a))
    entry.update_progress(who, participant, {"start_date": dt.date(2024, 3, 10)})
    factors = reference.checklist().factors
    answers = {factor.id: True for factor in factors[:3]}
    assessment = entry.new_assessment(
        who, participant, assessed_on=dt.date(2024, 3, 10), stage="entry", answers=answers
    )
    expected = reference.checklist().score(answers)
    assert (assessment.risk_score, assessment.protective_score) == (
        expected.risk,
        expected.protective,
    )
    entry.new_contact(
        who,
        participant,
        contact_date=dt.date(2024, 3, 12),
        kind="one_to_one",
        attendance="attended",
        duration_minutes=60,
    )
    scale = reference.scales().scales[0]
    first, second = scale.areas[0].id, scale.areas[1].id
    review = entry.new_review(
        who,
        participant,
        review_date=dt.date(2024, 3, 12),
        scale=scale.id,
        scores={first: scale.minimum, second: scale.minimum + 1, scale.areas[2].id: ""},
    )
    assert review.scores == {first: scale.minimum, second: scale.minimum + 1}
    assert review.mean_score == scale.minimum + 0.5
    entry.new_outcome(
        who,
        participant,
        kind="entered_employment",
        outcome_date=dt.date(2024, 6, 1),
        evidence="employer_or_college_confirmation",
    )
    entry.update_progress(
        who, participant, {"exit_date": dt.date(2024, 6, 2), "exit_reason": "completed"}
    )
    participant.refresh_from_db()
    assert participant.exit_reason == "completed"
    key = {"provider": provider_a.organisation, "case_reference": "TP-0001"}
    assert Assessment.objects.filter(**key).count() == 1
    assert Contact.objects.filter(**key).count() == 1
    assert Review.objects.filter(**key).count() == 1
    assert Outcome.objects.get(**key).verified is True
    assert AuditEvent.objects.filter(action="interventions.change").count() == 7


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"exit_date": dt.date(2024, 6, 2)}, "exit_reason"),
        ({"exit_reason": "completed"}, "exit_date"),
        ({"exit_date": dt.date(2024, 1, 1), "exit_reason": "completed"}, "exit_date"),
        (
            {
                "start_date": dt.date(2024, 5, 1),
                "exit_date": dt.date(2024, 4, 1),
                "exit_reason": "completed",
            },
            "exit_date",
        ),
    ],
)
def test_progress_in_order(provider_a: Provider, values: dict[str, Any], field: str) -> None:
    participant = entry.new_participant(actor(provider_a), referral(provider_a))
    with pytest.raises(entry.EntryError) as raised:
        entry.update_progress(actor(provider_a), participant, values)
    assert field in raised.value.errors
    participant.refresh_from_db()
    assert participant.exit_date is None and participant.start_date is None


def test_review_scores_are_checked_against_the_scale(provider_a: Provider) -> None:
    participant = entry.new_participant(actor(provider_a), referral(provider_a))
    scale = reference.scales().scales[0]
    area = scale.areas[0].id
    for scores, field in (
        ({area: scale.maximum + 1}, f"scores.{area}"),
        ({"no_such_area": 1}, "scores.no_such_area"),
        ({area: "many"}, f"scores.{area}"),
        ({}, "scores"),
    ):
        with pytest.raises(entry.EntryError) as raised:
            entry.new_review(
                actor(provider_a),
                participant,
                review_date=dt.date(2024, 4, 1),
                scale=scale.id,
                scores=scores,
            )
        assert field in raised.value.errors
    with pytest.raises(entry.EntryError) as raised:
        entry.new_review(
            actor(provider_a),
            participant,
            review_date=dt.date(2024, 4, 1),
            scale="no-such-scale",
            scores={area: 1},
        )
    assert "scale" in raised.value.errors
    assert not Review.objects.exists()


def test_an_assessment_refuses_an_unknown_factor(provider_a: Provider) -> None:
    participant = entry.new_participant(actor(provider_a), referral(provider_a))
    with pytest.raises(entry.EntryError) as raised:
        entry.new_assessment(
            actor(provider_a),
            participant,
            assessed_on=dt.date(2024, 4, 1),
            stage="entry",
            answers={"not_a_factor": True},
        )
    assert "answers" in raised.value.errors
