"""Who may call which endpoint, checked on every request (``vrn.interventions.access``
decides; which records a caller then sees is ``queries.py``'s, through the same module).

* Programmes: anyone signed in whose role deals with interventions: a caseworker, the
  network's team (``interventions.view_programme``: administrator, analyst, programme
  manager) and the board (``accounts.view_network_dashboard``). Not the public role.
* Participant records: to read, a caseworker (their organisation's) or the network's
  team (all, pseudonymised); to write, a caseworker only (their organisation's).
* Case notes: caseworkers only (of the holding provider; the rest get 404).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from vrn.interventions import access

PROGRAMMES_PERMISSIONS = ("interventions.view_programme", "accounts.view_network_dashboard")


def sees_programmes(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (access.is_caseworker(user) or any(user.has_perm(p) for p in PROGRAMMES_PERMISSIONS))
    )


class SeesProgrammes(BasePermission):  # type: ignore[misc]
    message = "Your role does not see intervention programmes."

    def has_permission(self, request: Any, view: Any) -> bool:
        return sees_programmes(request.user)


class SeesRecords(BasePermission):  # type: ignore[misc]
    """Reading: a caseworker or the network's team; writing: a caseworker."""

    message = "Your role does not see participant records, or may not change them."

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return access.sees_records(request.user)
        return access.is_caseworker(request.user)


class Caseworkers(BasePermission):  # type: ignore[misc]
    message = "Only the holding provider's caseworkers see and write case notes."

    def has_permission(self, request: Any, view: Any) -> bool:
        return access.is_caseworker(request.user)
