"""Reading partner files: checksum, text decoding, CSV records with their line numbers.

These helpers refuse a file whole (``FileRefused``) when it cannot be a CSV of the
expected kind; row-level problems are left to each dataset's validation.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class FileRefused(Exception):
    """The whole file is refused; nothing from it is loaded. The message says why."""

    def __init__(self, file_name: str, problem: str) -> None:
        super().__init__(f"{file_name}: {problem}")
        self.file_name = file_name
        self.problem = problem


@dataclass(frozen=True)
class RawFile:
    """A file's name, bytes-level facts and decoded text."""

    path: Path
    sha256: str
    size_bytes: int
    text: str

    @property
    def name(self) -> str:
        return self.path.name


def read_text_file(path: Path) -> RawFile:
    """Read a file as UTF-8 text (a leading byte-order mark is dropped) with its SHA-256."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileRefused(name, f"no such file: {path}") from None
    except IsADirectoryError:
        raise FileRefused(name, "is a directory, not a file") from None
    except OSError as error:
        raise FileRefused(name, f"cannot be read ({error.strerror})") from None
    if not data.strip():
        raise FileRefused(name, "the file is empty")
    if b"\x00" in data[:65536]:
        raise FileRefused(name, "is a binary file, not a CSV text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            name, f"is not UTF-8 text (undecodable byte at line {line}); save it as UTF-8 CSV"
        ) from None
    return RawFile(
        path=path, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data), text=text
    )


#: One CSV record: the line of the file it starts on (the header is line 1), and its fields.
CsvRecord = tuple[int, list[str]]


def csv_records(text: str) -> tuple[list[str], Iterator[CsvRecord]]:
    """Split CSV text into its header and an iterator of records; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    header = next(reader, [])
    return [column.strip() for column in header], _records(reader)


def _records(reader: Any) -> Iterator[CsvRecord]:
    previous_end = reader.line_num
    for fields in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if fields:
            yield start, fields


def header_problem(header: Sequence[str], expected: Sequence[str]) -> str | None:
    """Describe how ``header`` differs from ``expected``, or return None when it matches."""
    if list(header) == list(expected):
        return None
    missing = [column for column in expected if column not in header]
    unexpected = [column for column in header if column not in expected]
    parts = []
    if missing:
        parts.append("missing columns: " + ", ".join(repr(c) for c in missing))
    if unexpected:
        parts.append("unexpected columns: " + ", ".join(repr(c) for c in unexpected))
    if not parts:
        parts.append("columns are out of order: expected " + ", ".join(expected))
    return "; ".join(parts)
