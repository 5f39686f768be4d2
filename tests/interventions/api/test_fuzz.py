"""The API fuzzed against its own schema (schemathesis, through the site's WSGI
application): signed in as a caseworker with a token, with participants of both
providers present, every operation answers with a documented status and a body that
fits the schema (valid and invalid inputs alike), and never with a server error.

The normal run tries the same few dozen examples per operation every time; with
``VRN_FUZZ_EXAMPLES=N`` it is a random run of N examples per operation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from vrn.interventions.api import tokens

from ..conftest import Provider
from .conftest import Journey

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

#: Examples per operation (valid and invalid): about 20 s for the whole API.
EXAMPLES = 40
LONG = os.environ.get("VRN_FUZZ_EXAMPLES", "")

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",
            "max-examples": int(LONG) if LONG else EXAMPLES,
            "deterministic": not LONG,
            "database": "none",
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)


@pytest.fixture
def site_app() -> Iterator[Any]:
    """The site's WSGI application, on this test's database connection (which a request
    would otherwise close, as the test client also prevents)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def caseworker_headers(provider_a: Provider, journeys: dict[str, Journey]) -> dict[str, str]:
    return {"Authorization": f"Token {tokens.issue('caseworker-a', actor='tests')}"}


@pytest.fixture
def api_schema(site_app: Any, caseworker_headers: dict[str, str]) -> Any:
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", site_app, config=CONFIG, headers=caseworker_headers
    )


schema = schemathesis.pytest.from_fixture("api_schema")


def aim(case: Any, journeys: dict[str, Journey]) -> None:
    """Point a generated case at records that exist, as often as not: a third of the
    participant ids at the caseworker's own participant and a third at the other
    provider's; a programme code at a real programme in two cases of three."""
    own, other = journeys["a"].participant.pk, journeys["b"].participant.pk
    path = case.path_parameters or {}
    given = path.get("participant_id")
    if isinstance(given, int) and not isinstance(given, bool):
        path["participant_id"] = [own, own, other, given][given % 4]
    code = path.get("programme_code")
    if isinstance(code, str):
        path["programme_code"] = ["VIP", "UP", code][len(code) % 3]
    if isinstance(case.body, dict) and isinstance(case.body.get("programme"), str):
        case.body["programme"] = ["VIP", "UP", case.body["programme"]][
            len(case.body["programme"]) % 3
        ]


@pytest.mark.django_db
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(
    case: Any, caseworker_headers: dict[str, str], journeys: dict[str, Journey]
) -> None:
    aim(case, journeys)
    response = case.call(headers=caseworker_headers)
    case.validate_response(response, checks=CHECKS, headers=caseworker_headers)
