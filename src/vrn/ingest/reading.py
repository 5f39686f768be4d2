"""Reading partner files: checksum, text decoding, CSV records with their line numbers.

These helpers refuse a file whole (``FileRefused``) when it cannot be a CSV of the
expected kind; row-level problems are left to each dataset's validation.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import stat
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
    """Read a regular file as UTF-8 text (a leading byte-order mark is dropped) with its
    SHA-256. Anything else (a directory, a named pipe, a device) is refused before it is
    opened, so that nothing waits on it; so is a file with a NUL byte anywhere."""
    name = path.name or str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FileRefused(name, f"no such file: {path}") from None
    except OSError as error:
        raise FileRefused(name, f"cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(mode):
        raise FileRefused(name, "is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise FileRefused(name, "is not a regular file (it is a named pipe, a device or a socket)")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileRefused(name, f"cannot be read ({error.strerror})") from None
    if not data.strip():
        raise FileRefused(name, "the file is empty")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise FileRefused(
            name,
            f"is a binary file, not a CSV text file (a NUL byte at line {_line_of(data, nul)})",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            name,
            f"is not UTF-8 text (undecodable byte at line {_line_of(data, error.start)}); "
            "save it as UTF-8 CSV",
        ) from None
    return RawFile(
        path=path, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data), text=text
    )


def _line_of(data: bytes, offset: int) -> int:
    """The line (from 1) that byte ``offset`` is on, counting line ends as the csv module
    does: LF, CR LF or a bare CR."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


class MalformedCsv(FileRefused):
    """The file's records cannot be told apart (e.g. a quote that is never closed)."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__("", f"line {line}: {problem}; nothing was loaded")
        self.line = line


#: One CSV record: the line of the file it starts on (the header is line 1), and its fields.
CsvRecord = tuple[int, list[str]]


def csv_records(text: str) -> tuple[list[str], Iterator[CsvRecord]]:
    """Split CSV text into its header and an iterator of records; blank lines are skipped.

    The iterator raises :class:`MalformedCsv` where the records cannot be delimited: a
    quote opened and never closed (which would swallow the rest of the file into one
    field), or a record spanning several lines that does not have the header's number of
    fields (a quote closed by another row's stray quote)."""
    _allow_long_fields()
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    header = next(reader, [])
    width = len(header)
    return [column.strip() for column in header], _records(reader, text, width)


def _allow_long_fields() -> None:
    """Let the csv module read a field of any length: a value too long for its column is
    then quarantined by validation (naming its line and field), not a crash."""
    if csv.field_size_limit() < _FIELD_SIZE_LIMIT:
        csv.field_size_limit(_FIELD_SIZE_LIMIT)


#: Largest field the csv module may return (characters); the default is 131,072.
_FIELD_SIZE_LIMIT = 2**31 - 1


def _records(reader: Any, text: str, width: int) -> Iterator[CsvRecord]:
    previous_end = reader.line_num
    last_line: int | None = None  # counted once, when first needed
    for fields in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if previous_end > start and fields:
            if last_line is None:
                last_line = _line_count(text)
            _check_multi_line_record(text, start, previous_end, fields, width, last_line)
        if fields:
            yield start, fields


def _check_multi_line_record(
    text: str, start: int, end: int, fields: list[str], width: int, last_line: int
) -> None:
    """A record over lines ``start`` to ``end`` must be a properly quoted value over
    several lines, not a quote left open that swallowed the records after it
    (``last_line``: the file's last line)."""
    if end >= last_line:
        record = "".join(itertools.islice(io.StringIO(text, newline=""), start - 1, end))
        try:
            for _ in csv.reader(io.StringIO(record, newline=""), strict=True):
                pass
        except csv.Error:
            raise MalformedCsv(
                start,
                "a quote opened on this line is never closed, so the rest of the file "
                f"({end - start + 1:,} lines) would be read as one value",
            ) from None
    if len(fields) != width:
        raise MalformedCsv(
            start,
            f"a record starting here runs over {end - start + 1:,} lines (to line {end:,}) and "
            f"has {len(fields):,} fields instead of {width:,}: a quote is probably not closed, "
            "so the records after it cannot be told apart",
        )
    for value in fields:
        inner_lines = value.splitlines()[1:-1]
        if width > 1 and any(line.count(",") >= width - 1 for line in inner_lines):
            raise MalformedCsv(
                start,
                f"a quoted value starting here runs over {end - start + 1:,} lines (to line "
                f"{end:,}) and holds whole records: a quote is probably not closed where it "
                "should be, so the records in it cannot be told apart",
            )


def _line_count(text: str) -> int:
    """Lines in ``text`` as the csv module counts them (LF, CR LF or a bare CR end one)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (0 if text.endswith(("\n", "\r")) else 1)


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
