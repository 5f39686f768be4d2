"""Splitting CSV text into records: pandas' fast path must agree with the csv module."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vrn.ingest import reading
from vrn.ingest.reading import CsvTable, MalformedCsv, read_csv_table


def _as_plain(table: CsvTable) -> dict[str, Any]:
    return {
        "header": table.header,
        "columns": list(table.frame.columns),
        "rows": table.frame.to_numpy().tolist(),
        "lines": table.line_numbers.tolist(),
        "ragged": table.ragged,
        "rows_read": table.rows_read,
    }


def _by_csv_module(text: str) -> dict[str, Any]:
    return _as_plain(reading._csv_module_table(text))


HEADER = "id,name,place\n"


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "1,a,b\n2,c,d\n",
        HEADER + "1,a,b\n2,c,d",  # no newline at the end
        HEADER + "1,a,b\n2,c,d\n\n\n",  # blank lines at the end move no line
        HEADER.replace("\n", "\r\n") + "1,a,b\r\n2,c,d\r\n",
        HEADER + '1,"a, with comma",b\n2,"say ""hi""",d\n',
        HEADER + '1,"",b\n2,x"y,"z"w\n',  # quotes inside and after a field
        HEADER + "1,,\n2, spaced ,NA\n",  # empty fields stay empty; NA stays text
        " id , name ,place\n1,a,b\n",  # the header is stripped
    ],
)
def test_fast_path_gives_what_the_csv_module_gives(text: str) -> None:
    table = read_csv_table(text)

    assert table.fast_path
    assert _as_plain(table) == _by_csv_module(text)


@pytest.mark.parametrize(
    ("text", "lines", "ragged"),
    [
        (HEADER + '1,"two\nlines",b\n2,c,d\n', [2, 4], []),
        (HEADER + '1,"two\r\nlines",b\r\n2,c,d\r\n', [2, 4], []),
        (HEADER + "1,a,b\n\n2,c,d\n", [2, 4], []),  # a blank line between records
        (HEADER + "1,a,b\n2,c\n3,e,f\n", [2, 4], [(3, ["2", "c"])]),  # a short row
        (HEADER + "1,a,b,extra\n2,c,d\n", [3], [(2, ["1", "a", "b", "extra"])]),  # a long one
        (HEADER + "1,a,b\r2,c,d\n", [2, 3], []),  # a bare carriage return ends a line
        (HEADER + "1,a,b\n   \n2,c,d\n", [2, 4], [(3, ["   "])]),
    ],
    ids=["multi-line", "multi-line-crlf", "blank", "short", "long", "cr", "spaces"],
)
def test_other_files_go_through_the_csv_module_with_their_line_numbers(
    text: str, lines: list[int], ragged: list[tuple[int, list[str]]]
) -> None:
    table = read_csv_table(text)

    assert not table.fast_path
    assert table.line_numbers.tolist() == lines
    assert table.ragged == ragged
    assert _as_plain(table) == _by_csv_module(text)


def test_short_row_in_a_file_with_quotes_is_not_padded() -> None:
    text = HEADER + '1,"a",b\n2,"c"\n'  # pandas would pad row 2 with an empty field

    table = read_csv_table(text)

    assert table.ragged == [(3, ["2", "c"])]
    assert table.line_numbers.tolist() == [2]


def test_multi_line_record_then_fast_path_rows_agree() -> None:
    """The same records with and without a multi-line field: same values and line numbers
    where the records are the same, and the fallback counts the extra line."""
    single = HEADER + "1,a,b\n2,c,d\n3,e,f\n"
    multi = HEADER + '1,a,b\n2,"c\nC",d\n3,e,f\n'

    fast, slow = read_csv_table(single), read_csv_table(multi)

    assert fast.fast_path and not slow.fast_path
    assert fast.line_numbers.tolist() == [2, 3, 4]
    assert slow.line_numbers.tolist() == [2, 3, 5]
    assert slow.frame.to_numpy().tolist() == [["1", "a", "b"], ["2", "c\nC", "d"], ["3", "e", "f"]]
    assert (
        fast.frame.iloc[[0, 2]].to_numpy().tolist() == slow.frame.iloc[[0, 2]].to_numpy().tolist()
    )


def test_header_only() -> None:
    table = read_csv_table(HEADER)
    assert (table.header, table.rows_read, len(table.frame.columns)) == (
        ["id", "name", "place"],
        0,
        3,
    )


_FIELDS = st.sampled_from(
    ["", "a", " b ", "1.5", "NA", "x,y", 'q"r', 's""t', "m\nn", "o\r\np", "é", "\r", "\t", "\x01"]
)


@st.composite
def _csv_texts(draw: st.DrawFn) -> str:
    """CSV text with mostly rows of the header's width, some ragged, blank or quoted."""
    width = draw(st.integers(1, 4))
    widths = st.one_of(st.just(width), st.just(width), st.integers(0, width + 1))
    rows = [draw(st.lists(_FIELDS, min_size=width, max_size=width))]
    for _ in range(draw(st.integers(0, 6))):
        rows.append(draw(st.lists(_FIELDS, min_size=draw(widths), max_size=width + 1)))
    out = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])), quoting=quoting)
    for row in rows:
        if row:
            writer.writerow(row)
        else:
            out.write("\n")  # a blank line
    return out.getvalue() + draw(st.sampled_from(["", "\n", "\n\n", "x", ",\n"]))


@settings(max_examples=300, deadline=None)
@given(text=_csv_texts())
@example(text="a,b\n1,2")
def test_whichever_path_is_taken_the_result_is_the_csv_modules(text: str) -> None:
    _assert_same_split(text)


def _assert_same_split(text: str) -> None:
    """Both paths split ``text`` the same way, or both refuse it as malformed."""
    try:
        expected = _by_csv_module(text)
    except MalformedCsv:
        with pytest.raises(MalformedCsv):
            read_csv_table(text)
        return
    assert _as_plain(read_csv_table(text)) == expected


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.lists(
            st.sampled_from(["", "a", "b c", "1.5", "x,y", 'q"r', "é"]), min_size=3, max_size=3
        ),
        max_size=6,
    )
)
def test_single_line_records_take_the_fast_path(rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["a", "b", "c"], *rows])
    table = read_csv_table(out.getvalue())
    assert table.fast_path
    assert _as_plain(table) == _by_csv_module(out.getvalue())


@settings(max_examples=500, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["a", "b", ",", ",", '"', " ", "\n", "\n", "\r\n", "\r", "\t", "é"]),
        min_size=1,
        max_size=40,
    ).map("".join)
)
@example(text='""\n\n""\n')  # a blank line between one-field records
def test_any_text_splits_as_the_csv_module_splits_it(text: str) -> None:
    _assert_same_split(text)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (HEADER + '1,"a,b\n2,c,d\n', 2, "never closed"),  # an open quote in the last record
        (HEADER + "1,a,b\n" + '2,"c,d\n' + "3,e,f\n" * 250, 3, "never closed"),  # mid-file
        (HEADER + '1,"a,b\n2,c,d\n3,e",f\n4,g,h\n', 2, "holds whole records"),  # closed later
    ],
    ids=["open-quote-at-end", "open-quote-mid-file", "quote-closed-by-a-later-row"],
)
def test_records_that_cannot_be_delimited_refuse_the_file(
    text: str, line: int, problem: str
) -> None:
    with pytest.raises(MalformedCsv, match=problem) as refused:
        read_csv_table(text)
    assert refused.value.line == line


def test_a_field_longer_than_the_csv_modules_default_limit_is_read() -> None:
    long_value = "x" * 200_000
    table = read_csv_table(HEADER + f'1,"{long_value}\nsecond line",b\n2,c,d\n')
    assert table.frame["name"].tolist() == [long_value + "\nsecond line", "c"]


def test_a_file_of_many_multi_line_values_is_counted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check of multi-line records counts the file's lines once, not once per record
    (which made a file of descriptions with line breaks quadratic to read)."""
    calls = []
    count = reading._line_count
    monkeypatch.setattr(reading, "_line_count", lambda text: calls.append(1) or count(text))
    text = HEADER + "".join(f'{i},"two\nlines",b\n' for i in range(500))

    assert read_csv_table(text).rows_read == 500
    assert len(calls) == 1
