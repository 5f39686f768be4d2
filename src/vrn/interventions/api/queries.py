"""What the API reads: every participant record through ``access`` (the user's own
organisation's for a caseworker, all for the network's team, none for anyone else)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from vrn.interventions import access
from vrn.interventions.models import (
    Assessment,
    CaseNote,
    Contact,
    Outcome,
    Participant,
    Programme,
    Recorded,
    Review,
)

if TYPE_CHECKING:
    from vrn.interventions.access import AnyUser

#: The largest id a database key holds (a larger one names no record).
LARGEST_ID = 2**63 - 1

#: Journey records by the name the API gives them: the model and the date they are in
#: order of.
JOURNEY: dict[str, tuple[type[Recorded], str]] = {
    "contacts": (Contact, "contact_date"),
    "assessments": (Assessment, "assessed_on"),
    "reviews": (Review, "review_date"),
    "outcomes": (Outcome, "outcome_date"),
}


@dataclass(frozen=True)
class ParticipantFilters:
    """What a list of participants is narrowed to (never widened beyond ``access``)."""

    programme: str | None = None
    provider: str | None = None
    referred_from: dt.date | None = None
    referred_to: dt.date | None = None
    status: str | None = None
    case_reference: str | None = None


def programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("provider").order_by("code")


def programme(code: str) -> Programme | None:
    return programmes().filter(code=code).first()


def participants(user: AnyUser, filters: ParticipantFilters) -> QuerySet[Participant]:
    """The participants ``user`` may see, narrowed by ``filters``, in order of their id."""
    found = access.participants(user)
    if filters.programme is not None:
        found = found.filter(programme__code=filters.programme)
    if filters.provider is not None:
        found = found.filter(provider__code=filters.provider)
    if filters.referred_from is not None:
        found = found.filter(referral_date__gte=filters.referred_from)
    if filters.referred_to is not None:
        found = found.filter(referral_date__lte=filters.referred_to)
    if filters.status == "open":
        found = found.filter(exit_date__isnull=True)
    elif filters.status == "exited":
        found = found.filter(exit_date__isnull=False)
    if filters.case_reference is not None:
        found = found.filter(case_reference=filters.case_reference)
    return found.order_by("pk")


def participant(user: AnyUser, participant_id: int) -> Participant | None:
    """The participant, if ``user`` may see them (None for another provider's, as for one
    that does not exist)."""
    if not 0 < participant_id <= LARGEST_ID:
        return None
    return access.participants(user).filter(pk=participant_id).first()


def journey(user: AnyUser, kind: str, participant: Participant) -> QuerySet[Recorded]:
    """The participant's ``kind`` records (:data:`JOURNEY`) that ``user`` may see, in date
    order."""
    model, date_field = JOURNEY[kind]
    records: QuerySet[Recorded] = model._default_manager.filter(
        provider_id=participant.provider_id, case_reference=participant.case_reference
    )
    return access.scoped(user, records).order_by(date_field, "pk")


def case_notes(user: AnyUser, participant: Participant) -> QuerySet[CaseNote]:
    return access.case_notes(user, participant).order_by("recorded_at", "pk")
