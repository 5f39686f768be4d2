"""Who may see and change which participant records (checked on the server, every request).

* A provider caseworker (``accounts.record_casework``, with an organisation) sees and
  records only the participants their own organisation holds.
* The network's team (``interventions.view_intervention_records``: analysts and
  programme managers) sees every participant as a pseudonymised record (no case
  reference, no case notes) and may change none.
* Board members and the public see no record: only aggregates, under disclosure control
  (``interventions.view_intervention_reports`` for exact ones).
* Case notes are seen only by caseworkers of the holding organisation, and a note kept
  to its author only by its author.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Q, QuerySet

from vrn.interventions.models import CaseNote, Participant, Recorded

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vrn.accounts.models import User

    AnyUser = User | AnonymousUser

CASEWORK_PERMISSION = "accounts.record_casework"
RECORDS_PERMISSION = "interventions.view_intervention_records"
REPORTS_PERMISSION = "interventions.view_intervention_reports"
MANAGE_PERMISSION = "accounts.manage_programmes"

R = TypeVar("R", bound=Model)


def organisation_id(user: AnyUser) -> int | None:
    """The caseworker's organisation, or None if the user records no casework."""
    if not user.is_authenticated or not user.has_perm(CASEWORK_PERMISSION):
        return None
    return getattr(user, "organisation_id", None)


def is_caseworker(user: AnyUser) -> bool:
    return organisation_id(user) is not None


def sees_all_records(user: AnyUser) -> bool:
    """The network's view: every participant, pseudonymised."""
    return bool(user.is_authenticated and user.has_perm(RECORDS_PERMISSION))


def sees_records(user: AnyUser) -> bool:
    return is_caseworker(user) or sees_all_records(user)


def sees_exact_reports(user: AnyUser) -> bool:
    """Exact report figures; everyone else gets them under disclosure control."""
    return bool(user.is_authenticated and user.has_perm(REPORTS_PERMISSION))


def scoped(user: AnyUser, records: QuerySet[R]) -> QuerySet[R]:
    """``records`` (participants or journey records) the user may see: their own
    organisation's for a caseworker, all for the network's team, none otherwise."""
    if sees_all_records(user):
        return records
    own = organisation_id(user)
    if own is None:
        return records.none()
    return records.filter(provider_id=own)


def participants(user: AnyUser) -> QuerySet[Participant]:
    return scoped(user, Participant.objects.select_related("programme", "provider"))


def may_record_for(user: AnyUser, participant: Participant) -> bool:
    """Only a caseworker of the holding organisation changes a participant's records."""
    own = organisation_id(user)
    return own is not None and participant.provider_id == own


def shows_case_reference(user: AnyUser, record: Recorded) -> bool:
    """The case reference is the provider's own: the network sees the pseudonymous id."""
    return may_record_for(user, record) if isinstance(record, Participant) else False


def case_notes(user: AnyUser, participant: Participant) -> QuerySet[CaseNote]:
    """The participant's case notes this user may read (none outside the provider)."""
    notes = CaseNote.objects.filter(
        provider_id=participant.provider_id, case_reference=participant.case_reference
    )
    if not may_record_for(user, participant):
        return notes.none()
    return notes.filter(
        Q(visibility=CaseNote.Visibility.PROVIDER) | Q(recorded_by=user.get_username())
    )
