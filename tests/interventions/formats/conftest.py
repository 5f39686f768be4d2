"""Small intervention files written in each test, and loading them: the two providers
(``provider_a``: turning-point, programme VIP; ``provider_b``: leics-cares, UP) come from
``tests/interventions/conftest.py``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest

from vrn.ingest.pipeline import FileResult, LoadContext

from ...partners import load, write_csv

TODAY = date(2024, 12, 31)
#: A valid NHS number (check digit) and another.
NHS_NUMBER = "9434765919"
OTHER_NHS_NUMBER = "4010232137"

PARTICIPANTS = [
    "provider_code",
    "programme_code",
    "case_reference",
    "referral_date",
    "referral_source",
    "reachable_moment",
    "consent_status",
    "lawful_basis",
    "age",
    "sex",
    "ethnicity",
    "priority_groups",
    "residence_lsoa",
    "start_date",
    "exit_date",
    "exit_reason",
    "nhs_number",
]
PARTICIPANT = {
    "provider_code": "turning-point",
    "programme_code": "VIP",
    "case_reference": "TP-0001",
    "referral_date": "2024-03-04",
    "referral_source": "emergency_department",
    "reachable_moment": "ae_attendance",
    "consent_status": "given",
    "lawful_basis": "consent",
    "age": "17",
    "sex": "M",
    "ethnicity": "black",
    "priority_groups": "males_under_25;at_risk_of_exploitation",
    "residence_lsoa": "E01013776",
    "start_date": "2024-03-11",
    "exit_date": "",
    "exit_reason": "",
    "nhs_number": NHS_NUMBER,
}
CONTACTS = ["provider_code", "case_reference", "contact_date", "kind", "attendance"]
CONTACTS += ["duration_minutes"]
CONTACT = {
    "provider_code": "turning-point",
    "case_reference": "TP-0001",
    "contact_date": "2024-03-12",
    "kind": "one_to_one",
    "attendance": "attended",
    "duration_minutes": "60",
}

Rows = Sequence[dict[str, str]]


def rows(base: dict[str, str], *changes: dict[str, str]) -> list[dict[str, str]]:
    """One row per ``changes``: ``base`` with those values changed."""
    return [{**base, **change} for change in changes]


@pytest.fixture
def context() -> LoadContext:
    return LoadContext(loaded_by="tester", today=TODAY)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, Sequence[str], Rows], Path]:
    """Write a CSV in the test's folder: ``write(name, header, rows)``."""

    def make(name: str, header: Sequence[str], content: Rows) -> Path:
        return write_csv(tmp_path / name, header, content)

    return make


@pytest.fixture
def load_as(context: LoadContext) -> Callable[..., FileResult]:
    """``load_as(format, path, organisation=None, **context changes)``."""

    def run(format_name: str, path: Path, **changes: object) -> FileResult:
        return load(format_name, path, dataclasses.replace(context, **changes))  # type: ignore[arg-type]

    return run


@pytest.fixture
def enter() -> Callable[..., object]:
    """Record through the web forms' service (``vrn.interventions.entry``):
    ``enter(provider, "participant", case_reference=..., referral_date=...)`` or
    ``enter(provider, "contact", participant, contact_date=...)``."""
    from vrn.interventions import entry

    def run(provider: object, what: str, *args: object, **values: object) -> object:
        actor = entry.actor_for(provider.caseworker)  # type: ignore[attr-defined]
        if what == "participant":
            given = {
                "programme": provider.programme,  # type: ignore[attr-defined]
                "referral_source": "emergency_department",
                "consent_status": "given",
                "lawful_basis": "consent",
                **values,
            }
            return entry.new_participant(actor, given)
        return getattr(entry, f"new_{what}")(actor, *args, **values)

    return run
