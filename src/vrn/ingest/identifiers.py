"""Which partner columns say who a person is, and what of them a quarantined row keeps.

docs/formats/README.md ("Pseudonymisation at ingest"): direct identifiers never reach the
database, not even in quarantine. A quarantined row keeps, for each column below, only the
shape of its value (:func:`redact`: ``"LE1 5WW"`` -> ``"AA9 9AA"``), so that what was
wrong with it can still be seen without it being stored.
"""

from __future__ import annotations

import string

#: Columns that make a person key.
KEY_COLUMNS = ("nhs_number", "surname", "forename", "date_of_birth", "person_id")
#: Every direct identifier column: never stored, and needing the pseudonym key.
IDENTIFIER_COLUMNS = (*KEY_COLUMNS, "residence_postcode")
#: The columns a person-level format accepts for who the person is and where they live.
PERSON_COLUMNS = ("person_key", *IDENTIFIER_COLUMNS, "residence_postcode_district")
#: Columns whose values a quarantined row keeps only redacted: every person column, since a
#: ``person_key`` may hold a clear identifier and a district a full postcode.
REDACTED_COLUMNS = PERSON_COLUMNS
#: The longest redacted value (characters); a longer one is cut and ends in ``…``.
REDACTED_LENGTH = 16

_KEPT = frozenset(string.punctuation + " ")


def redact(value: str) -> str:
    """The shape of ``value``, never the value: upper-case letters become ``A``, other
    letters ``a``, digits ``9``, white space a space; ASCII punctuation is kept and any
    other character becomes ``#``. Cut after :data:`REDACTED_LENGTH` characters.

    >>> redact("LE1 5WW"), redact("943 476 5919"), redact("1991-07-19")
    ('AA9 9AA', '999 999 9999', '9999-99-99')
    >>> redact("Thistlewood-Parr-Smythe")
    'Aaaaaaaaaaa-Aaaa…'
    """
    shape = "".join(_shape(char) for char in value[:REDACTED_LENGTH])
    return shape + "…" if len(value) > REDACTED_LENGTH else shape


def _shape(char: str) -> str:
    if char.isalpha():
        return "A" if char.isupper() else "a"
    if char.isdigit():
        return "9"
    if char.isspace():
        return " "
    return char if char in _KEPT else "#"
