"""Pseudonymising one person as a form or the API gives them: the very code a partner
file goes through (``vrn.ingest.pseudonymise``), on a one-row table, so the same NHS
number, or the same names and date of birth, make the same person key in a participant
record, a police extract and an ED attendance."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vrn.ingest.columns import Problems
from vrn.ingest.partner_csv import Column, Layout, read_partner_table
from vrn.ingest.pseudonymise import PERSON_COLUMNS, pseudonymise, secret_for
from vrn.ingest.reading import FileRefused, RawFile

_LAYOUT = Layout(kind="participant identifiers", columns=tuple(Column(n) for n in PERSON_COLUMNS))


@dataclass(frozen=True)
class Pseudonymised:
    """What is kept of a person's identifiers: the key, how it was made, the postcode
    district; ``date_of_birth`` only to work out an age (never stored). ``problems`` maps
    a field to what is wrong with it (never quoting the value)."""

    person_key: str
    key_basis: str
    postcode_district: str
    date_of_birth: np.datetime64 | None
    problems: dict[str, str] = field(default_factory=dict)


def pseudonymise_person(identifiers: Mapping[str, str], source: str) -> Pseudonymised:
    """The person key for ``identifiers`` (any of ``PERSON_COLUMNS``; blanks ignored).

    ``source`` is the organisation's code, for a key made from a local ``person_id``.
    Raises :class:`~vrn.ingest.reading.FileRefused` (its ``problem`` says why) when
    identifiers are given and ``VRN_PSEUDONYM_KEY`` is not set."""
    given = {name: str(identifiers.get(name) or "").strip() for name in PERSON_COLUMNS}
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(PERSON_COLUMNS)
    writer.writerow([given[name] for name in PERSON_COLUMNS])
    raw = RawFile(path=Path("identifiers"), sha256="", size_bytes=0, text=text.getvalue())
    table = read_partner_table(raw, _LAYOUT)
    present = [name for name in table.identifier_columns() if given[name]]
    secret = secret_for("identifiers", present)
    problems = Problems(1)
    people = pseudonymise(table, problems, np.array([source], dtype=object), secret, required=False)
    found = {str(problems.field[0]): str(problems.reason[0])} if problems.found[0] else {}
    born = people.date_of_birth[0]
    return Pseudonymised(
        person_key=str(people.key[0] or ""),
        key_basis=str(people.basis[0] or ""),
        postcode_district=str(people.postcode_district[0] or ""),
        date_of_birth=None if np.isnat(born) else born,
        problems=found,
    )


__all__ = ["FileRefused", "Pseudonymised", "pseudonymise_person"]
