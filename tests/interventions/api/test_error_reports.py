"""The identifiers of a referral never reach an error report: the POST parameters and
the variables of every frame under the view are hidden (as Django's reports hide them
with DEBUG off)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter
from rest_framework.test import APIClient

from ..conftest import Provider
from .conftest import token_client

pytestmark = pytest.mark.django_db

NHS_NUMBER = "9434765919"
IDENTIFIERS = {
    "nhs_number": NHS_NUMBER,
    "surname": "Thistlewood",
    "forename": "Jonah",
    "date_of_birth": "2007-05-06",
    "residence_postcode": "LE1 5WW",
}


def _report(response: Any) -> str:
    """The error report Django would send for the response's exception (DEBUG off)."""
    request = response.wsgi_request
    exc_type, exc_value, tb = response.exc_info
    reporter = ExceptionReporter(request, exc_type, exc_value, tb, is_email=True)
    return reporter.get_traceback_text() + json.dumps(
        [
            {name: repr(value) for name, value in frame["vars"]}
            for frame in reporter.get_traceback_frames()
        ]
    )


def test_a_referral_s_identifiers_are_hidden_in_an_error_report(
    provider_a: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the pseudonymiser failed")

    monkeypatch.setattr("vrn.interventions.entry.pseudonymise_person", fails)
    client = token_client(provider_a.caseworker)
    client.raise_request_exception = False
    body = {
        "programme": "VIP",
        "case_reference": "TP-0001",
        "referral_date": "2024-03-04",
        "referral_source": "emergency_department",
        "consent_status": "given",
        "lawful_basis": "consent",
        **IDENTIFIERS,
    }

    response = client.post("/api/participants/", body, format="json")

    assert response.status_code == 500
    request = response.wsgi_request
    assert set(request.sensitive_post_parameters) >= set(IDENTIFIERS)
    report = _report(response)
    assert "the pseudonymiser failed" in report
    assert "new_participant" in report  # the frames are there, their variables hidden
    for value in (NHS_NUMBER, "Thistlewood", "Jonah", "2007-05-06", "LE1 5WW"):
        assert value not in report, value


def test_a_form_encoded_referral_s_identifiers_are_hidden_too(provider_a: Provider) -> None:
    """The API takes JSON only (415 otherwise), but the POST parameters of the request
    are still marked sensitive, as on the web form."""
    client = APIClient()
    client.force_authenticate(provider_a.caseworker)
    response = client.post("/api/participants/", IDENTIFIERS, format="multipart")
    assert response.status_code == 415
    request = response.wsgi_request
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed["nhs_number"] == SafeExceptionReporterFilter.cleansed_substitute
    assert NHS_NUMBER not in json.dumps(dict(cleansed))
