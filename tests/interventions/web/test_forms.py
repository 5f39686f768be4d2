"""The caseworker's forms: a valid submission makes the record (checked in the database);
an invalid one shows the error summary naming the field, linked to it, and stores
nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from vrn.audit.models import AuditEvent
from vrn.ingest.pseudonymise import person_key
from vrn.interventions.models import (
    Assessment,
    CaseNote,
    Contact,
    Outcome,
    Participant,
    Review,
)

from ...partners import KEY
from ..conftest import Provider
from .conftest import NHS_NUMBER, refer

pytestmark = pytest.mark.django_db

SignedIn = Callable[..., Client]


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"interventions:{name}", kwargs={"pk": pk} if pk is not None else None)


def date(name: str, day: int | str, month: int | str, year: int | str) -> dict[str, str]:
    return {f"{name}_day": str(day), f"{name}_month": str(month), f"{name}_year": str(year)}


def summary(response: Any) -> list[tuple[str, str]]:
    """(link, message) of each entry of the error summary."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert page.count('class="govuk-error-summary"') == 1, "no error summary"
    assert "<title>Error: " in page
    body = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', body)


def referral_form(provider: Provider, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "programme": str(provider.programme.pk),
        "case_reference": "TP-0100",
        **date("referral_date", 4, 3, 2024),
        "referral_source": "emergency_department",
        "reachable_moment": "ae_attendance",
        "consent_status": "given",
        "lawful_basis": "consent",
        "nhs_number": NHS_NUMBER,
        **date("date_of_birth", 6, 5, 2007),
        "postcode": "LE1 5WW",
        "sex": "M",
        "ethnicity": "black",
        "priority_groups": ["males_under_25", "exposed_to_aces"],
        **date("start_date", "", "", ""),
    }
    data.update(changes)
    return data


@pytest.fixture
def caseworker(provider_a: Provider, signed_in: SignedIn) -> Client:
    return signed_in(provider_a.caseworker)


@pytest.fixture
def someone(provider_a: Provider) -> Participant:
    return refer(provider_a, "TP-0001")


def stored_text() -> str:
    """Every value of every participant row, as text."""
    return " ".join(str(v) for row in Participant.objects.values() for v in row.values())


# --------------------------------------------------------------------------- the referral


def test_the_referral_form_shows_every_field(caseworker: Client) -> None:
    page = caseworker.get(url("participant-new")).content.decode()
    for text in (
        "Case reference",
        "Referral date",
        "Referral source",
        "Reachable moment",
        "Lawful basis for processing",
        "NHS number",
        "Date of birth",
        "Your person identifier",
        "Home postcode or postcode district",
        "2021 LSOA code",
        "Age at referral",
        "Ethnicity",
        "Priority groups",
        "Start date",
        "turned into a pseudonym",
        "never stored",
    ):
        assert text in page, text
    # The one programme is chosen already; A&E attendance is a reachable moment.
    assert re.search(r'type="radio" value="\d+" checked', page)
    assert "A&amp;E attendance after a violent injury" in page
    assert 'id="id_referral_date"' in page and 'name="referral_date_year"' in page


def test_a_referral_is_recorded_pseudonymised(
    caseworker: Client, provider_a: Provider, reference: None
) -> None:
    response = caseworker.post(
        url("participant-new"), referral_form(provider_a, residence_lsoa="e01013776")
    )
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("participant", participant.pk)
    assert participant.provider == provider_a.organisation
    assert participant.programme == provider_a.programme
    assert participant.case_reference == "TP-0100"
    assert participant.referral_date == dt.date(2024, 3, 4)
    assert participant.person_key == person_key(KEY.encode(), "nhs:9434765919")
    assert participant.age_at_referral == 16
    assert participant.residence_postcode_district == "LE1"
    assert participant.residence_lsoa21_code == "E01013776"
    assert participant.priority_groups == ["males_under_25", "exposed_to_aces"]
    assert participant.start_date is None
    assert participant.recorded_by == "caseworker-a"
    for identifier in ("9434765919", "943 476 5919", "2007-05-06", "5WW"):
        assert identifier not in stored_text()
    page = caseworker.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in page
    assert f"Referral recorded: participant {participant.pk}" in page
    assert AuditEvent.objects.get(action="interventions.change").detail["what"] == "referral"


def test_a_referral_with_a_postcode_district_and_an_age(
    caseworker: Client, provider_a: Provider
) -> None:
    data = referral_form(
        provider_a,
        nhs_number="",
        person_id="client-881",
        postcode="le2",
        age_at_referral="19",
        **date("date_of_birth", "", "", ""),
        **date("start_date", 10, 3, 2024),
    )
    assert caseworker.post(url("participant-new"), data).status_code == 302
    participant = Participant.objects.get()
    assert participant.key_basis == "local"
    assert participant.residence_postcode_district == "LE2"
    assert participant.age_at_referral == 19
    assert participant.start_date == dt.date(2024, 3, 10)


@pytest.mark.parametrize(
    ("changes", "anchor", "message"),
    [
        ({"case_reference": "John Smith"}, "id_case_reference", "Case reference must be your own"),
        (
            date("referral_date", 4, "", 2024),
            "id_referral_date",
            "Referral date must include a month",
        ),
        (
            date("referral_date", 31, 2, 2024),
            "id_referral_date",
            "Referral date must be a real date",
        ),
        (date("referral_date", "", "", ""), "id_referral_date", "Referral date is required"),
        (date("referral_date", 1, 1, 2999), "id_referral_date", "Referral date is in the future"),
        ({"referral_source": ""}, "id_referral_source", "Referral source is required"),
        (
            {"consent_status": "refused"},
            "id_lawful_basis",
            "Lawful basis for processing is consent, but consent was refused",
        ),
        ({"nhs_number": "1234567890"}, "id_nhs_number", "NHS number is not a valid NHS number"),
        ({"postcode": "NOT A POSTCODE"}, "id_postcode", "Home postcode or postcode district is"),
        (
            {"residence_lsoa": "E01999999"},
            "id_residence_lsoa",
            "Home neighbourhood (2021 LSOA code) is not a 2021 LSOA code",
        ),
        ({"age_at_referral": "nineteen"}, "id_age_at_referral", "Age at referral must be a whole"),
        (
            {"priority_groups": ["royalty"]},
            "id_priority_groups",
            "Priority groups has unknown priority groups: royalty",
        ),
        (date("start_date", 1, 3, 2024), "id_start_date", "Start date is before the referral date"),
        ({"programme": ""}, "id_programme", "Programme is required"),
        # Values that once made a 500: too large for a date, digits int() refuses.
        (
            date("referral_date", "99999999999999999999", 3, 2024),
            "id_referral_date",
            "Referral date must be a real date",
        ),
        (
            date("referral_date", 4, "99999999999999999999", 2024),
            "id_referral_date",
            "Referral date must be a real date",
        ),
        (
            date("referral_date", 4, 3, "99999999999999999999"),
            "id_referral_date",
            "Referral date must ",
        ),
        (date("referral_date", "²", 3, 2024), "id_referral_date", "Referral date must be a real"),
        (
            date("referral_date", 4, 3, "\uff12\uff10\uff12\uff14"),
            "id_referral_date",
            "Referral date must be a real",
        ),
        (
            date("date_of_birth", 6, 5, "٢٠٠٧"),
            "id_date_of_birth",
            "Date of birth must be a real date",
        ),
        ({"age_at_referral": "²"}, "id_age_at_referral", "Age at referral must be a whole"),
        (
            {"age_at_referral": "\uff11\uff17"},
            "id_age_at_referral",
            "Age at referral must be a whole",
        ),
        (
            {"age_at_referral": "99999999999999999999"},
            "id_age_at_referral",
            "Age at referral must be a number of at most 9 digits",
        ),
        ({"programme": "²"}, "id_programme", "Programme is required"),
        ({"programme": "99999999999999999999"}, "id_programme", "Programme is required"),
    ],
)
def test_an_invalid_referral_names_the_field_and_stores_nothing(
    caseworker: Client, provider_a: Provider, changes: dict[str, Any], anchor: str, message: str
) -> None:
    response = caseworker.post(url("participant-new"), referral_form(provider_a, **changes))
    found = summary(response)
    assert any(link == anchor and text.startswith(message) for link, text in found), found
    page = response.content.decode()
    assert f'id="{anchor}-error"' in page or f'id="{anchor}-error"' in page
    assert Participant.objects.count() == 0
    assert not AuditEvent.objects.filter(action="interventions.change").exists()
    # What was typed is kept, identifiers included, to be corrected.
    if "case_reference" in changes:
        assert 'value="John Smith"' in page


def test_a_referral_to_another_providers_programme_is_refused(
    caseworker: Client, provider_a: Provider, provider_b: Provider
) -> None:
    data = referral_form(provider_a, programme=str(provider_b.programme.pk))
    found = summary(caseworker.post(url("participant-new"), data))
    assert ("id_programme", "Programme is not delivered by your organisation") in found
    assert Participant.objects.count() == 0


def test_a_used_case_reference_is_refused(
    caseworker: Client, provider_a: Provider, someone: Participant
) -> None:
    data = referral_form(provider_a, case_reference="TP-0001")
    found = summary(caseworker.post(url("participant-new"), data))
    assert ("id_case_reference", "Case reference is already used for another participant") in found
    assert Participant.objects.count() == 1


def test_without_the_pseudonym_key_identifiers_are_refused(
    caseworker: Client, provider_a: Provider
) -> None:
    with override_settings(VRN_PSEUDONYM_KEY=""):
        found = summary(caseworker.post(url("participant-new"), referral_form(provider_a)))
    assert [link for link, _ in found] == ["id_nhs_number"]
    assert "cannot be pseudonymised" in found[0][1]
    assert "VRN_PSEUDONYM_KEY" not in found[0][1]
    assert Participant.objects.count() == 0


# --------------------------------------------------------------------------- progress


def test_progress_is_recorded(caseworker: Client, someone: Participant) -> None:
    form = caseworker.get(url("progress", someone.pk)).content.decode()
    assert 'value="given" checked' in form
    data = {
        **date("start_date", 10, 3, 2024),
        **date("exit_date", 1, 6, 2024),
        "exit_reason": "completed",
        "consent_status": "given",
    }
    response = caseworker.post(url("progress", someone.pk), data)
    assert response.status_code == 302
    someone.refresh_from_db()
    assert (someone.start_date, someone.exit_date, someone.exit_reason) == (
        dt.date(2024, 3, 10),
        dt.date(2024, 6, 1),
        "completed",
    )


def test_invalid_progress_names_the_field(caseworker: Client, someone: Participant) -> None:
    data = {
        **date("start_date", 10, 3, 2024),
        **date("exit_date", 1, 6, 2024),
        "exit_reason": "",
        "consent_status": "given",
    }
    found = summary(caseworker.post(url("progress", someone.pk), data))
    assert found == [("id_exit_reason", "Exit reason is required with an exit date")]
    data |= date("exit_date", 1, 3, 2024) | {"exit_reason": "completed"}
    found = summary(caseworker.post(url("progress", someone.pk), data))
    assert ("id_exit_date", "Exit date is before the referral date") in found
    someone.refresh_from_db()
    assert someone.start_date is None and someone.exit_date is None


@pytest.mark.parametrize(
    "part",
    [
        {"start_date_day": "99999999999999999999"},
        {"start_date_month": "99999999999999999999"},
        {"start_date_year": "99999999999999999999"},
        {"start_date_day": "²"},
        {"start_date_month": "\uff13"},
    ],
)
def test_a_date_out_of_range_or_in_other_digits_is_a_form_error(
    caseworker: Client, someone: Participant, part: dict[str, str]
) -> None:
    data = {**date("start_date", 10, 3, 2024), "consent_status": "given", **part}
    found = summary(caseworker.post(url("progress", someone.pk), data))
    assert [link for link, _ in found] == ["id_start_date"]
    assert found[0][1].startswith("Start date must "), found
    someone.refresh_from_db()
    assert someone.start_date is None


# --------------------------------------------------------------------------- assessment


def test_an_assessment_is_recorded_with_its_scores(
    caseworker: Client, someone: Participant
) -> None:
    form = caseworker.get(url("assessment", someone.pk)).content.decode()
    assert "Risk factors" in form and "Protective factors" in form
    assert "Close relationships" in form and "Community and wider society" in form
    assert 'id="id_factor_impulsivity"' in form and "Not known" in form
    data = {
        **date("assessed_on", 6, 3, 2024),
        "stage": "entry",
        "factor_impulsivity": "yes",
        "factor_social_isolation": "yes",
        "factor_male": "no",
    }
    assert caseworker.post(url("assessment", someone.pk), data).status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.answers == {"impulsivity": True, "social_isolation": True, "male": False}
    assert assessment.risk_score == 2.0 and assessment.protective_score == 0.0
    assert (assessment.assessed_on, assessment.stage) == (dt.date(2024, 3, 6), "entry")
    assert assessment.case_reference == "TP-0001"
    # The next assessment is a review, unless the caseworker says otherwise.
    again = caseworker.get(url("assessment", someone.pk)).content.decode()
    assert 'value="review" checked' in again


def test_an_invalid_assessment_names_the_field(caseworker: Client, someone: Participant) -> None:
    data = {**date("assessed_on", 1, 3, 2024), "stage": "entry", "factor_impulsivity": "yes"}
    found = summary(caseworker.post(url("assessment", someone.pk), data))
    assert found == [("id_assessed_on", "Assessment date is before the referral date")]
    data = {**date("assessed_on", "", "", ""), "stage": "entry", "factor_impulsivity": "maybe"}
    found = summary(caseworker.post(url("assessment", someone.pk), data))
    assert ("id_assessed_on", "Assessment date is required") in found
    assert Assessment.objects.count() == 0


# --------------------------------------------------------------------------- contact


def test_a_contact_is_recorded(caseworker: Client, someone: Participant) -> None:
    data = {
        **date("contact_date", 12, 3, 2024),
        "kind": "group_session",
        "attendance": "did_not_attend",
        "duration_minutes": "",
    }
    assert caseworker.post(url("contact", someone.pk), data).status_code == 302
    contact = Contact.objects.get()
    assert (contact.contact_date, contact.kind, contact.attendance) == (
        dt.date(2024, 3, 12),
        "group_session",
        "did_not_attend",
    )
    assert contact.duration_minutes is None


def test_an_invalid_contact_names_the_fields(caseworker: Client, someone: Participant) -> None:
    data = {**date("contact_date", 12, 3, 2024), "kind": "", "attendance": "attended"}
    data["duration_minutes"] = "5000"
    found = summary(caseworker.post(url("contact", someone.pk), data))
    assert found == [
        ("id_kind", "Kind of contact is required"),
        ("id_duration_minutes", "Duration in minutes must be between 1 and 1,440"),
    ]
    data["duration_minutes"] = "an hour"
    found = summary(caseworker.post(url("contact", someone.pk), data))
    assert found == [("id_duration_minutes", "Duration in minutes must be a whole number, like 15")]
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "²"}, "Duration in minutes must be a whole number, like 15"),
        ({"duration_minutes": "٦٠"}, "Duration in minutes must be a whole number, like 15"),
        (
            {"duration_minutes": "9" * 20},
            "Duration in minutes must be a number of at most 9 digits",
        ),
        ({"duration_minutes": "9" * 5000}, "Duration in minutes must be a number of at most 9"),
        ({"contact_date_day": "9" * 20}, "Contact date must be a real date"),
        ({"contact_date_month": "²"}, "Contact date must be a real date, in numbers"),
    ],
)
def test_a_contact_with_absurd_or_other_digits_names_the_field(
    caseworker: Client, someone: Participant, changes: dict[str, str], message: str
) -> None:
    data = {**date("contact_date", 12, 3, 2024), "kind": "one_to_one", "attendance": "attended"}
    found = summary(caseworker.post(url("contact", someone.pk), data | changes))
    assert len(found) == 1 and found[0][1].startswith(message), found
    assert Contact.objects.count() == 0


# --------------------------------------------------------------------------- review


def test_a_review_first_asks_for_the_scale(caseworker: Client, someone: Participant) -> None:
    page = caseworker.get(url("review", someone.pk)).content.decode()
    assert "Which scale is this review on?" in page
    for label in ("VRN self-report journey", "VRN practitioner journey"):
        assert label in page
    found = summary(caseworker.get(url("review", someone.pk), {"scale": "horoscope"}))
    assert found == [("id_scale", "Select the scale this review is on")]
    chosen = caseworker.get(url("review", someone.pk), {"scale": "vrn_self_report_journey"})
    form = chosen.content.decode()
    assert 'id="id_score_feeling_safe"' in form
    assert "A score from 1 to 10" in form


def test_a_programme_with_one_scale_goes_straight_to_it(
    caseworker: Client, someone: Participant, provider_a: Provider
) -> None:
    provider_a.programme.scales = ["vrn_practitioner_journey"]
    provider_a.programme.save()
    page = caseworker.get(url("review", someone.pk)).content.decode()
    assert 'id="id_score_engagement"' in page
    assert "Choose another scale" not in page


def test_a_review_is_recorded(caseworker: Client, someone: Participant) -> None:
    address = url("review", someone.pk) + "?scale=vrn_self_report_journey"
    data = {
        "scale": "vrn_self_report_journey",
        **date("review_date", 28, 3, 2024),
        "score_feeling_safe": "4",
        "score_relationships": "7",
        "score_future_hopes": "",
    }
    assert caseworker.post(address, data).status_code == 302
    review = Review.objects.get()
    assert review.scores == {"feeling_safe": 4.0, "relationships": 7.0}
    assert review.mean_score == 5.5
    assert review.perspective == "self_report"


def test_an_invalid_review_names_the_area(caseworker: Client, someone: Participant) -> None:
    address = url("review", someone.pk) + "?scale=vrn_self_report_journey"
    data = {
        "scale": "vrn_self_report_journey",
        **date("review_date", 28, 3, 2024),
        "score_feeling_safe": "11",
        "score_relationships": "lots",
    }
    found = summary(caseworker.post(address, data))
    assert found == [
        ("id_score_feeling_safe", "Feeling safe must be between 1 and 10"),
        ("id_score_relationships", "Relationships is not a number"),
    ]
    blank = {"scale": "vrn_self_report_journey", **date("review_date", 28, 3, 2024)}
    found = summary(caseworker.post(address, blank))
    assert found == [
        ("id_score_feeling_safe", "The review has no score: score at least one area"),
    ]
    assert Review.objects.count() == 0


# --------------------------------------------------------------------------- outcome, note


def test_an_outcome_is_recorded(caseworker: Client, someone: Participant) -> None:
    data = {"kind": "entered_employment", **date("outcome_date", 2, 4, 2024)}
    data["evidence"] = "employer_or_college_confirmation"
    assert caseworker.post(url("outcome", someone.pk), data).status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.kind, outcome.outcome_date, outcome.verified) == (
        "entered_employment",
        dt.date(2024, 4, 2),
        True,
    )


def test_an_invalid_outcome_names_the_fields(caseworker: Client, someone: Participant) -> None:
    future = timezone.localdate() + dt.timedelta(days=3)
    data = {
        "kind": "",
        "evidence": "",
        **date("outcome_date", future.day, future.month, future.year),
    }
    found = summary(caseworker.post(url("outcome", someone.pk), data))
    assert found == [
        ("id_kind", "Outcome is required"),
        ("id_outcome_date", "Outcome date is in the future"),
        ("id_evidence", "Evidence is required"),
    ]
    assert Outcome.objects.count() == 0


def test_a_case_note_is_recorded(caseworker: Client, someone: Participant) -> None:
    data = {"text": "Talked about college", "visibility": "author"}
    assert caseworker.post(url("note", someone.pk), data).status_code == 302
    note = CaseNote.objects.get()
    assert (note.text, note.visibility, note.recorded_by) == (
        "Talked about college",
        "author",
        "caseworker-a",
    )


def test_an_empty_case_note_names_the_field(caseworker: Client, someone: Participant) -> None:
    found = summary(
        caseworker.post(url("note", someone.pk), {"text": "  ", "visibility": "provider"})
    )
    assert found == [("id_text", "Case note is required")]
    assert CaseNote.objects.count() == 0


# --------------------------------------------------------------------------- error reports


def test_a_referral_s_identifiers_are_hidden_in_an_error_report(
    provider_a: Provider, signed_in: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the referral to fail, the report Django sends (DEBUG off) would show neither
    the identifiers posted nor any frame's variables under the view."""
    from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

    from vrn.interventions.forms import ReferralForm

    def fails(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the pseudonymiser failed")

    monkeypatch.setattr("vrn.interventions.entry.pseudonymise_person", fails)
    client = signed_in(provider_a.caseworker)
    client.raise_request_exception = False
    data = referral_form(
        provider_a,
        surname="Thistlewood",
        forename="Jonah",
        person_id="PERSON-77",
        **date("date_of_birth", 16, 11, 2006),
    )
    page = client.get(url("participant-new")).content.decode()
    inputs = ReferralForm.identifier_inputs()
    assert set(inputs) == {
        "nhs_number",
        "surname",
        "forename",
        "date_of_birth_day",
        "date_of_birth_month",
        "date_of_birth_year",
        "person_id",
        "postcode",
    }
    assert all(f'name="{name}"' in page for name in inputs)

    response = client.post(url("participant-new"), data)

    assert response.status_code == 500
    request = response.wsgi_request
    assert list(request.sensitive_post_parameters) == inputs
    posted = SafeExceptionReporterFilter().get_post_parameters(request)
    assert all(posted[name] == SafeExceptionReporterFilter.cleansed_substitute for name in inputs)
    assert posted["case_reference"] == "TP-0100"
    reporter = ExceptionReporter(request, *response.exc_info, is_email=True)
    report = reporter.get_traceback_text() + " ".join(
        repr(value) for frame in reporter.get_traceback_frames() for _, value in frame["vars"]
    )
    assert "the pseudonymiser failed" in report and "new_participant" in report
    for value in ("9434765919", NHS_NUMBER, "Thistlewood", "Jonah", "PERSON-77", "LE1 5WW"):
        assert value not in report, value
    assert "2006-11-16" not in report and "2006, 11, 16" not in report
