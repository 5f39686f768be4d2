"""Reading definition files: the error type, headers, references and strict table access.

Every definition file is TOML with the same header (``name``, ``version``, ``source``,
``description``, optional ``supersedes``). Bodies are read through :class:`Table`, which
knows the file and the path of each entry, so every problem is reported as
``<file>: <entry>: <problem>`` and unknown keys (usually typos) are errors, not ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

T = TypeVar("T")

#: The keys every definition file starts with; ``supersedes`` is optional.
HEADER_KEYS = ("name", "version", "source", "description", "supersedes")


class DefinitionError(ValueError):
    """A definition file is malformed or inconsistent.

    ``file`` is the file (or file name) at fault, ``entry`` the line or key path within it,
    ``problem`` what is wrong; ``str()`` joins the three so the message alone is enough.
    """

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file = file
        self.entry = entry
        self.problem = problem
        super().__init__(f"{file}: {entry}: {problem}")


def fail(file: str, entry: str, problem: str) -> NoReturn:
    raise DefinitionError(file, entry, problem)


@dataclass(frozen=True)
class DefinitionRef:
    """Exactly which definition produced a result: store this with every result.

    ``sha256`` is the hash of the file's canonical content (the parsed TOML, and for the
    offence codes the parsed CSV rows too), so a comment or layout change keeps it while any
    change of meaning alters it, even if the analyst forgot to bump ``version``.
    """

    name: str
    version: int | dt.date
    sha256: str

    @property
    def short_id(self) -> str:
        """``serious-violence@3#1a2b3c4d``: name, version and the first 8 hex digits."""
        return f"{self.name}@{self.version}#{self.sha256[:8]}"

    def __str__(self) -> str:
        return self.short_id

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form for storing with a result (version as text)."""
        return {
            "name": self.name,
            "version": str(self.version),
            "sha256": self.sha256,
            "id": self.short_id,
        }


@dataclass(frozen=True)
class Header:
    """The header every definition file carries."""

    name: str
    version: int | dt.date
    source: str
    description: str
    supersedes: str | None = None


def _plain(value: object) -> object:
    """TOML values as JSON-serialisable values (dates and times as ISO text)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def canonical_sha256(content: object) -> str:
    """sha256 of the canonical JSON of parsed content (sorted keys, no whitespace)."""
    text = json.dumps(_plain(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_LINE = re.compile(r"line (\d+)")


def read_toml(path: Path) -> dict[str, object]:
    """Parse one TOML file; syntax errors become :class:`DefinitionError` with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(str(path), "file", f"cannot be read: {error}")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _LINE.search(str(error))
        entry = f"line {match.group(1)}" if match else "file"
        fail(str(path), entry, f"is not valid TOML: {error}")


def _type_name(value: object) -> str:
    return {
        bool: "true/false",
        int: "an integer",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


class Table:
    """One TOML table with the file and entry path it came from, read strictly.

    Each accessor records the key as read; :meth:`done` fails on any key left unread, so a
    misspelt key is reported instead of silently ignored.
    """

    def __init__(self, file: str, path: str, data: dict[str, object]) -> None:
        self.file = file
        self.path = path
        self.data = data
        self._read: set[str] = set()

    def entry(self, key: str | None = None) -> str:
        if key is None:
            return self.path or "top level"
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str | None, problem: str) -> NoReturn:
        fail(self.file, self.entry(key), problem)

    def mark_read(self, key: str) -> None:
        self._read.add(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, expected: type[T] | tuple[type, ...], what: str) -> T | None:
        self._read.add(key)
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, bool) and expected is not bool:
            self.fail(key, f"expected {what}, found {_type_name(value)}")
        if not isinstance(value, expected):
            self.fail(key, f"expected {what}, found {_type_name(value)}")
        return value  # type: ignore[return-value]

    def text(self, key: str) -> str:
        value = self.optional_text(key)
        if value is None:
            self.fail(key, "is missing")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._get(key, str, "text")
        if value is not None and not value.strip():
            self.fail(key, "is empty")
        return None if value is None else value.strip()

    def identifier(self, key: str) -> str:
        """Text that is a stable id: ``lower_case_with_underscores``, starting with a letter."""
        value = self.text(key)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            self.fail(key, f"{value!r} must be lower_case_with_underscores")
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self._get(key, bool, "true or false")
        if value is None:
            if default is None:
                self.fail(key, "is missing")
            return default
        return value

    def integer(self, key: str, default: int | None = None) -> int:
        value = self._get(key, int, "an integer")
        if value is None:
            if default is None:
                self.fail(key, "is missing")
            return default
        return value

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        """A list of non-empty strings (``[]`` when absent and not required)."""
        values = self._get(key, list, "a list of text")
        if values is None:
            if required:
                self.fail(key, "is missing")
            return ()
        result = []
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail(f"{key}[{index}]", f"expected non-empty text, found {value!r}")
            result.append(value.strip())
        return tuple(result)

    def table(self, key: str) -> Table:
        found = self.optional_table(key)
        if found is None:
            self.fail(key, "is missing")
        return found

    def optional_table(self, key: str) -> Table | None:
        value = self._get(key, dict, "a table")
        return None if value is None else Table(self.file, self.entry(key), value)

    def tables(self, key: str, *, required: bool = True) -> list[Table]:
        """An array of tables (``[[key]]``), each named ``key[i] (id)`` in errors."""
        values = self._get(key, list, "an array of tables ([[...]])")
        if values is None:
            if required:
                self.fail(key, "is missing")
            return []
        result = []
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                self.fail(f"{key}[{index}]", f"expected a table, found {_type_name(value)}")
            label = value.get("id", value.get("name"))
            path = f"{key}[{index}]" + (f" ({label})" if isinstance(label, str) else "")
            result.append(Table(self.file, f"{self.path}.{path}" if self.path else path, value))
        return result

    def subtables(self, key: str) -> Iterator[tuple[str, Table]]:
        """The named sub-tables of ``[key.<name>]`` in file order."""
        parent = self.table(key)
        for name, value in parent.data.items():
            parent.mark_read(name)
            if not isinstance(value, dict):
                parent.fail(name, f"expected a table, found {_type_name(value)}")
            yield name, Table(self.file, parent.entry(name), value)

    def choice(self, key: str, choices: Sequence[str], default: str | None = None) -> str:
        value = self.optional_text(key)
        if value is None:
            if default is None:
                self.fail(key, f"is missing; expected one of {', '.join(choices)}")
            return default
        if value not in choices:
            self.fail(key, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def done(self) -> None:
        unknown = [key for key in self.data if key not in self._read]
        if unknown:
            self.fail(unknown[0], "unknown key (misspelt, or not part of this definition)")


def read_header(table: Table, expected_name: str) -> Header:
    """The header keys of a definition file; the ``name`` must match the file's stem."""
    name = table.text("name")
    if name != expected_name:
        table.fail("name", f"is {name!r} but this file defines {expected_name!r}")
    table.mark_read("version")
    if "version" not in table.data:
        table.fail("version", "is missing (an integer such as 1, or a date such as 2025-04-01)")
    version = table.data["version"]
    if isinstance(version, dt.datetime) or not (
        (isinstance(version, int) and not isinstance(version, bool) and version >= 1)
        or isinstance(version, dt.date)
    ):
        table.fail(
            "version",
            f"{version!r} is not a version: use an integer from 1 or a date such as 2025-04-01",
        )
    return Header(
        name=name,
        version=version,
        source=table.text("source"),
        description=table.text("description"),
        supersedes=table.optional_text("supersedes"),
    )


@dataclass(frozen=True)
class DefinitionFile:
    """A definition file read and its header checked; the body is still to be read."""

    path: Path
    body: Table
    header: Header
    data: dict[str, object]

    def ref(self, extra_content: object = None) -> DefinitionRef:
        """The file's reference; ``extra_content`` (e.g. the rows of the CSV table the file
        points to) is hashed together with the TOML so the reference covers all of it."""
        content: object = (
            self.data if extra_content is None else {"toml": self.data, "table": extra_content}
        )
        return DefinitionRef(self.header.name, self.header.version, canonical_sha256(content))


def open_definition(path: Path, expected_name: str) -> DefinitionFile:
    """Read a definition file's TOML and check its header."""
    data = read_toml(path)
    body = Table(str(path), "", data)
    header = read_header(body, expected_name)
    return DefinitionFile(path=path, body=body, header=header, data=data)
