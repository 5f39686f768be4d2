"""Fuzzing every format's loader through the real ``load_file``: arbitrary bytes, mutated
valid files (inserted quotes, commas, line ends, NULs, byte-order marks; deletions;
truncation; repeated lines) and valid files with hostile or random unicode values.

Whatever the bytes, the result is a load whose records are all accounted for
(``rows_read == rows_loaded + rows_quarantined``, as stored) or a clean refusal naming
the file; never an exception, never ``failed``. A file with a NUL byte is refused.

The default run tries a few dozen examples per format, the same ones each time
(``derandomize``); ``pytest -m fuzz tests/ingest/hostile`` runs the long, random version
(``VRN_FUZZ_EXAMPLES`` examples per format and strategy, default 500).

Each example loads inside a transaction that is rolled back, so the examples of one test
share its fixtures (the reference geography, and for people files their crimes) without
seeing each other's loads.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from vrn.ingest.pipeline import FileResult, LoadContext

from .checks import assert_accounted, load, load_crimes_for_people
from .corpus import CSV_FIELD_LIMIT, KINDS, KINDS_BY_NAME, PEOPLE, Kind

KIND_NAMES = [kind.name for kind in KINDS]
SUPPRESSED = [
    HealthCheck.function_scoped_fixture,
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.filter_too_much,
]
#: The default run: bounded and the same every time.
BOUNDED = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=SUPPRESSED,
)
#: ``-m fuzz``: long and random (failures are kept in .hypothesis/ and replayed first).
LONG = settings(
    max_examples=int(os.environ.get("VRN_FUZZ_EXAMPLES", "500")),
    deadline=None,
    suppress_health_check=SUPPRESSED,
)

#: Bytes that upset CSV readers and decoders.
TOKENS = [
    b'"',
    b'""',
    b",",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"\\",
    b"\t",
    b" ",
    b"\x1a",
    b"\x0b\x0c",
    "é".encode(),
    "\u2028".encode(),
    "\u202e".encode(),
    "🔪".encode(),
]
#: Values that upset validation, numbers, dates, databases.
HOSTILE_VALUES = [
    "",
    " ",
    "\t",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e400",
    "-1e400",
    "1e-400",
    "99999999999999999999",
    "-99999999999999999999",
    "-0",
    "0",
    "-1",
    "0x1A",
    "1_000",
    "1,000",
    "\uff11\uff12",
    "\u0663\u0660",
    "2023-02-30",
    "0000-00-00",
    "2099-12-31",
    "9999-12-31 23:59",
    "2024-01-05T25:61",
    "2024-13",
    "24:00",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "'; DROP TABLE ingest_fileload; --",
    "\u202egnip\u202c",
    "\uff25\uff12\uff13\uff10\uff10\uff10\uff10\uff10\uff12\uff11",
    "🔪🏴\u200d",
    "\u0000",
    '"',
    "a,b",
    "line\nbreak",
    "\r",
    "null",
    "true",
    "E01013776",
    " e01013776 ",
    "E01013778",
    "x" * 300,
    "y" * 70,
    "B" * (CSV_FIELD_LIMIT + 1),
]


class _RollBack(Exception):
    """Raised to roll back one example's transaction."""


def run_example(
    kind: Kind, content: bytes, folder: Path, context: LoadContext, records: int | None = None
) -> FileResult:
    """Load ``content`` as a file of ``kind`` in a transaction rolled back afterwards, and
    check the contract; ``records`` is the number of records when known."""
    path = folder / kind.file_name
    path.write_bytes(content)
    result: FileResult | None = None
    try:
        with transaction.atomic():
            result = load(kind.format, path, context)
            check(result, path.name, content, records)
            raise _RollBack
    except _RollBack:
        pass
    assert result is not None
    event(f"status: {result.status}" + (" with quarantine" if result.rows_quarantined else ""))
    return result


def check(result: FileResult, name: str, content: bytes, records: int | None) -> None:
    assert result.status in ("loaded", "refused"), result
    assert result.file == name, result
    if result.status == "refused":
        assert result.message.strip(), result
        assert result.load_id is None, result
        return
    assert b"\x00" not in content, f"a file with a NUL byte was loaded: {result}"
    assert_accounted(result)
    if records is not None:
        assert result.rows_read == records, result


@st.composite
def arbitrary_bytes(draw: Any, kind: Kind) -> bytes:
    """Any bytes, or any bytes after the kind's header (so the rows are reached)."""
    tail = draw(st.binary(max_size=2_000))
    prefix = draw(st.sampled_from([b"", kind.text([]).encode(), kind.text([], newline="\r")]))
    if isinstance(prefix, str):
        prefix = prefix.encode()
    return bytes(prefix) + tail


@st.composite
def mutated_file(draw: Any, kind: Kind) -> bytes:
    """A valid file of the kind with a few byte-level mutations."""
    data = bytearray(kind.data(kind.rows(8)))
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["insert", "replace", "delete", "truncate", "repeat"]))
        position = draw(st.integers(0, len(data)))
        if operation == "insert":
            data[position:position] = draw(
                st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8))
            )
        elif operation == "replace":
            data[position : position + 1] = draw(st.sampled_from(TOKENS))
        elif operation == "delete":
            del data[position : position + draw(st.integers(1, 60))]
        elif operation == "truncate":
            del data[position:]
        else:
            lines = bytes(data).split(b"\n")
            line = draw(st.integers(0, len(lines) - 1))
            lines.insert(line, lines[line])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@st.composite
def hostile_values(draw: Any, kind: Kind) -> tuple[bytes, int]:
    """A well-formed file of the kind (so its number of records is known) with hostile or
    random unicode values in some fields, and any line ends."""
    count = draw(st.integers(1, 6))
    rows = kind.rows(count)
    value = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=30))
    for row, column, text in draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.sampled_from(kind.header), value),
            min_size=1,
            max_size=8,
        )
    ):
        rows[row][column] = text
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return kind.text(rows, newline=newline).encode("utf-8"), count


@pytest.fixture
def prepared(
    kind_name: str, reference: None, pseudonym_key: str, context: LoadContext, tmp_path: Path
) -> Path:
    """A folder for the examples' files, with the crimes a people file needs loaded."""
    if KINDS_BY_NAME[kind_name] is PEOPLE:
        load_crimes_for_people(tmp_path, context)
    return tmp_path


def _bytes_test(strategy: Callable[[Kind], Any], budget: Any) -> Any:
    @pytest.mark.django_db
    @pytest.mark.parametrize("kind_name", KIND_NAMES)
    @budget
    @given(data=st.data())
    def test(kind_name: str, data: Any, prepared: Path, context: LoadContext) -> None:
        kind = KINDS_BY_NAME[kind_name]
        run_example(kind, data.draw(strategy(kind), label="file"), prepared, context)

    return test


def _values_test(budget: Any) -> Any:
    @pytest.mark.django_db
    @pytest.mark.parametrize("kind_name", KIND_NAMES)
    @budget
    @given(data=st.data())
    def test(kind_name: str, data: Any, prepared: Path, context: LoadContext) -> None:
        kind = KINDS_BY_NAME[kind_name]
        content, records = data.draw(hostile_values(kind), label="file")
        run_example(kind, content, prepared, context, records)

    return test


test_arbitrary_bytes = _bytes_test(arbitrary_bytes, BOUNDED)
test_mutated_valid_files = _bytes_test(mutated_file, BOUNDED)
test_hostile_values_in_valid_files = _values_test(BOUNDED)

test_long_arbitrary_bytes = pytest.mark.fuzz(_bytes_test(arbitrary_bytes, LONG))
test_long_mutated_valid_files = pytest.mark.fuzz(_bytes_test(mutated_file, LONG))
test_long_hostile_values_in_valid_files = pytest.mark.fuzz(_values_test(LONG))
