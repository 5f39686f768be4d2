"""Reading numbers and dates from a :class:`~vrn.definitions._files.Table`, and checking
that ids in an array of tables are unique."""

from __future__ import annotations

import datetime as dt

from vrn.definitions._files import Table, _type_name


def optional_number(table: Table, key: str) -> float | None:
    """An integer or decimal, as a float; ``None`` when absent."""
    table.mark_read(key)
    if not table.has(key):
        return None
    value = table.data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        table.fail(key, f"expected a number, found {_type_name(value)}")
    return float(value)


def date(table: Table, key: str) -> dt.date:
    """A TOML date such as ``2026-12-07`` (not a date-time, not text)."""
    table.mark_read(key)
    if not table.has(key):
        table.fail(key, "is missing (a date such as 2026-12-07)")
    value = table.data[key]
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        table.fail(key, f"{value!r} is not a date; write it unquoted, e.g. 2026-12-07")
    return value


def unique_id(table: Table, seen: set[str], what: str) -> str:
    """The table's ``id``, refused if an earlier table of the same array had it."""
    identifier = table.identifier("id")
    if identifier in seen:
        table.fail("id", f"{what} {identifier!r} appears twice")
    seen.add(identifier)
    return identifier
