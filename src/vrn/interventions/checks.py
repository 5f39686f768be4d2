"""The rules of meaning every way in applies to an intervention record: the web forms and
the API (through :mod:`vrn.interventions.entry`) and bulk files (:mod:`vrn.interventions.
formats`). Each function returns the message for a field at fault, or None (or a dict
``field -> message``); none quotes a person's identifier.

Code lists are the definitions in force (:func:`vrn.interventions.reference.codes`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from vrn.ingest.pseudonymise import normal_nhs_number
from vrn.interventions import reference
from vrn.interventions.models import CASE_REFERENCE_PATTERN

_CASE_REFERENCE = re.compile(CASE_REFERENCE_PATTERN)

CASE_REFERENCE_RULE = (
    "must be your own record number: 1-40 letters, digits and / _ . - "
    "(never a name or an NHS number)"
)
#: The stages of an assessment of need.
STAGES = ("entry", "review", "exit")
AGE_RANGE = (0, 120)
#: A contact's length in minutes: at least one, at most a day.
DURATION_RANGE = (1, 24 * 60)
BEFORE_REFERRAL = "is before the referral date"


def case_reference_problem(value: str) -> str | None:
    """A case reference is the provider's record number: never an NHS number (a number of
    ten digits with a valid NHS check digit is refused as one)."""
    if not _CASE_REFERENCE.fullmatch(value):
        return CASE_REFERENCE_RULE
    if normal_nhs_number(value) is not None:
        return (
            "looks like an NHS number (10 digits with a valid check digit); use your own "
            "record number, e.g. with a prefix such as TP-"
        )
    return None


def code_problem(list_name: str, value: str, *, required: bool = True) -> str | None:
    """``value`` is an id of code list ``list_name`` (blank only when not required)."""
    if not value:
        return "is required" if required else None
    if value not in reference.codes().ids(list_name):
        return f"is not one of the {list_name.replace('_', ' ')} codes"
    return None


def unknown_priority_groups(groups: Iterable[str]) -> list[str]:
    known = {group.id for group in reference.priorities().groups}
    return [group for group in groups if group not in known]


def priority_groups_problem(groups: Iterable[str]) -> str | None:
    unknown = unknown_priority_groups(groups)
    return "has unknown priority groups: " + ", ".join(unknown) if unknown else None


def consent_problem(consent_status: str, lawful_basis: str) -> str | None:
    """The message for ``lawful_basis`` when it contradicts the consent status."""
    if consent_status in ("refused", "withdrawn") and lawful_basis == "consent":
        return "is consent, but consent was refused or withdrawn"
    return None


def age_problem(age: int | None) -> str | None:
    low, high = AGE_RANGE
    return None if age is None or low <= age <= high else f"must be between {low} and {high}"


def progress_problems(
    referral_date: dt.date | None,
    start_date: dt.date | None,
    exit_date: dt.date | None,
    exit_reason: str,
) -> dict[str, str]:
    """Dates in order (start and exit not before the referral, exit not before the start)
    and an exit with its reason (and a reason only with an exit)."""
    problems: dict[str, str] = {}
    for field, value in (("start_date", start_date), ("exit_date", exit_date)):
        if value is not None and referral_date is not None and value < referral_date:
            problems.setdefault(field, BEFORE_REFERRAL)
    if start_date is not None and exit_date is not None and exit_date < start_date:
        problems.setdefault("exit_date", "is before the start date")
    if exit_date is not None and not exit_reason:
        problems.setdefault("exit_reason", "is required with an exit date")
    if exit_reason and exit_date is None:
        problems.setdefault("exit_date", "is required with an exit reason")
    return problems


def before_referral(value: dt.date | None, referral_date: dt.date | None) -> str | None:
    """A journey record is not dated before its participant's referral."""
    if value is None or referral_date is None or value >= referral_date:
        return None
    return BEFORE_REFERRAL


def contact_date_problem(contact_date: dt.date, attendance: str, today: dt.date) -> str | None:
    """A contact that happened is not in the future (one booked or cancelled may be)."""
    if contact_date > today and attendance in reference.codes().attended_codes:
        return "is in the future, but the contact is recorded as attended"
    return None


def duration_problem(minutes: int | None) -> str | None:
    low, high = DURATION_RANGE
    if minutes is None or low <= minutes <= high:
        return None
    return f"must be between {low} and {high:,}"


def stage_problem(stage: str) -> str | None:
    return None if stage in STAGES else "must be entry, review or exit"


def verified(evidence_kind: str) -> bool:
    """Whether the evidence kind counts as verified (independent of the participant)."""
    return evidence_kind in reference.codes().verified_evidence_kinds
