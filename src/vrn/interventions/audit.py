"""The audit of participant records: every view, list, export and change, with who,
when, which records and why (the purpose the user declared)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from vrn.audit.events import record

if TYPE_CHECKING:
    from django.http import HttpRequest

#: Actions written to the audit trail.
VIEW = "interventions.view"
LIST = "interventions.list"
EXPORT = "interventions.export"
CHANGE = "interventions.change"


def audit_records(
    action: str,
    *,
    actor: str,
    address: str,
    participant_ids: Iterable[int],
    purpose: str,
    via: str,
    what: str = "",
) -> None:
    """One audit event for ``participant_ids`` (participant numbers, never identifiers)."""
    ids = sorted(set(participant_ids))
    target = f"participant {ids[0]}" if len(ids) == 1 else f"{len(ids):,} participants"
    record(
        action,
        actor=actor,
        address=address,
        target=target,
        # Every id, however many (an export of 50,000 is about 350 KB of JSON), so that
        # "who saw participant X" always has an answer.
        participants=ids,
        count=len(ids),
        purpose=purpose,
        via=via,
        what=what,
    )


def audit_request(
    request: HttpRequest,
    action: str,
    participant_ids: Iterable[int],
    *,
    purpose: str,
    via: str,
    what: str = "",
) -> None:
    from vrn.web.signin import client_address

    audit_records(
        action,
        actor=request.user.get_username(),
        address=client_address(request) or "",
        participant_ids=participant_ids,
        purpose=purpose,
        via=via,
        what=what,
    )
