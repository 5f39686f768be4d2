"""Reading partner files: checksum, text decoding, CSV records with their line numbers.

These helpers refuse a file whole (``FileRefused``) when it cannot be a CSV of the
expected kind; row-level problems are left to each dataset's validation.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


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


@dataclass
class CsvTable:
    """A CSV file split into records: the header, the records with one field per header
    column (as a DataFrame of strings, in file order) and the ragged records (too few or
    too many fields), each with the line of the file it starts on (the header is line 1).
    """

    header: list[str]
    #: One column of ``str`` per header column (labelled with the header), index 0..n-1.
    frame: pd.DataFrame
    #: The line each row of ``frame`` starts on.
    line_numbers: np.ndarray[Any, np.dtype[np.int64]]
    ragged: list[CsvRecord] = field(default_factory=list)
    #: True when pandas' C parser split the file, False when the ``csv`` module did.
    fast_path: bool = False

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.ragged)


def read_csv_table(text: str) -> CsvTable:
    """Split CSV text into a :class:`CsvTable`; blank lines are not records.

    Most files have one record per line, and pandas' C parser splits those several times
    faster than the ``csv`` module. It is used only when its result is provably the same:
    every line (after the header) became exactly one record with exactly the header's
    number of fields. Anything else (a quoted field spanning lines, a blank line, a ragged
    row, a bare carriage return) goes through the ``csv`` module, which gives the line
    each record starts on and keeps ragged records for quarantine.
    """
    table = _fast_csv_table(text)
    return table if table is not None else _csv_module_table(text)


#: Appended to every line of a file with quotes for the fast path: a record whose last
#: field is not this one had too few fields (pandas would otherwise pad it silently).
_END = "\x01"


def _fast_csv_table(text: str) -> CsvTable | None:
    body = text.rstrip("\r\n")  # trailing blank lines are not records and move no line
    if not body or "\x00" in body:
        return None
    newline = "\n"
    if "\r" in body:
        if body.count("\r") != body.count("\r\n"):
            return None  # a bare carriage return ends a line for the csv module
        newline = "\r\n"
    lines = body.count("\n") + 1
    quoted = '"' in body
    if quoted:
        if _END in body or body.startswith(newline) or newline + newline in body:
            return None  # a blank line would look like a record once marked
        body = body.replace(newline, "," + _END + newline) + "," + _END
    try:
        frame = pd.read_csv(
            io.BytesIO(body.encode("utf-8")),
            header=None,
            dtype=str,
            keep_default_na=False,
            index_col=False,
            engine="c",
            encoding="utf-8",
        )
    except (pd.errors.ParserError, ValueError):
        return None  # e.g. a row with more fields than the header, or an open quote
    if len(frame) != lines:
        return None  # a record spans lines, or a line is blank
    # pandas refuses a line longer than the header (the first line), but pads a shorter one.
    if quoted:
        width = frame.shape[1] - 1
        if not (frame.iloc[:, width] == _END).all():
            return None
    else:
        # Without quotes every comma separates two fields, so no line is short exactly
        # when the file has (width - 1) commas on each line.
        width = frame.shape[1]
        if body.count(",") != (width - 1) * lines:
            return None
    header = [str(column).strip() for column in frame.iloc[0, :width]]
    rows = frame.iloc[1:, :width]
    rows.columns = header
    rows.index = pd.RangeIndex(len(rows))
    return CsvTable(
        header=header,
        frame=rows,
        line_numbers=np.arange(2, len(rows) + 2, dtype=np.int64),
        fast_path=True,
    )


def _csv_module_table(text: str) -> CsvTable:
    header, records = csv_records(text)
    width = len(header)
    lines: list[int] = []
    good: list[list[str]] = []
    ragged: list[CsvRecord] = []
    for line_number, fields in records:
        if len(fields) == width:
            lines.append(line_number)
            good.append(fields)
        else:
            ragged.append((line_number, fields))
    frame = pd.DataFrame(good, columns=header, dtype=object)
    return CsvTable(
        header=header,
        frame=frame,
        line_numbers=np.array(lines, dtype=np.int64),
        ragged=ragged,
    )
