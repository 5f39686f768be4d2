"""Pseudonymisation at ingest: direct identifiers become a person key, then are dropped.

docs/formats/README.md ("Pseudonymisation at ingest") is the contract. A person key is
HMAC-SHA-256, keyed with ``settings.VRN_PSEUDONYM_KEY``, over one normalised identifier,
written as 64 lower-case hexadecimal characters:

================================  ===========================================
identifiers                       message (UTF-8)
================================  ===========================================
``nhs_number``                    ``nhs:9434765919``
``surname, forename, date_of_birth``  ``name:SMITH|JOHN|1990-01-31``
``person_id`` (with the source)   ``local:RWEAA:12345``
================================  ===========================================

The first that a row has decides. So the same NHS number (or the same names and date of
birth) gives the same key in every file and from every partner; a local ``person_id``
links only within its source. A partner holding the secret makes the same keys itself and
sends them as ``person_key``. Postcodes are reduced to their district and dates of birth
to an age at the event; neither is kept. Nothing here logs, stores or echoes a value.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings

from vrn.ingest.columns import Distinct, Problems
from vrn.ingest.identifiers import IDENTIFIER_COLUMNS as IDENTIFIER_COLUMNS
from vrn.ingest.identifiers import KEY_COLUMNS as KEY_COLUMNS
from vrn.ingest.identifiers import PERSON_COLUMNS as PERSON_COLUMNS
from vrn.ingest.reading import FileRefused
from vrn.ingest.values import date_value

if TYPE_CHECKING:
    from vrn.ingest.partner_csv import PartnerTable

#: The shortest secret accepted (characters).
MINIMUM_SECRET_LENGTH = 32

_HEX_KEY = re.compile(r"[0-9a-f]{64}")
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
_NOT_LETTER = re.compile(r"[^A-Z]")


class KeyBasis:
    """How a row's person key was made (stored with the row)."""

    GIVEN = "given"
    NHS_NUMBER = "nhs"
    NAME = "name"
    LOCAL = "local"
    NONE = ""
    CHOICES = [
        (GIVEN, "Given by the partner"),
        (NHS_NUMBER, "From the NHS number"),
        (NAME, "From surname, forename and date of birth"),
        (LOCAL, "From the partner's person_id"),
        (NONE, "No person key"),
    ]


def secret_for(file_name: str, identifier_columns: Sequence[str]) -> bytes | None:
    """The HMAC secret if the file has identifier columns (None if it has none).

    Refuses the file, naming it and its identifier columns, when ``VRN_PSEUDONYM_KEY`` is
    not set or too short; the message never contains the secret."""
    if not identifier_columns:
        return None
    secret = str(getattr(settings, "VRN_PSEUDONYM_KEY", "") or "")
    columns = ", ".join(identifier_columns)
    if not secret:
        raise FileRefused(
            file_name,
            f"has identifier columns ({columns}) and VRN_PSEUDONYM_KEY is not set, so they "
            "cannot be pseudonymised; nothing was loaded. Set VRN_PSEUDONYM_KEY (the shared "
            "secret) or ask the partner for person_key instead",
        )
    if len(secret) < MINIMUM_SECRET_LENGTH:
        raise FileRefused(
            file_name,
            f"has identifier columns ({columns}) and VRN_PSEUDONYM_KEY is shorter than "
            f"{MINIMUM_SECRET_LENGTH} characters; nothing was loaded",
        )
    return secret.encode("utf-8")


def require_person_columns(table: PartnerTable) -> None:
    """Refuse a file of a format that needs a person on every row but has neither a
    ``person_key`` column nor any column to make one from."""
    if not any(table.has(name) for name in ("person_key", *KEY_COLUMNS)):
        raise FileRefused(
            table.file_name,
            "has no person_key column and no identifier column to make one from ("
            + ", ".join(KEY_COLUMNS)
            + "); every row must say who the person is",
        )


def person_key(secret: bytes, message: str) -> str:
    """The HMAC-SHA-256 of ``message`` under ``secret``, as 64 hexadecimal characters."""
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def normal_nhs_number(text: str) -> str | None:
    """10 digits (spaces and hyphens removed) with a valid modulus-11 check digit, or None."""
    digits = text.replace(" ", "").replace("-", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return None
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return None
    return digits


def normal_name(text: str) -> str:
    """Upper-case letters A-Z only, accents dropped: ``"O'Brien-Ébé"`` -> ``"OBRIENEBE"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_LETTER.sub("", plain.upper())


def postcode_district(text: str) -> str | None:
    """The district (outward code) of a full UK postcode (``"le1 5ww"`` -> ``"LE1"``), or
    None if it is not a postcode."""
    found = _POSTCODE.fullmatch(text.replace(" ", "").upper())
    return None if found is None else found.group(1)


def normal_district(text: str) -> str | None:
    """A postcode district as given (``"le2"`` -> ``"LE2"``), or None if it is not one."""
    district = text.replace(" ", "").upper()
    return district if _DISTRICT.fullmatch(district) else None


@dataclass
class People:
    """Who each row's person is, as stored: a key (None without one), how it was made, the
    date of birth (NaT; for the age, never stored) and the postcode district."""

    key: np.ndarray[Any, np.dtype[np.object_]]
    basis: np.ndarray[Any, np.dtype[np.object_]]
    date_of_birth: np.ndarray[Any, np.dtype[np.datetime64]]
    postcode_district: np.ndarray[Any, np.dtype[np.object_]]


def pseudonymise(
    table: PartnerTable,
    problems: Problems,
    source: np.ndarray[Any, Any],
    secret: bytes | None,
    *,
    required: bool,
) -> People:
    """Person keys, dates of birth and postcode districts for every row of ``table``.

    ``source`` is each row's partner code (force, site or provider) for ``person_id``
    keys. Problems are flagged without quoting any identifier's value.
    """
    rows = len(table)
    key = np.full(rows, None, dtype=object)
    basis = np.full(rows, KeyBasis.NONE, dtype=object)

    given = table.distinct("person_key")
    lowered = given.apply(str.lower)
    malformed = np.array(
        [value != "" and _HEX_KEY.fullmatch(value) is None for value in lowered], dtype=bool
    )
    problems.flag(given.spread(malformed), "person_key", "is not 64 hexadecimal characters")
    has_given = given.spread(np.array([value != "" for value in lowered], dtype=bool))
    key[has_given] = given.spread(lowered)[has_given]
    basis[has_given] = KeyBasis.GIVEN

    nhs = table.distinct("nhs_number")
    nhs_normal = nhs.apply(lambda value: normal_nhs_number(value) if value else "")
    nhs_bad = nhs.spread(np.array([value is None for value in nhs_normal], dtype=bool))
    problems.flag(
        nhs_bad,
        "nhs_number",
        "is not a valid NHS number (10 digits with a valid modulus-11 check digit)",
    )
    nhs_rows = nhs.spread(nhs_normal)

    date_of_birth = _dates_of_birth(table, problems)
    postcode = _districts(table, problems)

    if secret is not None:
        needed = ~has_given
        surname = _normal_names(table, "surname")
        forename = _normal_names(table, "forename")
        has_dob = ~np.isnat(date_of_birth)
        dob_text = np.datetime_as_string(date_of_birth, unit="D").astype(object)
        person_id = table.text("person_id")

        by_nhs = needed & ~nhs_bad & (nhs_rows != "")
        by_name = needed & ~by_nhs & (surname != "") & (forename != "") & has_dob
        by_local = needed & ~by_nhs & ~by_name & (person_id != "")
        messages = np.full(rows, "", dtype=object)
        messages[by_nhs] = "nhs:" + nhs_rows[by_nhs]
        messages[by_name] = (
            "name:" + surname[by_name] + "|" + forename[by_name] + "|" + dob_text[by_name]
        )
        messages[by_local] = "local:" + source[by_local].astype(object) + ":" + person_id[by_local]
        made = by_nhs | by_name | by_local
        if made.any():
            distinct = Distinct(messages[made])
            key[made] = distinct.map(lambda message: person_key(secret, message))
        basis[by_nhs] = KeyBasis.NHS_NUMBER
        basis[by_name] = KeyBasis.NAME
        basis[by_local] = KeyBasis.LOCAL

    if required:
        problems.flag(
            key == None,  # noqa: E711 (element-wise)
            "person_key",
            "no person_key, and not enough identifiers to make one (nhs_number; or surname, "
            "forename and date_of_birth; or person_id)",
        )
    return People(key=key, basis=basis, date_of_birth=date_of_birth, postcode_district=postcode)


def _normal_names(table: PartnerTable, name: str) -> np.ndarray[Any, np.dtype[np.object_]]:
    return table.distinct(name).map(normal_name)


def _dates_of_birth(
    table: PartnerTable, problems: Problems
) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    column = table.distinct("date_of_birth")
    parsed = np.array([date_value(value) for value in column.uniques], dtype="datetime64[D]")
    bad = np.array([value != "" for value in column.uniques], dtype=bool) & np.isnat(parsed)
    problems.flag(column.spread(bad), "date_of_birth", "is not a date in YYYY-MM-DD form")
    return column.spread(parsed)


def _districts(table: PartnerTable, problems: Problems) -> np.ndarray[Any, np.dtype[np.object_]]:
    full = table.distinct("residence_postcode")
    from_full = full.apply(lambda value: postcode_district(value) if value else "")
    bad_full = np.array([value is None for value in from_full], dtype=bool)
    problems.flag(full.spread(bad_full), "residence_postcode", "is not a UK postcode")
    given = table.distinct("residence_postcode_district")
    as_given = given.apply(lambda value: normal_district(value) if value else "")
    bad_given = np.array([value is None for value in as_given], dtype=bool)
    # The reason never quotes the value: it may be a full postcode.
    full_given = given.apply(
        lambda value: bool(value) and postcode_district(value) is not None, dtype=bool
    )
    reasons = np.where(
        full_given,
        "is a full postcode; only the postcode district (e.g. LE2) may be sent",
        "is not a postcode district (e.g. LE2)",
    ).astype(object)
    problems.flag(
        given.spread(bad_given),
        "residence_postcode_district",
        lambda rows: reasons[given.codes[rows]],
    )
    from_full[bad_full] = ""
    as_given[bad_given] = ""
    district = full.spread(from_full)
    fallback = district == ""
    district[fallback] = given.spread(as_given)[fallback]
    return district


def ages_at(
    date_of_birth: np.ndarray[Any, np.dtype[np.datetime64]],
    event: np.ndarray[Any, np.dtype[np.datetime64]],
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Whole years from each date of birth to each event date (NaN where either is NaT)."""
    born = date_of_birth.astype("datetime64[D]")
    on = event.astype("datetime64[D]")
    missing = np.isnat(born) | np.isnat(on)
    born_year = born.astype("datetime64[Y]").astype(np.int64)
    on_year = on.astype("datetime64[Y]").astype(np.int64)
    # Day of the year is not enough across leap years: compare (month, day) instead.
    born_md = _month_day(born)
    on_md = _month_day(on)
    ages = (on_year - born_year - (on_md < born_md)).astype(np.float64)
    ages[missing] = np.nan
    return ages


def _month_day(dates: np.ndarray[Any, np.dtype[np.datetime64]]) -> np.ndarray[Any, Any]:
    month = dates.astype("datetime64[M]")
    day = (dates - month.astype("datetime64[D]")).astype(np.int64)
    month_number = (month.astype(np.int64) % 12).astype(np.int64)
    return np.asarray(month_number * 100 + day)


def check_age_from_birth(
    problems: Problems,
    ages: np.ndarray[Any, np.dtype[np.float64]],
    date_of_birth: np.ndarray[Any, np.dtype[np.datetime64]],
    event: np.ndarray[Any, np.dtype[np.datetime64]],
    what: str,
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Ages with blanks filled from the date of birth at the event; a date of birth after
    the event, or giving an age over 120, is a problem (the value is not quoted)."""
    derived = ages_at(date_of_birth, event)
    problems.flag(derived < 0, "date_of_birth", f"is after the {what}")
    problems.flag(derived > 120, "date_of_birth", f"gives an age over 120 at the {what}")
    filled = ages.copy()
    blank = np.isnan(filled) & (derived >= 0) & (derived <= 120)
    filled[blank] = derived[blank]
    return filled
