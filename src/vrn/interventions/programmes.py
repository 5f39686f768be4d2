"""Creating and updating programmes and their provider organisations from plain entries
(the demo's ``programmes.toml``, or a deployment's own list).

:func:`upsert_programmes` is idempotent: a programme is found by its code and a provider
by its organisation code, so running it again with the same entries changes nothing.
Codes are checked against the definitions in force (intervention-codes, priorities,
evidence-ratings, distance-scales); a wrong one raises :class:`ProgrammeError` naming the
programme and the field, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from vrn.accounts.models import Organisation
from vrn.interventions import reference
from vrn.interventions.models import Programme


class ProgrammeError(ValueError):
    """An entry that cannot be a programme: ``programme`` (its code), ``field`` and what
    is wrong with it (``message``)."""

    def __init__(self, programme: str, field: str, message: str) -> None:
        self.programme = programme
        self.field = field
        self.message = message
        super().__init__(f"programme {programme or '(no code)'}: {field} {message}")


#: The longest text of each field (the database's columns).
MAXIMUM_LENGTHS = {
    "name": 200,
    "board_sponsor": 200,
    "funder": 200,
    "linkage_agreement": 200,
    "evidence_approach": 64,
    "prevention_level": 32,
}


def _text(entry: Mapping[str, Any], field: str, code: str, *, required: bool = False) -> str:
    value = entry.get(field, "")
    if not isinstance(value, str):
        raise ProgrammeError(code, field, "must be text")
    if required and not value.strip():
        raise ProgrammeError(code, field, "is required")
    longest = MAXIMUM_LENGTHS.get(field)
    if longest is not None and len(value.strip()) > longest:
        raise ProgrammeError(code, field, f"must be {longest} characters or fewer")
    return value.strip()


def _ids(entry: Mapping[str, Any], field: str, code: str, known: Sequence[str]) -> list[str]:
    value = entry.get(field, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProgrammeError(code, field, "must be a list of ids")
    unknown = [item for item in value if item not in known]
    if unknown:
        raise ProgrammeError(
            code, field, f"has unknown ids {', '.join(unknown)} (known: {', '.join(known)})"
        )
    return list(dict.fromkeys(value))


def _date(entry: Mapping[str, Any], field: str, code: str, *, required: bool) -> dt.date | None:
    value = entry.get(field)
    if value is None and not required:
        return None
    if value is None:
        raise ProgrammeError(code, field, "is required")
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ProgrammeError(code, field, "must be a date (YYYY-MM-DD)")
    return value


def _amount(entry: Mapping[str, Any], code: str) -> Decimal | None:
    value = entry.get("funding")
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise ProgrammeError(code, "funding", "must be an amount in pounds") from error
    if isinstance(value, bool) or not amount.is_finite() or amount < 0:
        raise ProgrammeError(code, "funding", "must be an amount in pounds, not negative")
    return amount.quantize(Decimal("0.01"))


def _capacity(entry: Mapping[str, Any], code: str) -> int | None:
    value = entry.get("capacity")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProgrammeError(code, "capacity", "must be a whole number of participants")
    return value


def _provider(entry: Mapping[str, Any], code: str) -> dict[str, str]:
    provider = entry.get("provider")
    if not isinstance(provider, Mapping):
        raise ProgrammeError(code, "provider", "must be a table with code and name")
    try:
        values = {
            "code": _text(provider, "code", code, required=True),
            "name": _text(provider, "name", code, required=True),
            "kind": _text(provider, "kind", code) or Organisation.Kind.PROVIDER,
        }
    except ProgrammeError as error:
        raise ProgrammeError(code, f"provider.{error.field}", error.message) from error
    if values["kind"] not in Organisation.Kind.values:
        raise ProgrammeError(
            code, "provider.kind", f"must be one of {', '.join(Organisation.Kind.values)}"
        )
    return values


def programme_values(entry: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """The provider (code, name, kind) and the programme's fields of one entry, checked
    against the definitions in force."""
    code = entry.get("code")
    if not isinstance(code, str) or not code.strip():
        raise ProgrammeError("", "code", "is required")
    code = code.strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_]{1,16}", code):
        raise ProgrammeError(code[:16], "code", "must be 1-16 letters, digits, - or _")
    codes = reference.codes()
    priorities = reference.priorities()
    evidence = _text(entry, "evidence_approach", code)
    if evidence and evidence not in reference.evidence().ids:
        raise ProgrammeError(code, "evidence_approach", "is not an approach of evidence-ratings")
    level = _text(entry, "prevention_level", code, required=True)
    if level not in codes.ids("prevention_level"):
        raise ProgrammeError(code, "prevention_level", "is not one of the prevention levels")
    start = _date(entry, "period_start", code, required=True)
    end = _date(entry, "period_end", code, required=False)
    if start is not None and end is not None and end < start:
        raise ProgrammeError(code, "period_end", "is before period_start")
    actions = entry.get("strategy_actions", [])
    if not isinstance(actions, list) or not all(isinstance(item, str) for item in actions):
        raise ProgrammeError(code, "strategy_actions", "must be a list of text")
    synthetic = entry.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise ProgrammeError(code, "synthetic", "must be true or false")
    values = {
        "name": _text(entry, "name", code, required=True),
        "summary": _text(entry, "summary", code),
        "prevention_level": level,
        "life_course_stages": _ids(
            entry, "life_course_stages", code, codes.ids("life_course_stage")
        ),
        "target_groups": _ids(
            entry, "target_groups", code, [group.id for group in priorities.groups]
        ),
        "target_areas": _ids(entry, "target_areas", code, [area.id for area in priorities.areas]),
        "strategy_actions": list(actions),
        "evidence_approach": evidence,
        "board_sponsor": _text(entry, "board_sponsor", code),
        "funder": _text(entry, "funder", code),
        "funding": _amount(entry, code),
        "period_start": start,
        "period_end": end,
        "capacity": _capacity(entry, code),
        "scales": _ids(entry, "scales", code, list(reference.scales().ids)),
        "linkage_agreement": _text(entry, "linkage_agreement", code),
        "synthetic": synthetic,
    }
    return _provider(entry, code), {"code": code, **values}


def _organisation(provider: Mapping[str, str]) -> Organisation:
    """The provider's organisation, found by code (else by name), with its name, kind and
    code set."""
    organisation = (
        Organisation.objects.filter(code=provider["code"]).first()
        or Organisation.objects.filter(name=provider["name"]).first()
        or Organisation()
    )
    changed = (organisation.name, organisation.kind, organisation.code) != (
        provider["name"],
        provider["kind"],
        provider["code"],
    )
    if organisation.pk is None or changed:
        organisation.name = provider["name"]
        organisation.kind = provider["kind"]
        organisation.code = provider["code"]
        organisation.save()
    return organisation


#: The keys a programme entry may have (anything else is a typo, refused).
ENTRY_KEYS = frozenset(
    {
        "code",
        "name",
        "summary",
        "provider",
        "prevention_level",
        "life_course_stages",
        "target_groups",
        "target_areas",
        "strategy_actions",
        "evidence_approach",
        "board_sponsor",
        "funder",
        "funding",
        "period_start",
        "period_end",
        "capacity",
        "scales",
        "linkage_agreement",
        "synthetic",
    }
)


def read_programmes_file(path: Path) -> list[dict[str, Any]]:
    """The ``[[programme]]`` entries of a TOML file; ProgrammeError naming the file (and
    the entry) when it cannot be read or an entry has a key no programme has."""
    try:
        with path.open("rb") as handle:
            content = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ProgrammeError("", "file", f"{path.name} cannot be read: {error}") from error
    entries = content.get("programme")
    if not isinstance(entries, list) or not entries:
        raise ProgrammeError("", "file", f"{path.name} has no [[programme]] entries")
    for number, entry in enumerate(entries, start=1):
        unknown = sorted(set(entry) - ENTRY_KEYS)
        if unknown:
            code = str(entry.get("code", f"entry {number}"))
            raise ProgrammeError(code, unknown[0], f"is not a programme field ({path.name})")
    return [dict(entry) for entry in entries]


@transaction.atomic
def upsert_programmes(entries: Iterable[Mapping[str, Any]]) -> list[Programme]:
    """Create or update each entry's provider organisation and programme (by code), in
    one transaction; every entry is checked before anything is saved."""
    checked = [programme_values(entry) for entry in entries]
    seen: set[str] = set()
    for _, values in checked:
        if values["code"] in seen:
            raise ProgrammeError(values["code"], "code", "is given twice")
        seen.add(values["code"])
    programmes = []
    for provider, values in checked:
        organisation = _organisation(provider)
        fields = {key: value for key, value in values.items() if key != "code"}
        programme, _ = Programme.objects.update_or_create(
            code=values["code"], defaults={"provider": organisation, **fields}
        )
        programmes.append(programme)
    return programmes


def update_programme(entry: Mapping[str, Any], *, actor: str, address: str = "") -> Programme:
    """Save one programme's facts (checked as a programme file's entry), audited."""
    from vrn.audit.events import record

    [programme] = upsert_programmes([entry])
    record(
        "interventions.programme",
        actor=actor,
        address=address,
        target=f"programme {programme.code}",
        fields=sorted(key for key in entry if key not in ("code", "provider")),
    )
    return programme


__all__ = ["ProgrammeError", "programme_values", "read_programmes_file", "upsert_programmes"]
